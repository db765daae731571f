//! From policy files to a [`Policy`]: parse each layer, follow `extends`, merge rules by
//! id, validate, and point every error at its file, line, column and rule.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde_json::Value;

use super::fields::RuleSpec;
use super::locator::{Layer, Locator};
use super::spec::PolicyFile;
use super::{Policy, Settings, Version, validate};
use crate::error::{Error, ErrorKind};
use crate::located::Located;

/// The reference policy every other policy may extend, as written; compiled into the CLI
/// and the authoring wasm (the `authoring` feature).
#[cfg(feature = "authoring")]
pub const DEFAULT_POLICY: &str = include_str!("../../policies/default.yaml");
const DEFAULT_NAME: &str = "<embedded default policy>";
/// The default policy as `build.rs` parsed it with the crate's YAML reader, as compact
/// JSON without its tests and descriptions: reading it needs no YAML parser and no
/// position bookkeeping, which is most of the wasm engine's start-up with the default
/// policy. The engine wasm (without the `authoring` feature) carries only this form.
const DEFAULT_PREPARSED: &str = include_str!(concat!(env!("OUT_DIR"), "/default_policy.json"));
/// The embedded default's text, as [`Source::embedded_default`] gives it.
#[cfg(feature = "authoring")]
const DEFAULT_TEXT: &str = DEFAULT_POLICY;
#[cfg(not(feature = "authoring"))]
const DEFAULT_TEXT: &str = DEFAULT_PREPARSED;
/// Whether [`load`] reads the embedded default from [`DEFAULT_PREPARSED`]. The wasm
/// engines do (start-up is what they wait for), and so does any build without YAML; the
/// CLI keeps the positions, which `lint` reports for the default's rules.
const PREPARSED: bool = cfg!(any(target_arch = "wasm32", not(feature = "authoring")));

/// Reads one policy document: YAML or JSON with the `authoring` feature (positions of every
/// value), else JSON only ([`crate::json`]: what `draftguard bundle` seals).
pub fn read_document(text: &str) -> Result<Located, Error> {
    #[cfg(feature = "authoring")]
    return crate::yaml::parse(text);
    #[cfg(not(feature = "authoring"))]
    return crate::json::parse(text);
}

/// The text of one policy file and the name errors should call it by.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: String,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Source {
        Source {
            name: name.into(),
            text: text.into(),
        }
    }

    /// Reads a policy file from disk.
    pub fn read(path: &Path) -> Result<Source, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::new(ErrorKind::Io, format!("cannot read policy file: {e}"))
                .with_file(path.display().to_string())
        })?;
        Ok(Source::new(path.display().to_string(), text))
    }

    /// The embedded default policy: as written with the `authoring` feature, else its
    /// pre-parsed JSON.
    pub fn embedded_default() -> Source {
        Source::new(DEFAULT_NAME, DEFAULT_TEXT)
    }
}

impl Policy {
    /// Loads one policy file's text; `extends: [default]` resolves to the embedded default.
    pub fn from_yaml(name: &str, text: &str) -> Result<Policy, Error> {
        load(&[Source::new(name, text)], &EmbeddedResolver)
    }

    /// Loads policy files from disk, layered in order; `extends` looks next to each file.
    pub fn from_files(paths: &[std::path::PathBuf]) -> Result<Policy, Error> {
        let sources = paths
            .iter()
            .map(|p| Source::read(p))
            .collect::<Result<Vec<_>, _>>()?;
        load(&sources, &FsResolver)
    }

    /// The embedded default policy.
    pub fn embedded_default() -> Result<Policy, Error> {
        embedded_default()
    }
}

/// Finds the policy an `extends` entry names.
pub trait Resolver {
    fn resolve(&self, id: &str, from: &Source) -> Result<Source, Error>;
}

