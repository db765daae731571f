// The manifest for each browser, from the one source manifest (extension/manifest.json,
// written for Chromium). `make extension` writes dist/chromium/manifest.json and
// dist/firefox/manifest.json with it:
//
//   node extension/tools/manifest.mjs <chromium|firefox> extension/manifest.json <out.json>
//
// Firefox differs in what it accepts, not in what the extension does:
// - no extension service worker (locked off): the same module runs as a background script
//   (`background.scripts`, `type: module`), which Firefox suspends when idle just as
//   Chromium stops an idle worker;
// - the extension is named by its Gecko id (`browser_specific_settings.gecko.id`), the id
//   admins target in policies.json; Chromium's `key` (which fixes the Chrome id) means
//   nothing there and is a warning;
// - no `storage.managed_schema` (a warning: Firefox passes policies.json's `3rdparty`
//   values to storage.managed unchecked, and background/config.js checks every value's
//   type itself);
// - `minimum_chrome_version` is Chromium's; Firefox's floor is `strict_min_version`.

import fs from "node:fs";

/** The Gecko id: stable across releases, since admins' policies.json names it. */
export const GECKO_ID = "draftguard@draftguard.dev";

/**
 * Firefox 128 ESR is the oldest release with everything the extension uses: MV3 with
 * module background scripts, `storage.managed` from policies.json, `wasm-unsafe-eval`, and
 * host permissions granted at install. (Firefox before 140 has no CSS Custom Highlight API:
 * content/highlight.js then paints underlines in an overlay.)
 */
export const GECKO_MIN_VERSION = "128.0";

/**
 * The manifest for `browser`, from the source manifest.
 * @param {"chromium" | "firefox"} browser
 * @param {Record<string, any>} source
 */
export function manifestFor(browser, source) {
  if (browser === "chromium") return structuredClone(source);
  if (browser !== "firefox") throw new Error(`unknown browser "${browser}" (chromium or firefox)`);
  const { key: _key, minimum_chrome_version: _min, storage: _storage, background, ...rest } = structuredClone(source);
  if (!background?.service_worker) throw new Error("the source manifest has no background.service_worker");
  return {
    ...rest,
    background: { scripts: [background.service_worker], type: background.type ?? "module" },
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        strict_min_version: GECKO_MIN_VERSION,
        // Nothing is collected by the extension's makers: drafts stay on the machine, and
        // audit events go only to the company's own reportUrl.
        data_collection_permissions: { required: ["none"] },
      },
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [browser, src, out] = process.argv.slice(2);
  if (!browser || !src || !out) {
    console.error("usage: node extension/tools/manifest.mjs <chromium|firefox> <source manifest.json> <out.json>");
    process.exit(2);
  }
  const manifest = manifestFor(/** @type {any} */ (browser), JSON.parse(fs.readFileSync(src, "utf8")));
  fs.writeFileSync(out, `${JSON.stringify(manifest, null, 2)}\n`);
}
