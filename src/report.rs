//! Findings as JSON with their spans: the one serializer behind the CLI's
//! `--format json` and the wasm API's `check`.
//!
//! [`Report::new`] converts every span endpoint of a draft's findings and their
//! suggestions in a single pass over the text ([`crate::offsets::convert`]), so a draft
//! with many findings costs one walk of the text, not one per finding. [`Report::json`]
//! then writes the findings in the units a host wants:
//!
//! - [`Units::Utf16`]: `start`/`end` in UTF-16 code units, as the DOM counts:
//!   `{ rule, kind, severity, mode, message, link, start, end, text,
//!   suggestions: [{ start, end, replacement }], also }`. The wasm API's `check` returns
//!   these objects, built in JavaScript from [`Report::packed`];
//! - [`Units::All`] (the CLI): `span: { bytes, chars, utf16, line, column }` for the
//!   finding and for each suggestion.

use serde::Serialize;

use crate::finding::Finding;
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

/// The findings of [`Report::packed`], for the wasm API's JavaScript side
/// (`src/wasm/findings.js`), which builds the same objects as [`Report::json`] with
/// [`Units::Utf16`] from them: a host's `JSON.parse` of those objects cost more than the
/// check of a 3,000-character post against 5,000 phrases (7.6 µs in Chromium for 14
/// findings), while building them from numbers and string slices costs 0.3 µs.
///
/// `strings` holds the strings end to end. `numbers` holds, per finding, in order:
/// `start, end` (UTF-16 units of the draft), then `rule, kind, severity, mode, message,
/// link, text` as string references, the number of suggestions and per suggestion
/// `start, end, replacement`, then the number of `also` ids and a reference per id. A
/// string reference is two numbers, its start and length in `strings` in UTF-16 units;
/// a start of [`Packed::NONE`] is `null` (a finding without a link).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Packed {
    pub strings: String,
    pub numbers: Vec<u32>,
}

impl Packed {
    /// The start of a missing string.
    pub const NONE: u32 = u32::MAX;
}

/// Writes [`Packed`]. Strings are not deduplicated: hashing them cost more in the
/// size-tuned wasm than the host spends decoding the repeats.
struct Packer {
    out: Packed,
    /// UTF-16 length of `out.strings`.
    units: u32,
}

impl Packer {
    fn str(&mut self, s: &str) {
        let len = if s.is_ascii() {
            s.len()
        } else {
            s.chars().map(char::len_utf16).sum()
        } as u32;
        self.out.strings.push_str(s);
        self.out.numbers.extend([self.units, len]);
        self.units += len;
    }

    fn opt(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.str(s),
            None => self.out.numbers.extend([Packed::NONE, 0]),
        }
    }

    fn span(&mut self, (start, end): (Point, Point)) {
        self.out
            .numbers
            .extend([start.utf16 as u32, end.utf16 as u32]);
    }
}