/// Looks for `ID.yaml`, `ID.yml` or `ID.json` next to the extending file; `default` falls
/// back to the embedded default policy. Other hosts (the wasm engine) resolve only the
/// embedded default, which [`FsResolver`] also does when no file is found.
#[derive(Debug, Clone, Copy, Default)]
pub struct FsResolver;

impl Resolver for FsResolver {
    fn resolve(&self, id: &str, from: &Source) -> Result<Source, Error> {
        let valid_id = !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            && !id.starts_with('.');
        if valid_id && from.name != DEFAULT_NAME {
            let dir = Path::new(&from.name)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            for ext in ["yaml", "yml", "json"] {
                let p = dir.join(format!("{id}.{ext}"));
                if p.is_file() {
                    return Source::read(&p);
                }
            }
        }
        EmbeddedResolver.resolve(id, from)
    }
}

/// Resolves only `default`, to the embedded default policy.
#[derive(Debug, Clone, Copy, Default)]
pub struct EmbeddedResolver;

impl Resolver for EmbeddedResolver {
    fn resolve(&self, id: &str, _from: &Source) -> Result<Source, Error> {
        if id == "default" {
            Ok(Source::embedded_default())
        } else {
            Err(Error::new(
                ErrorKind::NotFound,
                format!(
                    "cannot find the policy `{id}` to extend (looked for {id}.yaml, {id}.yml and {id}.json next to this file)"
                ),
            ))
        }
    }
}

/// The embedded default policy, loaded and validated.
pub fn embedded_default() -> Result<Policy, Error> {
    load(&[Source::embedded_default()], &EmbeddedResolver)
}

fn parse_layer(src: &Source, preparsed: bool) -> Result<Layer, Error> {
    let trusted = preparsed && src.name == DEFAULT_NAME && src.text == DEFAULT_TEXT;
    let doc = if trusted {
        let value = serde_json::from_str(DEFAULT_PREPARSED)
            .map_err(|e| Error::new(ErrorKind::Parse, e.to_string()).with_file(&src.name))?;
        Located::unpositioned(value)
    } else {
        read_document(&src.text).map_err(|e| e.with_file(&src.name))?
    };
    if !doc.value.is_object() {
        return Err(Error::new(
            ErrorKind::InvalidValue,
            "a policy file must be a mapping with at least `policy:` and `rules:`",
        )
        .with_file(&src.name)
        .with_position(doc.position("")));
    }
    let spec: PolicyFile = match deserialize(&doc.value) {
        Ok(s) => s,
        Err((path, mut message)) => {
            let mut position = None;
            let mut unknown_field = false;
            // serde reports these three by message only; everything else is a value of
            // the wrong type or an unknown variant.
            let kind = if message.starts_with("unknown field `") {
                ErrorKind::UnknownField
            } else if message.starts_with("missing field `") {
                ErrorKind::MissingField
            } else {
                ErrorKind::InvalidValue
            };
            if let Some(rest) = message.strip_prefix("unknown field `") {
                unknown_field = true;
                if let Some(name) = rest.split('`').next().map(str::to_string) {
                    position = doc.key_position(&path).filter(|_| path.ends_with(&name));
                    message = unknown_field_message(&doc, &path, &name, &message);
                }
            }
            let position = position.or_else(|| doc.nearest(&path));
            let mut err = Error::new(
                kind,
                if path.is_empty() || unknown_field {
                    message
                } else {
                    format!("`{path}`: {message}")
                },
            )
            .with_file(&src.name)
            .with_position(position);
            if let Some(id) = rule_id_of_path(&doc, &path) {
                err = err.with_rule(id);
            } else if let Some(id) = entry_id_of_path(&doc, &path) {
                err = err.prefixed(&format!("library entry `{id}`: "));
            }
            return Err(err);
        }
    };
    Ok(Layer {
        file: src.name.clone(),
        doc,
        spec,
        trusted,
    })
}

