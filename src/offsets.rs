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

/// Converts byte offsets (on char boundaries, any order) into [`Point`]s, in one pass.
pub fn points(text: &str, bytes: &[usize]) -> Vec<Point> {
    let mut order: Vec<usize> = (0..bytes.len()).collect();
    order.sort_by_key(|&i| bytes[i]);
    let mut out = vec![Point::default(); bytes.len()];
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
    }
    out
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
}
