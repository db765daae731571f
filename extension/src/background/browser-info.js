// The browser's name and version for the daily status event (fleet adoption: which
// browsers run which policy version): Firefox's runtime.getBrowserInfo(); in Chromium
// browsers the User-Agent Client Hints (navigator.userAgentData, full version list), the
// brand chosen over the generic "Chromium" and the GREASE brands; the User-Agent string as
// the last resort.

/** @typedef {{ name: string, version: string }} BrowserInfo */

/** Brands that name a product, preferred over "Chromium" (which they all also list). */
const PRODUCT_BRANDS = ["Google Chrome", "Microsoft Edge", "Opera", "Brave", "Vivaldi", "Yandex", "HeadlessChrome"];

/**
 * The brand that names the browser in a UA-CH brand list: a known product first, then
 * "Chromium", then any brand that is not GREASE ("Not A(Brand", "Not_A Brand", ...).
 * @param {{ brand: string, version: string }[] | undefined} list
 * @returns {BrowserInfo | null}
 */
export function pickBrand(list) {
  if (!Array.isArray(list) || !list.length) return null;
  const real = list.filter((b) => typeof b?.brand === "string" && !/not.a.brand/i.test(b.brand));
  const pick =
    real.find((b) => PRODUCT_BRANDS.includes(b.brand)) ?? real.find((b) => b.brand === "Chromium") ?? real[0];
  return pick ? { name: pick.brand, version: String(pick.version ?? "") } : null;
}

/**
 * Name and version from a User-Agent string (Edge, Opera, Firefox, Chrome, in that order,
 * since each of the first ones also says "Chrome/").
 * @param {string | undefined} ua
 * @returns {BrowserInfo}
 */
export function fromUserAgent(ua = "") {
  for (const [name, re] of /** @type {[string, RegExp][]} */ ([
    ["Microsoft Edge", /\bEdg\/([\d.]+)/],
    ["Opera", /\bOPR\/([\d.]+)/],
    ["Firefox", /\bFirefox\/([\d.]+)/],
    ["HeadlessChrome", /\bHeadlessChrome\/([\d.]+)/],
    ["Chrome", /\bChrome\/([\d.]+)/],
  ])) {
    const m = ua.match(re);
    if (m) return { name, version: m[1] };
  }
  return { name: "unknown", version: "" };
}

/**
 * This browser's name and version.
 * @param {{ navigator?: any, getBrowserInfo?: () => Promise<{ name: string, version: string }> }} [env]
 * @returns {Promise<BrowserInfo>}
 */
export async function browserInfo({
  navigator: nav = globalThis.navigator,
  getBrowserInfo = firefoxBrowserInfo(),
} = {}) {
  if (typeof getBrowserInfo === "function") {
    try {
      const i = await getBrowserInfo();
      if (i?.name) return { name: String(i.name), version: String(i.version ?? "") };
    } catch {
      // fall through to what the navigator says
    }
  }
  const uad = nav?.userAgentData;
  if (uad) {
    try {
      const hi = await uad.getHighEntropyValues(["fullVersionList"]);
      const full = pickBrand(hi?.fullVersionList);
      if (full) return full;
    } catch {
      // the low-entropy brands below
    }
    const low = pickBrand(uad.brands);
    if (low) return low;
  }
  return fromUserAgent(nav?.userAgent);
}

/** Firefox's runtime.getBrowserInfo (the `browser` namespace), or undefined elsewhere. */
function firefoxBrowserInfo() {
  const runtime = /** @type {any} */ (globalThis).browser?.runtime;
  return typeof runtime?.getBrowserInfo === "function" ? () => runtime.getBrowserInfo() : undefined;
}