impl<'a> Report<'a> {
    /// The findings with spans in UTF-16 units, packed for the wasm API (see [`Packed`]).
    /// Linear in the findings and their strings.
    pub fn packed(&self) -> Packed {
        // Sized in advance: in the size-tuned wasm build each growth of a buffer is a
        // chain of calls, and the strings would grow a few times per finding.
        let bytes: usize = self
            .findings
            .iter()
            .map(|f| {
                f.rule.len()
                    + f.kind.name().len()
                    + f.severity.name().len()
                    + f.mode.name().len()
                    + f.message.len()
                    + f.link.as_ref().map_or(0, String::len)
                    + f.text.len()
                    + f.suggestions
                        .iter()
                        .map(|s| s.replacement.len())
                        .sum::<usize>()
                    + f.also.iter().map(String::len).sum::<usize>()
            })
            .sum();
        let numbers: usize = self
            .findings
            .iter()
            .map(|f| 18 + 4 * f.suggestions.len() + 2 * f.also.len())
            .sum();
        let mut p = Packer {
            out: Packed {
                strings: String::with_capacity(bytes),
                numbers: Vec::with_capacity(numbers),
            },
            units: 0,
        };
        for (i, f) in self.findings.iter().enumerate() {
            p.span(self.span(i));
            p.str(&f.rule);
            p.str(f.kind.name());
            p.str(f.severity.name());
            p.str(f.mode.name());
            p.str(&f.message);
            p.opt(f.link.as_deref());
            p.str(&f.text);
            p.out.numbers.push(f.suggestions.len() as u32);
            for (j, s) in f.suggestions.iter().enumerate() {
                p.span(self.suggestion_span(i, j));
                p.str(&s.replacement);
            }
            p.out.numbers.push(f.also.len() as u32);
            for a in &f.also {
                p.str(a);
            }
        }
        p.out
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

    /// Reads [`Packed`] back as `src/wasm/findings.js` does, into the JSON value of the
    /// objects it builds.
    fn unpack(p: &Packed) -> serde_json::Value {
        let units: Vec<u16> = p.strings.encode_utf16().collect();
        let mut numbers = p.numbers.iter().copied().peekable();
        let mut out = Vec::new();
        let string = |at: u32, len: u32| match at {
            Packed::NONE => serde_json::Value::Null,
            _ => String::from_utf16(&units[at as usize..(at + len) as usize])
                .unwrap()
                .into(),
        };
        while numbers.peek().is_some() {
            let mut next = || numbers.next().unwrap();
            let (start, end) = (next(), next());
            let mut f = serde_json::Map::new();
            for key in ["rule", "kind", "severity", "mode", "message", "link"] {
                let (at, len) = (next(), next());
                f.insert(key.into(), string(at, len));
            }
            f.insert("start".into(), start.into());
            f.insert("end".into(), end.into());
            let (at, len) = (next(), next());
            f.insert("text".into(), string(at, len));
            let suggestions: Vec<_> = (0..next())
                .map(|_| {
                    let (start, end, at, len) = (next(), next(), next(), next());
                    serde_json::json!({"start": start, "end": end, "replacement": string(at, len)})
                })
                .collect();
            f.insert("suggestions".into(), suggestions.into());
            let also: Vec<_> = (0..next())
                .map(|_| {
                    let (at, len) = (next(), next());
                    string(at, len)
                })
                .collect();
            f.insert("also".into(), also.into());
            out.push(serde_json::Value::Object(f));
        }
        out.into()
    }

    /// The packed findings read back are serde_json's value of [`Report::json`] with
    /// UTF-16 spans, key order included: links or none, suggestions, `also`, repeated
    /// strings, escapes and text outside the BMP, and a draft with many findings.
    #[test]
    fn packed_findings_read_back_as_the_json() {
        let text = "a\"b\\c\n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f} é😀 “q” risk-free </script>";
        let mut fs = [
            finding(text, 0..text.len(), Some("x\"\\\u{2}y")),
            finding(text, 3..5, None),
        ];
        fs[0].link = Some("https://e.example/?a=\"1\"".into());
        fs[0].also = vec!["b\"".into(), "c".into(), "b\"".into()];
        fs[1].message = "“{match}” 😀 \u{0}\u{1b}".into();
        fs[1].suggestions.push(Suggestion {
            span: text.len()..text.len(),
            replacement: String::new(),
        });
        fs[1].suggestions.push(Suggestion {
            span: 0..1,
            replacement: "\t😀".into(),
        });
        let (big, many) = draft("risk é日😀\n".len() * 64);
        for (text, fs) in [(text, &fs[..]), (text, &fs[..0]), (&big[..], &many[..])] {
            let r = Report::new(text, fs);
            let packed = r.packed();
            // Sized exactly in advance: no buffer grew while packing.
            assert_eq!(packed.numbers.capacity(), packed.numbers.len());
            assert_eq!(packed.strings.capacity(), packed.strings.len());
            let theirs = serde_json::to_string(&r.json(Units::Utf16)).unwrap();
            let theirs: serde_json::Value = serde_json::from_str(&theirs).unwrap();
            assert_eq!(unpack(&packed), theirs);
        }
    }
}
