//! The library's files import each other without circles.
//!
//! Every file of `src/` (the library crate, test-only code left out) is parsed with `syn`.
//! Each path a file names (`use` trees, types, expressions, patterns, macro arguments)
//! that starts with `crate::`, `super::`, `self::` or a child module is resolved to the
//! file that defines the item, following `pub use` re-exports (so `crate::Severity` is the
//! file `Severity` is written in, not `lib.rs`). A file may use what its ancestor modules
//! declare (`super::Check` in `rules/phrases.rs`: a directory's `mod.rs` is the shared
//! vocabulary of its files); every other import must point one way only. A circle is
//! reported with the imports that make it.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// One file of the module tree.
struct File {
    /// `crate::rules::phrases` as `["rules", "phrases"]`.
    module: Vec<String>,
    path: PathBuf,
    ast: syn::File,
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.meta
                .require_list()
                .is_ok_and(|l| l.tokens.to_string().split_whitespace().any(|t| t == "test"))
    })
}

/// Reads the module tree from `lib.rs`, following `mod x;` declarations (test-only ones
/// left out).
fn module_tree(src: &Path) -> Vec<File> {
    let mut out = Vec::new();
    let mut todo = vec![(Vec::<String>::new(), src.join("lib.rs"))];
    while let Some((module, path)) = todo.pop() {
        let text = std::fs::read_to_string(&path).unwrap();
        let ast = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        // Children of `a/mod.rs` and `lib.rs` live in `a/`; children of `a/b.rs` in `a/b/`.
        let dir = match path.file_name().and_then(|f| f.to_str()) {
            Some("mod.rs" | "lib.rs") => path.parent().unwrap().to_path_buf(),
            _ => path.with_extension(""),
        };
        for item in &ast.items {
            if let syn::Item::Mod(m) = item
                && m.content.is_none()
                && !is_cfg_test(&m.attrs)
            {
                let name = m.ident.to_string();
                let file = [
                    dir.join(format!("{name}.rs")),
                    dir.join(&name).join("mod.rs"),
                ]
                .into_iter()
                .find(|p| p.is_file())
                .unwrap_or_else(|| panic!("module {name} of {}", path.display()));
                let mut child = module.clone();
                child.push(name);
                todo.push((child, file));
            }
        }
        out.push(File { module, path, ast });
    }
    out
}

/// The paths one file names, as written, with whether each is a `pub use` re-export.
#[derive(Default)]
struct Names {
    /// (path segments, is a re-export, the name it is known by)
    paths: Vec<(Vec<String>, bool, String)>,
}

impl Names {
    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree, public: bool) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree, public);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let name = n.ident.to_string();
                let mut p = prefix.clone();
                if name != "self" {
                    p.push(name.clone());
                }
                let known_as = if name == "self" {
                    prefix.last().cloned().unwrap_or_default()
                } else {
                    name
                };
                self.paths.push((p, public, known_as));
            }
            syn::UseTree::Rename(r) => {
                let mut p = prefix.clone();
                p.push(r.ident.to_string());
                self.paths.push((p, public, r.rename.to_string()));
            }
            syn::UseTree::Glob(_) => self.paths.push((prefix.clone(), false, String::new())),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(prefix, t, public);
                }
            }
        }
    }
}

impl<'ast> Visit<'ast> for Names {
    fn visit_item(&mut self, i: &'ast syn::Item) {
        let attrs = match i {
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Impl(m) => &m.attrs,
            syn::Item::Use(u) => &u.attrs,
            syn::Item::Const(c) => &c.attrs,
            syn::Item::Static(s) => &s.attrs,
            syn::Item::Struct(s) => &s.attrs,
            syn::Item::Enum(e) => &e.attrs,
            syn::Item::Macro(m) => &m.attrs,
            _ => return syn::visit::visit_item(self, i),
        };
        if is_cfg_test(attrs) {
            return;
        }
        if let syn::Item::Use(u) = i {
            let public = !matches!(u.vis, syn::Visibility::Inherited);
            self.use_tree(&mut Vec::new(), &u.tree, public);
            return;
        }
        syn::visit::visit_item(self, i);
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        let segments: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
        self.paths.push((segments, false, String::new()));
        syn::visit::visit_path(self, p);
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        // `format!(...)`, `matches!(...)`, `vec![...]`: their arguments are expressions.
        let parser = syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
        if let Ok(args) = m.parse_body_with(parser) {
            for a in &args {
                self.visit_expr(a);
            }
        }
        syn::visit::visit_macro(self, m);
    }
}

