// Splits the engine's start-up in V8 without a browser, after `make wasm`:
//
//   for i in $(seq 10); do node extension/bench/engine-startup.mjs [PKG_DIR]; done
//
// One fresh process is one cold start (V8 compiles wasm functions lazily, on first call,
// as in a restarted service worker): `WebAssembly.compile`, `initSync`,
// `Engine.withDefaultPolicy()`, then the first and second check of a draft (with a link,
// or plain with PLAIN=1). Prints one JSON line of milliseconds.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const dir = path.resolve(process.argv[2] ?? "dist/pkg");
const glue = await import(pathToFileURL(path.join(dir, "draftguard.js")).href);
const bytes = fs.readFileSync(path.join(dir, "draftguard_bg.wasm"));
const draft = process.env.PLAIN
  ? "Hello world, this is a normal post about our launch next week."
  : "Hello world, this is a normal post about our launch next week. See https://example.com/x";
const t = [performance.now()];
const module = await WebAssembly.compile(bytes);
t.push(performance.now());
glue.initSync({ module });
t.push(performance.now());
const engine = glue.Engine.withDefaultPolicy();
t.push(performance.now());
engine.check(draft, "linkedin", Date.now());
t.push(performance.now());
engine.check("Another plain draft with nothing in it at all.", "linkedin", Date.now());
t.push(performance.now());
const names = ["compile", "init", "engine", "check1", "check2"];
console.log(JSON.stringify(Object.fromEntries(names.map((n, i) => [n, Math.round((t[i + 1] - t[i]) * 10) / 10]))));
