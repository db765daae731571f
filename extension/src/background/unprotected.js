// The text boxes draftguard cannot check, per tab: when the user goes into one (inside a
// closed shadow root of the page, or inside a frame from another site), the toolbar badge
// of that tab says so and the popup explains it; going into a text box draftguard checks,
// or loading another page in the tab, clears it. Kept in memory and in storage.session, so
// a worker that stopped while idle still knows what the badge it left means.

import { SESSION } from "../shared/protocol.js";

/** @typedef {import("../shared/protocol.js").Unprotected} Unprotected */
/** @typedef {import("../shared/protocol.js").ReachWhere} ReachWhere */

export const BADGE_TEXT = "!";
export const BADGE_COLOR = "#b00020";
export const BADGE_TITLE = "draftguard cannot check the text box you went into on this page (click for why)";
const DEFAULT_TITLE = "draftguard";

/** @param {string | undefined} url */
const urlOf = (url) => {
  try {
    return new URL(url ?? "");
  } catch {
    return null;
  }
};

/**
 * What a `reach` report from `sender` means: a text box draftguard cannot check (with why),
 * nothing to warn about (null), or a report to ignore (undefined: a frame of the page's own
 * origin, which the page's content script reaches, or a sender without a tab).
 * @param {ReachWhere} where
 * @param {{ tab?: { id?: number, url?: string }, frameId?: number, url?: string }} sender
 * @param {number} now
 * @returns {Unprotected | null | undefined}
 */
export function judge(where, sender, now) {
  const top = urlOf(sender.tab?.url);
  if (sender.tab?.id == null || !top) return undefined;
  if (where === "closed-shadow-root" && sender.frameId === 0)
    return { reason: "closed-shadow-root", site: top.hostname, frameOrigin: null, at: now };
  if (where === "frame") {
    const frame = urlOf(sender.url);
    if (!sender.frameId || !frame || frame.origin === top.origin) return undefined;
    return { reason: "cross-origin-frame", site: top.hostname, frameOrigin: frame.origin, at: now };
  }
  if (where === null && sender.frameId === 0) return null;
  return undefined;
}

export class UnprotectedTabs {
  /** @type {Map<number, Unprotected>} */
  #tabs = new Map();
  /** @type {Promise<void> | null} */
  #loaded = null;
  #action;
  #session;

  /**
   * @param {object} seams
   * @param {Pick<typeof chrome.action, "setBadgeText" | "setBadgeBackgroundColor" | "setTitle">} seams.action
   * @param {{ get(key: string): Promise<Record<string, any>>, set(items: Record<string, unknown>): Promise<void> } | undefined} seams.session
   */
  constructor({ action, session }) {
    this.#action = action;
    this.#session = session;
  }

  #load() {
    this.#loaded ??= (async () => {
      /** @type {Record<string, any>} */
      const got = (await this.#session?.get(SESSION.unprotected).catch(() => ({}))) ?? {};
      /** @type {Record<string, Unprotected>} */
      const saved = got[SESSION.unprotected] ?? {};
      for (const [id, u] of Object.entries(saved)) if (!this.#tabs.has(Number(id))) this.#tabs.set(Number(id), u);
    })();
    return this.#loaded;
  }

  async #save() {
    await this.#session?.set({ [SESSION.unprotected]: Object.fromEntries(this.#tabs) }).catch(() => {});
  }

  /**
   * A content script's report (the protocol's `reach`) from `sender`.
   * @param {ReachWhere} where
   * @param {chrome.runtime.MessageSender} sender
   * @param {number} [now]
   */
  async report(where, sender, now = Date.now()) {
    const verdict = judge(where, sender, now);
    const tabId = sender.tab?.id;
    if (verdict === undefined || tabId == null) return;
    await this.#load();
    const before = this.#tabs.get(tabId) ?? null;
    if (verdict === null) {
      if (!before) return;
      this.#tabs.delete(tabId);
      await this.#save();
      await this.#badge(tabId, null);
      return;
    }
    this.#tabs.set(tabId, verdict);
    await this.#save();
    if (!before) await this.#badge(tabId, verdict);
  }

  /** @param {number} tabId */
  async get(tabId) {
    await this.#load();
    return this.#tabs.get(tabId) ?? null;
  }

  /**
   * The tab loaded another page (the browser resets a tab's badge then) or closed.
   * @param {number} tabId
   */
  async forget(tabId) {
    await this.#load();
    if (!this.#tabs.delete(tabId)) return;
    await this.#save();
    await this.#badge(tabId, null).catch(() => {}); // a closed tab has no badge
  }

  /**
   * @param {number} tabId
   * @param {Unprotected | null} u
   */
  async #badge(tabId, u) {
    await this.#action.setBadgeText({ tabId, text: u ? BADGE_TEXT : "" });
    if (u) await this.#action.setBadgeBackgroundColor({ tabId, color: BADGE_COLOR });
    await this.#action.setTitle({ tabId, title: u ? BADGE_TITLE : DEFAULT_TITLE });
  }
}
