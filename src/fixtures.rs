//! Deterministic benchmark fixtures: a large policy and realistic posts of any length.
//! Shared by the criterion benchmark and the in-browser benchmark so their numbers
//! describe the same work.

use crate::detectors::DetectorKind;

/// A small deterministic generator (xorshift), so fixtures and generated tests need no
/// `rand` dependency and produce the same inputs on every run.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// One of `items`, chosen uniformly.
    pub fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mer", "tin", "sa", "vor", "del", "qui", "ran", "bel", "tor", "zen", "mi", "pra",
    "gal", "dun", "fe", "hol", "jas", "nix", "ort", "pel", "rud", "sol", "tev", "ul", "wim", "yar",
    "zo", "bra", "cle", "dro",
];

fn word(rng: &mut Rng) -> String {
    let n = 2 + rng.below(3);
    (0..n)
        .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
        .collect()
}

/// The benchmark policy: `phrases` distinct phrases (1–3 invented words, so they never
/// match by accident except the few planted in [`post`]), every detector, and `patterns`
/// pattern rules.
pub fn policy_yaml(phrases: usize, patterns: usize) -> String {
    let mut rng = Rng(0x5eed_cafe_f00d_d00d);
    let mut seen = std::collections::HashSet::new();
    let mut y = String::from("policy: bench\nversion: \"1\"\nrules:\n");
    let per_rule = 500;
    let mut made = 0;
    let mut rule = 0;
    while made < phrases {
        y.push_str(&format!(
            "  - id: phrases-{rule}\n    kind: phrases\n    phrases:\n"
        ));
        if rule == 0 {
            y.push_str("      - \"guaranteed returns\"\n      - \"risk-free\"\n");
            made += 2;
        }
        let mut in_rule = 0;
        while in_rule < per_rule && made < phrases {
            let n = 1 + rng.below(3);
            let p: Vec<String> = (0..n).map(|_| word(&mut rng)).collect();
            let p = p.join(" ");
            if seen.insert(p.clone()) {
                y.push_str(&format!("      - \"{p}\"\n"));
                made += 1;
                in_rule += 1;
            }
        }
        rule += 1;
    }
    for d in DetectorKind::ALL {
        y.push_str(&format!(
            "  - {{id: det-{0}, kind: detector, detector: {0}}}\n",
            d.name()
        ));
    }
    let stems = ["falcon", "osprey", "merlin", "kestrel", "harrier"];
    for i in 0..patterns {
        y.push_str(&format!(
            "  - {{id: pattern-{i}, kind: pattern, pattern: '(?i)\\bproject\\s+{}{i}\\b'}}\n",
            stems[i % stems.len()]
        ));
    }
    y.push_str("  - {id: links, kind: links, deny_domains: [\"@shorteners\"]}\n");
    y.push_str(
        "  - {id: near, kind: near, a: [\"text me\", \"dm me\"], b: [whatsapp, telegram]}\n",
    );
    y
}

const SENTENCES: &[&str] = &[
    "Thrilled to share that our team just wrapped up a fantastic quarter working with clients across the region.",
    "We spent the week listening to customers and learning what they need from their bank.",
    "Huge thanks to everyone who joined the community volunteering day on Saturday!",
    "If you are looking for a career in operations, we are hiring: see careers.acme.example for details.",
    "Reminder that markets go up and down, and past performance is no promise of future results.",
    "Our new branch opens on Main Street next month, with longer hours and a coffee bar.",
    "Proud of the #AcmeEmployee volunteers who raised money for the food bank.",
    "Call us at (212) 555-0187 or write to press@acme.example with questions.",
    "The conference in Chicago was a great chance to meet peers and talk about fraud prevention.",
    "Congratulations to @jane_doe on ten years with the team, what a milestone.",
];

/// A realistic English post of about `len` bytes with a few numbers, an e-mail, a
/// mention, a hashtag and a link, plus two planted findings ("guaranteed returns" and a
/// shortened link).
pub fn post(len: usize) -> String {
    let mut s =
        String::from("Honest question: who still promises guaranteed returns? See bit.ly/abc123. ");
    let mut i = 0;
    while s.len() < len {
        s.push_str(SENTENCES[i % SENTENCES.len()]);
        s.push(' ');
        i += 1;
    }
    let mut cut = len.min(s.len());
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    s.truncate(cut);
    s
}
