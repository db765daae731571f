// The extension's one message protocol: every message the service worker, the content
// scripts and the extension's pages (toolbar popup, options page) send each other, with
// its fields and its answer; who may send which (the channels); the name of the port that
// carries checks; and every key the extension keeps in chrome.storage.local, with the
// shape of its value and the default a reader gets when nothing is stored yet.
//
// The types are JSDoc, checked by `make js-check` (TypeScript over the JavaScript, no
// build step). No other file spells a message type, the port name or a storage key
// (extension/test/layout.test.mjs holds that): they import the constants below.
//
// The channels, chosen by the sender, never by what the message claims:
//
//   page            a content script in a web page (the sender has a tab and the page's
//                   URL): `check` a draft (over the port PORT_CHECK, or by sendMessage when
//                   the port was lost), report an `audit` event, ask for the approved posts
//                   (`library`) of its platform.
//   extension-page  the popup or the options page (the sender's URL is the extension's
//                   own): `info` about the engine, the `policy-status`, `refresh` now, the
//                   approved posts (`library`).
//   tab             the popup asking the content script of one tab for its `status`.
//
// A content script in any frame (src/content/frame.js runs in every frame) reports on the
// `page` channel when the text box the user went into is one draftguard cannot check
// (`reach`); the worker shows it on the toolbar badge of that tab, and the popup asks for
// it (`tab-reach`).

// ---- What the engine answers --------------------------------------------------------

/** The severities, most severe first. */
export const SEVERITIES = Object.freeze(/** @type {const} */ (["block", "warn", "info"]));
/** @typedef {typeof SEVERITIES[number]} Severity */
/** @typedef {"enforce" | "monitor"} Mode */
/** @typedef {"open" | "closed"} FailMode */
/** @typedef {"justify" | "allow" | "never"} Override */

/**
 * A replacement the rule offers for part of the draft (UTF-16 offsets).
 * @typedef {{ start: number, end: number, replacement: string }} Suggestion
 */

/**
 * One finding, as the wasm engine's `check` returns it. `start`/`end` are UTF-16 offsets
 * into the checked text and `text` is exactly what they cover.
 * @typedef {object} Finding
 * @property {string} rule
 * @property {string} kind
 * @property {Severity} severity
 * @property {Mode} mode
 * @property {string} message
 * @property {string | null} link
 * @property {number} start
 * @property {number} end
 * @property {string} text
 * @property {Suggestion[]} suggestions
 * @property {string[]} also
 */

/**
 * The policy in force, as the wasm engine's `info` describes it.
 * @typedef {object} EngineInfo
 * @property {string} id
 * @property {string | null} version
 * @property {string | null} title
 * @property {string | null} link
 * @property {{ override: Override, fail: FailMode }} settings
 * @property {string[]} layers
 * @property {number} rules
 * @property {number} phrases
 */

/**
 * Where a placeholder left in an approved post's text is (UTF-16 offsets into `text`).
 * @typedef {{ name: string, start: number, end: number }} Placeholder
 */

/**
 * An approved post, as the wasm engine's `library` offers it: `text` is what is inserted
 * (`{link}` filled in), and the placeholders left in it are selected after insertion.
 * @typedef {object} LibraryEntry
 * @property {string} id
 * @property {string} title
 * @property {string} text
 * @property {string | null} link
 * @property {string[] | null} platforms  null: every platform
 * @property {string[]} tags
 * @property {string | null} lang
 * @property {{ from: string | null, until: string | null } | null} active
 * @property {Placeholder[]} placeholders
 */

/**
 * The signed bundle a policy came from (the wasm engine's `bundle`).
 * @typedef {{ policy: string, version: string, issuedAt: string, expiresAt: string, key: string }} BundleMeta
 */

// ---- What the worker knows about the policy ----------------------------------------

/**
 * A bundle that was refused (or the bundle in force that expired).
 * @typedef {{ code: string, message: string, at: number }} Refusal
 */

