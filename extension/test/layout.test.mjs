// House rules for the extension's sources that no formatter checks: every JS file opens
// with a `//` header saying what it is for, and message types, the port name and storage
// keys are spelled only in the protocol module (everyone else imports its constants).

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { MSG, PORT_CHECK, STORAGE } from "../src/shared/protocol.js";

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

test("message types, the port name and storage keys are spelled only in shared/protocol.js", () => {
  const quoted = (s) => `["'\`]${s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}["'\`]`;
  // Storage keys and the port name are distinctive: no quoted copy, no property access
  // (but STORAGE.disabledSites, whose constant is named like its key, and a spread).
  const names = [PORT_CHECK, ...Object.values(STORAGE)].map((k) => ({
    what: k,
    re: new RegExp(`${quoted(k)}|(?<!STORAGE|\\.\\.)\\.${k.replace(/\./g, "\\.")}\\b`),
  }));
  // Message types are common words ("info" is also a severity): look for them where a
  // message is built or told apart.
  const types = Object.values(MSG).map((t) => ({
    what: `message type ${t}`,
    re: new RegExp(`type\\s*(?::|===|!==)\\s*${quoted(t)}|case\\s+${quoted(t)}`),
  }));
  const found = [];
  for (const f of sources(path.join(ROOT, "src"))) {
    if (f === path.join("src", "shared", "protocol.js")) continue;
    const text = fs.readFileSync(path.join(ROOT, f), "utf8");
    for (const { what, re } of [...names, ...types]) if (re.test(text)) found.push(`${f}: ${what}`);
  }
  assert.deepEqual(found, []);
});
