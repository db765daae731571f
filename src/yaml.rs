//! Reads a policy file (YAML 1.2, so JSON too) into a [`Located`] document: the value,
//! and where every key and value came from. Anchors and aliases are expanded with a node
//! budget so a "billion laughs" document is an error, not an out-of-memory.
//!
//! Compiled with the `authoring` feature only (the CLI, the console, the authoring wasm): the
//! engine wasm reads sealed bundles, which carry JSON ([`crate::json`]).

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use serde_json::{Map, Number, Value};

use crate::error::{Error, ErrorKind, Position};
use crate::located::{Located, MAX_DEPTH, MAX_NODES, child_index, child_key};

fn pos(span: &Span) -> Position {
    Position {
        line: span.start.line(),
        column: span.start.col() + 1,
    }
}

/// Parses YAML or JSON text.
pub fn parse(text: &str) -> Result<Located, Error> {
    let mut events: Vec<(Event<'_>, Span)> = Vec::new();
    for ev in Parser::new_from_str(text) {
        match ev {
            Ok(e) => events.push(e),
            Err(e) => {
                return Err(Error::new(
                    ErrorKind::Parse,
                    format!("YAML syntax error: {}", e.info()),
                )
                .with_position(Some(Position {
                    line: e.marker().line(),
                    column: e.marker().col() + 1,
                })));
            }
        }
    }
    let mut b = Builder {
        events,
        at: 0,
        anchors: HashMap::new(),
        nodes: 0,
        located: Located {
            value: Value::Null,
            values: HashMap::new(),
            keys: HashMap::new(),
        },
    };
    // Skip to the first document's root node.
    while b.at < b.events.len() {
        match b.events[b.at].0 {
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => b.at += 1,
            _ => break,
        }
    }
    if matches!(
        b.events.get(b.at).map(|e| &e.0),
        None | Some(Event::StreamEnd)
    ) {
        return Err(Error::new(ErrorKind::Parse, "the policy file is empty")
            .with_position(Some(Position { line: 1, column: 1 })));
    }
    let value = b.node("", 0)?;
    // A second document in the same file is almost certainly a mistake.
    while b.at < b.events.len() {
        match &b.events[b.at] {
            (Event::DocumentStart(_), span) => {
                return Err(Error::new(
                    ErrorKind::Parse,
                    "a policy file holds one YAML document; found a second one (`---`)",
                )
                .with_position(Some(pos(span))));
            }
            _ => b.at += 1,
        }
    }
    b.located.value = value;
    Ok(b.located)
}

struct Builder<'a> {
    events: Vec<(Event<'a>, Span)>,
    at: usize,
    anchors: HashMap<usize, Value>,
    nodes: usize,
    located: Located,
}

impl Builder<'_> {
    fn count(&mut self, n: usize, span: &Span) -> Result<(), Error> {
        self.nodes += n;
        if self.nodes > MAX_NODES {
            return Err(Error::new(
                ErrorKind::Limit,
                format!("the document expands to more than {MAX_NODES} values (aliases included)"),
            )
            .with_position(Some(pos(span))));
        }
        Ok(())
    }

    fn node(&mut self, path: &str, depth: usize) -> Result<Value, Error> {
        let Some((event, span)) = self.events.get(self.at).cloned() else {
            return Err(Error::new(ErrorKind::Parse, "unexpected end of document"));
        };
        self.at += 1;
        if depth > MAX_DEPTH {
            return Err(Error::new(
                ErrorKind::Limit,
                format!("nesting deeper than {MAX_DEPTH} levels"),
            )
            .with_position(Some(pos(&span))));
        }
        self.located.values.insert(path.to_string(), pos(&span));
        self.count(1, &span)?;
        let (value, anchor) = match event {
            Event::Scalar(text, style, anchor, tag) => {
                let v = if tag.is_some() || style != ScalarStyle::Plain {
                    Value::String(text.into_owned())
                } else {
                    plain_scalar(&text)
                };
                (v, anchor)
            }
            Event::SequenceStart(anchor, _) => {
                let mut items = Vec::new();
                loop {
                    match self.events.get(self.at).map(|e| &e.0) {
                        Some(Event::SequenceEnd) => {
                            self.at += 1;
                            break;
                        }
                        None => return Err(Error::new(ErrorKind::Parse, "unterminated list")),
                        _ => {
                            let child = child_index(path, items.len());
                            items.push(self.node(&child, depth + 1)?);
                        }
                    }
                }
                (Value::Array(items), anchor)
            }
            Event::MappingStart(anchor, _) => {
                let mut map = Map::new();
                loop {
                    let key_span = match self.events.get(self.at) {
                        Some((Event::MappingEnd, _)) => {
                            self.at += 1;
                            break;
                        }
                        Some((_, s)) => *s,
                        None => return Err(Error::new(ErrorKind::Parse, "unterminated mapping")),
                    };
                    let key = match self.node(&format!("{path}\u{0}key"), depth + 1)? {
                        Value::String(s) => s,
                        Value::Number(n) => n.to_string(),
                        Value::Bool(b) => b.to_string(),
                        Value::Null => "null".into(),
                        _ => {
                            return Err(Error::new(
                                ErrorKind::Parse,
                                "mapping keys must be plain words",
                            )
                            .with_position(Some(pos(&key_span))));
                        }
                    };
                    let child = child_key(path, &key);
                    if map.contains_key(&key) {
                        return Err(Error::new(
                            ErrorKind::Duplicate,
                            format!("duplicate key `{key}`"),
                        )
                        .with_position(Some(pos(&key_span))));
                    }
                    self.located.keys.insert(child.clone(), pos(&key_span));
                    let v = self.node(&child, depth + 1)?;
                    map.insert(key, v);
                }
                (Value::Object(map), anchor)
            }
            Event::Alias(id) => {
                let v = self.anchors.get(&id).cloned().ok_or_else(|| {
                    Error::new(ErrorKind::Parse, "alias refers to an unknown anchor")
                        .with_position(Some(pos(&span)))
                })?;
                let n = count_nodes(&v);
                self.count(n, &span)?;
                (v, 0)
            }
            other => {
                return Err(Error::new(
                    ErrorKind::Parse,
                    format!("unexpected YAML event {}", event_name(&other)),
                )
                .with_position(Some(pos(&span))));
            }
        };
        if anchor != 0 {
            self.anchors.insert(anchor, value.clone());
        }
        Ok(value)
    }
}

