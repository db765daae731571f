//! Built-in detectors: validated finders for personal data, secrets and social tokens.
//!
//! Each detector lives in its own file and does one job: find candidates cheaply (a
//! prefilter first, so a draft without digits never runs the number detectors), then
//! validate them (Luhn, mod-97, checksum, entropy) so a random order number is not a
//! credit card. Detectors see the `Cased` shadow of the draft (NFKC, invisible characters
//! removed), so fullwidth digits and zero-width joiners do not hide a number.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind};

mod aba_routing;
mod account_number;
mod credit_card;
mod email;
mod iban;
pub mod links;
mod phone;
mod scan;
mod secret;
mod social;
mod us_ssn;

/// The detectors a `detector` rule can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DetectorKind {
    CreditCard,
    Iban,
    UsSsn,
    AbaRouting,
    Email,
    Phone,
    AccountNumber,
    Secret,
    Mention,
    Hashtag,
    Cashtag,
}

impl DetectorKind {
    pub const ALL: [DetectorKind; 11] = [
        DetectorKind::CreditCard,
        DetectorKind::Iban,
        DetectorKind::UsSsn,
        DetectorKind::AbaRouting,
        DetectorKind::Email,
        DetectorKind::Phone,
        DetectorKind::AccountNumber,
        DetectorKind::Secret,
        DetectorKind::Mention,
        DetectorKind::Hashtag,
        DetectorKind::Cashtag,
    ];

    pub fn name(self) -> &'static str {
        match self {
            DetectorKind::CreditCard => "credit_card",
            DetectorKind::Iban => "iban",
            DetectorKind::UsSsn => "us_ssn",
            DetectorKind::AbaRouting => "aba_routing",
            DetectorKind::Email => "email",
            DetectorKind::Phone => "phone",
            DetectorKind::AccountNumber => "account_number",
            DetectorKind::Secret => "secret",
            DetectorKind::Mention => "mention",
            DetectorKind::Hashtag => "hashtag",
            DetectorKind::Cashtag => "cashtag",
        }
    }

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

    /// The detector itself.
    pub fn get(self) -> &'static dyn Detector {
        match self {
            DetectorKind::CreditCard => &credit_card::CreditCard,
            DetectorKind::Iban => &iban::Iban,
            DetectorKind::UsSsn => &us_ssn::UsSsn,
            DetectorKind::AbaRouting => &aba_routing::AbaRouting,
            DetectorKind::Email => &email::Email,
            DetectorKind::Phone => &phone::Phone,
            DetectorKind::AccountNumber => &account_number::AccountNumber,
            DetectorKind::Secret => &secret::Secret,
            DetectorKind::Mention => &social::Mention,
            DetectorKind::Hashtag => &social::Hashtag,
            DetectorKind::Cashtag => &social::Cashtag,
        }
    }
}

/// A built-in detector.
pub trait Detector: Sync {
    /// Appends the byte ranges of every validated match in `text`, in increasing order and
    /// without overlaps. Ranges lie on `char` boundaries. Must never panic, whatever the
    /// input, and must stay linear in the length of `text`.
    fn find(&self, text: &str, out: &mut Vec<Range<usize>>);

    /// The form in which a matched value is compared with a rule's `allow` list, so that
    /// formatting does not matter (`(800) 555-0100` and `1-800-555-0100` are equal).
    fn canonical(&self, matched: &str) -> String;

    /// The message a finding gets when the rule has none. `{match}` is substituted.
    fn message(&self) -> &'static str;

    /// Builds any lazily compiled tables now, so the first check is not the slow one.
    fn warm_up(&self) {}
}
