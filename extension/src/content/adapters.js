// Picks the site adapter for a page and answers questions against it (is
// this element a composer, a post button, is this key press a submit), and validates and
// merges adapter lists (adapters.json plus the adapters of the policy in force, which the
// signed bundle carries: `adapters:` in the policy language).
//
// Adapters are validated where they are loaded (`selectAdapter`): each one on its own,
// its `platform` against the platforms the engine knows (the build writes them to
// platforms.json from the wasm), so one bad adapter costs only its own sites, which are
// then checked with the generic adapter, and the problem is reported with what and where.
//
// Adapters are data (see adapters.json). Nothing here touches the DOM: callers pass
// callbacks (`hasSelector(selector)`, `matches(element, selector)`), so it runs anywhere.

/**
 * A site adapter, as adapters.json gives it once validated.
 * @typedef {object} Adapter
 * @property {string} id
 * @property {string} platform  one of the platform ids the engine knows
 * @property {string[]} hosts  host patterns ("x.com", "*.x.com")
 * @property {string} [matchSelector]  picks the adapter on any host where it is present
 * @property {string[]} composer  CSS selectors of composers
 * @property {string[]} postButton  CSS selectors of post buttons
 * @property {string[]} [postButtonText]  labels of post buttons
 * @property {string[]} submitKeys  key combos that post ("Mod+Enter")
 * @property {string[]} [enterSends]  CSS selectors of composers where plain Enter (no
 *   modifier) sends, as in chat-style comment boxes; Shift+Enter still breaks the line
 */

/** `matches(element, selector)`: whether the element matches the CSS selector. @typedef {(element: any, selector: string) => boolean} Matches */
/** `hasSelector(selector)`: whether the page has an element matching it. @typedef {(selector: string) => boolean} HasSelector */
/** @typedef {{ key: string, mod: boolean, ctrl: boolean, meta: boolean, alt: boolean, shift: boolean }} KeyCombo */

const GENERIC_ID = "generic";

