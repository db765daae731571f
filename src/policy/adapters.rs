//! Site adapter patches: a policy's optional `adapters:` list, in the shape of the
//! extension's built-in adapters (`extension/src/adapters.json`: id, platform, hosts,
//! composer and post-button selectors, submit keys). The extension lays them over its
//! built-in adapters by id, so an admin can teach every browser a site's new composer
//! through the signed bundle instead of waiting for a release.
//!
//! An adapter is whole: a later layer (or the extension) replaces an adapter with the
//! same id entirely, so what is in force is always exactly one adapter as written.
//! Validation here is what the extension checks again when it loads them, so a bundle the
//! engine accepts never carries an adapter the content script would drop; every error
//! names the file, line, column and adapter.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
#[cfg(feature = "cli")]
use serde_json::{Value, json};

use super::Origin;
use super::Platform;
use super::locator::{Layer, Locator};
use super::spec::AdapterSpec;
use crate::error::{Error, ErrorKind};

/// Most adapters one policy may carry.
pub const MAX_ADAPTERS: usize = 100;
/// Most entries in one of an adapter's lists.
pub const MAX_LIST: usize = 64;
/// Longest selector, host pattern, label or key combo, in bytes.
pub const MAX_STRING: usize = 512;

/// The fields an adapter takes, as written in policy files and adapters.json, with what
/// each means (the schema's descriptions and the README's table).
pub const FIELDS: &[(&str, &str)] = &[
    (
        "id",
        super::fields::cli_text(
            "Lower-case name (a-z, 0-9, `-`, `_`). The same id as a built-in adapter replaces it; a new id adds an adapter.",
        ),
    ),
    (
        "platform",
        super::fields::cli_text(
            "The platform drafts are checked for (rules' `platforms`, length counting).",
        ),
    ),
    (
        "hosts",
        super::fields::cli_text(
            "Host names it serves: `www.example.com`, or `*.example.com` for any subdomain. May be empty only with `matchSelector`.",
        ),
    ),
    (
        "matchSelector",
        super::fields::cli_text(
            "CSS selector that picks this adapter on any host where the page has a match (self-hosted sites such as Mastodon).",
        ),
    ),
    (
        "composer",
        super::fields::cli_text("CSS selectors of the text boxes to check."),
    ),
    (
        "postButton",
        super::fields::cli_text("CSS selectors of the controls that post. Default: none."),
    ),
    (
        "postButtonText",
        super::fields::cli_text(
            "Labels (text or `aria-label`, any case) of button-like elements that post.",
        ),
    ),
    (
        "submitKeys",
        super::fields::cli_text(
            "Key combinations that post from the composer: `Mod+Enter` (Ctrl or Cmd), `Ctrl+Shift+Enter`, `Enter`. Default: `[\"Mod+Enter\"]`.",
        ),
    ),
    (
        "enterSends",
        super::fields::cli_text(
            "CSS selectors of the composers (comment boxes, chat replies) where plain Enter posts; Shift+Enter still breaks the line. Default: none.",
        ),
    ),
];

/// A validated adapter, serialized exactly as adapters.json writes one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Adapter {
    pub id: String,
    pub platform: String,
    pub hosts: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub match_selector: Option<String>,
    pub composer: Vec<String>,
    pub post_button: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_button_text: Option<Vec<String>>,
    pub submit_keys: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enter_sends: Option<Vec<String>>,
    /// Where it was written.
    #[serde(skip)]
    pub origin: Origin,
}

