// Times the engine module of one or more builds in one Node process, interleaved, on the
// in-browser bench's fixtures: an A/B of build settings without a browser (Node runs the
// same V8 tiers as Chromium, a few versions behind).
//
//   cargo run --release --example bench_fixture -- dist/bench
//   make wasm && cp -r dist/pkg /tmp/a
//   CARGO_PROFILE_WASM_OPT_LEVEL=s make wasm && cp -r dist/pkg /tmp/b
//   node extension/bench/node-ab.mjs /tmp/a /tmp/b
//
// For each build and each post (300 and 3,000 characters) it prints the median of the
// rounds, in µs per check, for the phrases-only policy, the same phrases with
// `evasion: none` ("plain") and the full bench policy, and an empty draft (the fixed cost
// of a call). Builds take turns batch by batch, so the machine's
// noise hits each alike.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const fixture = path.join(root, "dist/bench");
const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error("usage: node extension/bench/node-ab.mjs PKG_DIR [PKG_DIR…]  (each a copy of dist/pkg)");
  process.exit(2);
}
const read = (name) => fs.readFileSync(path.join(fixture, name), "utf8");
const now = Date.now();
const posts = { 300: read("post-300.txt"), 3000: read("post-3000.txt") };

const builds = [];
for (const dir of dirs) {
  const { default: init, Engine } = await import(path.resolve(dir, "draftguard.js"));
  await init({ module_or_path: fs.readFileSync(path.resolve(dir, "draftguard_bg.wasm")) });
  const phrases = new Engine(read("policy-phrases.json"));
  const plain = new Engine(read("policy-phrases-plain.json"));
  const full = new Engine(read("policy.json"));
  const runs = { empty: () => phrases.check("", undefined, now) };
  for (const [len, text] of Object.entries(posts)) {
    if (!full.check(text, undefined, now).some((f) => f.text === "guaranteed returns")) {
      throw new Error(`${dir}: the planted finding is missing`);
    }
    runs[`phrases ${len}`] = () => phrases.check(text, undefined, now);
    runs[`plain ${len}`] = () => plain.check(text, undefined, now);
    runs[`full ${len}`] = () => full.check(text, undefined, now);
  }
  const bytes = fs.statSync(path.resolve(dir, "draftguard_bg.wasm")).size;
  const samples = Object.fromEntries(Object.keys(runs).map((name) => [name, []]));
  builds.push({ dir, runs, bytes, samples });
}

const BATCH = 500;
const ROUNDS = 15;
for (const b of builds) for (const fn of Object.values(b.runs)) for (let i = 0; i < BATCH; i++) fn();
for (let r = 0; r < ROUNDS; r++) {
  for (const name of Object.keys(builds[0].runs)) {
    for (const b of builds) {
      const fn = b.runs[name];
      const t = performance.now();
      for (let i = 0; i < BATCH; i++) fn();
      b.samples[name].push(((performance.now() - t) / BATCH) * 1000);
    }
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const b of builds) {
  const cells = Object.entries(b.samples).map(([name, s]) => `${name} ${median(s).toFixed(1)}`);
  console.log(`${b.dir} (${b.bytes} bytes): ${cells.join(" · ")} µs`);
}