const FIELDS = new Set([
  "id",
  "platform",
  "hosts",
  "matchSelector",
  "composer",
  "postButton",
  "postButtonText",
  "submitKeys",
  "enterSends",
]);
/** Why a field that adapters once had is gone. @type {Record<string, string>} */
const RETIRED = { maxLength: "a length limit is the policy's `length` rule" };
const ID_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const HOST_PATTERN_RE = /^(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
/** @type {Record<string, "mod" | "ctrl" | "meta" | "alt" | "shift">} */
const MODIFIERS = {
  mod: "mod",
  ctrl: "ctrl",
  control: "ctrl",
  meta: "meta",
  cmd: "meta",
  command: "meta",
  alt: "alt",
  option: "alt",
  shift: "shift",
};

/**
 * Lower-cases a hostname and drops a port and a trailing dot ("WWW.X.com.:443" → "www.x.com").
 * @param {unknown} hostname
 */
export function normalizeHost(hostname) {
  let host = String(hostname ?? "")
    .trim()
    .toLowerCase();
  if (host.startsWith("[")) {
    const close = host.indexOf("]");
    return close === -1 ? host : host.slice(0, close + 1);
  }
  const colon = host.indexOf(":");
  if (colon !== -1) host = host.slice(0, colon);
  while (host.endsWith(".")) host = host.slice(0, -1);
  return host;
}

/**
 * True when hostname matches a host pattern: an exact host, or "*.example.com", which
 * matches any subdomain of example.com (not example.com itself, not evil-example.com).
 * @param {unknown} pattern
 * @param {unknown} hostname
 */
export function hostMatches(pattern, hostname) {
  const host = normalizeHost(hostname);
  const pat = normalizeHost(pattern);
  if (!host || !pat) return false;
  if (pat.startsWith("*.")) {
    const suffix = pat.slice(1); // ".example.com"
    return host.length > suffix.length && host.endsWith(suffix);
  }
  return host === pat;
}

/**
 * The adapter for a page: the first whose hosts match `hostname`; otherwise the first whose
 * `matchSelector` is present on the page (`hasSelector(selector)`); otherwise the generic
 * adapter (id "generic"), or null if there is none.
 * @param {Adapter[] | { adapters: Adapter[] }} adapters
 * @param {{ hostname: string, hasSelector?: HasSelector }} page
 * @returns {Adapter | null}
 */
export function matchAdapter(adapters, { hostname, hasSelector } = { hostname: "" }) {
  /** @type {Adapter[]} */
  const list = adapterList(adapters);
  return (
    list.find((a) => byHost(a, hostname)) ??
    list.find((a) => bySelector(a, hasSelector)) ??
    list.find((a) => a.id === GENERIC_ID) ??
    null
  );
}

/**
 * Whether one of the adapter's host patterns matches `hostname` (any object: an invalid
 * adapter is asked too).
 * @param {any} a
 * @param {string} hostname
 */
const byHost = (a, hostname) =>
  Array.isArray(a.hosts) && a.hosts.some((/** @type {unknown} */ p) => hostMatches(p, hostname));

/**
 * Whether the adapter's `matchSelector` is present on the page.
 * @param {any} a
 * @param {HasSelector | undefined} hasSelector
 */
const bySelector = (a, hasSelector) =>
  typeof hasSelector === "function" && Boolean(a.matchSelector) && safely(() => hasSelector(a.matchSelector));

/**
 * True when element matches one of the adapter's composer selectors.
 * @param {Adapter | null} adapter
 * @param {unknown} element
 * @param {Matches} matches
 */
export function isComposer(adapter, element, matches) {
  if (!adapter || !element) return false;
  return anySelector(adapter.composer, element, matches);
}

/**
 * True when element is the adapter's post button: it matches a postButton selector, or it
 * is button-like (<button>, role="button", <input type=submit|button>) and its trimmed,
 * lower-cased aria-label or text is one of postButtonText. Pass the button itself (e.g.
 * `target.closest('button, [role=button], input')`), not a span inside it.
 * @param {Adapter | null} adapter
 * @param {any} element  a DOM element, or anything with nodeName, getAttribute, value, textContent
 * @param {Matches} matches
 */
export function isPostButton(adapter, element, matches) {
  if (!adapter || !element) return false;
  if (anySelector(adapter.postButton, element, matches)) return true;
  const words = adapter.postButtonText;
  if (!Array.isArray(words) || words.length === 0 || !isButtonLike(element)) return false;
  const wanted = new Set(words.map(normalizeLabel));
  const name = String(element.nodeName || "").toUpperCase();
  const labels = [
    getAttr(element, "aria-label"),
    name === "INPUT" ? (element.value ?? getAttr(element, "value")) : element.textContent,
  ];
  return labels.some((l) => l != null && wanted.has(normalizeLabel(l)));
}

/**
 * True when a keydown event is one of the adapter's submitKeys, or a plain Enter (no
 * modifier) in a `composer` that matches one of the adapter's `enterSends` selectors.
 * "Mod" is Ctrl or Cmd (Meta), so "Mod+Enter" is Ctrl+Enter on Windows/Linux and Cmd+Enter
 * on macOS. Modifiers not named must be up; key presses during IME composition never count.
 * @param {Adapter | null} adapter
 * @param {Pick<KeyboardEvent, "key" | "isComposing" | "keyCode" | "altKey" | "shiftKey" | "ctrlKey" | "metaKey"> | null} event
 * @param {unknown} [composer]  the composer the key was pressed in
 * @param {Matches} [matches]
 */
export function isSubmitKey(adapter, event, composer, matches) {
  if (!adapter || !event || event.isComposing || event.keyCode === 229) return false;
  const key = String(event.key ?? "").toLowerCase();
  const plain = !event.altKey && !event.shiftKey && !event.ctrlKey && !event.metaKey;
  if (key === "enter" && plain && composer && matches && anySelector(adapter.enterSends, composer, matches))
    return true;
  return (adapter.submitKeys || []).some((spec) => {
    const combo = parseKeyCombo(spec);
    if (combo.key !== key) return false;
    if (Boolean(event.altKey) !== combo.alt || Boolean(event.shiftKey) !== combo.shift) return false;
    const ctrl = Boolean(event.ctrlKey);
    const meta = Boolean(event.metaKey);
    if (combo.mod) return (ctrl || meta) && (!combo.ctrl || ctrl) && (!combo.meta || meta);
    return ctrl === combo.ctrl && meta === combo.meta;
  });
}

/**
 * The adapter's platform name ("generic" without an adapter).
 * @param {Adapter | null} adapter
 */
export function platformOf(adapter) {
  return adapter?.platform || "generic";
}

/**
 * Parses "Mod+Enter", "Ctrl+Shift+Enter", "Enter" into { key, mod, ctrl, meta, alt, shift }.
 * @param {unknown} spec
 * @returns {KeyCombo}
 */
export function parseKeyCombo(spec) {
  if (typeof spec !== "string" || spec.trim() === "") throw new Error(`key combo ${JSON.stringify(spec)} is empty`);
  const parts = spec.split("+").map((p) => p.trim());
  const key = (parts.pop() ?? "").toLowerCase();
  if (!key || MODIFIERS[key]) throw new Error(`key combo ${JSON.stringify(spec)} has no key after its modifiers`);
  /** @type {KeyCombo} */
  const combo = { key, mod: false, ctrl: false, meta: false, alt: false, shift: false };
  for (const p of parts) {
    const m = MODIFIERS[p.toLowerCase()];
    if (!m) throw new Error(`key combo ${JSON.stringify(spec)} has unknown modifier ${JSON.stringify(p)}`);
    combo[m] = true;
  }
  return combo;
}

/**
 * Throws an Error naming the adapter and field when an adapter is malformed. With
 * `platforms` (the ids the engine knows), the adapter's platform must be one of them.
 */
/**
 * @param {any} adapter  untrusted data
 * @param {number} [index]  its place in its list, to name it when its id is bad
 * @param {{ platforms?: readonly string[] }} [options]
 * @returns {Adapter}
 */
export function validateAdapter(adapter, index = 0, { platforms } = {}) {
  if (adapter === null || typeof adapter !== "object" || Array.isArray(adapter)) {
    throw new Error(`adapter at index ${index}: must be an object`);
  }
  const idOk = typeof adapter.id === "string" && ID_RE.test(adapter.id);
  const who = idOk ? `adapter "${adapter.id}"` : `adapter at index ${index}`;
  /** @type {(field: string, problem: string) => never} */
  const fail = (field, problem) => {
    throw new Error(`${who}: field "${field}" ${problem}`);
  };
  if (!idOk) fail("id", 'must be a lower-case identifier (a-z, 0-9, "-", "_")');
  for (const key of Object.keys(adapter)) {
    if (!FIELDS.has(key)) fail(key, `is not a known adapter field${RETIRED[key] ? ` (${RETIRED[key]})` : ""}`);
  }
  if (typeof adapter.platform !== "string" || !ID_RE.test(adapter.platform))
    fail("platform", "must be a lower-case identifier");
  if (platforms && !platforms.includes(adapter.platform)) {
    fail(
      "platform",
      `(${JSON.stringify(adapter.platform)}) is not a platform the engine knows: ${platforms.join(", ")}`,
    );
  }
  if (!Array.isArray(adapter.hosts)) fail("hosts", "must be an array of host patterns");
  adapter.hosts.forEach((/** @type {unknown} */ h, /** @type {number} */ i) => {
    if (typeof h !== "string" || !HOST_PATTERN_RE.test(h.toLowerCase())) {
      fail("hosts", `entry ${i} (${JSON.stringify(h)}) must be a host like "www.example.com" or "*.example.com"`);
    }
  });
  if (adapter.matchSelector !== undefined && !nonEmptyString(adapter.matchSelector))
    fail("matchSelector", "must be a non-empty CSS selector");
  if (adapter.hosts.length === 0 && adapter.matchSelector === undefined && adapter.id !== GENERIC_ID) {
    fail("hosts", "must not be empty unless matchSelector is given");
  }
  checkStrings(adapter.composer, "composer", "CSS selectors", fail, true);
  checkStrings(adapter.postButton, "postButton", "CSS selectors", fail, false);
  if (adapter.postButtonText !== undefined)
    checkStrings(adapter.postButtonText, "postButtonText", "button labels", fail, true);
  checkStrings(adapter.submitKeys, "submitKeys", 'key combos like "Mod+Enter"', fail, false);
  if (adapter.enterSends !== undefined) checkStrings(adapter.enterSends, "enterSends", "CSS selectors", fail, false);
  adapter.submitKeys.forEach((/** @type {unknown} */ k, /** @type {number} */ i) => {
    try {
      parseKeyCombo(k);
    } catch (e) {
      fail("submitKeys", `entry ${i}: ${e.message}`);
    }
  });
  return adapter;
}

/**
 * Validates a list (or { version: 1, adapters }) and rejects duplicate ids; returns the
 * array. `platforms`, if given, are the platform ids the engine knows.
 * @param {unknown} adapters  untrusted data
 * @param {string} [what]  its name, for messages
 * @param {{ platforms?: readonly string[] }} [options]
 * @returns {Adapter[]}
 */
export function validateAdapters(adapters, what = "adapters", { platforms } = {}) {
  const list = adapterList(adapters, what);
  const seen = new Set();
  list.forEach((/** @type {any} */ a, /** @type {number} */ i) => {
    validateAdapter(a, i, { platforms });
    if (seen.has(a.id)) throw new Error(`adapter "${a.id}": field "id" is used twice in ${what}`);
    seen.add(a.id);
  });
  return list;
}

/**
 * The adapter for a page from an adapter document as loaded (`doc`, e.g. adapters.json),
 * validating each adapter on its own: an invalid one is left out, so the page gets the
 * adapter it would get without it (the generic one, unless another matches). Returns
 * `{ adapter, problems }`: `problems` names what is wrong, where, and what this page gets
 * instead, for each invalid adapter that would have matched this page (an invalid adapter
 * for other sites is not this page's problem), and for a document that is not an adapter
 * list at all.
 * @param {unknown} doc
 * @param {{ hostname: string, hasSelector?: HasSelector, platforms?: readonly string[], source?: string }} page
 *   `platforms`: the platform ids the engine knows; `source`: the document's name, for messages
 * @returns {{ adapter: Adapter | null, problems: string[] }}
 */
export function selectAdapter(doc, { hostname, hasSelector, platforms, source = "adapters.json" }) {
  let list;
  try {
    list = adapterList(doc, source);
  } catch (err) {
    return { adapter: null, problems: [`${err.message}; drafts on ${normalizeHost(hostname)} are not checked`] };
  }
  /** @type {Adapter[]} */
  const valid = [];
  /** @type {{ adapter: any, index: number, message: string }[]} */
  const invalid = [];
  const seen = new Set();
  list.forEach((/** @type {any} */ a, /** @type {number} */ i) => {
    try {
      validateAdapter(a, i, { platforms });
      if (seen.has(a.id)) throw new Error(`adapter "${a.id}": field "id" is used twice`);
      seen.add(a.id);
      valid.push(a);
    } catch (err) {
      invalid.push({ adapter: a, index: i, message: err.message });
    }
  });
  const adapter = matchAdapter(valid, { hostname, hasSelector });
  const instead = adapter
    ? `drafts on ${normalizeHost(hostname)} are checked with the "${adapter.id}" adapter instead`
    : `there is no valid generic adapter, so drafts on ${normalizeHost(hostname)} are not checked`;
  // An invalid adapter is this page's problem when, had it been valid, matchAdapter would
  // have chosen it here: it matches in an earlier pass than the adapter chosen, or in the
  // same pass from earlier in the list.
  const passOf = (/** @type {any} */ a) =>
    byHost(a, hostname) ? 0 : bySelector(a, hasSelector) ? 1 : a.id === GENERIC_ID ? 2 : 3;
  const chosen = adapter ? { pass: passOf(adapter), index: list.indexOf(adapter) } : { pass: 3, index: list.length };
  const problems = invalid
    .filter(({ adapter: a, index }) => {
      if (a === null || typeof a !== "object") return false;
      const pass = passOf(a);
      return pass < chosen.pass || (pass === chosen.pass && pass < 3 && index < chosen.index);
    })
    .map(({ message }) => `${source}: ${message}; ${instead}`);
  return { adapter, problems };
}

/**
 * Lays a policy's adapters (`patch`, from the signed bundle) over the built-in ones (`base`,
 * adapters.json as loaded): a patch adapter replaces the base adapter with the same id
 * (keeping its place in the order) or is appended. Each patch adapter is validated on its
 * own (its platform against `platforms`, the ids the engine knows): an invalid one is left
 * out, so the built-in adapter with its id (if any) stays, and `problems` says what is
 * wrong with it. The base is not validated here (selectAdapter does that per page).
 * Returns copies: `{ adapters, problems }`.
 * @param {unknown} base
 * @param {unknown} patch
 * @param {{ platforms?: readonly string[], source?: string }} [options]  `source`: the patch's name, for messages
 * @returns {{ adapters: any[], problems: { adapter: any, message: string }[] }}
 */
export function mergeAdapters(base, patch, { platforms, source = "the policy's adapters" } = {}) {
  const baseList = adapterList(base, "base");
  /** @type {{ adapter: any, message: string }[]} */
  const problems = [];
  /** @type {Map<string, Adapter>} */
  const byId = new Map();
  let patchList = [];
  try {
    patchList = adapterList(patch ?? [], source);
  } catch (err) {
    problems.push({ adapter: null, message: err.message });
  }
  patchList.forEach((/** @type {any} */ a, /** @type {number} */ i) => {
    try {
      validateAdapter(a, i, { platforms });
      if (byId.has(a.id)) throw new Error(`adapter "${a.id}": field "id" is used twice in ${source}`);
      byId.set(a.id, a);
    } catch (err) {
      problems.push({ adapter: a, message: `${source}: ${err.message}` });
    }
  });
  const out = baseList.map((a) => copyAdapter(byId.get(a?.id) ?? a));
  const baseIds = new Set(baseList.map((a) => a?.id));
  for (const a of byId.values()) if (!baseIds.has(a.id)) out.push(copyAdapter(a));
  return { adapters: out, problems };
}

/**
 * The adapter for a page from the built-in adapters (`doc`, adapters.json as loaded) with
 * the policy's adapters (`patch`) laid over them by id (mergeAdapters), as selectAdapter
 * picks it. `problems` has selectAdapter's, and each invalid policy adapter that would
 * have served this page (its hosts or matchSelector match it, or it has the id of the
 * adapter chosen), saying what this page gets instead.
 * @param {unknown} doc
 * @param {unknown} patch
 * @param {{ hostname: string, hasSelector?: HasSelector, platforms?: readonly string[] }} page
 * @returns {{ adapter: Adapter | null, problems: string[] }}
 */
export function selectPatchedAdapter(doc, patch, { hostname, hasSelector, platforms }) {
  let base;
  try {
    base = adapterList(doc, "adapters.json");
  } catch {
    return selectAdapter(doc, { hostname, hasSelector, platforms });
  }
  const merged = mergeAdapters(base, patch, { platforms });
  const picked = selectAdapter(merged.adapters, { hostname, hasSelector, platforms });
  const instead = picked.adapter
    ? `drafts on ${normalizeHost(hostname)} are checked with the "${picked.adapter.id}" adapter instead`
    : `drafts on ${normalizeHost(hostname)} are not checked`;
  const mine = merged.problems.filter(
    ({ adapter: a }) =>
      a === null ||
      (typeof a === "object" &&
        (byHost(a, hostname) || bySelector(a, hasSelector) || (picked.adapter && a.id === picked.adapter.id))),
  );
  return { adapter: picked.adapter, problems: [...picked.problems, ...mine.map((p) => `${p.message}; ${instead}`)] };
}

// ---- helpers ---------------------------------------------------------------------------

/**
 * The adapters of a list or of a `{ version: 1, adapters }` document, unvalidated.
 * @param {any} adapters
 * @returns {any[]}
 */
function adapterList(adapters, what = "adapters") {
  if (Array.isArray(adapters)) return adapters;
  if (adapters && typeof adapters === "object" && Array.isArray(adapters.adapters)) {
    if (adapters.version !== undefined && adapters.version !== 1) {
      throw new Error(`${what}: version ${JSON.stringify(adapters.version)} is not supported (expected 1)`);
    }
    return adapters.adapters;
  }
  throw new Error(`${what}: expected an array of adapters or { "version": 1, "adapters": [...] }`);
}

/**
 * @param {Adapter} a
 * @returns {Adapter}
 */
function copyAdapter(a) {
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const [k, v] of Object.entries(a)) out[k] = Array.isArray(v) ? [...v] : v;
  return /** @type {Adapter} */ (out);
}