struct Graph {
    files: Vec<File>,
    /// Module path → index into `files`.
    by_module: BTreeMap<Vec<String>, usize>,
    /// Per file: the names it re-exports (`pub use`), as absolute paths.
    reexports: Vec<BTreeMap<String, Vec<String>>>,
    /// Per file: every path it names, absolute where it could be made so.
    names: Vec<Vec<Vec<String>>>,
}

impl Graph {
    fn new(src: &Path) -> Graph {
        let files = module_tree(src);
        let by_module = files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.module.clone(), i))
            .collect::<BTreeMap<_, _>>();
        let mut reexports = Vec::new();
        let mut names = Vec::new();
        for f in &files {
            let mut n = Names::default();
            n.visit_file(&f.ast);
            // Names brought into scope by a `use`, so `normalize::phrase` after
            // `use crate::normalize` resolves.
            let mut scope: BTreeMap<String, Vec<String>> = BTreeMap::new();
            let mut abs = Vec::new();
            let mut re = BTreeMap::new();
            for (p, public, known_as) in &n.paths {
                let Some(a) = absolute(&f.module, p, &by_module, &scope) else {
                    continue;
                };
                if !known_as.is_empty() {
                    scope.insert(known_as.clone(), a.clone());
                    if *public {
                        re.insert(known_as.clone(), a.clone());
                        continue;
                    }
                }
                abs.push(a);
            }
            // Second pass: code paths that start with a name a later `use` brought in.
            for (p, _, known_as) in &n.paths {
                if known_as.is_empty()
                    && absolute(&f.module, p, &by_module, &BTreeMap::new()).is_none()
                    && let Some(a) = absolute(&f.module, p, &by_module, &scope)
                {
                    abs.push(a);
                }
            }
            reexports.push(re);
            names.push(abs);
        }
        Graph {
            files,
            by_module,
            reexports,
            names,
        }
    }

    /// The file that defines what `path` names, following re-exports.
    fn defining_file(&self, path: &[String], depth: usize) -> Option<usize> {
        let mut n = path.len();
        while !self.by_module.contains_key(&path[..n]) {
            n -= 1;
        }
        let file = self.by_module[&path[..n]];
        if n < path.len()
            && depth < 16
            && let Some(target) = self.reexports[file].get(&path[n])
        {
            let mut full = target.clone();
            full.extend_from_slice(&path[n + 1..]);
            return self.defining_file(&full, depth + 1).or(Some(file));
        }
        Some(file)
    }

    /// Edges: file → files it imports from, with the paths that make each edge.
    fn edges(&self) -> BTreeMap<usize, BTreeMap<usize, BTreeSet<String>>> {
        let mut out: BTreeMap<usize, BTreeMap<usize, BTreeSet<String>>> = BTreeMap::new();
        for (i, f) in self.files.iter().enumerate() {
            for p in &self.names[i] {
                let Some(t) = self.defining_file(p, 0) else {
                    continue;
                };
                let target = &self.files[t].module;
                // A file may use its own items and what its ancestors declare.
                if f.module.starts_with(target) {
                    continue;
                }
                out.entry(i)
                    .or_default()
                    .entry(t)
                    .or_default()
                    .insert(format!("crate::{}", p.join("::")));
            }
        }
        out
    }
}

/// `super::x::Y` in `crate::a::b` → `["a", "x", "Y"]`; `None` for paths outside the crate.
fn absolute(
    module: &[String],
    p: &[String],
    modules: &BTreeMap<Vec<String>, usize>,
    scope: &BTreeMap<String, Vec<String>>,
) -> Option<Vec<String>> {
    let first = p.first()?;
    let mut base: Vec<String> = match first.as_str() {
        "crate" => Vec::new(),
        "self" => module.to_vec(),
        "super" => {
            let mut m = module.to_vec();
            let mut rest = p;
            while rest.first().map(String::as_str) == Some("super") {
                m.pop()?;
                rest = &rest[1..];
            }
            m.extend_from_slice(rest);
            return Some(m);
        }
        name => {
            let mut child = module.to_vec();
            child.push(name.to_string());
            if modules.contains_key(&child) {
                module.to_vec()
            } else if let Some(a) = scope.get(name) {
                let mut full = a.clone();
                full.extend_from_slice(&p[1..]);
                return Some(full);
            } else {
                return None;
            }
        }
    };
    let skip = usize::from(matches!(first.as_str(), "crate" | "self"));
    base.extend_from_slice(&p[skip..]);
    Some(base)
}

