// Bundles the editor-library fixture composers (fixtures/src/<editor>.js, built from the
// real npm packages) into fixtures/build/<editor>.js (+ .css) with esbuild. The harness
// runs this before serving the fixtures, so a fresh checkout only needs `npm install`.
// Also runnable by hand: node extension/e2e/build-fixtures.mjs

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const SRC = path.join(here, "fixtures", "src");
const OUT = path.join(here, "fixtures", "build");

export const EDITORS = ["lexical", "draftjs", "prosemirror", "quill"];

export async function buildFixtures() {
  await esbuild.build({
    entryPoints: EDITORS.map((e) => path.join(SRC, `${e}.js`)),
    outdir: OUT,
    bundle: true,
    format: "iife",
    target: "chrome116",
    minify: false,
    sourcemap: "linked",
    logLevel: "warning",
    define: { "process.env.NODE_ENV": '"production"', global: "window" },
    loader: { ".css": "css" },
  });
  for (const e of EDITORS) {
    if (!fs.existsSync(path.join(OUT, `${e}.js`))) throw new Error(`build-fixtures: ${e}.js was not produced`);
  }
  return OUT;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(`built ${EDITORS.join(", ")} into ${await buildFixtures()}`);
}