/// The typed policy file from its value; an error comes with the path of the bad field
/// (`rules[3].severity`, empty for the document itself), as `serde_path_to_error` finds it.
#[cfg(feature = "authoring")]
fn deserialize(value: &Value) -> Result<PolicyFile, (String, String)> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        (path, e.inner().to_string())
    })
}

/// Without the authoring feature (the engine wasm, which reads sealed documents that were
/// valid when signed), errors name no path: tracking it is a tenth of that module. The
/// extension asks its authoring module for the full message when a bundle is refused.
#[cfg(not(feature = "authoring"))]
fn deserialize(value: &Value) -> Result<PolicyFile, (String, String)> {
    use serde::Deserialize;
    PolicyFile::deserialize(value).map_err(|e| (String::new(), e.to_string()))
}

/// "unknown field `sevrity`": for a rule with a known kind, list that kind's fields and
/// suggest the closest one.
fn unknown_field_message(doc: &Located, path: &str, name: &str, serde_message: &str) -> String {
    if path.starts_with("library[") && !path.contains("].active") {
        let candidates = super::fields::entry_field_names();
        let list = candidates.join(", ");
        return match closest(name, &candidates) {
            Some(best) => format!(
                "unknown field `{name}` (did you mean `{best}`?); library entries take: {list}"
            ),
            None => format!("unknown field `{name}`; library entries take: {list}"),
        };
    }
    if let Some(index) = path
        .strip_prefix("adapters[")
        .and_then(|r| r.split(']').next())
        .and_then(|i| i.parse::<usize>().ok())
    {
        let candidates = super::adapters::field_names();
        let id = doc
            .value
            .get("adapters")
            .and_then(|a| a.get(index)?.get("id")?.as_str())
            .map_or(String::new(), |id| format!("adapter `{id}`: "));
        let hint =
            closest(name, &candidates).map_or(String::new(), |b| format!(" (did you mean `{b}`?)"));
        return format!(
            "{id}unknown field `{name}`{hint}; adapters take: {}",
            candidates.join(", ")
        );
    }
    let rule = path
        .strip_prefix("rules[")
        .and_then(|r| r.split(']').next())
        .and_then(|i| i.parse::<usize>().ok());
    let kind = rule
        .and_then(|i| {
            doc.value
                .get("rules")?
                .get(i)?
                .get("kind")?
                .as_str()
                .map(str::to_string)
        })
        .and_then(|k| super::Kind::ALL.into_iter().find(|x| x.name() == k));
    let candidates: Vec<&str> = match (rule, kind) {
        (Some(_), Some(k)) if !path.contains("].active") => super::fields::names_for(k),
        (Some(_), None) if !path.contains("].active") => {
            super::fields::FIELDS.iter().map(|f| f.name).collect()
        }
        _ => return serde_message.to_string(),
    };
    let mut msg = match kind {
        Some(k) => format!(
            "unknown field `{name}`; `{}` rules take: {}",
            k.name(),
            candidates.join(", ")
        ),
        None => format!(
            "unknown field `{name}`; rules take: {}",
            candidates.join(", ")
        ),
    };
    if let Some(best) = closest(name, &candidates) {
        msg = format!(
            "unknown field `{name}` (did you mean `{best}`?); {}",
            msg.split_once("; ").map_or("", |x| x.1)
        );
    }
    msg
}

/// The candidate within edit distance 2 of `name`, if any.
fn closest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    fn dist(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut cur = vec![i + 1];
            for (j, cb) in b.iter().enumerate() {
                cur.push(
                    (prev[j] + usize::from(ca != *cb))
                        .min(prev[j + 1] + 1)
                        .min(cur[j] + 1),
                );
            }
            prev = cur;
        }
        prev[b.len()]
    }
    candidates
        .iter()
        .map(|c| (dist(name, c), *c))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, c)| c)
}

