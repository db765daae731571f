// Text boxes draftguard cannot check (background/unprotected.js, ui/status.js): which
// reports count, the toolbar badge of the tab they set and clear, and what the popup says.

import assert from "node:assert/strict";
import { test } from "node:test";
import { BADGE_COLOR, BADGE_TEXT, BADGE_TITLE, judge, UnprotectedTabs } from "../src/background/unprotected.js";
import { unprotectedText } from "../src/ui/status.js";

const TOP = {
  tab: { id: 7, url: "https://social.acme.example/feed" },
  frameId: 0,
  url: "https://social.acme.example/feed",
};
const frame = (url) => ({ ...TOP, frameId: 3, url });

test("judge: closed shadow roots of the page, frames of other sites; own-origin frames and tab-less senders are ignored", () => {
  assert.deepEqual(judge("closed-shadow-root", TOP, 5), {
    reason: "closed-shadow-root",
    site: "social.acme.example",
    frameOrigin: null,
    at: 5,
  });
  assert.deepEqual(judge("frame", frame("https://widgets.example:8443/box"), 5), {
    reason: "cross-origin-frame",
    site: "social.acme.example",
    frameOrigin: "https://widgets.example:8443",
    at: 5,
  });
  assert.equal(judge("frame", frame("https://social.acme.example/embedded"), 5), undefined);
  assert.equal(judge("frame", TOP, 5), undefined, "the top page is not a frame");
  assert.equal(judge("closed-shadow-root", frame("https://widgets.example/"), 5), undefined);
  assert.equal(judge(null, TOP, 5), null);
  assert.equal(judge(null, frame("https://widgets.example/"), 5), undefined);
  assert.equal(judge("frame", { frameId: 3, url: "https://widgets.example/" }, 5), undefined);
});

function fakeAction() {
  const calls = [];
  const badge = new Map();
  return {
    calls,
    badge,
    action: {
      setBadgeText: async ({ tabId, text }) => {
        calls.push(["text", tabId, text]);
        badge.set(tabId, text);
      },
      setBadgeBackgroundColor: async ({ tabId, color }) => calls.push(["color", tabId, color]),
      setTitle: async ({ tabId, title }) => calls.push(["title", tabId, title]),
    },
  };
}

function fakeSession() {
  const data = {};
  return { data, get: async (k) => ({ [k]: data[k] }), set: async (items) => Object.assign(data, items) };
}

test("the tab's badge says so while the last text box the user went into cannot be checked", async () => {
  const { action, calls, badge } = fakeAction();
  const session = fakeSession();
  const tabs = new UnprotectedTabs({ action, session });
  await tabs.report("frame", frame("https://widgets.example/"), 1);
  assert.equal(badge.get(7), BADGE_TEXT);
  assert.deepEqual(calls, [
    ["text", 7, BADGE_TEXT],
    ["color", 7, BADGE_COLOR],
    ["title", 7, BADGE_TITLE],
  ]);
  assert.equal((await tabs.get(7)).frameOrigin, "https://widgets.example");
  // A worker started again (it stopped while idle) still knows.
  const again = new UnprotectedTabs({ action, session });
  assert.equal((await again.get(7)).reason, "cross-origin-frame");
  // The same report again changes nothing on screen.
  await again.report("frame", frame("https://widgets.example/"), 2);
  assert.equal(calls.length, 3);
  // A frame of the page's own origin does not clear it; a checked text box does.
  await again.report("frame", frame("https://social.acme.example/x"), 3);
  assert.equal(badge.get(7), BADGE_TEXT);
  await again.report(null, TOP, 4);
  assert.equal(badge.get(7), "");
  assert.deepEqual(calls.at(-1), ["title", 7, "draftguard"]);
  assert.equal(await again.get(7), null);
  await again.report("closed-shadow-root", TOP, 5);
  assert.equal(badge.get(7), BADGE_TEXT);
  await again.forget(7);
  assert.equal(badge.get(7), "");
  assert.deepEqual(session.data["unprotected.tabs"], {});
});

test("the popup explains each case in plain words", () => {
  assert.equal(
    unprotectedText({ reason: "closed-shadow-root", site: "a.example", frameOrigin: null, at: 0 }),
    "draftguard cannot check the text box you went into on a.example: the site built it inside a closed shadow root, which browser extensions cannot see into. What you type there is not checked against your company's policy. Please tell your administrator about this page.",
  );
  assert.equal(
    unprotectedText({ reason: "cross-origin-frame", site: "a.example", frameOrigin: "https://b.example", at: 0 }),
    "draftguard cannot check the text box you went into on a.example: it is inside a frame from another site (https://b.example), which draftguard does not check. What you type there is not checked against your company's policy. Please tell your administrator about this page.",
  );
});