/// Lays the layers' adapters over each other by id (a later one replaces an earlier one
/// whole; order of first definition) and validates what is left.
pub(crate) fn load(layers: &[Layer]) -> Result<Vec<Adapter>, Error> {
    let mut order: Vec<String> = Vec::new();
    let mut last: HashMap<String, (usize, usize)> = HashMap::new();
    for (li, layer) in layers.iter().enumerate() {
        let mut ids = HashSet::new();
        for (ai, a) in layer.spec.adapters.iter().enumerate() {
            let at = layer.doc.position(&format!("adapters[{ai}].id"));
            let fail = |kind, msg: String| {
                Err(Error::new(kind, msg)
                    .with_file(&layer.file)
                    .with_position(at))
            };
            if !is_valid_id(&a.id) {
                return fail(
                    ErrorKind::InvalidValue,
                    format!(
                        "adapter id `{}` must be lower-case letters, digits, `-` or `_` (at most 64, starting with a letter or digit)",
                        a.id
                    ),
                );
            }
            if !ids.insert(a.id.as_str()) {
                return fail(
                    ErrorKind::Duplicate,
                    format!("adapter `{}`: the same id twice in this file", a.id),
                );
            }
            if !last.contains_key(&a.id) {
                order.push(a.id.clone());
            }
            last.insert(a.id.clone(), (li, ai));
        }
    }
    if order.len() > MAX_ADAPTERS {
        let top = layers.last().expect("at least one layer");
        return Err(Error::new(
            ErrorKind::Limit,
            format!(
                "{} site adapters; a policy may carry at most {MAX_ADAPTERS}",
                order.len()
            ),
        )
        .with_file(&top.file)
        .with_position(top.doc.position("adapters")));
    }
    order
        .iter()
        .map(|id| {
            let (li, ai) = last[id];
            let loc = Locator {
                layers,
                section: "adapters",
                provenance: &[(li, ai)],
            };
            validate(&layers[li].spec.adapters[ai], &loc)
        })
        .collect()
}

pub fn is_valid_id(id: &str) -> bool {
    let b = id.as_bytes();
    !b.is_empty()
        && b.len() <= 64
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'-' | b'_'))
}