/**
 * The last attempt to get a bundle from its source.
 * @typedef {object} LastFetch
 * @property {number} at
 * @property {string | null} url
 * @property {"applied" | "unchanged" | "not-modified" | "failed" | "refused"} result
 * @property {string} [message]  why it failed
 */

/**
 * A site adapter as adapters.json and the policy's `adapters:` write one (validated by the
 * content script, content/adapters.js).
 * @typedef {import("../content/adapters.js").Adapter} SiteAdapter
 */

/**
 * The policy status the popup and the options page show (PolicyManager.status()).
 * @typedef {object} PolicyStatus
 * @property {"embedded" | "url" | "inline"} source
 * @property {string | null} url
 * @property {boolean} managed
 * @property {string | null} ring  the ring the admin put this browser in (null: not managed)
 * @property {boolean} usable  whether a usable policy is in force
 * @property {FailMode} failMode
 * @property {{ id: string, version: string | null, title: string | null, override: Override } | null} policy
 * @property {BundleMeta | null} bundle
 * @property {number | null} appliedAt
 * @property {LastFetch | null} lastFetch
 * @property {Refusal | null} refusal
 * @property {string | null} problem  why no usable policy is in force
 * @property {string[]} configProblems  what in the managed configuration cannot be used
 * @property {SiteAdapter[]} adapters  the policy's site adapters (`adapters:`), laid over the built-in ones by id
 */

/**
 * The audit queue as the options page shows it (AuditQueue.stats()).
 * @typedef {object} AuditStats
 * @property {number} queued
 * @property {number} dropped
 * @property {number} rejected  events the report server refused as malformed (400, 413, 422), set aside
 * @property {number} attempts
 * @property {number | null} nextAttemptAt
 * @property {Delivery | null} lastDelivery
 * @property {string | null} reportUrl
 * @property {boolean} token  whether an enrollment token is sent with the events
 * @property {boolean} recording
 */

/**
 * The last delivery of a batch of audit events.
 * @typedef {object} Delivery
 * @property {number} at
 * @property {boolean} ok
 * @property {number | null} status  the HTTP status, null when no answer came
 * @property {string | null} [error]
 * @property {number} count
 */

/**
 * What content scripts are told about the policy (stored under STORAGE.contentState): a
 * stamp that changes whenever the policy in force changes, whether a usable policy is in
 * force and if not the fail mode and why, the override setting, and the admin's site
 * settings (`enabledSites` null = every site).
 * @typedef {object} ContentState
 * @property {string | null} stamp
 * @property {boolean} usable
 * @property {boolean} loading  the worker is still waiting for the admin's managed configuration (first start of an install)
 * @property {FailMode} failMode
 * @property {string | null} reason
 * @property {Override} override
 * @property {string[] | null} enabledSites
 * @property {boolean} allowUserDisable
 * @property {SiteAdapter[]} adapters  the policy's site adapters: each tab lays them over the
 *   built-in ones by id and picks its adapter again, without a reload
 */

// ---- The messages -------------------------------------------------------------------

/** The message types. Senders and handlers use these, never the strings. */
export const MSG = Object.freeze(
  /** @type {const} */ ({
    check: "check",
    audit: "audit",
    info: "info",
    policyStatus: "policy-status",
    refresh: "refresh",
    tabStatus: "status",
    library: "library",
    reach: "reach",
    tabReach: "tab-reach",
  }),
);

/** The long-lived port a content script sends its checks on, as `PortRequest`s. */
export const PORT_CHECK = "draftguard-check";

/**
 * Checks `text` for `platform` (an id the engine knows) on the day of `now` (ms since the
 * epoch).
 * @typedef {{ type: typeof MSG.check, text: string, platform: string, now: number }} CheckRequest
 */

/**
 * The approved posts offered on `platform` on the day of `now` (ms since the epoch).
 * @typedef {{ type: typeof MSG.library, platform: string, now: number }} LibraryRequest
 */

