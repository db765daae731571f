//! Built-in detectors: validated finders for personal data, secrets and social tokens.
//!
//! Each detector lives in its own file and does one job: find candidates cheaply (a
//! prefilter first, so a draft without digits never runs the number detectors), then
//! validate them (Luhn, mod-97, checksum, entropy) so a random order number is not a
//! credit card. Detectors see the `Cased` shadow of the draft (NFKC, invisible characters
//! removed), or under `evasion: none` the `Digits` one (the draft as typed); in both the
//! decimal digits of every script are ASCII digits (`٤١١١` is `4111`, `５` is `5`), so
//! the detectors scan ASCII and their spans map back to what was typed.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind};

pub use marks::{Cursor, Marks};

mod aba_routing;
mod account_number;
mod credit_card;
mod email;
mod iban;
pub mod links;
mod marks;
mod phone;
mod scan;
mod secret;
mod social;
mod us_ssn;

/// Declares the detectors once: each entry is a [`DetectorKind`] variant, the name a
/// `detector` rule uses, and the detector (a unit struct implementing [`Detector`]).
macro_rules! detector_kinds {
    ($( $variant:ident = $name:literal => $detector:path ),* $(,)?) => {
        /// The detectors a `detector` rule can name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
        pub enum DetectorKind {
            $( #[serde(rename = $name)] $variant, )*
        }

        impl DetectorKind {
            pub const ALL: [DetectorKind; [$($name),*].len()] = [$(DetectorKind::$variant),*];

            pub fn name(self) -> &'static str {
                match self {
                    $( DetectorKind::$variant => $name, )*
                }
            }

            /// The detector itself.
            pub fn get(self) -> &'static dyn Detector {
                match self {
                    $( DetectorKind::$variant => &$detector, )*
                }
            }
        }
    };
}

detector_kinds! {
    CreditCard = "credit_card" => credit_card::CreditCard,
    Iban = "iban" => iban::Iban,
    UsSsn = "us_ssn" => us_ssn::UsSsn,
    AbaRouting = "aba_routing" => aba_routing::AbaRouting,
    Email = "email" => email::Email,
    Phone = "phone" => phone::Phone,
    AccountNumber = "account_number" => account_number::AccountNumber,
    Secret = "secret" => secret::Secret,
    Mention = "mention" => social::Mention,
    Hashtag = "hashtag" => social::Hashtag,
    Cashtag = "cashtag" => social::Cashtag,
}

impl DetectorKind {
    pub fn parse(s: &str) -> Result<DetectorKind, Error> {
        DetectorKind::ALL
            .into_iter()
            .find(|d| d.name() == s)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidValue,
                    format!(
                        "unknown detector `{s}`; known detectors: {}",
                        DetectorKind::ALL.map(|d| d.name()).join(", ")
                    ),
                )
            })
    }
}

/// Where a detector's candidates are in the text it reads (here, next to [`Detector`],
/// so that detectors and [`Marks`] both import it from their parent). The engine hands detectors a
/// [`Cursor`] over the text's [`Marks`]; the tests also a plain scan of the text, to check
/// that both find the same.
pub trait Candidates {
    /// The first ASCII digit at or after `from` in `bytes`.
    fn next_digit(&mut self, bytes: &[u8], from: usize) -> Option<usize>;

    /// The first `sigil` (`@`, `#` or `$`) at or after `from`.
    fn next_sigil(&mut self, bytes: &[u8], sigil: u8, from: usize) -> Option<usize>;

    /// The first byte where a secret token format may begin.
    fn format_trigger(&mut self, bytes: &[u8]) -> Option<usize>;
}

/// A built-in detector.
pub trait Detector: Sync {
    /// Appends the byte ranges of every validated match in `text`, in increasing order and
    /// without overlaps. Ranges lie on `char` boundaries. Must never panic, whatever the
    /// input, and must stay linear in the length of `text`. `candidates` says where the
    /// detector's starting bytes are (a cursor over the text's [`Marks`], shared by all
    /// detectors, so none scans the whole text itself).
    fn find_with(&self, text: &str, candidates: &mut dyn Candidates, out: &mut Vec<Range<usize>>);

    /// [`Detector::find_with`] on a text alone (its [`Marks`] are found first). A caller
    /// running several detectors on one text should find its marks once instead.
    fn find(&self, text: &str, out: &mut Vec<Range<usize>>) {
        self.find_with(text, &mut Marks::new(text).cursor(), out);
    }

    /// The form in which a matched value is compared with a rule's `allow` list, so that
    /// formatting does not matter (`(800) 555-0100` and `1-800-555-0100` are equal).
    fn canonical(&self, matched: &str) -> String;

    /// The message a finding gets when the rule has none. `{match}` is substituted.
    fn message(&self) -> &'static str;
}
