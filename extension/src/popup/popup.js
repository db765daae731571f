// The toolbar popup: the policy in force, what is flagged in the current tab's composer,
// and a switch that turns draftguard off for the current site. Built with textContent.

const $ = (id) => document.getElementById(id);

async function currentTabId() {
  const fromQuery = Number(new URLSearchParams(location.search).get("tab"));
  if (fromQuery) return fromQuery; // tests open the popup as a page for a given tab
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

function renderFindings(findings) {
  const list = $("findings");
  if (!findings.length) {
    const li = document.createElement("li");
    li.textContent = "Nothing flagged.";
    list.replaceChildren(li);
    return;
  }
  list.replaceChildren(...findings.map((f) => {
    const li = document.createElement("li");
    const sev = document.createElement("span");
    sev.className = `sev ${f.severity}`;
    sev.textContent = f.severity;
    const flagged = document.createElement("span");
    flagged.className = "flagged";
    flagged.textContent = f.text;
    const msg = document.createElement("div");
    msg.textContent = f.message;
    li.append(sev, flagged, msg);
    return li;
  }));
}

async function main() {
  const info = await chrome.runtime.sendMessage({ type: "info" });
  $("policy").textContent = info?.ok
    ? `${info.info.title ?? info.info.id} ${info.info.version ?? ""} · source: embedded default`
    : `The engine is not running: ${info?.error ?? "no answer"}`;
  $("options").addEventListener("click", (e) => { e.preventDefault(); chrome.runtime.openOptionsPage(); });

  const tabId = await currentTabId();
  let status = null;
  try {
    status = tabId ? await chrome.tabs.sendMessage(tabId, { type: "status" }) : null;
  } catch {
    status = null; // no content script here (a browser page, or the extension was just installed)
  }
  if (!status) {
    $("site-label").textContent = "draftguard does not run on this page";
    renderFindings([]);
    return;
  }
  const box = $("enabled");
  box.disabled = false;
  box.checked = status.enabled;
  $("site-label").textContent = `Check drafts on ${status.site}`;
  renderFindings(status.enabled ? status.findings : []);
  box.addEventListener("change", async () => {
    const { disabledSites = [] } = await chrome.storage.local.get("disabledSites");
    const next = box.checked ? disabledSites.filter((s) => s !== status.site) : [...new Set([...disabledSites, status.site])];
    await chrome.storage.local.set({ disabledSites: next });
    if (!box.checked) renderFindings([]);
  });
}

main();