/**
 * An audit event a page may report: rule ids (or an approved post's id), never text.
 * @typedef {object} PageAuditEvent
 * @property {PageAuditKind} kind
 * @property {string[]} rules
 * @property {Severity | null} severity
 * @property {string} platform
 * @property {string} [justification]  an override's reason, as the user typed it
 * @property {"no-policy"} [reason]  a post blocked because no usable policy is in force
 * @property {string} [entry]  for `library-used`: the approved post's id
 * @property {"insert" | "copy"} [action]  for `library-used`: how it was used
 */

/** @typedef {typeof PAGE_AUDIT_KINDS[number]} PageAuditKind */
/** The audit event kinds a page may report (the worker itself reports the others). */
export const PAGE_AUDIT_KINDS = Object.freeze(
  /** @type {const} */ (["blocked", "override", "monitor", "library-used"]),
);
/** Every audit event kind: what pages report, refused bundles, and this install's status. */
export const AUDIT_KINDS = Object.freeze(/** @type {const} */ ([...PAGE_AUDIT_KINDS, "bundle-refused", "status"]));
/** @typedef {typeof AUDIT_KINDS[number]} AuditKind */

/** @typedef {{ type: typeof MSG.audit, event: PageAuditEvent }} AuditRequest */
/** @typedef {{ type: typeof MSG.info }} InfoRequest */
/** @typedef {{ type: typeof MSG.policyStatus }} PolicyStatusRequest */
/** @typedef {{ type: typeof MSG.refresh }} RefreshRequest */
/** @typedef {{ type: typeof MSG.tabStatus }} TabStatusRequest */

/**
 * Where a text box the user went into is, seen from a content script: inside a closed
 * shadow root of the page (the top frame says so), inside a frame (a frame's script says
 * so: the worker decides from the sender whether that frame is another site's), or
 * somewhere draftguard checks or has no business with (null).
 * @typedef {"closed-shadow-root" | "frame" | null} ReachWhere
 */
/** @typedef {{ type: typeof MSG.reach, where: ReachWhere }} ReachRequest */
/** @typedef {{ type: typeof MSG.tabReach, tabId: number }} TabReachRequest */

/**
 * A text box on a tab that draftguard cannot check, the last the user went into.
 * @typedef {object} Unprotected
 * @property {"closed-shadow-root" | "cross-origin-frame"} reason
 * @property {string} site  the tab's host
 * @property {string | null} frameOrigin  the other site's origin, for a frame
 * @property {number} at
 */

/** What a content script may ask the worker. @typedef {CheckRequest | AuditRequest | LibraryRequest | ReachRequest} PageRequest */
/** What the popup and the options page may ask the worker. @typedef {InfoRequest | PolicyStatusRequest | RefreshRequest | LibraryRequest | TabReachRequest} ExtensionPageRequest */
/** What the popup may ask a tab's content script. @typedef {TabStatusRequest} TabRequest */

/** A request the worker refused or could not answer. @typedef {{ ok: false, error: string }} Failure */

/**
 * The findings (every mode: the page decides what to show), and how long the engine took;
 * or, with no usable policy in force, the content state that says what to do instead.
 * @typedef {{ ok: true, findings: Finding[], checkMs: number } | { ok: false, unavailable: ContentState } | Failure} CheckResponse
 */
/** Whether the event was kept (false: the browser is not managed). @typedef {{ ok: true, kept: boolean } | Failure} AuditResponse */
/**
 * @typedef {{ ok: true, info: EngineInfo | null, startupMs: number | null, status: PolicyStatus | null } | Failure} InfoResponse
 */
/**
 * The policy status, the audit queue, and this install's id (what the console knows this
 * browser by).
 * @typedef {{ ok: true, status: PolicyStatus | null, audit: AuditStats, installId: string } | Failure} PolicyStatusResponse
 */
/** The approved posts offered (none without a usable policy). @typedef {{ ok: true, entries: LibraryEntry[] } | Failure} LibraryResponse */
/** @typedef {{ ok: true } | Failure} ReachResponse */
/** @typedef {{ ok: true, unprotected: Unprotected | null } | Failure} TabReachResponse */

