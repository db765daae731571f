// `make extension`, after the wasm build: asks the engine which platform ids it knows
// (`platforms()` in the wasm), writes them to <extension>/src/platforms.json, where the
// content script checks each site adapter's `platform` against them, and refuses the build
// when the shipped adapters.json has an adapter the content script would have to drop.
//
//   node extension/tools/write-platforms.mjs dist/pkg dist/extension

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { validateAdapters } from "../src/content/adapters.js";

const [pkg, out] = process.argv.slice(2);
if (!pkg || !out) {
  console.error("usage: node extension/tools/write-platforms.mjs <wasm-bindgen output dir> <extension dir>");
  process.exit(2);
}

// The glue and its snippets (src/wasm/*.js) are ES modules without a package.json that
// says so: import a copy, next to one that does.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "draftguard-glue-"));
let platforms;
try {
  fs.writeFileSync(path.join(tmp, "package.json"), '{ "type": "module" }\n');
  fs.copyFileSync(path.join(pkg, "draftguard.js"), path.join(tmp, "draftguard.mjs"));
  fs.cpSync(path.join(pkg, "snippets"), path.join(tmp, "snippets"), { recursive: true });
  const glue = await import(pathToFileURL(path.join(tmp, "draftguard.mjs")).href);
  await glue.default({ module_or_path: fs.readFileSync(path.join(pkg, "draftguard_bg.wasm")) });
  platforms = glue.platforms();
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}

const adaptersFile = path.join(out, "src", "adapters.json");
try {
  validateAdapters(JSON.parse(fs.readFileSync(adaptersFile, "utf8")), "adapters.json", { platforms });
} catch (err) {
  console.error(`${adaptersFile}: ${err.message}`);
  process.exit(1);
}
fs.writeFileSync(path.join(out, "src", "platforms.json"), `${JSON.stringify({ platforms })}\n`);
console.log(`platforms: ${platforms.join(", ")}`);
