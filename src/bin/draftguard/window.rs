//! The part of a finding's line the human report shows: the whole line when it is
//! short, else a window of at most `max` columns around the finding, cut with `…` (as
//! ripgrep's `--max-columns` cuts long lines), so a 1 MB one-line draft with thousands of
//! findings prints a few lines per finding, not the megabyte under each one.
//!
//! [`snippet`] looks at no more than a few windows' worth of text around the finding,
//! so its cost does not depend on the line's length: rendering every finding of a draft
//! is linear in the number of findings. Widths are terminal columns (`unicode-width`:
//! CJK and emoji count two), so the caret underline lines up under what it marks.

use unicode_width::UnicodeWidthChar;

/// What to print for one finding: the (windowed) line, and where the underline goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The line or its window, with tabs and control characters made printable.
    pub line: String,
    /// Columns before the underline.
    pub lead: usize,
    /// Columns of the underline (at least 1, for an empty span).
    pub width: usize,
    /// Characters of the text looked at: a few windows' worth, whatever the line's length.
    pub steps: usize,
}

const ELLIPSIS: char = '…';

/// Tabs and control characters as one visible column each, so carets line up.
fn printable(c: char) -> char {
    if c == '\t' {
        ' '
    } else if c.is_control() {
        '\u{FFFD}'
    } else {
        c
    }
}

fn width(c: char) -> usize {
    if c.is_ascii_graphic() || c == ' ' {
        return 1;
    }
    printable(c).width().unwrap_or(0)
}

/// Up to `budget` columns of characters, walking from one end of a piece of the line;
/// `whole` when the piece ended (line break or end of text) within the budget.
struct Run {
    chars: Vec<char>,
    cols: usize,
    whole: bool,
}

/// Takes characters while their columns fit in `budget` (and at most `4 * budget + 8`
/// characters, so a run of zero-width marks cannot make the walk unbounded).
fn take(chars: impl Iterator<Item = char>, budget: usize) -> Run {
    let mut run = Run {
        chars: Vec::new(),
        cols: 0,
        whole: true,
    };
    for c in chars {
        let w = width(c);
        if c == '\n' {
            return run;
        }
        if run.cols + w > budget || run.chars.len() >= 4 * budget + 8 {
            run.whole = false;
            return run;
        }
        run.cols += w;
        run.chars.push(c);
    }
    run
}

/// The last `cols` columns of `chars` (which are in reading order).
fn tail(chars: &[char], cols: usize) -> (&[char], usize) {
    let (mut used, mut from) = (0, chars.len());
    while from > 0 && used + width(chars[from - 1]) <= cols {
        from -= 1;
        used += width(chars[from]);
    }
    (&chars[from..], used)
}

/// The first `cols` columns of `chars`.
fn head(chars: &[char], cols: usize) -> (&[char], usize) {
    let (mut used, mut to) = (0, 0);
    while to < chars.len() && used + width(chars[to]) <= cols {
        used += width(chars[to]);
        to += 1;
    }
    (&chars[..to], used)
}