/**
 * What the content script of a tab answers the popup: its site, whether draftguard runs
 * there (and whether the admin or the user decided that), the platform it checks for, what
 * is flagged now, and what is wrong with the site adapter that should have served it.
 * @typedef {object} TabStatus
 * @property {string} site
 * @property {boolean} enabled
 * @property {string} platform
 * @property {{ rule: string, severity: Severity, message: string, text: string }[]} findings
 * @property {boolean} adminEnabled
 * @property {boolean} userMaySwitch
 * @property {string[]} adapterProblems
 */

/**
 * The answer to each message type.
 * @typedef {{
 *   check: CheckResponse,
 *   audit: AuditResponse,
 *   info: InfoResponse,
 *   "policy-status": PolicyStatusResponse,
 *   refresh: PolicyStatusResponse,
 *   status: TabStatus,
 *   library: LibraryResponse,
 *   reach: ReachResponse,
 *   "tab-reach": TabReachResponse,
 * }} Responses
 */

/** A message on the check port, and its answer. @typedef {{ id: number, msg: CheckRequest }} PortRequest */
/**
 * The answer to a PortRequest: a check with many findings comes as `part`s of at most
 * PORT_PART findings each, then the response with the last part in `res.findings`, so that
 * no single message takes the page long to read (a 1 MB paste can have 30,000 findings).
 * @typedef {{ id: number, res: CheckResponse } | { id: number, part: Finding[] }} PortResponse
 */
/** The most findings in one message on the check port. */
export const PORT_PART = 200;

/**
 * A channel's handlers: one per message type the channel may send, each answering with
 * that type's response.
 * @template {{ type: keyof Responses }} R
 * @typedef {{ [T in R["type"]]: (msg: Extract<R, { type: T }>, sender: chrome.runtime.MessageSender) => Promise<Responses[T]> }} Handlers
 */

/** @typedef {"page" | "extension-page"} Channel */
/** @typedef {{ page: Handlers<PageRequest>, "extension-page": Handlers<ExtensionPageRequest> }} ChannelHandlers */

/**
 * The channel a message came in on, from its sender: one of the extension's own pages
 * (its URL is under the extension's base URL `extensionUrl`, whether or not it is open in
 * a tab), a content script (it has a tab, and the page's URL), or neither (null).
 * @param {chrome.runtime.MessageSender | undefined} sender
 * @param {string} extensionUrl  chrome.runtime.getURL("")
 * @returns {Channel | null}
 */
export function channelOf(sender, extensionUrl) {
  if (sender?.url?.startsWith(extensionUrl)) return "extension-page";
  if (sender?.tab) return "page";
  return null;
}

/**
 * Answers `msg` with the handler that the sender's channel has for its type. A type the
 * channel has no handler for is refused, so who may send what is exactly the handler
 * tables.
 * @param {ChannelHandlers} handlers
 * @param {unknown} msg
 * @param {chrome.runtime.MessageSender | undefined} sender
 * @param {string} extensionUrl  chrome.runtime.getURL("")
 * @returns {Promise<Responses[keyof Responses] | Failure>}
 */
export async function dispatch(handlers, msg, sender, extensionUrl) {
  const channel = channelOf(sender, extensionUrl);
  const type = /** @type {{ type?: unknown } | null} */ (msg)?.type;
  if (!channel)
    return { ok: false, error: `request ${JSON.stringify(type)} from neither a page nor an extension page` };
  /** @type {Record<string, (msg: any, sender: chrome.runtime.MessageSender) => Promise<any>>} */
  const table = handlers[channel];
  if (typeof type !== "string" || !Object.hasOwn(table, type)) {
    return {
      ok: false,
      error: `unknown request ${JSON.stringify(type)} from ${channel === "page" ? "a page" : "an extension page"}`,
    };
  }
  return table[type](msg, /** @type {chrome.runtime.MessageSender} */ (sender));
}