/// Checks one adapter; `loc` points errors at its fields.
fn validate(spec: &AdapterSpec, loc: &Locator<'_>) -> Result<Adapter, Error> {
    let err = |field: Option<&str>, kind: ErrorKind, msg: String| {
        let (file, pos) = loc.at(field);
        Error::new(kind, format!("adapter `{}`: {msg}", spec.id))
            .with_file(file)
            .with_position(pos)
    };
    let missing = |field: &str, what: &str| {
        err(
            None,
            ErrorKind::MissingField,
            format!("needs `{field}` ({what})"),
        )
    };
    let platform = spec
        .platform
        .clone()
        .ok_or_else(|| missing("platform", "the platform drafts are checked for"))?;
    if !Platform::ALL.iter().any(|p| p.name() == platform) {
        return Err(err(
            Some("platform"),
            ErrorKind::InvalidValue,
            format!(
                "unknown platform `{platform}`; known platforms: {}",
                Platform::ALL.map(|p| p.name()).join(", ")
            ),
        ));
    }
    let list = |field: &str, value: &Option<Vec<String>>, min: usize, what: &str| {
        let items = value.clone().unwrap_or_default();
        if items.len() < min {
            return Err(err(
                Some(field),
                ErrorKind::InvalidValue,
                format!("`{field}` must list at least one of {what}"),
            ));
        }
        if items.len() > MAX_LIST {
            return Err(err(
                Some(field),
                ErrorKind::Limit,
                format!(
                    "`{field}` lists {} entries; at most {MAX_LIST}",
                    items.len()
                ),
            ));
        }
        for (i, s) in items.iter().enumerate() {
            let at = format!("{field}[{i}]");
            if s.trim().is_empty() {
                return Err(err(
                    Some(&at),
                    ErrorKind::InvalidValue,
                    format!("`{field}` entry {i} is empty"),
                ));
            }
            if s.len() > MAX_STRING {
                return Err(err(
                    Some(&at),
                    ErrorKind::Limit,
                    format!("`{field}` entry {i} is longer than {MAX_STRING} bytes"),
                ));
            }
        }
        Ok(items)
    };
    let selectors = |field: &str, value: &Option<Vec<String>>, min: usize| {
        let items = list(field, value, min, "CSS selectors")?;
        for (i, s) in items.iter().enumerate() {
            check_selector(s).map_err(|m| {
                err(
                    Some(&format!("{field}[{i}]")),
                    ErrorKind::InvalidValue,
                    format!("`{field}` entry {i} (`{s}`) is not a CSS selector: {m}"),
                )
            })?;
        }
        Ok::<_, Error>(items)
    };

    if spec.hosts.is_none() && spec.match_selector.is_none() {
        return Err(missing(
            "hosts",
            "the host names it serves, or `matchSelector`",
        ));
    }
    let hosts = list("hosts", &spec.hosts, 0, "host names")?;
    for (i, h) in hosts.iter().enumerate() {
        if !is_host_pattern(h) {
            return Err(err(
                Some(&format!("hosts[{i}]")),
                ErrorKind::InvalidValue,
                format!(
                    "`hosts` entry {i} (`{h}`) must be a host name like `www.example.com` or `*.example.com` (no scheme, port or path)"
                ),
            ));
        }
    }
    if let Some(s) = &spec.match_selector {
        let problem = if s.trim().is_empty() {
            Some("must not be empty".to_string())
        } else if s.len() > MAX_STRING {
            Some(format!("is longer than {MAX_STRING} bytes"))
        } else {
            check_selector(s)
                .err()
                .map(|m| format!("(`{s}`) is not a CSS selector: {m}"))
        };
        if let Some(m) = problem {
            return Err(err(
                Some("matchSelector"),
                ErrorKind::InvalidValue,
                format!("`matchSelector` {m}"),
            ));
        }
    }
    let match_selector = spec.match_selector.clone();
    if hosts.is_empty() && match_selector.is_none() && spec.id != "generic" {
        return Err(err(
            Some("hosts"),
            ErrorKind::InvalidValue,
            "`hosts` must not be empty unless `matchSelector` is given".to_string(),
        ));
    }
    if spec.composer.is_none() {
        return Err(missing(
            "composer",
            "CSS selectors of the text boxes to check",
        ));
    }
    let composer = selectors("composer", &spec.composer, 1)?;
    let post_button = selectors("postButton", &spec.post_button, 0)?;
    let post_button_text = match &spec.post_button_text {
        None => None,
        Some(_) => Some(list(
            "postButtonText",
            &spec.post_button_text,
            1,
            "button labels",
        )?),
    };
    let submit_keys = match &spec.submit_keys {
        None => vec!["Mod+Enter".to_string()],
        Some(_) => list("submitKeys", &spec.submit_keys, 0, "key combinations")?,
    };
    for (i, k) in submit_keys.iter().enumerate() {
        check_key_combo(k).map_err(|m| {
            err(
                Some(&format!("submitKeys[{i}]")),
                ErrorKind::InvalidValue,
                format!("`submitKeys` entry {i} (`{k}`) {m}"),
            )
        })?;
    }
    let enter_sends = match &spec.enter_sends {
        None => None,
        Some(_) => Some(selectors("enterSends", &spec.enter_sends, 1)?),
    };
    let (file, position) = loc.at(None);
    Ok(Adapter {
        id: spec.id.clone(),
        platform,
        hosts,
        match_selector,
        composer,
        post_button,
        post_button_text,
        submit_keys,
        enter_sends,
        origin: Origin { file, position },
    })
}

/// `www.example.com` or `*.example.com`: labels of a-z, 0-9 and inner `-` (any case).
fn is_host_pattern(h: &str) -> bool {
    let h = h.to_ascii_lowercase();
    let name = h.strip_prefix("*.").unwrap_or(&h);
    !name.is_empty()
        && name.split('.').all(|label| {
            let b = label.as_bytes();
            !b.is_empty()
                && b.iter()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
                && b[0] != b'-'
                && b[b.len() - 1] != b'-'
        })
}

const MODIFIERS: &[&str] = &[
    "mod", "ctrl", "control", "meta", "cmd", "command", "alt", "option", "shift",
];

/// A key combination as the extension reads it: modifiers, then one key, joined by `+`.
fn check_key_combo(k: &str) -> Result<(), String> {
    let mut parts: Vec<&str> = k.split('+').map(str::trim).collect();
    let key = parts.pop().unwrap_or_default().to_ascii_lowercase();
    if key.is_empty() || MODIFIERS.contains(&key.as_str()) {
        return Err("has no key after its modifiers".to_string());
    }
    for p in parts {
        if !MODIFIERS.contains(&p.to_ascii_lowercase().as_str()) {
            return Err(format!(
                "has the unknown modifier `{p}` (known: Mod, Ctrl, Meta, Cmd, Alt, Option, Shift)"
            ));
        }
    }
    Ok(())
}

