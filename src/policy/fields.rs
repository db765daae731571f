//! The one table of rule fields: each field's Rust type, which kinds take it, for which it
//! is required, its JSON Schema and its documentation. The table generates [`FIELDS`] (what
//! validation, `draftguard schema` and the README's field reference read) and [`RuleSpec`]
//! (what a rule entry of a policy file is deserialized into, merged across layers and
//! asked which fields were given), so none of them can drift apart: a new field is one
//! row here.

use serde::Deserialize;
#[cfg(feature = "cli")]
use serde_json::json;
use serde_json::{Map, Value};

#[cfg(feature = "cli")]
use super::Platform;
use super::{Evasion, Kind, Mode, Severity};
#[cfg(feature = "cli")]
use crate::detectors::DetectorKind;

/// Which kinds a field applies to.
#[derive(Debug, Clone, Copy)]
pub enum Applies {
    /// Every rule takes it.
    All,
    /// Only these kinds take it.
    Only(&'static [Kind]),
}

#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub applies: Applies,
    /// Required for these kinds (a partial override of a base rule may still omit it).
    pub required_for: &'static [Kind],
    /// JSON Schema of the value, as JSON text.
    pub schema: &'static str,
    pub doc: &'static str,
}

/// Documentation and JSON Schema text are for the CLI (`draftguard schema`, the README's
/// field tables); the engine reads only the names and rules, so a build without the `cli`
/// feature (the wasm engine) leaves the text out.
pub const fn cli_text(s: &'static str) -> &'static str {
    if cfg!(feature = "cli") { s } else { "" }
}

/// An enum whose values [`json_schema`] takes from the code (the kinds, the detectors;
/// `platforms` lists the platforms the same way), so a new kind or detector needs no
/// edit here.
const ENUM_FROM_CODE: &str = r#"{"enum":[]}"#;
const STRINGS: &str = r#"{"type":"array","items":{"type":"string","minLength":1}}"#;
const NONEMPTY_STRINGS: &str =
    r#"{"type":"array","items":{"type":"string","minLength":1},"minItems":1}"#;

use Kind::*;

/// Declares the fields: `name: Type { applies, required_for, schema, doc }` per row (`id`
/// first and marked `required`: every entry has one). Generates [`FIELDS`] and
/// [`RuleSpec`].
macro_rules! rule_fields {
    (
        required $id:ident: $id_ty:ty { $($id_row:tt)* },
        $( $name:ident: $ty:ty { $($row:tt)* } ),* $(,)?
    ) => {
        pub const FIELDS: &[Field] = &[
            Field { name: stringify!($id), $($id_row)* },
            $( Field { name: stringify!($name), $($row)* }, )*
        ];

        /// One rule entry as written: every field but `id` optional, so a later layer may
        /// refine a base rule with only some of them. Which fields a kind takes is checked
        /// against [`FIELDS`] so the error can list them.
        #[derive(Debug, Clone, Default, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct RuleSpec {
            pub $id: $id_ty,
            $( #[serde(default)] pub $name: Option<$ty>, )*
        }

        impl RuleSpec {
            /// Lays `over`'s fields on top of `self` (a later layer refining a base rule).
            pub fn merge(&mut self, over: &RuleSpec) {
                $( if over.$name.is_some() { self.$name = over.$name.clone(); } )*
            }

            /// Whether the field called `name` was given (in any layer, once merged).
            pub fn is_set(&self, name: &str) -> bool {
                match name {
                    stringify!($id) => true,
                    $( stringify!($name) => self.$name.is_some(), )*
                    _ => false,
                }
            }
        }
    };
}

/// The `active` window as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActiveSpec {
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
}

