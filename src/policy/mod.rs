//! The policy language: what a policy file may say, and the validated [`Policy`] that
//! the engine compiles.
//!
//! Loading goes file text → [`crate::yaml`] (values with positions) → [`spec`] (serde,
//! field names checked) → layers resolved through `extends` and merged by rule id →
//! validated [`Rule`]s, and `library:` entries merged by id ([`library`]). Every error on
//! the way names the file, line, column and rule or entry.

pub mod adapters;
pub mod fields;
pub mod library;
mod load;
mod locator;
pub mod spec;
pub mod validate;

use serde::Deserialize;

use crate::date::Date;
use crate::detectors::DetectorKind;
use crate::error::{Error, ErrorKind, Position};
use crate::normalize::Profile;

#[cfg(feature = "authoring")]
pub use load::DEFAULT_POLICY;
pub use load::{
    EmbeddedResolver, FsResolver, Resolver, Source, embedded_default, load, read_document,
};

/// How serious a finding is. Ordered: `Info < Warn < Block`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warn,
    Block,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warn => "warn",
            Severity::Block => "block",
        }
    }
}

/// `Monitor` findings are recorded for audit but never shown or enforced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Enforce,
    Monitor,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Enforce => "enforce",
            Mode::Monitor => "monitor",
        }
    }
}

/// What a user may do with an enforced `block` finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Override {
    /// The post cannot be made until the draft is fixed.
    Never,
    /// "Post anyway" after typing a justification (recorded for audit).
    #[default]
    Justify,
    /// "Post anyway" with one click.
    Allow,
}

/// What the extension does with posting when the engine cannot run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum FailMode {
    #[default]
    Open,
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Settings {
    #[serde(rename = "override")]
    pub override_: Override,
    pub fail: FailMode,
}

/// Declares the rule kinds once: each entry is a [`Kind`] variant (with its name in policy
/// files and whether it is built from phrase lists, so takes `evasion: full`) and the
/// [`Body`] variant that holds what a validated rule of that kind matches. Each kind's
/// validation, compiled check and tests are in its own module under `rules/`.
macro_rules! rule_kinds {
    ($(
        $(#[$doc:meta])*
        $variant:ident = $name:literal, phrase_based: $phrase_based:literal
            { $($field:ident: $ty:ty),* $(,)? }
    ),* $(,)?) => {
        /// The rule kinds. Each has its own module under `rules/`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
        pub enum Kind {
            $( $(#[$doc])* #[serde(rename = $name)] $variant, )*
        }

        impl Kind {
            pub const ALL: [Kind; [$($name),*].len()] = [$(Kind::$variant),*];

            pub fn name(self) -> &'static str {
                match self {
                    $( Kind::$variant => $name, )*
                }
            }

            /// Kinds built from phrase lists, which take `evasion: full`.
            pub fn is_phrase_based(self) -> bool {
                match self {
                    $( Kind::$variant => $phrase_based, )*
                }
            }
        }

        /// What a rule matches, per kind.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Body {
            $( $(#[$doc])* $variant { $($field: $ty),* }, )*
        }

        impl Body {
            pub fn kind(&self) -> Kind {
                match self {
                    $( Body::$variant { .. } => Kind::$variant, )*
                }
            }
        }
    };
}

rule_kinds! {
    /// A word-bounded term list (`rules/phrases.rs`).
    Phrases = "phrases", phrase_based: true { phrases: Vec<String> },
    /// A phrase of `a` within `within` words of a phrase of `b` (`rules/near.rs`).
    Near = "near", phrase_based: true { a: Vec<String>, b: Vec<String>, within: u32 },
    /// A discouraged form and its preferred replacement (`rules/swap.rs`).
    Swap = "swap", phrase_based: false { pairs: Vec<(String, String)> },
    /// A regular expression (`rules/pattern.rs`).
    Pattern = "pattern", phrase_based: false { pattern: String },
    /// A built-in validated detector (`rules/detector.rs`).
    Detector = "detector", phrase_based: false { detector: DetectorKind, allow: Vec<String> },
    /// A phrase that must come with another (`rules/require.rs`).
    Require = "require", phrase_based: true { when: Vec<String>, require: Vec<String> },
    /// Links checked against allowed and denied domains (`rules/links.rs`).
    Links = "links", phrase_based: false {
        allow_domains: Vec<String>,
        deny_domains: Vec<String>,
    },
    /// The most characters a post may have (`rules/length.rs`).
    Length = "length", phrase_based: false { max: u32, count: Option<Count> },
}

/// Evasion resistance of a rule; see the `evasion` field's documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Evasion {
    None,
    Unicode,
    Full,
}

/// The profile phrase lists of a rule are matched with.
pub fn phrase_profile(evasion: Evasion) -> Profile {
    match evasion {
        Evasion::None => Profile::Basic,
        Evasion::Unicode => Profile::Unicode,
        Evasion::Full => Profile::Full,
    }
}

/// The text that patterns and detectors of a rule see: `None` is the draft as typed.
pub fn text_profile(evasion: Evasion) -> Option<Profile> {
    match evasion {
        Evasion::None => None,
        _ => Some(Profile::Cased),
    }
}

/// Platforms a draft can be for. `generic` is any other site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Linkedin,
    X,
    Facebook,
    Instagram,
    Threads,
    Reddit,
    Bluesky,
    Mastodon,
    Youtube,
    Tiktok,
    Generic,
}

impl Platform {
    pub const ALL: [Platform; 11] = [
        Platform::Linkedin,
        Platform::X,
        Platform::Facebook,
        Platform::Instagram,
        Platform::Threads,
        Platform::Reddit,
        Platform::Bluesky,
        Platform::Mastodon,
        Platform::Youtube,
        Platform::Tiktok,
        Platform::Generic,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Platform::Linkedin => "linkedin",
            Platform::X => "x",
            Platform::Facebook => "facebook",
            Platform::Instagram => "instagram",
            Platform::Threads => "threads",
            Platform::Reddit => "reddit",
            Platform::Bluesky => "bluesky",
            Platform::Mastodon => "mastodon",
            Platform::Youtube => "youtube",
            Platform::Tiktok => "tiktok",
            Platform::Generic => "generic",
        }
    }

    /// The most characters a post may have on the platform, counted as the platform
    /// counts ([`Count::for_platform`]); `None` for `generic`. Posts, not comments, where
    /// the two differ; YouTube's is a comment's.
    pub fn post_limit(self) -> Option<u64> {
        match self {
            Platform::X => Some(280),
            Platform::Bluesky => Some(300),
            Platform::Mastodon | Platform::Threads => Some(500),
            Platform::Instagram | Platform::Tiktok => Some(2_200),
            Platform::Linkedin => Some(3_000),
            Platform::Youtube => Some(10_000),
            Platform::Reddit => Some(40_000),
            Platform::Facebook => Some(63_206),
            Platform::Generic => None,
        }
    }

    /// Parses a platform id (`twitter` is accepted for `x`).
    pub fn parse(s: &str) -> Result<Platform, Error> {
        let l = s.trim().to_ascii_lowercase();
        if l == "twitter" {
            return Ok(Platform::X);
        }
        Platform::ALL
            .into_iter()
            .find(|p| p.name() == l)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidValue,
                    format!(
                        "unknown platform `{s}`; known platforms: {}",
                        Platform::ALL.map(|p| p.name()).join(", ")
                    ),
                )
            })
    }
}

