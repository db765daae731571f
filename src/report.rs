//! Findings as JSON with their spans: the one serializer behind the CLI's
//! `--format json` and the wasm API's `check`.
//!
//! [`Report::new`] converts every span endpoint of a draft's findings and their
//! suggestions in a single pass over the text ([`crate::offsets::convert`]), so a draft
//! with many findings costs one walk of the text, not one per finding. [`Report::json`]
//! then writes the findings in the units a host wants:
//!
//! - [`Units::Utf16`] (the wasm API): `start`/`end` in UTF-16 code units, as the DOM
//!   counts: `{ rule, kind, severity, mode, message, link, start, end, text,
//!   suggestions: [{ start, end, replacement }], also }`;
//! - [`Units::All`] (the CLI): `span: { bytes, chars, utf16, line, column }` for the
//!   finding and for each suggestion.

use serde::Serialize;

use crate::finding::Finding;
use crate::normalize::swar::{self, HIGH, ONES};
use crate::offsets::{Point, convert};
use crate::policy::{Kind, Mode, Severity};

/// How [`Report::json`] writes spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Units {
    /// `start` and `end` in UTF-16 code units.
    Utf16,
    /// `span`: bytes, chars (code points) and UTF-16 code units, and the start's 1-based
    /// line and column.
    All,
}

/// A draft's findings with every span endpoint converted.
#[derive(Debug, Clone)]
pub struct Report<'a> {
    findings: &'a [Finding],
    /// Per finding: its start and end, then each suggestion's start and end.
    points: Vec<Point>,
    /// Index into `points` of each finding's start.
    first: Vec<usize>,
    steps: usize,
}

impl<'a> Report<'a> {
    /// Converts the spans of `findings` (found in `text`) in one pass over `text`.
    pub fn new(text: &str, findings: &'a [Finding]) -> Report<'a> {
        let mut offsets = Vec::with_capacity(findings.len() * 2);
        let mut first = Vec::with_capacity(findings.len());
        for f in findings {
            first.push(offsets.len());
            offsets.extend([f.span.start, f.span.end]);
            for s in &f.suggestions {
                offsets.extend([s.span.start, s.span.end]);
            }
        }
        let c = convert(text, &offsets);
        Report {
            findings,
            points: c.points,
            first,
            steps: c.steps,
        }
    }

    pub fn findings(&self) -> &'a [Finding] {
        self.findings
    }

    /// Where finding `i` starts and ends.
    pub fn span(&self, i: usize) -> (Point, Point) {
        let at = self.first[i];
        (self.points[at], self.points[at + 1])
    }

    /// Where suggestion `j` of finding `i` starts and ends.
    pub fn suggestion_span(&self, i: usize, j: usize) -> (Point, Point) {
        let at = self.first[i] + 2 + 2 * j;
        (self.points[at], self.points[at + 1])
    }

    /// The work the conversion took (see [`crate::offsets::Conversion::steps`]): at most
    /// the text's length plus the number of span endpoints.
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// The findings, ready to serialize, with spans in `units`.
    pub fn json(&self, units: Units) -> Vec<FindingJson<'a>> {
        let at = |(start, end): (Point, Point)| At::new(units, start, end);
        self.findings
            .iter()
            .enumerate()
            .map(|(i, f)| FindingJson {
                rule: &f.rule,
                kind: f.kind,
                severity: f.severity,
                mode: f.mode,
                message: &f.message,
                link: f.link.as_deref(),
                at: at(self.span(i)),
                text: &f.text,
                suggestions: f
                    .suggestions
                    .iter()
                    .enumerate()
                    .map(|(j, s)| SuggestionJson {
                        at: at(self.suggestion_span(i, j)),
                        replacement: &s.replacement,
                    })
                    .collect(),
                also: &f.also,
            })
            .collect()
    }
}

