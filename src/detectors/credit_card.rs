//! Payment card numbers (PAN).
//!
//! A candidate is 13–19 ASCII digits written either as one unbroken run
//! (`378282246310005`) or as groups of 3–6 digits joined by single spaces or by single
//! hyphens, the same separator throughout (`4111 1111 1111 1111`, `4111-1111-1111-1111`,
//! `3782 822463 10005`). It is reported only when it
//!
//! * passes the Luhn checksum,
//! * starts with a known issuer prefix (IIN) and has a length that issuer uses: Visa `4`
//!   (13, 16, 19), Mastercard `51`–`55` and `2221`–`2720` (16), American Express `34`,
//!   `37` (15), Discover `6011`, `644`–`649`, `65` (16, 19), Diners Club `300`–`305`,
//!   `36`, `38` (14, 16), JCB `3528`–`3589` (16–19) and UnionPay `62` (16–19),
//! * is not one digit repeated (`4444 4444 ...`),
//! * is not glued to a longer token: no letter, digit or `_` right before or after it,
//!   and no `-`, `.`, `,`, `/` or `:` that joins it to another digit (`12-4111-...`,
//!   `4111111111111111.50`).
//!
//! Hyphenated numbers are taken whole (a hyphen joins groups into one token); within a
//! run of space-separated groups, any stretch of whole groups may be the card, because
//! prose can put a number right before it (`in 2024 4111 1111 1111 1111`).

use std::ops::Range;

use super::scan::{digit_run_end, free_after, free_before};
use super::{Candidates, Detector};

/// Finds payment card numbers that pass the Luhn check and match a known issuer.
pub(crate) struct CreditCard;

impl Detector for CreditCard {
    fn find_with(&self, text: &str, c: &mut dyn Candidates, out: &mut Vec<Range<usize>>) {
        let bytes = text.as_bytes();
        let mut groups: Vec<(usize, usize)> = Vec::new();
        let mut pos = 0;
        while let Some(start) = c.next_digit(bytes, pos) {
            // `start` begins a digit run: `pos` is 0 or just past a previous run.
            let sep = collect_groups(bytes, start, &mut groups);
            let run_end = groups.last().map_or(start + 1, |g| g.1);
            match sep {
                Some(b'-') => {
                    // A hyphenated number is one token: all of it or nothing.
                    if groups.len() >= 2
                        && groups.iter().all(|g| (3..=6).contains(&(g.1 - g.0)))
                        && is_card(bytes, &groups)
                        && free_before(text, start)
                        && free_after(text, run_end)
                    {
                        out.push(start..run_end);
                    }
                }
                _ => find_in_spaced_run(text, &groups, out),
            }
            pos = run_end;
        }
    }

    fn canonical(&self, matched: &str) -> String {
        matched.chars().filter(char::is_ascii_digit).collect()
    }

    fn message(&self) -> &'static str {
        "Possible payment card number: {match}. Never post card numbers."
    }
}

/// Looks for cards among the groups of a run joined by single spaces (or a lone group).
fn find_in_spaced_run(text: &str, groups: &[(usize, usize)], out: &mut Vec<Range<usize>>) {
    let bytes = text.as_bytes();
    let run_start = groups.first().map_or(0, |g| g.0);
    let run_end = groups.last().map_or(0, |g| g.1);
    let mut i = 0;
    while i < groups.len() {
        let (gs, ge) = groups[i];
        let len = ge - gs;
        // A single unbroken run of 13–19 digits.
        if (13..=19).contains(&len) {
            if is_card(bytes, &groups[i..=i])
                && (gs != run_start || free_before(text, gs))
                && (ge != run_end || free_after(text, ge))
            {
                out.push(gs..ge);
            }
            i += 1;
            continue;
        }
        // Otherwise the longest stretch of 3–6 digit groups starting here that is a card.
        let mut best: Option<usize> = None;
        let mut digits = 0;
        let mut j = i;
        while j < groups.len() {
            let glen = groups[j].1 - groups[j].0;
            if !(3..=6).contains(&glen) || digits + glen > 19 {
                break;
            }
            digits += glen;
            j += 1;
            if j - i >= 2
                && digits >= 13
                && is_card(bytes, &groups[i..j])
                && (gs != run_start || free_before(text, gs))
                && (groups[j - 1].1 != run_end || free_after(text, run_end))
            {
                best = Some(j);
            }
        }
        match best {
            Some(j) => {
                out.push(gs..groups[j - 1].1);
                i = j;
            }
            None => i += 1,
        }
    }
}

/// Collects the digit groups of the run starting at `start` into `groups`, joined by a
/// single space or hyphen (the first separator seen fixes which). Returns the separator.
fn collect_groups(bytes: &[u8], start: usize, groups: &mut Vec<(usize, usize)>) -> Option<u8> {
    groups.clear();
    let mut sep: Option<u8> = None;
    let mut i = start;
    loop {
        let gs = i;
        i = digit_run_end(bytes, i);
        groups.push((gs, i));
        let (Some(&s), Some(next)) = (bytes.get(i), bytes.get(i + 1)) else {
            break;
        };
        if (s == b' ' || s == b'-') && next.is_ascii_digit() && sep.is_none_or(|x| x == s) {
            sep = Some(s);
            i += 1;
        } else {
            break;
        }
    }
    sep
}

/// Whether the digits of `groups` form a card number: length, issuer, Luhn.
fn is_card(bytes: &[u8], groups: &[(usize, usize)]) -> bool {
    let mut buf = [0u8; 19];
    let mut n = 0;
    for &(s, e) in groups {
        for &b in &bytes[s..e] {
            if n == buf.len() {
                return false;
            }
            buf[n] = b - b'0';
            n += 1;
        }
    }
    let digits = &buf[..n];
    n >= 13 && known_issuer(digits) && !all_same(digits) && luhn(digits)
}

