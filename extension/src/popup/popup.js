// The toolbar popup: the policy in force and its status (source, version, expiry, a refused
// update, the fail mode's warning), "Check for updates now" when the admin manages a bundle
// URL, what is flagged in the current tab's composer, what is wrong with the site adapter
// that should have served it, and a switch that turns draftguard off for the current site
// where the admin allows it, and why, when the toolbar badge says so, a text box the user
// went into on this page cannot be checked; and the "Approved posts" tab: the policy's
// approved posts for the current tab's platform, searchable by title and tag, with a
// preview and Copy (the composer's own button inserts them). Built with textContent only.

import { entryDetails, searchEntries } from "../shared/library.js";
import { askTab, askWorker, MSG, readStored, STORAGE, writeStored } from "../shared/protocol.js";
import { severityTag } from "../ui/severity.js";
import { renderLines, statusLines, unprotectedText, watchStatus } from "../ui/status.js";

/** The element with `id` (popup.html has each one). */
const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

async function currentTabId() {
  const fromQuery = Number(new URLSearchParams(location.search).get("tab"));
  if (fromQuery) return fromQuery; // tests open the popup as a page for a given tab
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

/** @param {import("../shared/protocol.js").TabStatus["findings"]} findings */
function renderFindings(findings) {
  const list = $("findings");
  if (!findings.length) {
    const li = document.createElement("li");
    li.textContent = "Nothing flagged.";
    list.replaceChildren(li);
    return;
  }
  list.replaceChildren(
    ...findings.map((f) => {
      const li = document.createElement("li");
      const sev = severityTag(f.severity, f.severity);
      const flagged = document.createElement("span");
      flagged.className = "flagged";
      flagged.textContent = f.text;
      const msg = document.createElement("div");
      msg.textContent = f.message;
      li.append(sev, flagged, msg);
      return li;
    }),
  );
}

/** @param {import("../shared/protocol.js").PolicyStatusResponse | undefined} res */
function renderStatus(res) {
  const status = res?.ok ? res.status : null;
  renderLines($("status"), statusLines(status));
  $("check-now").hidden = status?.source !== "url";
}

async function showStatus() {
  renderStatus(await askWorker({ type: MSG.policyStatus }));
}

async function checkNow() {
  const button = /** @type {HTMLButtonElement} */ ($("check-now"));
  button.disabled = true;
  button.textContent = "Checking…";
  try {
    renderStatus(await askWorker({ type: MSG.refresh }));
  } finally {
    button.disabled = false;
    button.textContent = "Check for updates now";
  }
}

/** The approved posts offered on the current tab's platform. @type {import("../shared/protocol.js").LibraryEntry[]} */
let entries = [];
/** @type {import("../shared/protocol.js").LibraryEntry | null} */
let chosen = null;
/** The current tab's platform (null: draftguard does not run there). @type {string | null} */
let platform = null;

function renderLibrary() {
  const shown = searchEntries(entries, /** @type {HTMLInputElement} */ ($("library-search")).value);
  if (!chosen || !shown.includes(chosen)) chosen = shown[0] ?? null;
  const list = $("library-list");
  list.replaceChildren(
    ...shown.map((e) => {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.entry = e.id;
      button.setAttribute("aria-pressed", String(e === chosen));
      const title = document.createElement("span");
      title.textContent = e.title;
      const details = document.createElement("span");
      details.className = "details";
      details.textContent = entryDetails(e);
      button.append(title, details);
      button.addEventListener("click", () => {
        chosen = e;
        renderLibrary();
      });
      li.append(button);
      return li;
    }),
  );
  if (!shown.length) {
    const li = document.createElement("li");
    li.textContent = entries.length ? "No approved post matches." : "No approved posts for this site.";
    list.append(li);
  }
  $("library-preview").textContent = chosen?.text ?? "";
  /** @type {HTMLButtonElement} */ ($("library-copy")).disabled = !chosen;
}

async function showLibrary() {
  if (platform === null) {
    $("library-scope").textContent = "Approved posts are offered on the sites draftguard checks.";
    entries = [];
  } else {
    const res = await askWorker({ type: MSG.library, platform, now: Date.now() });
    entries = res?.ok ? res.entries : [];
    $("library-scope").textContent =
      `For ${platform === "generic" ? "this site" : platform}: ${entries.length} post${entries.length === 1 ? "" : "s"}`;
  }
  renderLibrary();
}

async function copyChosen() {
  if (!chosen) return;
  try {
    await navigator.clipboard.writeText(chosen.text);
    $("library-note").textContent = "Copied.";
  } catch {
    $("library-note").textContent = "Could not copy: select the preview's text and copy it.";
  }
}

/** Shows tab `which` ("page" or "library"), keyboard-style (arrow keys move between tabs). @param {"page" | "library"} which */
function selectTab(which) {
  for (const name of ["page", "library"]) {
    const on = name === which;
    const tab = $(`tab-${name}`);
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`panel-${name}`).hidden = !on;
  }
  $(`tab-${which}`).focus();
  if (which === "library") $("library-search").focus();
}

