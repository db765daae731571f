// The manifest and the managed-storage schema: the extension id admins target, the
// permissions, and exactly the keys the worker reads.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { KEYS } from "../src/background/config.js";

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
