use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::contiguous;
use aho_corasick::{Anchored, MatchKind, StartKind};
use draftguard::{fixtures, normalize};
use std::time::Instant;

fn walk<A: Automaton>(a: &A, text: &[u8], starts: &[usize], out: &mut Vec<(usize, usize, u32)>) {
    let start = a.start_state(Anchored::Yes).unwrap();
    for &s in starts {
        let mut sid = start;
        for (i, &b) in text[s..].iter().enumerate() {
            sid = a.next_state(Anchored::Yes, sid, b);
            if a.is_dead(sid) {
                break;
            }
            if a.is_match(sid) {
                for k in 0..a.match_len(sid) {
                    let pid = a.match_pattern(sid, k);
                    if a.pattern_len(pid) == i + 1 {
                        out.push((s, s + i + 1, pid.as_u32()));
                    }
                }
            }
        }
    }
}

fn main() {
    let yaml = fixtures::policy_yaml(5000, 0);
    let phrases: Vec<String> = yaml
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("- \"")
                .map(|p| normalize::phrase(p.trim_end_matches('"'), normalize::Profile::Full))
        })
        .collect();
    let text = normalize::shadow(&fixtures::post(3000), normalize::Profile::Full).text;
    let b = text.as_bytes();
    let starts: Vec<usize> = (0..b.len())
        .filter(|&i| b[i] != b' ' && (i == 0 || !b[i - 1].is_ascii_alphanumeric()))
        .collect();
    println!("{} starts", starts.len());
    for dd in [2, 3, 6] {
        let t = Instant::now();
        let mut nfa = None;
        for _ in 0..5 {
            nfa = Some(
                contiguous::NFA::builder()
                    .match_kind(MatchKind::Standard)
                    .dense_depth(dd)
                    .build(&phrases)
                    .unwrap(),
            );
        }
        let _ = StartKind::Anchored;
        let build = t.elapsed().as_secs_f64() * 1e3 / 5.0;
        let nfa = nfa.unwrap();
        let t = Instant::now();
        let mut out = Vec::new();
        for _ in 0..5000 {
            out.clear();
            walk(&nfa, b, &starts, &mut out);
        }
        println!(
            "dd{dd} build {build:6.2} ms  search {:6.2} µs  mem {} KB  {:?}",
            t.elapsed().as_secs_f64() * 1e6 / 5000.0,
            nfa.memory_usage() / 1024,
            &out
        );
    }
}