impl Report<'_> {
    /// `serde_json::to_string(&self.json(Units::Utf16))` written directly, with characters
    /// outside ASCII escaped (the same JSON value, in ASCII): the wasm API hands this
    /// text to the host's `JSON.parse`. serde_json's writer goes
    /// through `io::Write` a few bytes at a time, which the size-tuned wasm build does not
    /// inline; here a string is one scan for bytes to escape and one copy per run.
    pub fn utf16_json(&self) -> String {
        let mut out = String::with_capacity(64 + self.findings.len() * 256);
        out.push('[');
        for (i, f) in self.findings.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let (start, end) = self.span(i);
            out.push_str("{\"rule\":");
            json_str(&mut out, &f.rule);
            out.push_str(",\"kind\":");
            json_str(&mut out, f.kind.name());
            out.push_str(",\"severity\":");
            json_str(&mut out, f.severity.name());
            out.push_str(",\"mode\":");
            json_str(&mut out, f.mode.name());
            out.push_str(",\"message\":");
            json_str(&mut out, &f.message);
            out.push_str(",\"link\":");
            match &f.link {
                Some(l) => json_str(&mut out, l),
                None => out.push_str("null"),
            }
            json_span(&mut out, start.utf16, end.utf16);
            out.push_str(",\"text\":");
            json_str(&mut out, &f.text);
            out.push_str(",\"suggestions\":[");
            for (j, s) in f.suggestions.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                let (start, end) = self.suggestion_span(i, j);
                out.push('{');
                json_span(&mut out, start.utf16, end.utf16);
                out.push_str(",\"replacement\":");
                json_str(&mut out, &s.replacement);
                out.push('}');
            }
            out.push_str("],\"also\":[");
            for (j, a) in f.also.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                json_str(&mut out, a);
            }
            out.push_str("]}");
        }
        out.push(']');
        out
    }
}

/// `"start":S,"end":E` (after a `{` or a `,` already written: the leading comma is
/// written when something precedes it in the object).
fn json_span(out: &mut String, start: usize, end: usize) {
    if !out.ends_with('{') {
        out.push(',');
    }
    out.push_str("\"start\":");
    json_uint(out, start);
    out.push_str(",\"end\":");
    json_uint(out, end);
}

/// `n` in decimal, without `core::fmt` (its machinery is a large share of writing a
/// finding in the size-tuned wasm build).
fn json_uint(out: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // ASCII digits: always UTF-8.
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
}

/// `s` as a JSON string, escaped as serde_json escapes it (`"` and `\\`, the short
/// escapes `\\b \\t \\n \\f \\r`, other control characters as `\\u00xx`), and
/// everything outside ASCII as `\\uxxxx` (a surrogate pair beyond the BMP), so that the
/// whole text is ASCII: the host decodes it with its fast path and parses a one-byte
/// string.
fn json_str(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes at a time through plain ASCII, what almost every string is.
        if let Some(&w) = bytes.get(i..).and_then(|r| r.first_chunk::<8>())
            && !needs_escape(u64::from_le_bytes(w))
        {
            i += 8;
            continue;
        }
        let b = bytes[i];
        if (0x20..0x80).contains(&b) && b != b'"' && b != b'\\' {
            i += 1;
            continue;
        }
        // `i` starts a char, so both slices end on char boundaries.
        out.push_str(&s[run..i]);
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            0..0x80 => json_unit(out, u16::from(b)),
            _ => {
                let c = s[i..].chars().next().unwrap_or_default();
                let mut units = [0u16; 2];
                for &u in c.encode_utf16(&mut units).iter() {
                    json_unit(out, u);
                }
                i += c.len_utf8();
                run = i;
                continue;
            }
        }
        i += 1;
        run = i;
    }
    out.push_str(&s[run..]);
    out.push('"');
}

/// Whether any of the eight bytes of `w` is one [`json_str`] escapes: not ASCII, a
/// control character, `"` or `\\` (exact, byte by byte).
#[inline]
fn needs_escape(w: u64) -> bool {
    // Below 0x20: adding 0x60 to the low seven bits leaves the high bit clear.
    let control = !((w & !HIGH) + ONES * 0x60) & HIGH;
    (w & HIGH) | control | swar::eq(w, b'"') | swar::eq(w, b'\\') != 0
}

/// `\\u` and four lower-case hex digits.
fn json_unit(out: &mut String, u: u16) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push_str("\\u");
    for shift in [12, 8, 4, 0] {
        out.push(char::from(HEX[usize::from((u >> shift) & 15)]));
    }
}

/// One finding as JSON (see the module documentation for the two shapes).
#[derive(Debug, Clone, Serialize)]
pub struct FindingJson<'a> {
    rule: &'a str,
    kind: Kind,
    severity: Severity,
    mode: Mode,
    /// Plain text, never HTML.
    message: &'a str,
    link: Option<&'a str>,
    #[serde(flatten)]
    at: At,
    /// Exactly the text the span covers, so a host can refuse to act on a stale span.
    text: &'a str,
    suggestions: Vec<SuggestionJson<'a>>,
    also: &'a [String],
}