async function showSite() {
  const tabId = await currentTabId();
  let status = null;
  try {
    status = tabId ? await askTab(tabId, { type: MSG.tabStatus }) : null;
  } catch {
    status = null; // no content script here (a browser page, or the extension was just installed)
  }
  const reach = tabId ? await askWorker({ type: MSG.tabReach, tabId }).catch(() => null) : null;
  const unprotected = reach?.ok ? reach.unprotected : null;
  $("unprotected").hidden = !unprotected;
  $("unprotected").textContent = unprotected ? unprotectedText(unprotected) : "";
  platform = status?.adminEnabled && status.enabled ? status.platform : null;
  showLibrary();
  if (!status) {
    $("site-label").textContent = "draftguard does not run on this page";
    renderFindings([]);
    return;
  }
  const box = /** @type {HTMLInputElement} */ ($("enabled"));
  const note = $("site-note");
  if (!status.adminEnabled) {
    $("site-label").textContent = `Your administrator has not enabled draftguard on ${status.site}`;
    renderFindings([]);
    return;
  }
  $("site-label").textContent = `Check drafts on ${status.site}`;
  const problems = $("adapter-problems");
  problems.hidden = status.adapterProblems.length === 0;
  problems.textContent = status.adapterProblems.join("\n");
  box.checked = status.enabled;
  renderFindings(status.enabled ? status.findings : []);
  if (!status.userMaySwitch) {
    note.hidden = false;
    note.textContent = "Your administrator keeps draftguard on for every site it covers.";
    return;
  }
  box.disabled = false;
  box.addEventListener("change", async () => {
    const disabledSites = await readStored(chrome.storage.local, STORAGE.disabledSites);
    const next = box.checked
      ? disabledSites.filter((s) => s !== status.site)
      : [...new Set([...disabledSites, status.site])];
    await writeStored(chrome.storage.local, STORAGE.disabledSites, next);
    if (!box.checked) renderFindings([]);
  });
}

$("options").addEventListener("click", (e) => {
  e.preventDefault();
  chrome.runtime.openOptionsPage();
});
$("check-now").addEventListener("click", checkNow);
$("tab-page").addEventListener("click", () => selectTab("page"));
$("tab-library").addEventListener("click", () => selectTab("library"));
for (const id of ["tab-page", "tab-library"]) {
  $(id).addEventListener("keydown", (e) => {
    if (e.key === "ArrowRight" || e.key === "ArrowLeft") selectTab(id === "tab-page" ? "library" : "page");
  });
}
$("library-search").addEventListener("input", renderLibrary);
$("library-copy").addEventListener("click", copyChosen);
watchStatus(showStatus);
showStatus();
showSite();
