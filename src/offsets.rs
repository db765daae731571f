//! Byte offsets to the units hosts want: chars (code points), UTF-16 code units (what the
//! DOM and JavaScript strings use) and line/column for diagnostics.

use serde::Serialize;

use crate::normalize::swar;

/// One position in a text, in every unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct Point {
    pub byte: usize,
    pub char: usize,
    pub utf16: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in chars.
    pub column: usize,
}

/// Byte offsets converted to [`Point`]s, and the work it took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversion {
    /// One point per offset, in the order the offsets were given.
    pub points: Vec<Point>,
    /// Characters of the text walked plus offsets placed. The text is walked once, up to
    /// the largest offset, however many offsets there are, so this never exceeds the
    /// text's length in bytes plus the number of offsets.
    pub steps: usize,
}

/// Converts byte offsets (on char boundaries, any order) into [`Point`]s, in one pass.
pub fn points(text: &str, bytes: &[usize]) -> Vec<Point> {
    convert(text, bytes).points
}

/// [`points`], with the work it took: sorts the offsets, then walks the text once,
/// placing each offset as the walk passes it. Eight plain ASCII bytes (no newline) are
/// one step of the walk: each is one char, one UTF-16 unit and one column.
pub fn convert(text: &str, bytes: &[usize]) -> Conversion {
    let mut order: Vec<usize> = (0..bytes.len()).collect();
    order.sort_unstable_by_key(|&i| bytes[i]);
    let mut out = vec![Point::default(); bytes.len()];
    let mut steps = 0;
    let mut p = Point {
        byte: 0,
        char: 0,
        utf16: 0,
        line: 1,
        column: 1,
    };
    let b = text.as_bytes();
    for i in order {
        let target = bytes[i].min(text.len());
        while p.byte < target {
            // Eight plain ASCII bytes: no high bit, no newline.
            if p.byte + 8 <= target
                && let Some(w) = b.get(p.byte..p.byte + 8).and_then(swar::load)
                && w & swar::HIGH == 0
                && !swar::any_eq(w, b'\n')
            {
                p.byte += 8;
                p.char += 8;
                p.utf16 += 8;
                p.column += 8;
                steps += 1;
                continue;
            }
            let lead = b[p.byte];
            let len = utf8_len(lead);
            steps += 1;
            p.char += 1;
            p.utf16 += if len == 4 { 2 } else { 1 };
            if lead == b'\n' {
                p.line += 1;
                p.column = 1;
            } else {
                p.column += 1;
            }
            p.byte += len;
        }
        // An offset inside a char (not a boundary) gets the counts past that char.
        let mut at = p;
        at.byte = target;
        out[i] = at;
        steps += 1;
    }
    Conversion { points: out, steps }
}

/// The length of the UTF-8 sequence a byte starts (1 for a continuation byte, which a
/// `&str` never starts a char with).
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_bytes_to_chars_utf16_and_lines() {
        let t = "a😀é\nxyz";
        // bytes: a=0, 😀=1..5, é=5..7, \n=7, x=8
        let p = points(t, &[8, 0, 5, 1]);
        assert_eq!(
            p[0],
            Point {
                byte: 8,
                char: 4,
                utf16: 5,
                line: 2,
                column: 1
            }
        );
        assert_eq!(
            p[1],
            Point {
                byte: 0,
                char: 0,
                utf16: 0,
                line: 1,
                column: 1
            }
        );
        assert_eq!(
            p[2],
            Point {
                byte: 5,
                char: 2,
                utf16: 3,
                line: 1,
                column: 3
            }
        );
        assert_eq!(p[3].utf16, 1);
        assert_eq!(points(t, &[t.len()])[0].utf16, 8);
    }

    #[test]
    fn walks_the_text_once_however_many_offsets() {
        let t = "é".repeat(1000);
        let one = convert(&t, &[t.len()]);
        assert_eq!(one.steps, 1000 + 1);
        let many: Vec<usize> = (0..=1000).rev().map(|i| i * 2).collect();
        let all = convert(&t, &many);
        assert_eq!(all.steps, 1000 + 1001);
        assert_eq!(all.points[0].char, 1000);
        assert_eq!(all.points[1000].char, 0);
    }

    /// The walk as it was, a char at a time: the reference for the eight-bytes path.
    fn one_by_one(text: &str, bytes: &[usize]) -> Vec<Point> {
        bytes
            .iter()
            .map(|&target| {
                let target = target.min(text.len());
                let mut p = Point {
                    byte: target,
                    char: 0,
                    utf16: 0,
                    line: 1,
                    column: 1,
                };
                for (b, c) in text.char_indices() {
                    if b >= target {
                        break;
                    }
                    p.char += 1;
                    p.utf16 += c.len_utf16();
                    if c == '\n' {
                        p.line += 1;
                        p.column = 1;
                    } else {
                        p.column += 1;
                    }
                }
                p
            })
            .collect()
    }

    #[test]
    fn eight_ascii_bytes_at_once_convert_as_one_by_one() {
        // A small xorshift: random texts of ASCII runs, newlines and 2- to 4-byte chars,
        // random offsets (boundaries or not, past the end too) in random order.
        let mut rng = crate::xorshift::Xorshift::new(0x9E37_79B9_7F4A_7C15);
        let pieces = [
            "a",
            "plain words ",
            "\n",
            "é",
            "日",
            "😀",
            "x\ny",
            "abcdefghijklmnop",
        ];
        for _ in 0..3000 {
            let text = rng.text(40, &[&pieces]);
            let n = rng.below(12);
            let offsets: Vec<usize> = (0..n).map(|_| rng.below(text.len() + 3)).collect();
            assert_eq!(
                points(&text, &offsets),
                one_by_one(&text, &offsets),
                "{text:?} {offsets:?}"
            );
        }
    }
}
