// Downloads a policy bundle: a conditional GET (If-None-Match with the ETag of the bundle
// in force; the HTTP cache is bypassed so the answer is the server's own), refusing a body
// larger than the engine accepts before reading it whole, and decoding it as UTF-8. With
// an enrollment token (only ever given for the admin console's own origin, see config.js
// bundleToken), the request carries `Authorization: Bearer TOKEN`.

export class FetchError extends Error {
  /**
   * `code`: "unreachable" or "http" (the bundle could not be fetched: not a refusal), or
   * "oversized" or "malformed" (what arrived is refused, like the engine's refusals).
   * @param {"unreachable" | "http" | "oversized" | "malformed"} code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/**
 * Fetches `url`. Resolves to `{ notModified: true }` on 304, else to
 * `{ notModified: false, text, etag }`; rejects with a FetchError.
 * @param {string} url
 * @param {{ etag?: string | null, token?: string | null, maxBytes: number, fetch?: typeof globalThis.fetch, timeoutMs?: number }} options
 * @returns {Promise<{ notModified: true } | { notModified: false, text: string, etag: string | null }>}
 */
export async function fetchBundle(
  url,
  { etag = null, token = null, maxBytes, fetch = globalThis.fetch, timeoutMs = 30000 },
) {
  /** @type {Record<string, string>} */
  const headers = {};
  if (etag) headers["If-None-Match"] = etag;
  if (token) headers.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(url, {
      cache: "no-store",
      credentials: "omit",
      headers,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new FetchError("unreachable", `Could not reach ${url}: ${err?.message ?? err}`);
  }
  if (res.status === 304) return { notModified: true };
  if (!res.ok) {
    await res.body?.cancel().catch(() => {});
    throw new FetchError("http", `${url} answered HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw oversized(declared, maxBytes);
  }
  const bytes = await readCapped(res, maxBytes);
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new FetchError("malformed", "The bundle is not UTF-8 text.");
  }
  return { notModified: false, text, etag: res.headers.get("etag") };
}

/**
 * The body's bytes, giving up as soon as they exceed `max` (a missing or lying
 * Content-Length does not get a huge body into memory).
 * @param {Response} res
 * @param {number} max
 */
async function readCapped(res, max) {
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw oversized(total, max, true);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * @param {number} size
 * @param {number} max
 */
function oversized(size, max, streamed = false) {
  const what = streamed ? `larger than ${max} bytes` : `${size} bytes`;
  return new FetchError("oversized", `The bundle is ${what}; the limit is ${max} bytes.`);
}
