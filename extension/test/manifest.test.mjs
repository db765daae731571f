// The manifest and the managed-storage schema: the extension id admins target, the
// permissions, and exactly the keys the worker reads.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { KEYS } from "../src/background/config.js";
import { GECKO_ID, manifestFor } from "../tools/manifest.mjs";

const read = (p) => JSON.parse(readFileSync(new URL(`../${p}`, import.meta.url), "utf8"));
const manifest = read("manifest.json");
const schema = read("managed_schema.json");

test("the extension id admins target is the one the manifest key gives", () => {
  const der = Buffer.from(manifest.key, "base64");
  const hex = createHash("sha256").update(der).digest("hex").slice(0, 32);
  const id = [...hex].map((c) => String.fromCharCode("a".charCodeAt(0) + parseInt(c, 16))).join("");
  assert.equal(id, read("extension-id.json").id);
  assert.equal(id, "blfnpichnbafahbihfnffoolabgglaon");
  assert.match(der.subarray(0, 4).toString("hex"), /^3082/, "a DER SubjectPublicKeyInfo");
});

test("the manifest declares managed storage, alarms, and host access for bundle and report URLs", () => {
  assert.deepEqual(manifest.storage, { managed_schema: "managed_schema.json" });
  assert.ok(manifest.permissions.includes("alarms"));
  assert.ok(manifest.permissions.includes("storage"));
  assert.deepEqual(manifest.host_permissions, ["http://*/*", "https://*/*"]);
});

test("the managed schema declares exactly the keys the worker reads, each described", () => {
  assert.equal(schema.type, "object");
  assert.deepEqual(Object.keys(schema.properties).sort(), [...KEYS].sort());
  for (const [k, v] of Object.entries(schema.properties)) {
    assert.ok(v.description?.length > 20, `${k} has a description`);
    assert.ok(["string", "integer", "boolean", "array"].includes(v.type), `${k} has a type Chrome accepts`);
    if (v.type === "array") assert.equal(v.items.type, "string");
  }
  assert.deepEqual(schema.properties.failMode.enum, ["open", "closed"]);
});

test("the Firefox manifest: background scripts, the Gecko id, and nothing Firefox warns about", () => {
  const ff = manifestFor("firefox", manifest);
  assert.deepEqual(ff.background, { scripts: [manifest.background.service_worker], type: "module" });
  assert.equal(ff.browser_specific_settings.gecko.id, GECKO_ID);
  assert.equal(GECKO_ID, "draftguard@draftguard.dev");
  assert.equal(ff.browser_specific_settings.gecko.strict_min_version, "128.0");
  for (const key of ["key", "storage", "minimum_chrome_version"]) assert.equal(ff[key], undefined, key);
  // Everything else is the Chromium manifest's.
  const { background: _b, browser_specific_settings: _s, ...rest } = ff;
  const { background: _cb, key: _k, storage: _st, minimum_chrome_version: _m, ...chromeRest } = manifest;
  assert.deepEqual(rest, chromeRest);
  assert.deepEqual(manifestFor("chromium", manifest), manifest);
});

test("the README's admin guide targets the extension's real ids", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const firefox = readme.slice(readme.indexOf("#### Firefox: `policies.json`"));
  const example = JSON.parse(/```json\n([\s\S]*?)```/.exec(firefox)[1]);
  assert.deepEqual(Object.keys(example.policies.ExtensionSettings), [GECKO_ID]);
  assert.deepEqual(Object.keys(example.policies["3rdparty"].Extensions), [GECKO_ID]);
  assert.ok(!/draftguard@(?!draftguard\.dev)/.test(readme), "no other Gecko id in the README");
  assert.ok(readme.includes(read("extension-id.json").id));
});