/// The mistakes a selector can be seen to have without a CSS parser: brackets and quotes
/// that do not close, and the braces of a whole CSS rule pasted in. A selector this
/// passes but a browser rejects matches nothing there (the extension says so in the
/// page's console); it never breaks the other selectors.
fn check_selector(s: &str) -> Result<(), String> {
    let mut stack: Vec<char> = Vec::new();
    let mut quote: Option<char> = None;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            chars.next();
            continue;
        }
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '[' | '(' => stack.push(c),
            ']' | ')' => {
                let open = if c == ']' { '[' } else { '(' };
                if stack.pop() != Some(open) {
                    return Err(format!("`{c}` closes nothing"));
                }
            }
            '{' | '}' | ';' => {
                return Err(format!("`{c}` belongs in a style sheet, not in a selector"));
            }
            _ => {}
        }
    }
    if let Some(q) = quote {
        return Err(format!("the quote {q} is not closed"));
    }
    if let Some(open) = stack.pop() {
        return Err(format!("`{open}` is not closed"));
    }
    Ok(())
}

/// The names of the fields adapters take, for "unknown field" messages.
pub fn field_names() -> Vec<&'static str> {
    FIELDS.iter().map(|(n, _)| *n).collect()
}

/// JSON Schema of one adapter entry.
#[cfg(feature = "cli")]
pub fn json_schema() -> Value {
    let doc = |name: &str| {
        FIELDS
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, d)| d)
    };
    let strings = |name: &str, min: usize| {
        json!({"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": MAX_STRING},
               "minItems": min, "maxItems": MAX_LIST, "description": doc(name)})
    };
    json!({
        "title": "site adapter",
        "type": "object",
        "required": ["id", "platform", "composer"],
        "anyOf": [{"required": ["hosts"]}, {"required": ["matchSelector"]}],
        "additionalProperties": false,
        "properties": {
            "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$", "description": doc("id")},
            "platform": {"enum": Platform::ALL.map(|p| p.name()), "description": doc("platform")},
            "hosts": {"type": "array", "maxItems": MAX_LIST, "description": doc("hosts"),
                      "items": {"type": "string", "pattern": "^(\\*\\.)?([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\\.)*[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$"}},
            "matchSelector": {"type": "string", "minLength": 1, "maxLength": MAX_STRING, "description": doc("matchSelector")},
            "composer": strings("composer", 1),
            "postButton": strings("postButton", 0),
            "postButtonText": strings("postButtonText", 1),
            "submitKeys": strings("submitKeys", 0),
            "enterSends": strings("enterSends", 1),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_with_unbalanced_brackets_or_rule_braces_are_refused() {
        assert_eq!(check_selector("form [aria-label='a;b]'] > div"), Ok(()));
        assert_eq!(check_selector(":is(.a, .b) textarea"), Ok(()));
        assert_eq!(
            check_selector("div[role='textbox'"),
            Err("`[` is not closed".into())
        );
        assert_eq!(
            check_selector("div[role='textbox]"),
            Err("the quote ' is not closed".into())
        );
        assert_eq!(check_selector("a)"), Err("`)` closes nothing".into()));
        assert!(check_selector("textarea { color: red }").is_err());
    }

    #[test]
    fn key_combos_are_read_as_the_extension_reads_them() {
        for ok in ["Mod+Enter", "Ctrl+Shift+Enter", "Enter", "cmd + enter"] {
            assert_eq!(check_key_combo(ok), Ok(()), "{ok}");
        }
        assert!(check_key_combo("Ctrl+").is_err());
        assert!(check_key_combo("Shift").is_err());
        assert!(check_key_combo("Hyper+Enter").is_err());
    }

    #[test]
    fn host_patterns() {
        for ok in [
            "x.com",
            "*.x.com",
            "127.0.0.1",
            "WWW.Example.com",
            "localhost",
        ] {
            assert!(is_host_pattern(ok), "{ok}");
        }
        for bad in [
            "https://x.com",
            "x.com:443",
            "*x.com",
            "-a.com",
            "a..com",
            "",
            "x.com/",
        ] {
            assert!(!is_host_pattern(bad), "{bad}");
        }
    }
}