/// The name of an event that cannot start a value, as its `Debug` form spells it, written
/// out so the wasm does not carry the derived `Debug` of every event (and its tags).
fn event_name(event: &Event<'_>) -> &'static str {
    match event {
        Event::Nothing => "Nothing",
        Event::StreamStart => "StreamStart",
        Event::StreamEnd => "StreamEnd",
        Event::DocumentStart(true) => "DocumentStart(true)",
        Event::DocumentStart(false) => "DocumentStart(false)",
        Event::DocumentEnd => "DocumentEnd",
        Event::SequenceEnd => "SequenceEnd",
        Event::MappingEnd => "MappingEnd",
        Event::Alias(_) => "Alias",
        Event::Scalar(..) => "Scalar",
        Event::SequenceStart(..) => "SequenceStart",
        Event::MappingStart(..) => "MappingStart",
    }
}

fn count_nodes(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(count_nodes).sum::<usize>(),
        Value::Object(o) => 1 + o.values().map(count_nodes).sum::<usize>(),
        _ => 1,
    }
}

/// YAML 1.2 core schema for plain scalars: null, booleans, integers and floats; anything
/// else (dates included) stays a string.
fn plain_scalar(s: &str) -> Value {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    if !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && let Ok(i) = s.parse::<i64>()
    {
        return Value::Number(i.into());
    }
    let looks_float = digits
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|&b| b == b'.').count() <= 1
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
    if looks_float && let Some(n) = s.parse::<f64>().ok().and_then(Number::from_f64) {
        return Value::Number(n);
    }
    Value::String(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_of_values_and_keys() {
        let doc = parse("policy: acme\nrules:\n  - id: a\n    kind: phrases\n").unwrap();
        assert_eq!(doc.value["rules"][0]["kind"], "phrases");
        assert_eq!(
            doc.position("rules[0].kind"),
            Some(Position {
                line: 4,
                column: 11
            })
        );
        assert_eq!(
            doc.key_position("rules[0].kind"),
            Some(Position { line: 4, column: 5 })
        );
        assert_eq!(
            doc.nearest("rules[0].kind.x[3]"),
            doc.position("rules[0].kind")
        );
    }

    #[test]
    fn scalars_follow_the_core_schema() {
        let doc =
            parse("a: 2026-12-15\nb: 7\nc: 2026.11.2\nd: '7'\ne: true\nf: 1.5\ng: ~\n").unwrap();
        assert_eq!(doc.value["a"], "2026-12-15");
        assert_eq!(doc.value["b"], 7);
        assert_eq!(doc.value["c"], "2026.11.2");
        assert_eq!(doc.value["d"], "7");
        assert_eq!(doc.value["e"], true);
        assert_eq!(doc.value["f"], 1.5);
        assert!(doc.value["g"].is_null());
    }

    #[test]
    fn json_is_accepted() {
        let doc = parse("{\"policy\": \"x\", \"rules\": [{\"id\": \"a\"}]}").unwrap();
        assert_eq!(doc.value["rules"][0]["id"], "a");
    }

    #[test]
    fn syntax_errors_have_positions() {
        let err = parse("rules:\n  - id: a\n   kind: [\n").unwrap_err();
        assert!(err.message.starts_with("YAML syntax error"), "{err}");
        assert!(err.position.is_some());
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let err = parse("a: 1\na: 2\n").unwrap_err();
        assert_eq!(err.message, "duplicate key `a`");
        assert_eq!(err.position, Some(Position { line: 2, column: 1 }));
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut s = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for c in 'b'..='j' {
            s.push_str(&format!(
                "{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
            prev = c;
        }
        let err = parse(&s).unwrap_err();
        assert!(err.message.contains("more than"), "{err}");
    }

    #[test]
    fn empty_file_is_an_error() {
        assert_eq!(parse("").unwrap_err().message, "the policy file is empty");
        assert_eq!(
            parse("# only a comment\n").unwrap_err().message,
            "the policy file is empty"
        );
    }
}
