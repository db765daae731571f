//! Bundles the dashboard's script and styles (console/assets/, with uPlot from npm) with
//! esbuild into OUT_DIR; src/dashboard/assets.rs embeds them in the binary, so the
//! dashboard works without a network connection. Needs `npm ci` at the repository root.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let root = dir.parent().expect("the workspace root").to_path_buf();
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    for f in ["assets/dashboard.js", "assets/dashboard.css"] {
        println!("cargo:rerun-if-changed={}", dir.join(f).display());
    }
    let uplot = root.join("node_modules/uplot/package.json");
    println!("cargo:rerun-if-changed={}", uplot.display());
    let esbuild = root.join("node_modules/.bin/esbuild");
    if !esbuild.exists() || !uplot.exists() {
        panic!(
            "the dashboard's assets need esbuild and uPlot from npm: run `npm ci` in {} (or `make console-test`, which does)",
            root.display()
        );
    }
    let status = Command::new(&esbuild)
        .current_dir(&root)
        .arg("console/assets/dashboard.js")
        .arg("--bundle")
        .arg("--minify")
        .arg("--format=iife")
        .arg("--target=es2020")
        .arg("--legal-comments=none")
        .arg(format!("--outfile={}", out.join("dashboard.js").display()))
        .status()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", esbuild.display()));
    assert!(
        status.success(),
        "esbuild could not bundle console/assets/dashboard.js"
    );
}