/// `rules[3].severity` → the id of rule 3, if it has one.
fn rule_id_of_path(doc: &Located, path: &str) -> Option<String> {
    let rest = path.strip_prefix("rules[")?;
    let index: usize = rest.split(']').next()?.parse().ok()?;
    doc.value
        .get("rules")?
        .get(index)?
        .get("id")?
        .as_str()
        .map(str::to_string)
}

/// `library[2].title` → the id of library entry 2, if it has one.
fn entry_id_of_path(doc: &Located, path: &str) -> Option<String> {
    let rest = path.strip_prefix("library[")?;
    let index: usize = rest.split(']').next()?.parse().ok()?;
    doc.value
        .get("library")?
        .get(index)?
        .get("id")?
        .as_str()
        .map(str::to_string)
}

fn collect(
    src: Source,
    preparsed: bool,
    resolver: &dyn Resolver,
    stack: &mut Vec<String>,
    seen: &mut HashSet<String>,
    out: &mut Vec<Layer>,
) -> Result<(), Error> {
    let layer = parse_layer(&src, preparsed)?;
    let id = layer.spec.policy.clone();
    if seen.contains(&id) {
        return Ok(());
    }
    if stack.contains(&id) {
        return Err(Error::new(
            ErrorKind::Cycle,
            format!("`extends` makes a cycle: {} -> {id}", stack.join(" -> ")),
        )
        .with_file(&src.name)
        .with_position(layer.doc.position("extends")));
    }
    stack.push(id.clone());
    for (i, base) in layer.spec.extends.iter().enumerate() {
        let at = layer.doc.position(&format!("extends[{i}]"));
        let base_src = resolver
            .resolve(base, &src)
            .map_err(|e| e.with_file(&src.name).with_position(at))?;
        let base_name = base_src.name.clone();
        collect(base_src, preparsed, resolver, stack, seen, out)?;
        if !out.iter().any(|l| l.spec.policy == *base) {
            return Err(Error::new(
                ErrorKind::NotFound,
                format!(
                    "`extends: {base}` found {base_name}, but its `policy:` id is not `{base}`"
                ),
            )
            .with_file(&src.name)
            .with_position(at));
        }
    }
    stack.pop();
    seen.insert(id);
    out.push(layer);
    Ok(())
}

/// A rule being merged across layers, and which layer entries contributed to it.
pub(super) struct Merged {
    pub spec: RuleSpec,
    pub provenance: Vec<(usize, usize)>,
}

/// Loads a policy from one or more sources. Each source's `extends` are resolved with
/// `resolver`; later sources are layered over earlier ones.
pub fn load(sources: &[Source], resolver: &dyn Resolver) -> Result<Policy, Error> {
    if !PREPARSED {
        return load_with(sources, resolver, false);
    }
    // An error inside the embedded default (an overlay that breaks one of its rules) is
    // reported with its line and column: the positioned load runs again to find them.
    load_with(sources, resolver, true).or_else(|_| load_with(sources, resolver, false))
}

