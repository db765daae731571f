// Splits the engine's start-up in V8 without a browser, after `make wasm`:
//
//   for i in $(seq 10); do node extension/bench/engine-startup.mjs [PKG_DIR]; done
//
// One fresh process is one cold start (V8 compiles wasm functions lazily, on first call,
// as in a restarted service worker): `WebAssembly.compile`, `initSync`,
// `Engine.withDefaultPolicy()`, then the first and second check of a draft (with a link,
// or plain with PLAIN=1). Prints one JSON line of milliseconds.
//
//   LAZY=1 node extension/bench/engine-startup.mjs [PKG_DIR] [TOP]
//
// instead counts what V8 compiled lazily in each step (--trace-wasm-compilation-times):
// the functions and the bytes of their wasm bodies (Liftoff's work grows with them; not
// timed, so the same on a busy machine), and the TOP largest of the engine step by name
// when the module keeps its names (wasm-bindgen's output before wasm-opt, e.g.
// `wasm-bindgen --target web --out-dir /tmp/named target/wasm-size/wasm32-unknown-unknown/wasm/draftguard.wasm`).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const dir = path.resolve(process.argv[2] ?? "dist/pkg");
const names = ["compile", "init", "engine", "check1", "check2"];

if (process.env.LAZY && !process.env.DRAFTGUARD_TRACING) {
  const out = execFileSync(process.execPath, ["--trace-wasm-compilation-times", fileURLToPath(import.meta.url), dir], {
    env: { ...process.env, DRAFTGUARD_TRACING: "1" },
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  const fnNames = wasmFunctionNames(fs.readFileSync(path.join(dir, "draftguard_bg.wasm")));
  const phases = Object.fromEntries(names.map((n) => [n, { functions: 0, bytes: 0 }]));
  const engineFns = [];
  let phase = "compile";
  for (const line of out.split("\n")) {
    const marker = /^@phase (\w+)$/.exec(line);
    if (marker) phase = marker[1];
    const m = /#(\d+) using Liftoff.*bodysize (\d+)/.exec(line);
    if (!m || !phases[phase]) continue;
    phases[phase].functions++;
    phases[phase].bytes += Number(m[2]);
    if (phase === (process.env.PHASE ?? "engine"))
      engineFns.push([Number(m[2]), fnNames.get(Number(m[1])) ?? `#${m[1]}`]);
  }
  console.log(JSON.stringify(phases));
  engineFns.sort((a, b) => b[0] - a[0]);
  for (const [bytes, name] of engineFns.slice(0, Number(process.argv[3] ?? 0))) {
    console.log(String(bytes).padStart(7), name.slice(0, 140));
  }
  process.exit(0);
}

const glue = await import(pathToFileURL(path.join(dir, "draftguard.js")).href);
const bytes = fs.readFileSync(path.join(dir, "draftguard_bg.wasm"));
const draft = process.env.PLAIN
  ? "Hello world, this is a normal post about our launch next week."
  : "Hello world, this is a normal post about our launch next week. See https://example.com/x";
// When traced, each step's start goes to stdout synchronously, between V8's own lines.
const step = (i) => process.env.DRAFTGUARD_TRACING && fs.writeSync(1, `@phase ${names[i]}\n`);
step(0);
const t = [performance.now()];
const module = await WebAssembly.compile(bytes);
t.push(performance.now());
step(1);
glue.initSync({ module });
t.push(performance.now());
step(2);
const engine = glue.Engine.withDefaultPolicy();
t.push(performance.now());
step(3);
engine.check(draft, "linkedin", Date.now());
t.push(performance.now());
step(4);
engine.check("Another plain draft with nothing in it at all.", "linkedin", Date.now());
t.push(performance.now());
step(5);
console.log(JSON.stringify(Object.fromEntries(names.map((n, i) => [n, Math.round((t[i + 1] - t[i]) * 10) / 10]))));

/** Function index -> name, from the module's `name` section (empty if stripped). */
function wasmFunctionNames(buf) {
  const map = new Map();
  let p = 8;
  const leb = () => {
    let v = 0;
    let shift = 0;
    let b;
    do {
      b = buf[p++];
      v += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return v;
  };
  while (p < buf.length) {
    const id = buf[p++];
    const size = leb();
    const end = p + size;
    if (id === 0) {
      const len = leb();
      const name = buf.toString("utf8", p, p + len);
      p += len;
      while (name === "name" && p < end) {
        const sub = buf[p++];
        const subEnd = leb() + p;
        if (sub === 1) {
          for (let n = leb(); n > 0; n--) {
            const idx = leb();
            const l = leb();
            map.set(idx, buf.toString("utf8", p, p + l));
            p += l;
          }
        }
        p = subEnd;
      }
    }
    p = end;
  }
  return map;
}