/**
 * Fails unless `value` is an array of non-empty strings (and not empty, if `nonEmpty`).
 * @param {any} value
 * @param {string} field
 * @param {string} what
 * @param {(field: string, problem: string) => never} fail
 * @param {boolean} nonEmpty
 */
function checkStrings(value, field, what, fail, nonEmpty) {
  if (!Array.isArray(value)) fail(field, `must be an array of ${what}`);
  if (nonEmpty && value.length === 0) fail(field, `must list at least one of ${what}`);
  value.forEach((/** @type {unknown} */ v, /** @type {number} */ i) => {
    if (!nonEmptyString(v)) fail(field, `entry ${i} must be a non-empty string`);
  });
}

/** @param {unknown} v */
function nonEmptyString(v) {
  return typeof v === "string" && v.trim() !== "";
}

/**
 * @param {unknown} selectors
 * @param {unknown} element
 * @param {Matches} matches
 */
function anySelector(selectors, element, matches) {
  if (!Array.isArray(selectors) || typeof matches !== "function") return false;
  return selectors.some((s) => safely(() => matches(element, s)));
}

/**
 * A selector the page's engine rejects (SyntaxError) counts as no match.
 * @param {() => unknown} fn
 */
function safely(fn) {
  try {
    return Boolean(fn());
  } catch {
    return false;
  }
}

/**
 * @param {any} el
 * @param {string} name
 * @returns {string | null}
 */
function getAttr(el, name) {
  return typeof el.getAttribute === "function" ? el.getAttribute(name) : null;
}

/** @param {any} el */
function isButtonLike(el) {
  const name = String(el.nodeName || "").toUpperCase();
  if (name === "BUTTON") return true;
  if (name === "INPUT")
    return ["submit", "button"].includes(String(getAttr(el, "type") ?? el.type ?? "").toLowerCase());
  return String(getAttr(el, "role") ?? "").toLowerCase() === "button";
}

/** @param {unknown} s */
function normalizeLabel(s) {
  return String(s).replace(/\s+/g, " ").trim().toLowerCase();
}