/// The line of `text` holding byte offset `start`, or a window of at most `max` columns
/// of it, with the span `start..end` underlined (up to the end of the line).
pub fn snippet(text: &str, start: usize, end: usize, max: usize) -> Snippet {
    let max = max.max(20);
    let mut before = take(text[..start].chars().rev(), max);
    before.chars.reverse();
    let span = take(text[start..end.max(start)].chars(), max);
    // The span may stop at a line break before its end: what follows it is the rest of
    // the line from there.
    let span_bytes: usize = span.chars.iter().map(|c| c.len_utf8()).sum();
    let after = take(text[start + span_bytes..].chars(), max);
    let mut after_chars = after.chars;
    let after_whole = after.whole;
    // A CRLF line's `\r` is part of its break, not of its text.
    if after_whole && after_chars.last() == Some(&'\r') {
        after_chars.pop();
    }
    let after_cols: usize = after_chars.iter().map(|&c| width(c)).sum();
    // Each walk also looked at the character that stopped it.
    let steps = before.chars.len() + span.chars.len() + after_chars.len() + 3;
    // A span that stops at a line break is whole on this line (the report says where it
    // continues); one that ran out of columns is cut.
    let span_whole = span.whole;

    let fits = before.whole && span_whole && after_whole;
    if fits && before.cols + span.cols + after_cols <= max {
        let line: String = before
            .chars
            .iter()
            .chain(&span.chars)
            .chain(&after_chars)
            .map(|&c| printable(c))
            .collect();
        return Snippet {
            line,
            lead: before.cols,
            width: span.cols.max(1),
            steps,
        };
    }

    // The underlined part: all of the span if it leaves room for some context on both
    // sides, else its start, followed by `…`.
    let context = 16;
    let (shown, shown_cols) = head(&span.chars, max - 2 - context);
    let cut = shown.len() < span.chars.len() || !span_whole;
    let room = max - shown_cols - usize::from(cut);
    // Left and right share the room; a side that ends early gives the rest to the other.
    let left_need = if before.whole {
        before.cols
    } else {
        usize::MAX
    };
    let right_need = if cut {
        0
    } else if after_whole {
        after_cols
    } else {
        usize::MAX
    };
    let mut left = (room / 2).min(left_need);
    let right = (room - left).min(right_need);
    left = (room - right).min(left_need);

    let mut line = String::new();
    let mut lead = 0;
    let (left_chars, left_cols) = if left >= before.cols && before.whole {
        (&before.chars[..], before.cols)
    } else {
        line.push(ELLIPSIS);
        lead += 1;
        tail(&before.chars, left.saturating_sub(1))
    };
    line.extend(left_chars.iter().map(|&c| printable(c)));
    lead += left_cols;
    line.extend(shown.iter().map(|&c| printable(c)));
    if cut {
        line.push(ELLIPSIS);
    } else if right >= after_cols && after_whole {
        line.extend(after_chars.iter().map(|&c| printable(c)));
    } else {
        let (right_chars, _) = head(&after_chars, right.saturating_sub(1));
        line.extend(right_chars.iter().map(|&c| printable(c)));
        line.push(ELLIPSIS);
    }
    Snippet {
        line,
        lead,
        width: shown_cols.max(1),
        steps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, needle: &str, max: usize) -> Snippet {
        let s = text.find(needle).unwrap();
        snippet(text, s, s + needle.len(), max)
    }

    fn underline(s: &Snippet) -> String {
        format!("{}{}", " ".repeat(s.lead), "^".repeat(s.width))
    }

    #[test]
    fn a_short_line_is_shown_whole() {
        let t = "first line\nOur fund has guaranteed returns!\r\nlast";
        let s = at(t, "guaranteed returns", 120);
        assert_eq!(s.line, "Our fund has guaranteed returns!");
        assert_eq!(underline(&s), "             ^^^^^^^^^^^^^^^^^^");
    }

    #[test]
    fn a_long_line_is_cut_around_the_finding() {
        let t = format!("{}guaranteed returns{}", "a".repeat(500), "b".repeat(500));
        let s = at(&t, "guaranteed returns", 40);
        // 40 columns: 22 of context shared 11 and 11, each side's first column an ellipsis.
        assert_eq!(s.line, "…aaaaaaaaaaguaranteed returnsbbbbbbbbbb…");
        assert_eq!(underline(&s), "           ^^^^^^^^^^^^^^^^^^");
        assert_eq!(s.line.chars().count(), 40);
    }

    #[test]
    fn near_an_end_of_the_line_the_other_side_gets_the_room() {
        let t = format!("Risk-free {}", "c".repeat(300));
        let s = at(&t, "Risk-free", 30);
        assert_eq!(s.line, "Risk-free ccccccccccccccccccc…");
        assert_eq!(underline(&s), "^^^^^^^^^");
        let t = format!("{} risk-free", "c".repeat(300));
        let s = at(&t, "risk-free", 30);
        assert_eq!(s.line, "…ccccccccccccccccccc risk-free");
        assert_eq!(underline(&s), "                     ^^^^^^^^^");
    }

    #[test]
    fn a_span_longer_than_the_window_shows_its_start() {
        let t = format!("x {} y", "z".repeat(100));
        let s = snippet(&t, 2, 102, 30);
        // 30 - 2 ellipses - 16 columns of context: the first 12 columns of the span.
        assert_eq!(s.line, "x zzzzzzzzzzzz…");
        assert_eq!(underline(&s), "  ^^^^^^^^^^^^");
    }

    #[test]
    fn wide_characters_count_two_columns() {
        let t = format!("{}保証されたリターン{}", "日".repeat(100), "本".repeat(100));
        let s = at(&t, "保証されたリターン", 40);
        // The finding is 18 columns; 22 left: 11 a side, an ellipsis and 5 wide characters.
        assert_eq!(s.line, "…日日日日日保証されたリターン本本本本本…");
        assert_eq!(underline(&s), "           ^^^^^^^^^^^^^^^^^^");
    }

    /// Twice the findings on a 1 MB line is twice the snippets, each of bounded work: the
    /// total never more than triples (the human report was quadratic, a whole line per
    /// finding).
    #[test]
    fn twice_the_findings_on_a_long_line_is_at_most_three_times_the_work() {
        let text = "risk é日😀 ".repeat((1 << 20) / "risk é日😀 ".len());
        let work = |gap: usize| -> (usize, usize) {
            let starts = (0..text.len() - 16)
                .step_by(gap)
                .filter(|&i| text.is_char_boundary(i));
            let mut n = 0;
            let steps = starts
                .map(|i| {
                    n += 1;
                    snippet(&text, i, i + 4, 120).steps
                })
                .sum();
            (n, steps)
        };
        let unit = "risk é日😀 ".len();
        let (n1, once) = work(unit * 16);
        let (n2, twice) = work(unit * 8);
        assert!(n2 >= 2 * n1 - 1);
        assert!(twice <= 3 * once, "{twice} vs {once}");
        assert!(
            once <= n1 * 3 * (4 * 120 + 9),
            "bounded per finding: {once}"
        );
    }

    #[test]
    fn a_ten_megabyte_line_gives_a_window_of_max_columns() {
        let t = "word ".repeat(2_000_000);
        let s = snippet(&t, 5_000_000, 5_000_004, 120);
        assert_eq!(s.line.chars().count(), 120);
        assert!(s.line.starts_with('…') && s.line.ends_with('…'));
    }
}