fn prefix(digits: &[u8], k: usize) -> u32 {
    digits
        .iter()
        .take(k)
        .fold(0, |acc, &d| acc * 10 + u32::from(d))
}

/// Whether the number starts with a known issuer prefix and has a length it issues.
fn known_issuer(d: &[u8]) -> bool {
    let n = d.len();
    let (p1, p2, p3, p4) = (prefix(d, 1), prefix(d, 2), prefix(d, 3), prefix(d, 4));
    let visa = p1 == 4 && matches!(n, 13 | 16 | 19);
    let mastercard = ((51..=55).contains(&p2) || (2221..=2720).contains(&p4)) && n == 16;
    let amex = (p2 == 34 || p2 == 37) && n == 15;
    let discover = (p4 == 6011 || (644..=649).contains(&p3) || p2 == 65) && matches!(n, 16 | 19);
    let diners = ((300..=305).contains(&p3) || p2 == 36 || p2 == 38) && matches!(n, 14 | 16);
    let jcb = (3528..=3589).contains(&p4) && (16..=19).contains(&n);
    let unionpay = p2 == 62 && (16..=19).contains(&n);
    visa || mastercard || amex || discover || diners || jcb || unionpay
}

fn all_same(d: &[u8]) -> bool {
    d.windows(2).all(|w| w[0] == w[1])
}

/// The Luhn (mod 10) checksum over digit values.
fn luhn(d: &[u8]) -> bool {
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            let x = u32::from(x);
            if i % 2 == 1 {
                let y = x * 2;
                if y > 9 { y - 9 } else { y }
            } else {
                x
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::scan::{assert_well_formed, matches};

    #[test]
    fn finds_grouped_and_plain_cards() {
        assert_eq!(
            matches(&CreditCard, "Card 4111 1111 1111 1111 exp 12/27"),
            vec!["4111 1111 1111 1111"]
        );
        assert_eq!(
            matches(&CreditCard, "card: 4111-1111-1111-1111."),
            vec!["4111-1111-1111-1111"]
        );
        assert_eq!(
            matches(&CreditCard, "amex 378282246310005!"),
            vec!["378282246310005"]
        );
        assert_eq!(
            matches(&CreditCard, "amex 3782 822463 10005"),
            vec!["3782 822463 10005"]
        );
        assert_eq!(
            matches(&CreditCard, "mc 5555555555554444"),
            vec!["5555555555554444"]
        );
        assert_eq!(
            matches(&CreditCard, "mc2 2223003122003222"),
            vec!["2223003122003222"]
        );
        assert_eq!(
            matches(&CreditCard, "mc2 2223 0031 2200 3222"),
            vec!["2223 0031 2200 3222"]
        );
        assert_eq!(
            matches(&CreditCard, "discover (6011111111111117)"),
            vec!["6011111111111117"]
        );
        assert_eq!(
            matches(&CreditCard, "diners 30569309025904"),
            vec!["30569309025904"]
        );
        assert_eq!(
            matches(&CreditCard, "jcb 3530111333300000"),
            vec!["3530111333300000"]
        );
        assert_eq!(
            matches(&CreditCard, "unionpay 6200000000000005"),
            vec!["6200000000000005"]
        );
    }

    #[test]
    fn finds_several_and_after_prose_numbers() {
        assert_eq!(
            matches(
                &CreditCard,
                "in 2024 4111 1111 1111 1111 and 5555-5555-5555-4444"
            ),
            vec!["4111 1111 1111 1111", "5555-5555-5555-4444"]
        );
    }

    #[test]
    fn rejects_traps() {
        let none: Vec<&str> = Vec::new();
        assert_eq!(matches(&CreditCard, "Order 4111 1111 1111 1112"), none);
        assert_eq!(matches(&CreditCard, "ref 9999 1234 5678 9010"), none);
        assert_eq!(matches(&CreditCard, "0000 0000 0000 0000"), none);
        assert_eq!(matches(&CreditCard, "id 1234567812345670"), none); // Luhn ok, unknown IIN
        assert_eq!(matches(&CreditCard, "x4111111111111111"), none);
        assert_eq!(matches(&CreditCard, "4111111111111111abc"), none);
        assert_eq!(matches(&CreditCard, "12-4111-1111-1111-1111"), none);
        assert_eq!(matches(&CreditCard, "4111111111111111.50"), none);
        assert_eq!(matches(&CreditCard, "4111 1111-1111 1111"), none);
        assert_eq!(matches(&CreditCard, "41111111111111111111111"), none);
        assert_eq!(matches(&CreditCard, "no digits at all"), none);
    }

    #[test]
    fn canonical_keeps_digits() {
        assert_eq!(
            CreditCard.canonical("4111-1111 1111-1111"),
            "4111111111111111"
        );
    }

    #[test]
    fn awkward_input_never_panics() {
        let long_digits = "4".repeat(10_000);
        let spaced = "4111 ".repeat(3_000);
        let inputs = [
            "",
            "💳4111111111111111💳",
            "e\u{301}4111 1111 1111 1111\u{301}",
            "بطاقة 4111 1111 1111 1111 شكرا",
            long_digits.as_str(),
            spaced.as_str(),
            "- - - -    ----",
            "4111 1111 1111 111",
            "4111 1111 1111 1111 ",
            "4111-",
        ];
        assert_well_formed(&CreditCard, &inputs);
        let mut out = Vec::new();
        CreditCard.find("💳4111111111111111💳", &mut out);
        assert_eq!(out.len(), 1);
    }
}
