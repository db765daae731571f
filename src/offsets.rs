//! Byte offsets to the units hosts want: chars (code points), UTF-16 code units (what the
//! DOM and JavaScript strings use) and line/column for diagnostics.

use serde::Serialize;

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
/// placing each offset as the walk passes it.
pub fn convert(text: &str, bytes: &[usize]) -> Conversion {
    let mut order: Vec<usize> = (0..bytes.len()).collect();
    order.sort_by_key(|&i| bytes[i]);
    let mut out = vec![Point::default(); bytes.len()];
    let mut steps = 0;
    let mut p = Point {
        byte: 0,
        char: 0,
        utf16: 0,
        line: 1,
        column: 1,
    };
    let mut chars = text.char_indices().peekable();
    for i in order {
        let target = bytes[i].min(text.len());
        while let Some(&(b, c)) = chars.peek() {
            if b >= target {
                break;
            }
            chars.next();
            steps += 1;
            p.char += 1;
            p.utf16 += c.len_utf16();
            if c == '\n' {
                p.line += 1;
                p.column = 1;
            } else {
                p.column += 1;
            }
            p.byte = b + c.len_utf8();
        }
        p.byte = target;
        out[i] = p;
        steps += 1;
    }
    Conversion { points: out, steps }
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
}
