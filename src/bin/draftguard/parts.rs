//! Drafts larger than the engine takes at once (`MAX_TEXT_BYTES`, 16 MiB) are checked in
//! parts, so that nothing past the limit goes unchecked: a 20 MB export is cut at line
//! breaks (else at a space, else anywhere between characters) into parts under the limit,
//! each part is checked, and the findings are moved back to their place in the whole text.
//! Rules about the whole draft (`length`, `require`) then judge each part on its own,
//! which the CLI says on stderr.

use draftguard::engine::MAX_TEXT_BYTES;
use draftguard::{Draft, Engine, Finding};

/// The findings of `draft` however long it is, and the number of parts it took.
pub fn check(engine: &Engine, draft: &Draft<'_>) -> (Vec<Finding>, usize) {
    check_with_limit(engine, draft, MAX_TEXT_BYTES)
}

fn check_with_limit(engine: &Engine, draft: &Draft<'_>, limit: usize) -> (Vec<Finding>, usize) {
    let text = draft.text;
    if text.len() <= limit {
        return (engine.check(draft), 1);
    }
    let (mut all, mut parts, mut at) = (Vec::new(), 0, 0);
    while at < text.len() {
        let end = cut(text, at, limit);
        let part = Draft {
            text: &text[at..end],
            ..*draft
        };
        for mut f in engine.check(&part) {
            f.span = f.span.start + at..f.span.end + at;
            for s in &mut f.suggestions {
                s.span = s.span.start + at..s.span.end + at;
            }
            all.push(f);
        }
        parts += 1;
        at = end;
    }
    (all, parts)
}

/// Where the part starting at `from` ends: after the last line break within `limit`
/// bytes, else after the last space, else at the last character boundary.
fn cut(text: &str, from: usize, limit: usize) -> usize {
    let max = from + limit;
    if max >= text.len() {
        return text.len();
    }
    let window = &text.as_bytes()[from..max];
    if let Some(i) = window.iter().rposition(|&b| b == b'\n') {
        return from + i + 1;
    }
    if let Some(i) = window.iter().rposition(|&b| b == b' ') {
        return from + i + 1;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;
    use draftguard::Policy;

    #[test]
    fn a_text_over_the_limit_is_checked_to_its_end_in_parts() {
        let policy = Policy::from_yaml(
            "p.yaml",
            "policy: p\nrules:\n  - {id: r, kind: phrases, phrases: [\"guaranteed returns\"], suggest: {\"guaranteed returns\": \"potential returns\"}}\n",
        )
        .unwrap();
        let engine = Engine::new(policy).unwrap();
        let line = "We offer guaranteed returns.\n";
        let text = line.repeat(10);
        let draft = Draft::new(&text);
        // Parts of at most 64 bytes: two lines each.
        let (found, parts) = check_with_limit(&engine, &draft, 64);
        assert_eq!(parts, 5);
        assert_eq!(found.len(), 10);
        for (i, f) in found.iter().enumerate() {
            let start = i * line.len() + 9;
            assert_eq!(f.span, start..start + 18);
            assert_eq!(&text[f.span.clone()], "guaranteed returns");
            assert_eq!(f.suggestions[0].span, f.span);
        }
        assert_eq!(
            check_with_limit(&engine, &draft, 1 << 20),
            (engine.check(&draft), 1)
        );
    }

    #[test]
    fn cuts_at_a_line_break_then_a_space_then_anywhere() {
        assert_eq!(cut("ab\ncd ef", 0, 6), 3);
        assert_eq!(cut("abcd ef gh", 0, 9), 8);
        assert_eq!(cut("日本語", 0, 4), 3);
        assert_eq!(cut("short", 0, 10), 5);
    }
}