/// A rule's `active` window, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: Option<Date>,
    pub until: Option<Date>,
}

impl Window {
    pub fn contains(&self, d: Date) -> bool {
        self.from.is_none_or(|f| d >= f) && self.until.is_none_or(|u| d <= u)
    }
}

/// How a `length` rule counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    Chars,
    Graphemes,
    Utf16,
    X,
    Mastodon,
}

impl Count {
    pub fn parse(s: &str) -> Result<Count, Error> {
        Ok(match s {
            "chars" => Count::Chars,
            "graphemes" => Count::Graphemes,
            "utf16" => Count::Utf16,
            "x" => Count::X,
            "mastodon" => Count::Mastodon,
            _ => {
                return Err(Error::new(
                    ErrorKind::InvalidValue,
                    format!(
                        "unknown count `{s}`; expected one of chars, graphemes, utf16, x, mastodon"
                    ),
                ));
            }
        })
    }

    /// How a platform counts toward its limit when the rule does not say.
    pub fn for_platform(p: Option<Platform>) -> Count {
        match p {
            Some(Platform::X) => Count::X,
            Some(Platform::Bluesky) => Count::Graphemes,
            Some(Platform::Mastodon) => Count::Mastodon,
            _ => Count::Chars,
        }
    }
}

/// Replacements a rule offers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Suggest {
    #[default]
    None,
    /// The same replacements for every match.
    Always(Vec<String>),
    /// Per phrase (normalized key → replacements), for `phrases` rules.
    ByPhrase(Vec<(String, Vec<String>)>),
}

/// Where a rule was (last) defined.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    pub file: String,
    pub position: Option<Position>,
}

/// A validated rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: String,
    pub kind: Kind,
    pub body: Body,
    pub severity: Severity,
    pub mode: Mode,
    pub message: Option<String>,
    pub link: Option<String>,
    pub platforms: Option<Vec<Platform>>,
    pub active: Option<Window>,
    pub unless: Vec<String>,
    pub suggest: Suggest,
    pub evasion: Evasion,
    pub origin: Origin,
}

/// A test case embedded in a policy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestCase {
    pub name: Option<String>,
    pub text: String,
    pub platform: Option<Platform>,
    pub date: Option<Date>,
    pub expect: Vec<String>,
    pub origin: Origin,
}

/// A dotted numeric version, compared part by part (`2026.11.10 > 2026.11.9`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version(pub Vec<u64>);

impl Version {
    pub fn parse(s: &str) -> Result<Version, Error> {
        let parts: Result<Vec<u64>, _> = s.split('.').map(|p| p.parse::<u64>()).collect();
        match parts {
            Ok(v) if !v.is_empty() => Ok(Version(v)),
            _ => Err(Error::new(
                ErrorKind::InvalidValue,
                format!("version `{s}` must be numbers separated by dots, such as \"2026.11.2\""),
            )),
        }
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s: Vec<String> = self.0.iter().map(|p| p.to_string()).collect();
        write!(f, "{}", s.join("."))
    }
}

/// A validated policy: every layer merged, every rule checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub id: String,
    pub version: Option<Version>,
    pub title: Option<String>,
    pub link: Option<String>,
    pub settings: Settings,
    /// Enabled rules, in order of first definition.
    pub rules: Vec<Rule>,
    /// Rules an overlay switched off (`enabled: false`), for `lint` and reports.
    pub disabled: Vec<String>,
    /// The approved content library, every layer merged.
    pub library: Vec<library::Entry>,
    /// The tests of the last layer (the file that was asked for).
    pub tests: Vec<TestCase>,
    /// Policy ids of the layers, base first.
    pub layers: Vec<String>,
    /// Site adapters for the extension (`adapters:`), every layer's laid over each other by
    /// id, in order of first definition.
    pub adapters: Vec<adapters::Adapter>,
}
