//! The one table of rule fields: which kinds take which field, which are required, their
//! JSON Schema and their documentation. Validation, `draftguard schema` and the README's
//! field reference all read it, so they cannot drift apart.

use serde_json::{Value, json};

use super::Kind;

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

const STRINGS: &str = r#"{"type":"array","items":{"type":"string","minLength":1}}"#;
const NONEMPTY_STRINGS: &str =
    r#"{"type":"array","items":{"type":"string","minLength":1},"minItems":1}"#;

use Kind::*;

pub const FIELDS: &[Field] = &[
    Field {
        name: "id",
        applies: Applies::All,
        required_for: &[],
        schema: r#"{"type":"string","pattern":"^[A-Za-z0-9_.-]+$"}"#,
        doc: "Unique name of the rule; findings, tests and overrides refer to it. A later layer that uses the same id refines or replaces the rule.",
    },
    Field {
        name: "kind",
        applies: Applies::All,
        required_for: &[],
        schema: r#"{"enum":["phrases","near","swap","pattern","detector","require","links","length"]}"#,
        doc: "What the rule matches. Required, except in a layer that only refines a base rule with the same id.",
    },
    Field {
        name: "enabled",
        applies: Applies::All,
        required_for: &[],
        schema: r#"{"type":"boolean"}"#,
        doc: "`false` switches the rule off (typically in an overlay: `{id: x, enabled: false}`). Default `true`.",
    },
    Field {
        name: "description",
        applies: Applies::All,
        required_for: &[],
        schema: r#"{"type":"string"}"#,
        doc: "Notes for policy authors; never shown to users.",
    },
    Field {
        name: "severity",
        applies: Applies::All,
        required_for: &[],
        schema: r#"{"enum":["block","warn","info"]}"#,
        doc: "`block` stops the post (subject to `settings.override`), `warn` underlines, `info` hints. Default `warn`.",
    },
    Field {
        name: "mode",
        applies: Applies::All,
        required_for: &[],
        schema: r#"{"enum":["enforce","monitor"]}"#,
        doc: "`monitor` reports findings for audit only: users see nothing and nothing is blocked. Use it to pilot a rule. Default `enforce`.",
    },
    Field {
        name: "message",
        applies: Applies::All,
        required_for: &[],
        schema: r#"{"type":"string"}"#,
        doc: "What the user reads. `{match}` is replaced by the flagged text, `{rule}` by the rule id, `{detail}` by a kind-specific detail (the domain, the count, the missing tags). Plain text, never HTML.",
    },
    Field {
        name: "link",
        applies: Applies::All,
        required_for: &[],
        schema: r#"{"type":"string"}"#,
        doc: "A URL explaining the rule; defaults to the policy's `link`.",
    },
    Field {
        name: "platforms",
        applies: Applies::All,
        required_for: &[],
        schema: r#"{"type":"array","items":{"enum":["linkedin","x","facebook","instagram","threads","reddit","bluesky","mastodon","youtube","tiktok","generic"]}}"#,
        doc: "Only check drafts for these platforms. Default: every platform.",
    },
    Field {
        name: "active",
        applies: Applies::All,
        required_for: &[],
        schema: r#"{"type":"object","properties":{"from":{"type":"string","format":"date"},"until":{"type":"string","format":"date"}},"additionalProperties":false}"#,
        doc: "A date window `{from: YYYY-MM-DD, until: YYYY-MM-DD}`, both days included, either end optional. Outside it the rule is off.",
    },
    Field {
        name: "unless",
        applies: Applies::All,
        required_for: &[],
        schema: STRINGS,
        doc: "Exception phrases: a finding is dropped when one of them overlaps or surrounds it (`not guaranteed`). Matched like `phrases`, `*` stems included.",
    },
    Field {
        name: "suggest",
        applies: Applies::Only(&[Phrases, Near, Pattern, Detector, Require, Links]),
        required_for: &[],
        schema: r#"{"oneOf":[{"type":"string"},{"type":"array","items":{"type":"string"}},{"type":"object","additionalProperties":{"oneOf":[{"type":"string"},{"type":"array","items":{"type":"string"}}]}}]}"#,
        doc: "Replacements offered as one-click fixes: a string or list for every match, or (for `phrases`) a map from phrase to replacement(s). `\"\"` offers deletion. For `require`, the replacement is appended to the draft.",
    },
    Field {
        name: "evasion",
        applies: Applies::All,
        required_for: &[],
        schema: r#"{"enum":["none","unicode","full"]}"#,
        doc: "How hard to look through disguises: `none` (case, spacing and digits of every script only), `unicode` (also accents, fullwidth forms, invisible characters, look-alike letters), `full` (also leetspeak, spaced-out letters, and masked or stretched words such as `f*ck` and `scaaaam`). Default `full` for phrase-based kinds, `unicode` for the rest; `full` applies only to phrases, near and require.",
    },
    Field {
        name: "phrases",
        applies: Applies::Only(&[Phrases]),
        required_for: &[Phrases],
        schema: NONEMPTY_STRINGS,
        doc: "Terms to flag, matched case-insensitively on word boundaries, in any language. End a word with `*` to match every word it begins (`garantiert* rendite*` matches `garantierte Renditen`); `lint` warns when a stem has fewer than 3 letters.",
    },
    Field {
        name: "a",
        applies: Applies::Only(&[Near]),
        required_for: &[Near],
        schema: NONEMPTY_STRINGS,
        doc: "First phrase list of a `near` rule (`*` stems allowed, as in `phrases`).",
    },
    Field {
        name: "b",
        applies: Applies::Only(&[Near]),
        required_for: &[Near],
        schema: NONEMPTY_STRINGS,
        doc: "Second phrase list of a `near` rule (`*` stems allowed, as in `phrases`).",
    },
    Field {
        name: "within",
        applies: Applies::Only(&[Near]),
        required_for: &[],
        schema: r#"{"type":"integer","minimum":0,"maximum":100}"#,
        doc: "Most words allowed between an `a` phrase and a `b` phrase, in either order. Default 5.",
    },
    Field {
        name: "swap",
        applies: Applies::Only(&[Swap]),
        required_for: &[Swap],
        schema: r#"{"type":"object","additionalProperties":{"type":"string"},"minProperties":1}"#,
        doc: "Map from a discouraged form to the preferred one, matched case-sensitively on word boundaries; the preferred form is the fix.",
    },
    Field {
        name: "pattern",
        applies: Applies::Only(&[Pattern]),
        required_for: &[Pattern],
        schema: r#"{"type":"string","minLength":1}"#,
        doc: "A regular expression (Rust `regex` syntax: linear time, no look-around or back-references). Use `(?i)` for case-insensitive.",
    },
    Field {
        name: "detector",
        applies: Applies::Only(&[Detector]),
        required_for: &[Detector],
        schema: r#"{"enum":["credit_card","iban","us_ssn","aba_routing","email","phone","account_number","secret","mention","hashtag","cashtag"]}"#,
        doc: "Which built-in, validated detector to run.",
    },
    Field {
        name: "allow",
        applies: Applies::Only(&[Detector]),
        required_for: &[],
        schema: STRINGS,
        doc: "Values the detector may find without a finding (the company's own phone number). Compared in the detector's canonical form, so formatting does not matter.",
    },
    Field {
        name: "when",
        applies: Applies::Only(&[Require]),
        required_for: &[Require],
        schema: NONEMPTY_STRINGS,
        doc: "Trigger phrases of a `require` rule (`*` stems allowed, as in `phrases`).",
    },
    Field {
        name: "require",
        applies: Applies::Only(&[Require]),
        required_for: &[Require],
        schema: NONEMPTY_STRINGS,
        doc: "At least one of these must appear somewhere in the draft when a trigger does; otherwise the first trigger is flagged.",
    },
    Field {
        name: "allow_domains",
        applies: Applies::Only(&[Links]),
        required_for: &[],
        schema: STRINGS,
        doc: "If given, links to any other domain are flagged. Subdomains are included. `@shorteners` names the built-in list of link shorteners.",
    },
    Field {
        name: "deny_domains",
        applies: Applies::Only(&[Links]),
        required_for: &[],
        schema: STRINGS,
        doc: "Links to these domains (and their subdomains) are flagged. `@shorteners` names the built-in list of link shorteners.",
    },
    Field {
        name: "max",
        applies: Applies::Only(&[Length]),
        required_for: &[Length],
        schema: r#"{"type":"integer","minimum":1}"#,
        doc: "Most characters allowed, counted as `count` says.",
    },
    Field {
        name: "count",
        applies: Applies::Only(&[Length]),
        required_for: &[],
        schema: r#"{"enum":["chars","graphemes","utf16","x","mastodon"]}"#,
        doc: "How to count: `chars` (code points), `graphemes` (what a reader sees as one character, as Bluesky counts), `utf16`, `x` (X's weighted count: URLs 23, CJK and emoji 2), `mastodon` (code points, URLs 23). Default: `x` on X, `graphemes` on Bluesky, `mastodon` on Mastodon, else `chars`.",
    },
];

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

fn parse(s: &str) -> Value {
    serde_json::from_str(s).expect("field schemas in the table are valid JSON")
}

/// A field's JSON Schema with its documentation as the description.
fn field_schema(f: &Field) -> Value {
    let mut s = parse(f.schema);
    s["description"] = Value::String(f.doc.to_string());
    s
}

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

    /// The schema's enums are written out in the table; they must name exactly what the
    /// code accepts.
    #[test]
    fn enums_match_the_code() {
        let names = |f: &str, pointer: &str| -> Vec<String> {
            let s = parse(field(f).unwrap().schema);
            s.pointer(pointer)
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect()
        };
        let detectors: Vec<String> = crate::detectors::DetectorKind::ALL
            .iter()
            .map(|d| d.name().to_string())
            .collect();
        assert_eq!(names("detector", "/enum"), detectors);
        let platforms: Vec<String> = super::super::Platform::ALL
            .iter()
            .map(|p| p.name().to_string())
            .collect();
        assert_eq!(names("platforms", "/items/enum"), platforms);
        let kinds: Vec<String> = Kind::ALL.iter().map(|k| k.name().to_string()).collect();
        assert_eq!(names("kind", "/enum"), kinds);
    }
}