/// Strongly connected components with more than one file (Tarjan's algorithm).
fn circles(
    n: usize,
    edges: &BTreeMap<usize, BTreeMap<usize, BTreeSet<String>>>,
) -> Vec<Vec<usize>> {
    struct T<'a> {
        edges: &'a BTreeMap<usize, BTreeMap<usize, BTreeSet<String>>>,
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        out: Vec<Vec<usize>>,
    }
    fn visit(t: &mut T<'_>, v: usize) {
        t.index[v] = Some(t.next);
        t.low[v] = t.next;
        t.next += 1;
        t.stack.push(v);
        t.on[v] = true;
        let targets: Vec<usize> = t
            .edges
            .get(&v)
            .map(|m| m.keys().copied().collect())
            .unwrap_or_default();
        for w in targets {
            match t.index[w] {
                None => {
                    visit(t, w);
                    t.low[v] = t.low[v].min(t.low[w]);
                }
                Some(iw) if t.on[w] => t.low[v] = t.low[v].min(iw),
                Some(_) => {}
            }
        }
        if Some(t.low[v]) == t.index[v] {
            let mut c = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on[w] = false;
                c.push(w);
                if w == v {
                    break;
                }
            }
            if c.len() > 1 {
                c.sort();
                t.out.push(c);
            }
        }
    }
    let mut t = T {
        edges,
        index: vec![None; n],
        low: vec![0; n],
        on: vec![false; n],
        stack: Vec::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in 0..n {
        if t.index[v].is_none() {
            visit(&mut t, v);
        }
    }
    t.out
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn no_file_imports_from_a_file_that_imports_from_it() {
    let g = Graph::new(&src());
    let edges = g.edges();
    let name = |i: usize| {
        g.files[i]
            .path
            .strip_prefix(src())
            .unwrap()
            .display()
            .to_string()
    };
    let mut report = String::new();
    for c in circles(g.files.len(), &edges) {
        report.push_str(&format!(
            "circle: {}\n",
            c.iter().map(|&i| name(i)).collect::<Vec<_>>().join(", ")
        ));
        for &a in &c {
            for (&b, via) in &edges[&a] {
                if c.contains(&b) {
                    let via: Vec<&str> = via.iter().map(String::as_str).collect();
                    report.push_str(&format!(
                        "  {} -> {} ({})\n",
                        name(a),
                        name(b),
                        via.join(", ")
                    ));
                }
            }
        }
    }
    assert!(report.is_empty(), "import circles between files:\n{report}");
}

/// The checker itself finds what it must: re-exports are followed, ancestors allowed.
#[test]
fn the_checker_resolves_reexports_and_sees_known_imports() {
    let g = Graph::new(&src());
    let edges = g.edges();
    let file = |rel: &str| {
        g.files
            .iter()
            .position(|f| f.path == src().join(rel))
            .unwrap_or_else(|| panic!("{rel} is in the module tree"))
    };
    let imports = |a: &str, b: &str| {
        edges
            .get(&file(a))
            .is_some_and(|m| m.contains_key(&file(b)))
    };
    assert!(g.files.len() > 40, "every file is read: {}", g.files.len());
    assert!(imports("engine/mod.rs", "rules/mod.rs"));
    assert!(imports("rules/phrases.rs", "engine/phrases.rs"));
    // `super::Check` in a rule kind's file is its directory's vocabulary, not an edge.
    assert!(!imports("rules/phrases.rs", "rules/mod.rs"));
    // The test helper module is left out.
    assert!(
        g.files
            .iter()
            .all(|f| !f.path.ends_with("normalize/tests.rs"))
    );
}