rule_fields! {
    required id: String {
        applies: Applies::All,
        required_for: &[],
        schema: cli_text(r#"{"type":"string","pattern":"^[A-Za-z0-9_.-]+$"}"#),
        doc: cli_text("Unique name of the rule; findings, tests and overrides refer to it. A later layer that uses the same id refines or replaces the rule."),
    },
    kind: Kind {
        applies: Applies::All,
        required_for: &[],
        schema: cli_text(ENUM_FROM_CODE),
        doc: cli_text("What the rule matches. Required, except in a layer that only refines a base rule with the same id."),
    },
    enabled: bool {
        applies: Applies::All,
        required_for: &[],
        schema: cli_text(r#"{"type":"boolean"}"#),
        doc: cli_text("`false` switches the rule off (typically in an overlay: `{id: x, enabled: false}`). Default `true`."),
    },
    description: String {
        applies: Applies::All,
        required_for: &[],
        schema: cli_text(r#"{"type":"string"}"#),
        doc: cli_text("Notes for policy authors; never shown to users."),
    },
    severity: Severity {
        applies: Applies::All,
        required_for: &[],
        schema: cli_text(r#"{"enum":["block","warn","info"]}"#),
        doc: cli_text("`block` stops the post (subject to `settings.override`), `warn` underlines, `info` hints. Default `warn`."),
    },
    mode: Mode {
        applies: Applies::All,
        required_for: &[],
        schema: cli_text(r#"{"enum":["enforce","monitor"]}"#),
        doc: cli_text("`monitor` reports findings for audit only: users see nothing and nothing is blocked. Use it to pilot a rule. Default `enforce`."),
    },
    message: String {
        applies: Applies::All,
        required_for: &[],
        schema: cli_text(r#"{"type":"string"}"#),
        doc: cli_text("What the user reads. `{match}` is replaced by the flagged text, `{rule}` by the rule id, `{detail}` by a kind-specific detail (the domain, the count, the missing tags). Plain text, never HTML."),
    },
    link: String {
        applies: Applies::All,
        required_for: &[],
        schema: cli_text(r#"{"type":"string"}"#),
        doc: cli_text("A URL explaining the rule; defaults to the policy's `link`."),
    },
    platforms: Vec<String> {
        applies: Applies::All,
        required_for: &[],
        schema: cli_text(r#"{"type":"array","items":{"enum":[]}}"#),
        doc: cli_text("Only check drafts for these platforms. Default: every platform."),
    },
    active: ActiveSpec {
        applies: Applies::All,
        required_for: &[],
        schema: cli_text(r#"{"type":"object","properties":{"from":{"type":"string","format":"date"},"until":{"type":"string","format":"date"}},"additionalProperties":false}"#),
        doc: cli_text("A date window `{from: YYYY-MM-DD, until: YYYY-MM-DD}`, both days included, either end optional. Outside it the rule is off."),
    },
    unless: Vec<String> {
        applies: Applies::All,
        required_for: &[],
        schema: cli_text(STRINGS),
        doc: cli_text("Exception phrases: a finding is dropped when one of them overlaps or surrounds it (`not guaranteed`). Matched like `phrases`, `*` stems included."),
    },
    suggest: Value {
        applies: Applies::Only(&[Phrases, Near, Pattern, Detector, Require, Links]),
        required_for: &[],
        schema: cli_text(r#"{"oneOf":[{"type":"string"},{"type":"array","items":{"type":"string"}},{"type":"object","additionalProperties":{"oneOf":[{"type":"string"},{"type":"array","items":{"type":"string"}}]}}]}"#),
        doc: cli_text("Replacements offered as one-click fixes: a string or list for every match, or (for `phrases`) a map from phrase to replacement(s). `\"\"` offers deletion. For `require`, the replacement is appended to the draft."),
    },
    evasion: Evasion {
        applies: Applies::All,
        required_for: &[],
        schema: cli_text(r#"{"enum":["none","unicode","full"]}"#),
        doc: cli_text("How hard to look through disguises: `none` (case, spacing and digits of every script only), `unicode` (also accents, fullwidth forms, invisible characters, look-alike letters), `full` (also leetspeak, spaced-out letters, and masked or stretched words such as `f*ck` and `scaaaam`). Default `full` for phrase-based kinds, `unicode` for the rest; `full` applies only to phrases, near and require."),
    },
    phrases: Vec<String> {
        applies: Applies::Only(&[Phrases]),
        required_for: &[Phrases],
        schema: cli_text(NONEMPTY_STRINGS),
        doc: cli_text("Terms to flag, matched case-insensitively on word boundaries, in any language. End a word with `*` to match every word it begins (`garantiert* rendite*` matches `garantierte Renditen`); `lint` warns when a stem has fewer than 3 letters."),
    },
    a: Vec<String> {
        applies: Applies::Only(&[Near]),
        required_for: &[Near],
        schema: cli_text(NONEMPTY_STRINGS),
        doc: cli_text("First phrase list of a `near` rule (`*` stems allowed, as in `phrases`)."),
    },
    b: Vec<String> {
        applies: Applies::Only(&[Near]),
        required_for: &[Near],
        schema: cli_text(NONEMPTY_STRINGS),
        doc: cli_text("Second phrase list of a `near` rule (`*` stems allowed, as in `phrases`)."),
    },
    within: u32 {
        applies: Applies::Only(&[Near]),
        required_for: &[],
        schema: cli_text(r#"{"type":"integer","minimum":0,"maximum":100}"#),
        doc: cli_text("Most words allowed between an `a` phrase and a `b` phrase, in either order. Default 5."),
    },
    swap: Map<String, Value> {
        applies: Applies::Only(&[Swap]),
        required_for: &[Swap],
        schema: cli_text(r#"{"type":"object","additionalProperties":{"type":"string"},"minProperties":1}"#),
        doc: cli_text("Map from a discouraged form to the preferred one, matched case-sensitively on word boundaries; the preferred form is the fix."),
    },
    pattern: String {
        applies: Applies::Only(&[Pattern]),
        required_for: &[Pattern],
        schema: cli_text(r#"{"type":"string","minLength":1}"#),
        doc: cli_text("A regular expression (Rust `regex` syntax: linear time, no look-around or back-references). Use `(?i)` for case-insensitive."),
    },
    detector: String {
        applies: Applies::Only(&[Detector]),
        required_for: &[Detector],
        schema: cli_text(ENUM_FROM_CODE),
        doc: cli_text("Which built-in, validated detector to run."),
    },
    allow: Vec<String> {
        applies: Applies::Only(&[Detector]),
        required_for: &[],
        schema: cli_text(STRINGS),
        doc: cli_text("Values the detector may find without a finding (the company's own phone number). Compared in the detector's canonical form, so formatting does not matter."),
    },
    when: Vec<String> {
        applies: Applies::Only(&[Require]),
        required_for: &[Require],
        schema: cli_text(NONEMPTY_STRINGS),
        doc: cli_text("Trigger phrases of a `require` rule (`*` stems allowed, as in `phrases`)."),
    },
    require: Vec<String> {
        applies: Applies::Only(&[Require]),
        required_for: &[Require],
        schema: cli_text(NONEMPTY_STRINGS),
        doc: cli_text("At least one of these must appear somewhere in the draft when a trigger does; otherwise the first trigger is flagged."),
    },
    allow_domains: Vec<String> {
        applies: Applies::Only(&[Links]),
        required_for: &[],
        schema: cli_text(STRINGS),
        doc: cli_text("If given, links to any other domain are flagged. Subdomains are included. `@shorteners` names the built-in list of link shorteners."),
    },
    deny_domains: Vec<String> {
        applies: Applies::Only(&[Links]),
        required_for: &[],
        schema: cli_text(STRINGS),
        doc: cli_text("Links to these domains (and their subdomains) are flagged. `@shorteners` names the built-in list of link shorteners."),
    },
    max: u32 {
        applies: Applies::Only(&[Length]),
        required_for: &[Length],
        schema: cli_text(r#"{"type":"integer","minimum":1}"#),
        doc: cli_text("Most characters allowed, counted as `count` says."),
    },
    count: String {
        applies: Applies::Only(&[Length]),
        required_for: &[],
        schema: cli_text(r#"{"enum":["chars","graphemes","utf16","x","mastodon"]}"#),
        doc: cli_text("How to count: `chars` (code points), `graphemes` (what a reader sees as one character, as Bluesky counts), `utf16`, `x` (X's weighted count: URLs 23, CJK and emoji 2), `mastodon` (code points, URLs 23). Default: `x` on X, `graphemes` on Bluesky, `mastodon` on Mastodon, else `chars`."),
    },
}

/// A field of a library entry: its name, JSON Schema and documentation (for `draftguard
/// schema`, error messages and the README).
#[derive(Debug, Clone, Copy)]
pub struct EntryField {
    pub name: &'static str,
    pub required: bool,
    pub schema: &'static str,
    pub doc: &'static str,
}

/// Every field a library entry ([`super::library`]) takes. [`super::spec::EntrySpec`] is checked against this table by a
/// test, so the two cannot drift apart.
pub const ENTRY_FIELDS: &[EntryField] = &[
    EntryField {
        name: "id",
        required: true,
        schema: cli_text(r#"{"type":"string","pattern":"^[A-Za-z0-9_.-]+$"}"#),
        doc: cli_text(
            "Unique name of the entry; audit events (`library-used`) and overlays refer to it. A later layer with the same id replaces the whole entry.",
        ),
    },
    EntryField {
        name: "enabled",
        required: false,
        schema: cli_text(r#"{"type":"boolean"}"#),
        doc: cli_text(
            "`false` removes an entry a base policy defines (`{id: x, enabled: false}`). Default `true`.",
        ),
    },
    EntryField {
        name: "title",
        required: true,
        schema: cli_text(r#"{"type":"string","minLength":1}"#),
        doc: cli_text("What employees see in the list and search for."),
    },
    EntryField {
        name: "text",
        required: true,
        schema: cli_text(r#"{"type":"string","minLength":1}"#),
        doc: cli_text(
            "The post, plain text. May contain the placeholders {link}, {name}, {team}, {role}, {date}, {place} and {event}: `{link}` becomes the entry's `link` when it has one; the others are selected after insertion so the employee types over them.",
        ),
    },
    EntryField {
        name: "link",
        required: false,
        schema: cli_text(r#"{"type":"string","pattern":"^https?://"}"#),
        doc: cli_text(
            "An http(s) URL put in place of `{link}` in the text (which must then contain `{link}`).",
        ),
    },
    EntryField {
        name: "platforms",
        required: false,
        schema: cli_text(r#"{"type":"array","items":{"enum":[]},"minItems":1}"#),
        doc: cli_text(
            "Offer the entry only on these platforms, and check it against the policy for each. Default: every platform.",
        ),
    },
    EntryField {
        name: "tags",
        required: false,
        schema: cli_text(r#"{"type":"array","items":{"type":"string","minLength":1}}"#),
        doc: cli_text("Words employees can search by (`launch`, `hiring`)."),
    },
    EntryField {
        name: "lang",
        required: false,
        schema: cli_text(r#"{"type":"string","pattern":"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"}"#),
        doc: cli_text("The language of the text, as a BCP 47 tag (`en`, `de-CH`)."),
    },
    EntryField {
        name: "active",
        required: false,
        schema: cli_text(
            r#"{"type":"object","properties":{"from":{"type":"string","format":"date"},"until":{"type":"string","format":"date"}},"additionalProperties":false}"#,
        ),
        doc: cli_text(
            "A date window `{from: YYYY-MM-DD, until: YYYY-MM-DD}`, both days included, either end optional. Outside it the entry is not offered; `lint` warns once it has ended.",
        ),
    },
    EntryField {
        name: "note",
        required: false,
        schema: cli_text(r#"{"type":"string"}"#),
        doc: cli_text(
            "Notes for policy authors (who approved it, the ticket); never shown to employees.",
        ),
    },
];

/// The names of the fields an entry takes, for error messages.
pub fn entry_field_names() -> Vec<&'static str> {
    ENTRY_FIELDS.iter().map(|f| f.name).collect()
}

#[cfg(feature = "cli")]
/// The JSON Schema of a `library:` entry.
pub fn library_entry_schema() -> serde_json::Value {
    let mut props = serde_json::Map::new();
    for f in ENTRY_FIELDS {
        let mut s: serde_json::Value =
            serde_json::from_str(f.schema).expect("entry field schemas are valid JSON");
        if f.name == "platforms" {
            s["items"]["enum"] = Platform::ALL.map(Platform::name).to_vec().into();
        }
        s["description"] = f.doc.into();
        props.insert(f.name.to_string(), s);
    }
    let required: Vec<&str> = ENTRY_FIELDS
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name)
        .collect();
    serde_json::json!({
        "type": "object",
        "properties": props,
        "additionalProperties": false,
        "oneOf": [
            {"required": required},
            {"required": ["id", "enabled"], "properties": {"enabled": {"const": false}}},
        ],
    })
}

pub fn field(name: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.name == name)
}

pub fn applies(f: &Field, kind: Kind) -> bool {
    match f.applies {
        Applies::All => true,
        Applies::Only(ks) => ks.contains(&kind),
    }
}

/// Names of the fields `kind` takes, for error messages.
pub fn names_for(kind: Kind) -> Vec<&'static str> {
    FIELDS
        .iter()
        .filter(|f| applies(f, kind))
        .map(|f| f.name)
        .collect()
}

#[cfg(feature = "cli")]
fn parse(s: &str) -> Value {
    serde_json::from_str(s).expect("field schemas in the table are valid JSON")
}

#[cfg(feature = "cli")]
/// A field's JSON Schema with its documentation as the description.
fn field_schema(f: &Field) -> Value {
    let mut s = parse(f.schema);
    let names = |names: &[&str]| Value::from(names.to_vec());
    match f.name {
        "kind" => s["enum"] = names(&Kind::ALL.map(Kind::name)),
        "detector" => s["enum"] = names(&DetectorKind::ALL.map(DetectorKind::name)),
        "platforms" => s["items"]["enum"] = names(&Platform::ALL.map(Platform::name)),
        _ => {}
    }
    s["description"] = Value::String(f.doc.to_string());
    s
}

#[cfg(feature = "cli")]
/// JSON Schema (draft 2020-12) of a whole policy file.
pub fn json_schema() -> Value {
    let mut variants = Vec::new();
    for kind in Kind::ALL {
        let mut props = serde_json::Map::new();
        for f in FIELDS.iter().filter(|f| applies(f, kind)) {
            props.insert(f.name.to_string(), field_schema(f));
        }
        props.insert("kind".into(), json!({"const": kind.name()}));
        let mut required = vec!["id", "kind"];
        required.extend(
            FIELDS
                .iter()
                .filter(|f| f.required_for.contains(&kind))
                .map(|f| f.name),
        );
        variants.push(json!({
            "title": format!("{} rule", kind.name()),
            "type": "object",
            "properties": props,
            "required": required,
            "additionalProperties": false,
        }));
    }
    // A refinement of a base rule: an id and any common field, no kind.
    let mut refine = serde_json::Map::new();
    for f in FIELDS.iter().filter(|f| f.name != "kind") {
        refine.insert(f.name.to_string(), field_schema(f));
    }
    variants.push(json!({
        "title": "refinement of a rule from a base policy (no kind)",
        "type": "object",
        "properties": refine,
        "required": ["id"],
        "not": {"required": ["kind"]},
        "additionalProperties": false,
    }));
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://draftguard.dev/schema/policy.json",
        "title": "draftguard policy",
        "type": "object",
        "required": ["policy"],
        "additionalProperties": false,
        "properties": {
            "policy": {"type": "string", "pattern": "^[a-z0-9][a-z0-9._-]*$", "description": "Policy id; `extends` refers to policies by this id."},
            "version": {"oneOf": [{"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)*$"}, {"type": "integer", "minimum": 0}], "description": "Dotted numeric version such as \"2026.11.2\"; bundles refuse to roll back to a lower one."},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "link": {"type": "string", "description": "Where the full written policy lives."},
            "extends": {"type": "array", "items": {"type": "string"}, "description": "Base policies, applied in order before this one."},
            "settings": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "override": {"enum": ["never", "justify", "allow"], "description": "What a user may do with a block finding."},
                    "fail": {"enum": ["open", "closed"], "description": "What happens to posting if the engine cannot run."}
                }
            },
            "rules": {"type": "array", "items": {"oneOf": variants}},
            "library": {
                "type": "array",
                "description": "Approved posts employees may insert in one click; each is checked against the policy when the policy is tested or bundled.",
                "items": library_entry_schema()
            },
            "adapters": {
                "type": "array",
                "maxItems": super::adapters::MAX_ADAPTERS,
                "description": "Site adapters for the browser extension, in the shape of its built-in adapters (extension/src/adapters.json). One with the id of a built-in adapter replaces it; a new id adds one. A later layer replaces an adapter with the same id whole.",
                "items": super::adapters::json_schema()
            },
            "tests": {"type": "array", "items": {
                "type": "object",
                "required": ["text", "expect"],
                "additionalProperties": false,
                "properties": {
                    "name": {"type": "string"},
                    "text": {"type": "string"},
                    "platform": {"type": "string"},
                    "date": {"type": "string", "format": "date"},
                    "expect": {"type": "array", "items": {"type": "string"}, "description": "Rule ids that must be found, exactly."}
                }
            }}
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enum_of(f: &str, pointer: &str) -> Vec<String> {
        field_schema(field(f).unwrap())
            .pointer(pointer)
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    }

    /// The kinds, detectors and platforms in the schema are exactly the code's.
    #[test]
    fn enums_from_the_code_name_every_value() {
        let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(enum_of("kind", "/enum"), kinds);
        let detectors: Vec<&str> = DetectorKind::ALL.iter().map(|d| d.name()).collect();
        assert_eq!(enum_of("detector", "/enum"), detectors);
        let platforms: Vec<&str> = Platform::ALL.iter().map(|p| p.name()).collect();
        assert_eq!(enum_of("platforms", "/items/enum"), platforms);
    }

    /// The enums written out in the table name values the code accepts.
    #[test]
    fn written_enums_are_accepted_by_the_code() {
        for v in enum_of("severity", "/enum") {
            serde_json::from_value::<Severity>(Value::String(v)).unwrap();
        }
        for v in enum_of("mode", "/enum") {
            serde_json::from_value::<Mode>(Value::String(v)).unwrap();
        }
        for v in enum_of("evasion", "/enum") {
            serde_json::from_value::<Evasion>(Value::String(v)).unwrap();
        }
        for v in enum_of("count", "/enum") {
            super::super::Count::parse(&v).unwrap();
        }
    }
}