#[derive(Debug, Clone, Serialize)]
pub struct SuggestionJson<'a> {
    #[serde(flatten)]
    at: At,
    replacement: &'a str,
}

/// A span in the chosen units, flattened into its finding or suggestion.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub(crate) enum At {
    Utf16 { start: usize, end: usize },
    All { span: SpanJson },
}

impl At {
    pub(crate) fn new(units: Units, start: Point, end: Point) -> At {
        match units {
            Units::Utf16 => At::Utf16 {
                start: start.utf16,
                end: end.utf16,
            },
            Units::All => At::All {
                span: SpanJson {
                    bytes: [start.byte, end.byte],
                    chars: [start.char, end.char],
                    utf16: [start.utf16, end.utf16],
                    line: start.line,
                    column: start.column,
                },
            },
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SpanJson {
    bytes: [usize; 2],
    chars: [usize; 2],
    utf16: [usize; 2],
    line: usize,
    column: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Suggestion;
    use crate::offsets::points;
    use serde_json::json;

    fn finding(text: &str, span: std::ops::Range<usize>, fix: Option<&str>) -> Finding {
        Finding {
            rule: "r".into(),
            kind: Kind::Phrases,
            severity: Severity::Warn,
            mode: Mode::Enforce,
            message: "m".into(),
            link: None,
            text: text[span.clone()].to_string(),
            suggestions: fix
                .map(|r| Suggestion {
                    span: span.clone(),
                    replacement: r.into(),
                })
                .into_iter()
                .collect(),
            span,
            also: Vec::new(),
        }
    }

    #[test]
    fn writes_both_shapes() {
        // 👩‍👩‍👧 is 18 bytes, 5 chars, 8 UTF-16 units.
        let text = "👩‍👩‍👧\nrisk-free";
        let start = text.find("risk").unwrap();
        let fs = [finding(text, start..text.len(), Some("low risk"))];
        let r = Report::new(text, &fs);
        assert_eq!(
            serde_json::to_value(r.json(Units::Utf16)).unwrap(),
            json!([{
                "rule": "r", "kind": "phrases", "severity": "warn", "mode": "enforce",
                "message": "m", "link": null, "start": 9, "end": 18, "text": "risk-free",
                "suggestions": [{"start": 9, "end": 18, "replacement": "low risk"}],
                "also": [],
            }])
        );
        let span = json!({
            "bytes": [19, 28], "chars": [6, 15], "utf16": [9, 18], "line": 2, "column": 1,
        });
        assert_eq!(
            serde_json::to_value(r.json(Units::All)).unwrap(),
            json!([{
                "rule": "r", "kind": "phrases", "severity": "warn", "mode": "enforce",
                "message": "m", "link": null, "span": span, "text": "risk-free",
                "suggestions": [{"span": span, "replacement": "low risk"}],
                "also": [],
            }])
        );
    }

    /// Findings every `gap` bytes of a 1 MB text mixing 1- to 4-byte characters and
    /// newlines, each with a suggestion (an append at the end, as `require` makes).
    fn draft(gap: usize) -> (String, Vec<Finding>) {
        let unit = "risk é日😀\n";
        let text = unit.repeat((1 << 20) / unit.len());
        let mut fs = Vec::new();
        let mut at = 0;
        while at + unit.len() <= text.len() {
            let mut f = finding(&text, at..at + 4, None);
            f.suggestions.push(Suggestion {
                span: text.len()..text.len(),
                replacement: " #ad".into(),
            });
            fs.push(f);
            at += gap;
        }
        (text, fs)
    }

    /// The conversion walks the text once per draft: twice the findings is not twice the
    /// walk, and the walk is never longer than the text plus the endpoints.
    #[test]
    fn one_walk_per_draft_however_many_findings() {
        let unit = "risk é日😀\n".len();
        let (text, some) = draft(unit * 64);
        let (_, twice) = draft(unit * 32);
        assert!(twice.len() >= 2 * some.len() - 1);
        let (a, b) = (Report::new(&text, &some), Report::new(&text, &twice));
        let endpoints = |fs: &[Finding]| fs.len() * 4;
        assert!(a.steps() <= text.len() + endpoints(&some), "{}", a.steps());
        assert!(b.steps() <= text.len() + endpoints(&twice), "{}", b.steps());
        assert!(b.steps() <= 3 * a.steps(), "{} vs {}", b.steps(), a.steps());
        // And the points are right: the last finding agrees with a conversion of its own.
        let i = twice.len() - 1;
        let f = &twice[i];
        let alone = points(&text, &[f.span.start, f.span.end]);
        assert_eq!(b.span(i), (alone[0], alone[1]));
        let end = points(&text, &[text.len()])[0];
        assert_eq!(b.suggestion_span(i, 0), (end, end));
        let json = b.json(Units::All);
        assert_eq!(json.len(), twice.len());
    }

    /// `s` with everything outside ASCII as `\\u` escapes of its UTF-16 units, as the
    /// direct writer leaves it.
    fn ascii_escaped(s: &str) -> String {
        s.chars()
            .map(|c| match c {
                '\0'..='\u{7f}' => c.to_string(),
                _ => c
                    .encode_utf16(&mut [0; 2])
                    .iter()
                    .map(|u| format!("\\u{u:04x}"))
                    .collect(),
            })
            .collect()
    }

    /// [`json_str`] and [`json_uint`] write what serde_json writes (with everything outside
    /// ASCII as `\\u` escapes), on random strings that put every kind of byte at every
    /// place of the eight-byte steps.
    #[test]
    fn json_strings_and_numbers_are_serde_jsons() {
        let pieces: &[&str] = &[
            "a",
            "Z",
            " ",
            "~",
            "\u{7f}",
            "\"",
            "\\",
            "\n",
            "\r",
            "\t",
            "\u{8}",
            "\u{c}",
            "\u{0}",
            "\u{1f}",
            "é",
            "“",
            "😀",
            "日本",
            "plain text",
            "!",
            "/",
            "<",
            "\u{2028}",
            "\u{feff}",
        ];
        let mut rng = crate::xorshift::Xorshift::new(0x750a_112f);
        for _ in 0..20_000 {
            let s = rng.text(24, &[pieces]);
            let mut ours = String::new();
            json_str(&mut ours, &s);
            let theirs = ascii_escaped(&serde_json::to_string(&s).unwrap());
            assert_eq!(ours, theirs, "{s:?}");
        }
        for n in [0, 1, 9, 10, 99, 100, 65_535, 1 << 32, usize::MAX] {
            let mut ours = String::new();
            json_uint(&mut ours, n);
            assert_eq!(ours, n.to_string());
        }
    }

    /// The direct writer is serde_json's output for the same findings (the same text once
    /// non-ASCII is escaped, the same value parsed): links or none, suggestions, `also`,
    /// every escaped character and non-ASCII text.
    #[test]
    fn utf16_json_is_serde_jsons_text() {
        let text = "a\"b\\c\n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f} é😀 “q” risk-free </script>";
        let mut fs = [
            finding(text, 0..text.len(), Some("x\"\\\u{2}y")),
            finding(text, 3..5, None),
        ];
        fs[0].link = Some("https://e.example/?a=\"1\"".into());
        fs[0].also = vec!["b\"".into(), "c".into()];
        fs[1].message = "“{match}” \u{0}\u{1b}".into();
        fs[1].suggestions.push(Suggestion {
            span: text.len()..text.len(),
            replacement: String::new(),
        });
        fs[1].suggestions.push(Suggestion {
            span: 0..1,
            replacement: "\t".into(),
        });
        let (big, many) = draft("risk é日😀\n".len() * 64);
        for (text, fs) in [(text, &fs[..]), (text, &fs[..0]), (&big[..], &many[..])] {
            let r = Report::new(text, fs);
            let ours = r.utf16_json();
            assert!(ours.is_ascii());
            let theirs = serde_json::to_string(&r.json(Units::Utf16)).unwrap();
            let value: serde_json::Value = serde_json::from_str(&ours).unwrap();
            assert_eq!(
                value,
                serde_json::from_str::<serde_json::Value>(&theirs).unwrap()
            );
            // Byte for byte, once serde_json's output has its non-ASCII escaped too.
            assert_eq!(ours, ascii_escaped(&theirs));
        }
    }
}