/**
 * Sends a request to the service worker and resolves to its answer.
 * @template {PageRequest | ExtensionPageRequest} R
 * @param {R} msg
 * @returns {Promise<Responses[R["type"]]>}
 */
export function askWorker(msg) {
  return chrome.runtime.sendMessage(msg);
}

/**
 * Asks the content script of tab `tabId`'s top frame (the content script runs in every
 * frame, and an ad's iframe must not answer for the site); rejects when there is none (a
 * browser page, or a tab loaded before the extension was installed).
 * @param {number} tabId
 * @param {TabRequest} msg
 * @returns {Promise<TabStatus | undefined>}
 */
export function askTab(tabId, msg) {
  return chrome.tabs.sendMessage(tabId, msg, { frameId: 0 });
}

// ---- chrome.storage.local -------------------------------------------------------------

/** Every key the extension keeps in chrome.storage.local. */
export const STORAGE = Object.freeze(
  /** @type {const} */ ({
    /** ContentState: written by the worker, watched by every content script. */
    contentState: "policyState",
    /** string[]: the sites the user switched off in the popup (host names). */
    disabledSites: "disabledSites",
    /** SavedStatus: what the worker remembers about fetching and refusing bundles. */
    policyStatus: "policy.status",
    /** LastGood | null: the last bundle applied, verified again at every start. */
    lastGood: "bundle.lastGood",
    /** AuditQueueState: audit events waiting for delivery. */
    auditQueue: "audit.queue",
    /** The managed configuration as last read (raw), so a restart need not wait for it. */
    lastManaged: "managed.last",
    /** string | null: this install's random id, made once (install-id.js). */
    installId: "install.id",
    /** LastStatusReport: the last status event recorded (status-report.js). */
    lastStatusReport: "status.last",
  }),
);

/**
 * Keys the worker keeps in chrome.storage.session (gone when the browser closes).
 * `unprotected`: Record<tabId, Unprotected>, the text boxes draftguard cannot check, per
 * tab (background/unprotected.js).
 */
export const SESSION = Object.freeze(/** @type {const} */ ({ unprotected: "unprotected.tabs" }));

/**
 * What the worker remembers about its policy source across restarts.
 * @typedef {{ lastFetch: LastFetch | null, refusal: Refusal | null, appliedAt: number | null }} SavedStatus
 */

/**
 * The last bundle applied: its text, where it came from, and what it set.
 * @typedef {object} LastGood
 * @property {string} text
 * @property {string | null} etag
 * @property {string | null} url
 * @property {"url" | "inline"} origin
 * @property {string} version
 * @property {FailMode | null} fail
 * @property {number} appliedAt
 */

/**
 * An audit event as queued and delivered (audit.js makeEvent).
 * @typedef {object} AuditEvent
 * @property {string} id
 * @property {string} time
 * @property {AuditKind} kind
 * @property {string[]} rules
 * @property {Severity | null} severity
 * @property {{ id: string, version: string | null } | null} policy
 * @property {string | null} platform
 * @property {string | null} site
 * @property {string} extensionVersion
 * @property {string} installId  this install's stable random UUID
 * @property {string} ring  the ring the admin put this browser in
 * @property {string} [userHint]
 * @property {string} [justification]
 * @property {"no-policy"} [reason]
 * @property {string} [entry]  for `library-used`: the approved post's id
 * @property {"insert" | "copy"} [action]  for `library-used`
 * @property {{ code: string, message: string }} [refusal]
 * @property {{ name: string, version: string }} [browser]  `status` only
 */

/**
 * The stored audit queue.
 * @typedef {object} AuditQueueState
 * @property {AuditEvent[]} events
 * @property {number} dropped  events dropped because the queue was full, not yet reported
 * @property {number} rejected  events the report server refused one by one (400, 413, 422), set aside
 * @property {number} attempts  failed deliveries in a row
 * @property {number} nextAttemptAt  ms since the epoch; 0 = now
 * @property {Delivery | null} lastDelivery
 */

