//! Reads a policy document written as JSON: what `draftguard bundle` seals (the YAML the
//! admin wrote, parsed once at signing), and all the engine wasm has to read.
//!
//! The engine wasm leaves the YAML reader ([`crate::yaml`], with the `authoring` feature) to
//! the authoring module, which the extension loads only for a policy written by hand (the
//! options playground, a bundle sealed `--as-written`). This reader keeps that reader's
//! rules, so a document means the same to both: one value at the top, no duplicate keys,
//! at most [`MAX_DEPTH`] levels and [`MAX_NODES`] values. It records no positions: an error
//! in a sealed document names the file and the path (`rules[3].severity`), and syntax
//! errors their line and column.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Position};
use crate::located::{Located, MAX_DEPTH, MAX_NODES};

/// Parses `text` as one JSON document.
pub fn parse(text: &str) -> Result<Located, Error> {
    let Some(first) = text.find(|c: char| !c.is_whitespace()) else {
        return Err(Error::new(ErrorKind::Parse, "the policy file is empty")
            .with_position(Some(Position { line: 1, column: 1 })));
    };
    if !text[first..].starts_with(['{', '[']) {
        let line = 1 + text[..first].matches('\n').count();
        let column = 1 + text[..first].rfind('\n').map_or(first, |nl| first - nl - 1);
        return Err(Error::new(
            ErrorKind::Parse,
            "this engine reads policies written as JSON (what `draftguard bundle` seals); \
             a policy written in YAML needs the authoring engine",
        )
        .with_position(Some(Position { line, column })));
    }
    let state = State {
        nodes: Cell::new(0),
        kind: Cell::new(ErrorKind::Parse),
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Node {
        depth: 0,
        state: &state,
    }
    .deserialize(&mut de)
    .and_then(|v| de.end().map(|()| v))
    .map_err(|e| error(e, state.kind.get()))?;
    Ok(Located::unpositioned(value))
}

/// serde_json's message without its " at line L column C" tail, which becomes the position.
fn error(e: serde_json::Error, kind: ErrorKind) -> Error {
    let message = e.to_string();
    let tail = format!(" at line {} column {}", e.line(), e.column());
    let message = message.strip_suffix(&tail).unwrap_or(&message);
    let error = Error::new(kind, format!("JSON: {message}"));
    if e.line() == 0 {
        error
    } else {
        error.with_position(Some(Position {
            line: e.line(),
            column: e.column().max(1),
        }))
    }
}

/// What one parse shares between its nodes: the values read so far, and the kind of the
/// error this reader raised (serde_json's own errors are syntax errors).
struct State {
    nodes: Cell<usize>,
    kind: Cell<ErrorKind>,
}

/// One value at `depth`.
struct Node<'s> {
    depth: usize,
    state: &'s State,
}

impl Node<'_> {
    fn child(&self) -> Node<'_> {
        Node {
            depth: self.depth + 1,
            state: self.state,
        }
    }

    /// Refuses the document with `kind` and `message`.
    fn refuse<E: de::Error>(&self, kind: ErrorKind, message: fmt::Arguments<'_>) -> E {
        self.state.kind.set(kind);
        E::custom(message)
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        if self.depth > MAX_DEPTH {
            let message = format_args!("nesting deeper than {MAX_DEPTH} levels");
            return Err(self.refuse(ErrorKind::Limit, message));
        }
        let nodes = &self.state.nodes;
        nodes.set(nodes.get() + 1);
        if nodes.get() > MAX_NODES {
            let message = format_args!("the document has more than {MAX_NODES} values");
            return Err(self.refuse(ErrorKind::Limit, message));
        }
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(self.child())? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                let message = format_args!("duplicate key `{key}`");
                return Err(self.refuse(ErrorKind::Duplicate, message));
            }
            let v = map.next_value_seed(self.child())?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_the_yaml_reader_reads() {
        let doc = parse(
            r#"{"policy": "x", "n": 7, "f": 1.5, "t": true, "z": null, "rules": [{"id": "a"}]}"#,
        )
        .unwrap();
        assert_eq!(doc.value["rules"][0]["id"], "a");
        assert_eq!(doc.value["n"], 7);
        assert_eq!(doc.value["f"], 1.5);
        assert_eq!(doc.value["t"], true);
        assert!(doc.value["z"].is_null());
        assert_eq!(doc.position("rules[0].id"), None);
    }

    #[test]
    fn yaml_is_refused_where_it_starts() {
        let err = parse("\n  policy: x\nrules: []\n").unwrap_err();
        assert_eq!(err.kind, ErrorKind::Parse);
        assert!(err.message.contains("needs the authoring engine"), "{err}");
        assert_eq!(err.position, Some(Position { line: 2, column: 3 }));
    }

    #[test]
    fn syntax_errors_have_positions() {
        let err = parse("{\n  \"policy\": \"x\",\n  \"rules\": [,]\n}").unwrap_err();
        assert_eq!(err.message, "JSON: expected value");
        assert_eq!(
            err.position,
            Some(Position {
                line: 3,
                column: 13
            })
        );
        let err = parse("{} {}").unwrap_err();
        assert_eq!(err.message, "JSON: trailing characters");
        assert_eq!(err.position, Some(Position { line: 1, column: 4 }));
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let err = parse("{\"a\": 1,\n \"a\": 2}").unwrap_err();
        assert_eq!(err.kind, ErrorKind::Duplicate);
        assert_eq!(err.message, "JSON: duplicate key `a`");
        assert_eq!(err.position.map(|p| p.line), Some(2));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("{}{}", "[".repeat(MAX_DEPTH + 2), "]".repeat(MAX_DEPTH + 2));
        let err = parse(&text).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Limit);
        assert_eq!(
            err.message,
            format!("JSON: nesting deeper than {MAX_DEPTH} levels")
        );
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn too_many_values_are_refused() {
        let text = format!("[{}0]", "0,".repeat(MAX_NODES));
        let err = parse(&text).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Limit);
        assert_eq!(
            err.message,
            format!("JSON: the document has more than {MAX_NODES} values")
        );
    }

    #[test]
    fn empty_text_is_an_error() {
        assert_eq!(
            parse(" \n").unwrap_err().message,
            "the policy file is empty"
        );
    }
}
