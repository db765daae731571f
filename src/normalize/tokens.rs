//! Token-level folding for the `Full` profile: leetspeak and spaced-out letters.
//!
//! Both depend on context, so they run on the `Unicode` shadow rather than per character:
//! digits are read as letters only inside a token that already has a letter (`r1sk`,
//! `fr33`), never in a plain number (`455`, `2026`); `@ $ !` only between two letters or
//! digits (`gu@ranteed`, not `@name` or `free!`); and separators are dropped only between
//! three or more single letters (`g-u-a-r-a-n-t-e-e-d`, `r.i.s.k`).

use super::Shadow;

fn is_token_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '@' | '$' | '!' | '|')
}

fn leet_digit(c: char) -> Option<char> {
    Some(match c {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '7' => 't',
        '8' => 'b',
        '9' => 'g',
        _ => return None,
    })
}

fn leet_symbol(c: char) -> Option<char> {
    Some(match c {
        '@' => 'a',
        '$' => 's',
        '!' | '|' => 'i',
        _ => return None,
    })
}

fn is_spacing_separator(c: char) -> bool {
    matches!(c, ' ' | '.' | '*' | '/' | '+' | '~' | ':' | '\\' | '=' | '•' | '·')
}

/// Longest separator run allowed between two spaced-out letters.
const MAX_GAP: usize = 3;
/// Fewest single letters that make a spaced-out word.
const MIN_SPACED: usize = 3;

pub fn full(base: &Shadow) -> Shadow {
    let chars: Vec<(usize, char)> = base.text.char_indices().collect();
    let n = chars.len();
    let mut out_char: Vec<Option<char>> = chars.iter().map(|&(_, c)| Some(c)).collect();

    // Tokens, with leetspeak folded inside those that have a letter.
    let mut tokens: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < n {
        if !is_token_char(chars[i].1) {
            i += 1;
            continue;
        }
        let s = i;
        while i < n && is_token_char(chars[i].1) {
            i += 1;
        }
        tokens.push((s, i));
        if !chars[s..i].iter().any(|&(_, c)| c.is_alphabetic()) {
            continue;
        }
        for j in s..i {
            let c = chars[j].1;
            if let Some(l) = leet_digit(c) {
                out_char[j] = Some(l);
            } else if let Some(l) = leet_symbol(c) {
                let interior = j > s
                    && j + 1 < i
                    && chars[j - 1].1.is_alphanumeric()
                    && chars[j + 1].1.is_alphanumeric();
                if interior {
                    out_char[j] = Some(l);
                }
            }
        }
    }

    // Spaced-out letters: runs of one-letter tokens joined by short separator runs.
    let single_flags: Vec<bool> = tokens
        .iter()
        .map(|t| t.1 - t.0 == 1 && out_char[t.0].is_some_and(|c| c.is_alphabetic()))
        .collect();
    let single = |k: usize| single_flags[k];
    let gap = |a: &(usize, usize), b: &(usize, usize)| {
        let g = &chars[a.1..b.0];
        let ok = !g.is_empty() && g.len() <= MAX_GAP && g.iter().all(|&(_, c)| is_spacing_separator(c));
        ok.then(|| g.iter().map(|&(_, c)| c).collect::<String>())
    };
    let mut k = 0;
    while k < tokens.len() {
        if !single(k) {
            k += 1;
            continue;
        }
        // Every gap in a run is the same separator, so `r.i.s.k f.r.e.e` stays two words.
        let s = k;
        let mut first_gap: Option<String> = None;
        while k + 1 < tokens.len() && single(k + 1) {
            let Some(g) = gap(&tokens[k], &tokens[k + 1]) else { break };
            if first_gap.get_or_insert_with(|| g.clone()) != &g {
                break;
            }
            k += 1;
        }
        if k + 1 - s >= MIN_SPACED {
            for t in s..k {
                for slot in out_char.iter_mut().take(tokens[t + 1].0).skip(tokens[t].1) {
                    *slot = None;
                }
            }
        }
        k += 1;
    }

    let mut out = Shadow {
        text: String::with_capacity(base.text.len()),
        start: Vec::with_capacity(base.text.len()),
        end: Vec::with_capacity(base.text.len()),
    };
    for (j, &(b, c)) in chars.iter().enumerate() {
        let Some(o) = out_char[j] else { continue };
        let last = b + c.len_utf8() - 1;
        let (s, e) = (base.start[b], base.end[last]);
        out.text.push(o);
        for _ in 0..o.len_utf8() {
            out.start.push(s);
            out.end.push(e);
        }
    }
    out
}