/**
 * The last status event recorded: what it said (a key made of the policy in force and the
 * ring) and when.
 * @typedef {{ key: string | null, at: number }} LastStatusReport
 */

/**
 * The value under each key.
 * @typedef {{
 *   policyState: ContentState,
 *   disabledSites: string[],
 *   "policy.status": SavedStatus,
 *   "bundle.lastGood": LastGood | null,
 *   "audit.queue": AuditQueueState,
 *   "managed.last": Record<string, unknown> | null,
 *   "install.id": string | null,
 *   "status.last": LastStatusReport,
 * }} Stored
 */

/**
 * What content scripts assume before the worker has published anything: the embedded
 * default policy, usable, on every site.
 * @type {Readonly<ContentState>}
 */
export const DEFAULT_CONTENT_STATE = Object.freeze({
  stamp: null,
  usable: true,
  loading: false,
  failMode: "open",
  reason: null,
  override: "justify",
  enabledSites: null,
  allowUserDisable: true,
  adapters: [],
});

/** @type {{ readonly [K in keyof Stored]: Stored[K] }} */
const DEFAULTS = Object.freeze({
  [STORAGE.contentState]: DEFAULT_CONTENT_STATE,
  [STORAGE.disabledSites]: [],
  [STORAGE.policyStatus]: { lastFetch: null, refusal: null, appliedAt: null },
  [STORAGE.lastGood]: null,
  [STORAGE.auditQueue]: { events: [], dropped: 0, rejected: 0, attempts: 0, nextAttemptAt: 0, lastDelivery: null },
  [STORAGE.lastManaged]: null,
  [STORAGE.installId]: null,
  [STORAGE.lastStatusReport]: { key: null, at: 0 },
});

/**
 * `value` as stored under `key`, completed with the key's default: an object default
 * fills the fields the stored object lacks (a value written by an older version reads
 * with today's shape); otherwise nothing stored gives the default. Always a fresh copy,
 * so a reader may change it.
 * @template {keyof Stored} K
 * @param {K} key
 * @param {unknown} value
 * @returns {Stored[K]}
 */
export function withDefault(key, value) {
  const def = structuredClone(DEFAULTS[key]);
  if (def !== null && typeof def === "object" && !Array.isArray(def)) {
    return /** @type {Stored[K]} */ ({ ...def, ...(value !== null && typeof value === "object" ? value : {}) });
  }
  return /** @type {Stored[K]} */ (value ?? def);
}

/**
 * The structural part of the storage API the extension uses (chrome.storage.local, or a
 * test's stand-in).
 * @typedef {{ get(keys: string | string[]): Promise<Record<string, unknown>>, set(items: Record<string, unknown>): Promise<void> }} StorageArea
 */

/**
 * Reads `key` from `area`, with its default.
 * @template {keyof Stored} K
 * @param {StorageArea} area
 * @param {K} key
 * @returns {Promise<Stored[K]>}
 */
export async function readStored(area, key) {
  const got = await area.get(key);
  return withDefault(key, got[key]);
}

/**
 * Writes `value` under `key`.
 * @template {keyof Stored} K
 * @param {StorageArea} area
 * @param {K} key
 * @param {Stored[K]} value
 * @returns {Promise<void>}
 */
export function writeStored(area, key, value) {
  return area.set({ [key]: value });
}

/**
 * Calls `fn(changed)` whenever one of `keys` changes in chrome.storage.local; `changed`
 * holds the new value (with its default) of each key that changed.
 * @template {keyof Stored} K
 * @param {K[]} keys
 * @param {(changed: Partial<Pick<Stored, K>>) => void} fn
 */
export function watchStored(keys, fn) {
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area !== "local") return;
    const hit = keys.filter((k) => Object.hasOwn(changes, k));
    if (!hit.length) return;
    fn(
      /** @type {Partial<Pick<Stored, K>>} */ (
        Object.fromEntries(hit.map((k) => [k, withDefault(k, changes[k].newValue)]))
      ),
    );
  });
}
