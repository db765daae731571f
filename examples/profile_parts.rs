use draftguard::{Draft, Engine, Policy, fixtures, normalize};
use std::time::Instant;
fn t<F: FnMut()>(name: &str, n: u32, mut f: F) {
    let s = Instant::now();
    for _ in 0..n {
        f();
    }
    println!(
        "{name:30} {:8.2} µs",
        s.elapsed().as_secs_f64() * 1e6 / n as f64
    );
}
fn main() {
    let text = fixtures::post(3000);
    for p in [
        normalize::Profile::Cased,
        normalize::Profile::Basic,
        normalize::Profile::Unicode,
        normalize::Profile::Full,
    ] {
        t(&format!("shadow {p:?}"), 2000, || {
            std::hint::black_box(normalize::shadow(&text, p));
        });
    }
    t("links::find", 2000, || {
        std::hint::black_box(draftguard::rules::links::find(&text));
    });
    let re = regex::Regex::new(r"(?i)\bproject\s+falcon1\b").unwrap();
    t("1 pattern", 2000, || {
        std::hint::black_box(re.find_iter(&text).count());
    });
    let set =
        regex::RegexSet::new((0..20).map(|i| format!(r"(?i)\bproject\s+falcon{i}\b"))).unwrap();
    t("regexset 20", 2000, || {
        std::hint::black_box(set.matches(&text));
    });
    let yaml = fixtures::policy_yaml(5000, 0);
    let e = Engine::new(Policy::from_yaml("b", &yaml).unwrap()).unwrap();
    t("engine no patterns", 2000, || {
        std::hint::black_box(e.check(&Draft::new(&text)));
    });
    let yaml = fixtures::policy_yaml(5000, 20);
    let e = Engine::new(Policy::from_yaml("b", &yaml).unwrap()).unwrap();
    t("engine full", 2000, || {
        std::hint::black_box(e.check(&Draft::new(&text)));
    });
}