/// [`load`], reading the embedded default from [`DEFAULT_PREPARSED`] when `preparsed`.
pub(crate) fn load_with(
    sources: &[Source],
    resolver: &dyn Resolver,
    preparsed: bool,
) -> Result<Policy, Error> {
    if sources.is_empty() {
        return Err(Error::new(ErrorKind::NotFound, "no policy given"));
    }
    let mut layers = Vec::new();
    let mut seen = HashSet::new();
    for s in sources {
        collect(
            s.clone(),
            preparsed,
            resolver,
            &mut Vec::new(),
            &mut seen,
            &mut layers,
        )?;
    }

    // Merge rules by id, in order of first definition.
    let mut order: Vec<String> = Vec::new();
    let mut merged: HashMap<String, Merged> = HashMap::new();
    for (li, layer) in layers.iter().enumerate() {
        let mut ids = HashSet::new();
        for (ri, r) in layer.spec.rules.iter().enumerate() {
            let at = layer.doc.position(&format!("rules[{ri}].id"));
            let fail = |kind: ErrorKind, msg: String| {
                Err(Error::new(kind, msg)
                    .with_file(&layer.file)
                    .with_position(at)
                    .with_rule(&r.id))
            };
            if !validate::is_valid_id(&r.id) {
                return fail(
                    ErrorKind::InvalidValue,
                    format!(
                        "rule id `{}` must be letters, digits, `_`, `-` or `.`",
                        r.id
                    ),
                );
            }
            if !ids.insert(r.id.clone()) {
                return fail(
                    ErrorKind::Duplicate,
                    "duplicate rule id in this file".to_string(),
                );
            }
            if r.kind.is_some() {
                if !merged.contains_key(&r.id) {
                    order.push(r.id.clone());
                }
                merged.insert(
                    r.id.clone(),
                    Merged {
                        spec: r.clone(),
                        provenance: vec![(li, ri)],
                    },
                );
            } else if let Some(m) = merged.get_mut(&r.id) {
                m.spec.merge(r);
                m.provenance.push((li, ri));
            } else {
                return fail(
                    ErrorKind::MissingField,
                    "this rule has no `kind`, and no base policy defines a rule with this id to refine"
                        .to_string(),
                );
            }
        }
    }

    let mut rules = Vec::new();
    let mut disabled = Vec::new();
    for id in &order {
        let m = &merged[id];
        let loc = Locator {
            layers: &layers,
            section: "rules",
            provenance: &m.provenance,
        };
        // A rule that no other layer refines is as the embedded default has it (valid).
        let trusted = m.provenance.iter().all(|&(li, _)| layers[li].trusted);
        // Each kind's module checks the fields of its kind.
        match validate::rule(&m.spec, &loc, trusted, |f| {
            crate::rules::kind(f.kind).validate(f)
        })? {
            Some(rule) => rules.push(rule),
            None => disabled.push(id.clone()),
        }
    }

    let mut settings = Settings::default();
    let (mut title, mut link, mut version) = (None, None, None);
    for layer in &layers {
        if let Some(o) = layer.spec.settings.override_ {
            settings.override_ = o;
        }
        if let Some(f) = layer.spec.settings.fail {
            settings.fail = f;
        }
        title = layer.spec.title.clone().or(title);
        link = layer.spec.link.clone().or(link);
    }
    let top = layers.last().expect("at least one layer");
    validate::policy_id(&top.spec.policy).map_err(|e| {
        e.with_file(&top.file)
            .with_position(top.doc.position("policy"))
    })?;
    if let Some(v) = &top.spec.version {
        version = Some(parse_version(v).map_err(|e| {
            e.with_file(&top.file)
                .with_position(top.doc.position("version"))
        })?);
    }
    for layer in &layers {
        if let Some(v) = &layer.spec.version {
            parse_version(v).map_err(|e| {
                e.with_file(&layer.file)
                    .with_position(layer.doc.position("version"))
            })?;
        }
    }
    let known: HashSet<&str> = rules.iter().map(|r| r.id.as_str()).collect();
    let off: HashSet<&str> = disabled.iter().map(String::as_str).collect();
    let tests = validate::tests(top, &known, &off)?;
    let library = super::library::load(&layers)?;
    let adapters = super::adapters::load(&layers)?;
    Ok(Policy {
        id: top.spec.policy.clone(),
        version,
        title,
        link,
        settings,
        rules,
        disabled,
        library,
        tests,
        layers: layers.iter().map(|l| l.spec.policy.clone()).collect(),
        adapters,
    })
}

