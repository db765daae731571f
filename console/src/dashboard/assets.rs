//! The dashboard's script and styles, bundled by esbuild at build time (console/build.rs)
//! and embedded in the binary: pages load them from the console itself, never a CDN.

pub const SCRIPT: &str = include_str!(concat!(env!("OUT_DIR"), "/dashboard.js"));
pub const STYLE: &str = include_str!(concat!(env!("OUT_DIR"), "/dashboard.css"));
