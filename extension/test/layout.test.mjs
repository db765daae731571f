// House rules for the extension's sources that no formatter checks: every JS file opens
// with a `//` header saying what it is for.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SKIP = new Set(["node_modules", "build"]);

/** Every .js and .mjs file under `dir`, relative to the extension root. */
function sources(dir = ROOT) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIP.has(e.name)) return [];
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.m?js$/.test(e.name) ? [path.relative(ROOT, p)] : [];
  });
}

test("every JS file opens with a // header", () => {
  const files = sources();
  assert.ok(files.length > 40, `found ${files.length} files`);
  const bad = files.filter((f) => !/^\/\/ \S/.test(fs.readFileSync(path.join(ROOT, f), "utf8")));
  assert.deepEqual(bad, []);
});