fn parse_version(v: &Value) -> Result<Version, Error> {
    match v {
        Value::String(s) => Version::parse(s),
        Value::Number(n) if n.is_u64() => Ok(Version(vec![n.as_u64().unwrap_or(0)])),
        Value::Number(n) => Err(Error::new(
            ErrorKind::InvalidValue,
            format!(
                "version `{n}` reads as a decimal number; quote it (\"{n}\") or use a dotted version such as \"2026.11.2\""
            ),
        )),
        other => Err(Error::new(
            ErrorKind::InvalidValue,
            format!("version must be a string such as \"2026.11.2\", not {other}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn without_positions(mut p: Policy) -> Policy {
        p.rules.iter_mut().for_each(|r| r.origin.position = None);
        p.tests.iter_mut().for_each(|t| t.origin.position = None);
        p.library.iter_mut().for_each(|e| e.origin.position = None);
        p.adapters.iter_mut().for_each(|a| a.origin.position = None);
        p
    }

    /// The pre-parsed default the wasm engine starts from is the YAML default, rule for
    /// rule, alone and under an overlay; only the positions are missing, and alone its own
    /// tests (which build.rs leaves out: the wasm engine never runs them).
    #[test]
    fn preparsed_default_is_the_yaml_default() {
        let alone = [Source::embedded_default()];
        let mut yaml = load_with(&alone, &EmbeddedResolver, false).unwrap();
        let pre = load_with(&alone, &EmbeddedResolver, true).unwrap();
        assert!(!yaml.rules.is_empty());
        assert!(yaml.rules.iter().all(|r| r.origin.position.is_some()));
        assert!(pre.rules.iter().all(|r| r.origin.position.is_none()));
        assert!(!yaml.tests.is_empty() && pre.tests.is_empty());
        yaml.tests.clear();
        assert_eq!(without_positions(pre), without_positions(yaml.clone()));

        let overlay = [Source::new(
            "acme.yaml",
            "policy: acme\nextends: [default]\nrules:\n  - {id: codename, kind: phrases, phrases: [falcon]}\n",
        )];
        let yaml = load_with(&overlay, &EmbeddedResolver, false).unwrap();
        let pre = load_with(&overlay, &EmbeddedResolver, true).unwrap();
        assert_eq!(without_positions(pre), without_positions(yaml));
    }

    /// The wasm engine trusts the pre-parsed default's rules (it does not compile their
    /// patterns at start-up): the same rules must pass the full validation from the YAML.
    #[test]
    fn the_embedded_defaults_patterns_compile() {
        let policy = load_with(&[Source::embedded_default()], &EmbeddedResolver, false).unwrap();
        let patterns: Vec<&str> = policy
            .rules
            .iter()
            .filter_map(|r| match &r.body {
                super::super::Body::Pattern { pattern } => Some(pattern.as_str()),
                _ => None,
            })
            .collect();
        assert!(!patterns.is_empty());
        for p in patterns {
            let re = crate::rules::pattern::compile_pattern(p).unwrap();
            assert!(!re.is_match(""), "{p}");
        }
    }

    /// Only the default's own rules are trusted: an overlay that changes one of them is
    /// validated, so a bad pattern is refused as from the YAML path.
    #[test]
    fn an_overlay_that_refines_a_default_pattern_is_validated() {
        let overlay = [Source::new(
            "acme.yaml",
            "policy: acme\nextends: [default]\nrules:\n  - {id: codenames, pattern: '(x'}\n",
        )];
        for preparsed in [true, false] {
            let e = load_with(&overlay, &EmbeddedResolver, preparsed).unwrap_err();
            assert_eq!(e.kind, ErrorKind::InvalidPattern, "{e}");
            assert_eq!(e.rule.as_deref(), Some("codenames"));
        }
        let e = load(&overlay, &EmbeddedResolver).unwrap_err();
        assert!(e.to_string().starts_with("acme.yaml:4:"), "{e}");

        let overlay = [Source::new(
            "acme.yaml",
            "policy: acme\nextends: [default]\nrules:\n  - {id: slurs, phrases: ['--']}\n",
        )];
        for preparsed in [true, false] {
            let e = load_with(&overlay, &EmbeddedResolver, preparsed).unwrap_err();
            assert!(e.message.contains("empty once normalized"), "{e}");
        }
    }
}
