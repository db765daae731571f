// Which sites draftguard runs on: the admin's `enabledSites` (managed storage) lists host
// names, each matching itself and its subdomains; no list means every site. Pure: used by
// the content script and by the service worker's config normalization.

import { normalizeHost } from "./adapters.js";

const HOST_RE = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$|^\[[0-9a-f:.]+\]$/;

/**
 * A site entry as the admin may write it ("LinkedIn.com", "*.x.com", "https://x.com/home",
 * ".reddit.com") reduced to a bare host name ("linkedin.com", "x.com", "reddit.com"), or
 * null when it is not a host name.
 * @param {unknown} entry
 * @returns {string | null}
 */
export function normalizeSite(entry) {
  let s = String(entry ?? "")
    .trim()
    .toLowerCase();
  const scheme = s.indexOf("://");
  if (scheme !== -1) s = s.slice(scheme + 3);
  s = s.split(/[/?#]/)[0];
  s = s.replace(/^\*?\.+/, "");
  s = normalizeHost(s);
  return HOST_RE.test(s) ? s : null;
}

/**
 * True when `hostname` is one of `sites` or a subdomain of one; `sites` null = every site.
 * @param {string[] | null} sites
 * @param {string} hostname
 */
export function siteEnabled(sites, hostname) {
  if (sites == null) return true;
  const host = normalizeHost(hostname);
  return sites.some((s) => host === s || host.endsWith(`.${s}`));
}
