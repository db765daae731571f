// Site adapters (src/content/adapters.js and src/adapters.json): host matching, composer,
// post-button and submit-key detection, validation with errors that name the adapter and
// field, and laying the policy's adapters over the built-in ones by id.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  hostMatches,
  isComposer,
  isPostButton,
  isSubmitKey,
  matchAdapter,
  mergeAdapters,
  normalizeHost,
  parseKeyCombo,
  platformOf,
  selectAdapter,
  selectPatchedAdapter,
  validateAdapter,
  validateAdapters,
} from "../src/content/adapters.js";
import { h } from "./fakedom.mjs";

const DOC = JSON.parse(readFileSync(new URL("../src/adapters.json", import.meta.url), "utf8"));
const ADAPTERS = DOC.adapters;
const byId = (id) => ADAPTERS.find((a) => a.id === id);

/** A fake element that "matches" exactly the selectors it is given. */
function el(tag, attrs, children, selectors = []) {
  const e = h(tag, attrs, ...(children ?? []));
  e.selectors = new Set(selectors);
  return e;
}
const matches = (e, s) => e.selectors.has(s);

test("adapters.json is version 1 and every adapter validates", () => {
  assert.equal(DOC.version, 1);
  assert.deepEqual(Object.keys(DOC), ["version", "adapters"]);
  assert.equal(validateAdapters(DOC), ADAPTERS);
  assert.deepEqual(
    ADAPTERS.map((a) => a.id),
    ["linkedin", "x", "facebook", "instagram", "threads", "reddit", "bluesky", "youtube", "mastodon", "generic"],
  );
  assert.deepEqual(byId("generic").composer, [
    "textarea",
    "[contenteditable='true']",
    "[contenteditable='']",
    "[role='textbox']",
  ]);
  assert.deepEqual(byId("generic").postButtonText, ["post", "tweet", "reply", "share", "send", "comment", "publish"]);
  assert.equal(byId("mastodon").matchSelector, "meta[content*='Mastodon'], #mastodon");
  assert.deepEqual(byId("x").postButton, ["[data-testid='tweetButton']", "[data-testid='tweetButtonInline']"]);
  // Length limits are the policy's `length` rules, not the adapters'.
  assert.ok(ADAPTERS.every((a) => !("maxLength" in a)));
});

test("each platform is matched by its hosts", () => {
  const cases = {
    "www.linkedin.com": "linkedin",
    "linkedin.com": "linkedin",
    "de.linkedin.com": "linkedin",
    "x.com": "x",
    "mobile.x.com": "x",
    "twitter.com": "x",
    "mobile.twitter.com": "x",
    "www.facebook.com": "facebook",
    "m.facebook.com": "facebook",
    "facebook.com": "facebook",
    "www.instagram.com": "instagram",
    "instagram.com": "instagram",
    "www.threads.net": "threads",
    "threads.net": "threads",
    "threads.com": "threads",
    "www.threads.com": "threads",
    "www.reddit.com": "reddit",
    "old.reddit.com": "reddit",
    "sh.reddit.com": "reddit",
    "bsky.app": "bluesky",
    "www.youtube.com": "youtube",
    "m.youtube.com": "youtube",
  };
  for (const [hostname, id] of Object.entries(cases)) {
    assert.equal(matchAdapter(ADAPTERS, { hostname, hasSelector: () => false }).id, id, hostname);
  }
});

test("host matching is case-insensitive and ignores port and trailing dot", () => {
  assert.equal(matchAdapter(DOC, { hostname: "WWW.LinkedIn.COM." }).id, "linkedin");
  assert.equal(matchAdapter(DOC, { hostname: "www.linkedin.com:443" }).id, "linkedin");
  assert.equal(matchAdapter(DOC, { hostname: "bsky.app.:8080" }).id, "bluesky");
  assert.equal(normalizeHost("Example.COM.:8443"), "example.com");
  assert.equal(normalizeHost("[::1]:8080"), "[::1]");
});

test("lookalike hosts do not match", () => {
  assert.equal(hostMatches("*.linkedin.com", "evil-linkedin.com"), false);
  assert.equal(hostMatches("*.linkedin.com", "linkedin.com"), false);
  assert.equal(hostMatches("*.linkedin.com", "a.b.linkedin.com"), true);
  assert.equal(hostMatches("linkedin.com", "linkedin.com.evil.net"), false);
  assert.equal(hostMatches("*.linkedin.com", ""), false);
  for (const hostname of [
    "evil-linkedin.com",
    "linkedin.com.evil.net",
    "notx.com",
    "x.co",
    "bsky.app.evil.io",
    "fakebsky.app",
  ]) {
    assert.equal(matchAdapter(ADAPTERS, { hostname, hasSelector: () => false }).id, "generic", hostname);
  }
});

test("Mastodon is matched by page markers, not host", () => {
  const seen = [];
  const hasSelector = (s) => {
    seen.push(s);
    return s === "meta[content*='Mastodon'], #mastodon";
  };
  assert.equal(matchAdapter(ADAPTERS, { hostname: "mastodon.social", hasSelector }).id, "mastodon");
  assert.deepEqual(seen, ["meta[content*='Mastodon'], #mastodon"]);
  assert.equal(matchAdapter(ADAPTERS, { hostname: "mastodon.social", hasSelector: () => false }).id, "generic");
  assert.equal(matchAdapter(ADAPTERS, { hostname: "mastodon.social" }).id, "generic");
  // A host match wins without querying the page.
  const none = [];
  assert.equal(matchAdapter(ADAPTERS, { hostname: "x.com", hasSelector: (s) => none.push(s) > 0 }).id, "x");
  assert.deepEqual(none, []);
  // A selector the page rejects counts as absent.
  const throws = () => {
    throw new SyntaxError("bad selector");
  };
  assert.equal(matchAdapter(ADAPTERS, { hostname: "example.org", hasSelector: throws }).id, "generic");
});

test("generic fallback, and null without one", () => {
  assert.equal(matchAdapter(ADAPTERS, { hostname: "forum.example.org", hasSelector: () => false }).id, "generic");
  assert.equal(
    matchAdapter(
      ADAPTERS.filter((a) => a.id !== "generic"),
      { hostname: "example.org" },
    ),
    null,
  );
  assert.equal(matchAdapter([], { hostname: "x.com" }), null);
  assert.throws(() => matchAdapter("nope", { hostname: "x.com" }), {
    message: 'adapters: expected an array of adapters or { "version": 1, "adapters": [...] }',
  });
});

test("isComposer checks the adapter selectors", () => {
  const x = byId("x");
  assert.equal(isComposer(x, el("div", {}, [], ["[data-testid='tweetTextarea_0']"]), matches), true);
  assert.equal(isComposer(x, el("div", {}, [], ["textarea"]), matches), false);
  assert.equal(isComposer(byId("generic"), el("textarea", {}, [], ["textarea"]), matches), true);
  assert.equal(isComposer(byId("bluesky"), el("div", {}, [], [".ProseMirror"]), matches), true);
  assert.equal(isComposer(x, null, matches), false);
  assert.equal(
    isComposer(x, el("div"), () => {
      throw new SyntaxError("x");
    }),
    false,
  );
});

test("post buttons by selector", () => {
  const x = byId("x");
  assert.equal(isPostButton(x, el("button", {}, ["Post"], ["[data-testid='tweetButton']"]), matches), true);
  assert.equal(isPostButton(x, el("button", {}, ["Post"], ["[data-testid='tweetButtonInline']"]), matches), true);
  assert.equal(isPostButton(x, el("button", {}, ["Post"]), matches), false); // X has no text fallback
  assert.equal(
    isPostButton(byId("bluesky"), el("button", {}, [], ["[data-testid='composerPublishBtn']"]), matches),
    true,
  );
  assert.equal(
    isPostButton(byId("linkedin"), el("button", {}, ["Post"], [".share-actions__primary-action"]), matches),
    true,
  );
});

test("generic post buttons by trimmed lower-case text or aria-label", () => {
  const g = byId("generic");
  const yes = [
    el("button", {}, ["  Post "]),
    el("button", {}, [h("span", null, "Tweet")]),
    el("div", { role: "button", "aria-label": "Reply" }, []),
    el("button", { "aria-label": "Publish" }, [h("svg")]),
    el("input", { type: "submit", value: "Send" }),
    el("button", {}, ["\n  SHARE\n"]),
    el("button", {}, ["Comment"]),
  ];
  const no = [
    el("span", {}, ["Post"]), // not a button
    el("button", {}, ["Posting rules"]),
    el("button", {}, ["Cancel"]),
    el("input", { type: "text", value: "post" }),
    el("div", { role: "link" }, ["Reply"]),
  ];
  assert.deepEqual(
    yes.map((e) => isPostButton(g, e, matches)),
    [true, true, true, true, true, true, true],
  );
  assert.deepEqual(
    no.map((e) => isPostButton(g, e, matches)),
    [false, false, false, false, false],
  );
  assert.equal(isPostButton(byId("threads"), el("div", { role: "button" }, ["Post"]), matches), true);
  assert.equal(isPostButton(g, null, matches), false);
});

test("Mod+Enter is Ctrl+Enter on PC and Cmd+Enter on Mac", () => {
  const x = byId("x");
  const key = (over) => ({ key: "Enter", ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...over });
  assert.equal(isSubmitKey(x, key({ ctrlKey: true })), true);
  assert.equal(isSubmitKey(x, key({ metaKey: true })), true);
  assert.equal(isSubmitKey(x, key({})), false);
  assert.equal(isSubmitKey(x, key({ shiftKey: true })), false);
  assert.equal(isSubmitKey(x, key({ ctrlKey: true, shiftKey: true })), false);
  assert.equal(isSubmitKey(x, key({ metaKey: true, altKey: true })), false);
  assert.equal(isSubmitKey(x, key({ ctrlKey: true, isComposing: true })), false);
  assert.equal(isSubmitKey(x, key({ ctrlKey: true, keyCode: 229 })), false);
  assert.equal(isSubmitKey(x, key({ key: "a", ctrlKey: true })), false);
  assert.equal(isSubmitKey(null, key({ ctrlKey: true })), false);
  const plainEnter = { ...x, submitKeys: ["Enter", "Ctrl+Shift+S"] };
  assert.equal(isSubmitKey(plainEnter, key({})), true);
  assert.equal(isSubmitKey(plainEnter, key({ ctrlKey: true })), false);
  assert.equal(isSubmitKey(plainEnter, key({ key: "s", ctrlKey: true, shiftKey: true })), true);
  assert.equal(isSubmitKey(plainEnter, key({ key: "S", metaKey: true, shiftKey: true })), false);
});

test("plain Enter sends only in the composers an adapter lists in enterSends", () => {
  const fb = byId("facebook");
  const COMMENT = "form [contenteditable='true'][role='textbox'][aria-label*='comment' i]";
  const comment = el("div", { role: "textbox" }, [], [COMMENT]);
  const postBox = el("div", { role: "textbox" }, [], ["div[role='dialog'] [contenteditable='true'][role='textbox']"]);
  const key = (over) => ({ key: "Enter", ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...over });
  assert.deepEqual(fb.enterSends, [COMMENT]);
  assert.equal(isSubmitKey(fb, key({}), comment, matches), true, "Enter in a comment box sends");
  assert.equal(isSubmitKey(fb, key({ shiftKey: true }), comment, matches), false, "Shift+Enter breaks the line");
  assert.equal(isSubmitKey(fb, key({ isComposing: true }), comment, matches), false, "Enter ending an IME composition");
  assert.equal(isSubmitKey(fb, key({}), postBox, matches), false, "Enter in the post composer is a new line");
  assert.equal(isSubmitKey(fb, key({}), comment), false, "without a way to match, only submitKeys count");
  assert.equal(isSubmitKey(fb, key({ ctrlKey: true }), postBox, matches), true);
  assert.throws(
    () => validateAdapter({ ...fb, enterSends: [""] }),
    /adapter "facebook": field "enterSends" entry 0 must be a non-empty string/,
  );
  assert.throws(() => validateAdapter({ ...fb, enterSends: "form textarea" }), /field "enterSends" must be an array/);
});

test("parseKeyCombo", () => {
  assert.deepEqual(parseKeyCombo("Mod+Enter"), {
    key: "enter",
    mod: true,
    ctrl: false,
    meta: false,
    alt: false,
    shift: false,
  });
  assert.deepEqual(parseKeyCombo("Cmd+Option+Enter"), {
    key: "enter",
    mod: false,
    ctrl: false,
    meta: true,
    alt: true,
    shift: false,
  });
  assert.throws(() => parseKeyCombo("Hyper+Enter"), {
    message: 'key combo "Hyper+Enter" has unknown modifier "Hyper"',
  });
  assert.throws(() => parseKeyCombo("Ctrl+"), { message: 'key combo "Ctrl+" has no key after its modifiers' });
  assert.throws(() => parseKeyCombo(""), { message: 'key combo "" is empty' });
});

test("platformOf", () => {
  assert.deepEqual(ADAPTERS.map(platformOf), [
    "linkedin",
    "x",
    "facebook",
    "instagram",
    "threads",
    "reddit",
    "bluesky",
    "youtube",
    "mastodon",
    "generic",
  ]);
  assert.equal(platformOf(null), "generic");
});

const NEW = {
  id: "myforum",
  platform: "myforum",
  hosts: ["forum.example.org"],
  composer: ["#reply-box"],
  postButton: ["#reply-submit"],
  submitKeys: ["Mod+Enter"],
};

test("mergeAdapters lays the policy's adapters over the built-in ones by id: in place, or appended", () => {
  const before = JSON.stringify(DOC);
  const patchedLinkedIn = { ...byId("linkedin"), composer: [".new-editor"], submitKeys: ["Mod+Shift+Enter"] };
  const { adapters: merged, problems } = mergeAdapters(DOC, [patchedLinkedIn, NEW]);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    merged.map((a) => a.id),
    [
      "linkedin",
      "x",
      "facebook",
      "instagram",
      "threads",
      "reddit",
      "bluesky",
      "youtube",
      "mastodon",
      "generic",
      "myforum",
    ],
  );
  assert.deepEqual(merged[0].composer, [".new-editor"]);
  assert.deepEqual(merged[0].submitKeys, ["Mod+Shift+Enter"]);
  assert.deepEqual(merged[1], byId("x"));
  assert.deepEqual(merged[10], NEW);
  assert.notEqual(merged[10], NEW); // copies, not the patch's objects
  assert.equal(JSON.stringify(DOC), before); // base untouched
  assert.equal(matchAdapter(merged, { hostname: "forum.example.org" }).id, "myforum");
  assert.equal(matchAdapter(merged, { hostname: "www.linkedin.com" }).composer[0], ".new-editor");
  const none = mergeAdapters(ADAPTERS, []);
  assert.deepEqual(none.adapters, ADAPTERS);
  assert.deepEqual(mergeAdapters(ADAPTERS, undefined).adapters, ADAPTERS);
});

test("a bad policy adapter is left out with a clear message, and every built-in adapter keeps working", () => {
  const problemOf = (patch, options) => {
    const { adapters, problems } = mergeAdapters(DOC, patch, options);
    // The built-in adapters are all there, unchanged, whatever the patch.
    assert.deepEqual(
      adapters.filter((a) => a.id !== "myforum"),
      ADAPTERS,
    );
    assert.equal(
      adapters.some((a) => a.id === "myforum"),
      false,
    );
    return problems.map((p) => p.message);
  };
  const bad = (patch, message) => assert.deepEqual(problemOf(patch), [`the policy's adapters: ${message}`]);
  const { composer, ...noComposer } = NEW;
  assert.deepEqual(composer, ["#reply-box"]);
  bad([noComposer], 'adapter "myforum": field "composer" must be an array of CSS selectors');
  bad([{ ...NEW, composer: [] }], 'adapter "myforum": field "composer" must list at least one of CSS selectors');
  bad(
    [{ ...NEW, hosts: ["https://evil.com/"] }],
    'adapter "myforum": field "hosts" entry 0 ("https://evil.com/") must be a host like "www.example.com" or "*.example.com"',
  );
  bad([{ ...NEW, hosts: [] }], 'adapter "myforum": field "hosts" must not be empty unless matchSelector is given');
  bad(
    [{ ...NEW, submitKeys: ["Hyper+Enter"] }],
    'adapter "myforum": field "submitKeys" entry 0: key combo "Hyper+Enter" has unknown modifier "Hyper"',
  );
  bad([{ ...NEW, postButon: [] }], 'adapter "myforum": field "postButon" is not a known adapter field');
  bad([{ ...NEW, platform: undefined }], 'adapter "myforum": field "platform" must be a lower-case identifier');
  bad([null], "adapter at index 0: must be an object");
  assert.deepEqual(
    mergeAdapters(DOC, { adapters: "x" }).problems.map((p) => p.message),
    ['the policy\'s adapters: expected an array of adapters or { "version": 1, "adapters": [...] }'],
  );
  // A platform this build's engine does not know.
  assert.deepEqual(problemOf([{ ...NEW, platform: "myspace" }], { platforms: ["x", "generic"] }), [
    'the policy\'s adapters: adapter "myforum": field "platform" ("myspace") is not a platform the engine knows: x, generic',
  ]);
  // The same id twice: the first stays, the second is reported.
  const twice = mergeAdapters(DOC, [NEW, { ...NEW, composer: ["#other"] }]);
  assert.deepEqual(twice.adapters.at(-1), NEW);
  assert.deepEqual(
    twice.problems.map((p) => p.message),
    ['the policy\'s adapters: adapter "myforum": field "id" is used twice in the policy\'s adapters'],
  );
  // A bad replacement of a built-in adapter leaves the built-in one in force.
  const badX = mergeAdapters(DOC, [{ ...byId("x"), composer: "div" }]);
  assert.deepEqual(badX.adapters, ADAPTERS);
  assert.equal(badX.problems.length, 1);
});

test("selectPatchedAdapter picks from the merged list and names the bad policy adapter that should have served the page", () => {
  const forum = { hostname: "forum.example.org", hasSelector: () => false, platforms: ["myforum", "generic", "x"] };
  const good = selectPatchedAdapter(DOC, [NEW], forum);
  assert.equal(good.adapter.id, "myforum");
  assert.deepEqual(good.problems, []);
  assert.equal(selectPatchedAdapter(DOC, [], forum).adapter.id, "generic");
  const bad = selectPatchedAdapter(DOC, [{ ...NEW, composer: [] }], forum);
  assert.equal(bad.adapter.id, "generic");
  assert.deepEqual(bad.problems, [
    'the policy\'s adapters: adapter "myforum": field "composer" must list at least one of CSS selectors; drafts on forum.example.org are checked with the "generic" adapter instead',
  ]);
  // Another site's bad adapter is not this page's problem; a bad replacement of this
  // site's built-in adapter is, and the built-in one serves.
  assert.deepEqual(selectPatchedAdapter(DOC, [{ ...NEW, composer: [] }], { ...forum, hostname: "x.com" }).problems, []);
  const x = selectPatchedAdapter(DOC, [{ ...byId("x"), hosts: ["x.com"], composer: [] }], {
    ...forum,
    hostname: "x.com",
  });
  assert.deepEqual(x.adapter, byId("x"));
  assert.equal(x.problems.length, 1);
});

/** The platform ids the engine knows, as the wasm's platforms() gives them (the build checks
 * the shipped adapters.json against the engine's own list). */
const ENGINE_PLATFORMS = [
  "linkedin",
  "x",
  "facebook",
  "instagram",
  "threads",
  "reddit",
  "bluesky",
  "mastodon",
  "youtube",
  "tiktok",
  "generic",
];

test("an adapter's platform must be one the engine knows", () => {
  assert.equal(validateAdapters(DOC, "adapters.json", { platforms: ENGINE_PLATFORMS }), ADAPTERS);
  assert.throws(() => validateAdapters([{ ...NEW, platform: "myspace" }], "patch", { platforms: ENGINE_PLATFORMS }), {
    message: `adapter "myforum": field "platform" ("myspace") is not a platform the engine knows: ${ENGINE_PLATFORMS.join(", ")}`,
  });
});

test("selectAdapter: a valid document gives the page its adapter and no problems", () => {
  const page = { hostname: "www.linkedin.com", hasSelector: () => false, platforms: ENGINE_PLATFORMS };
  assert.deepEqual(selectAdapter(DOC, page), { adapter: byId("linkedin"), problems: [] });
  assert.equal(selectAdapter(DOC, { ...page, hostname: "forum.example.org" }).adapter, byId("generic"));
  assert.equal(selectAdapter(DOC, { ...page, hostname: "x.com", platforms: undefined }).adapter, byId("x"));
});

test("selectAdapter: a site whose adapter is invalid is checked with the generic adapter, and told why", () => {
  const typo = { ...byId("x"), platform: "twiter" };
  const doc = { version: 1, adapters: ADAPTERS.map((a) => (a.id === "x" ? typo : a)) };
  const page = { hostname: "x.com", hasSelector: () => false, platforms: ENGINE_PLATFORMS };
  assert.deepEqual(selectAdapter(doc, page), {
    adapter: byId("generic"),
    problems: [
      `adapters.json: adapter "x": field "platform" ("twiter") is not a platform the engine knows: ${ENGINE_PLATFORMS.join(", ")}; drafts on x.com are checked with the "generic" adapter instead`,
    ],
  });
  // Other sites keep their adapters and are not told about a problem that is not theirs.
  assert.deepEqual(selectAdapter(doc, { ...page, hostname: "bsky.app" }), { adapter: byId("bluesky"), problems: [] });
  assert.deepEqual(selectAdapter(doc, { ...page, hostname: "forum.example.org" }), {
    adapter: byId("generic"),
    problems: [],
  });
});

test("selectAdapter: any invalid field, a duplicate id, or a page matched by selector", () => {
  const present = byId("mastodon").matchSelector;
  const page = { hostname: "social.example", hasSelector: (s) => s === present, platforms: ENGINE_PLATFORMS };
  const bad = { ...byId("mastodon"), submitKeys: ["Hyper+Enter"] };
  const doc = [bad, ...ADAPTERS.filter((a) => a.id !== "mastodon")];
  const got = selectAdapter(doc, page);
  assert.equal(got.adapter, byId("generic"));
  assert.deepEqual(got.problems, [
    'adapters.json: adapter "mastodon": field "submitKeys" entry 0: key combo "Hyper+Enter" has unknown modifier "Hyper"; drafts on social.example are checked with the "generic" adapter instead',
  ]);
  const twice = selectAdapter([...ADAPTERS, { ...NEW, id: "x", platform: "generic" }], {
    hostname: "forum.example.org",
    platforms: ENGINE_PLATFORMS,
  });
  assert.equal(twice.adapter, byId("generic"));
  assert.deepEqual(twice.problems, [
    'adapters.json: adapter "x": field "id" is used twice; drafts on forum.example.org are checked with the "generic" adapter instead',
  ]);
});

test("selectAdapter: an invalid generic adapter leaves unmatched sites unchecked, and says so", () => {
  const doc = ADAPTERS.map((a) => (a.id === "generic" ? { ...a, composer: [] } : a));
  const page = { hostname: "forum.example.org", platforms: ENGINE_PLATFORMS };
  assert.deepEqual(selectAdapter(doc, page), {
    adapter: null,
    problems: [
      'adapters.json: adapter "generic": field "composer" must list at least one of CSS selectors; there is no valid generic adapter, so drafts on forum.example.org are not checked',
    ],
  });
  assert.deepEqual(selectAdapter(doc, { ...page, hostname: "www.reddit.com" }), {
    adapter: byId("reddit"),
    problems: [],
  });
  assert.deepEqual(selectAdapter({ version: 2, adapters: [] }, page), {
    adapter: null,
    problems: ["adapters.json: version 2 is not supported (expected 1); drafts on forum.example.org are not checked"],
  });
});

test("selectAdapter: thousands of adapters, a third of them invalid", () => {
  const many = Array.from({ length: 3000 }, (_, i) => ({
    ...NEW,
    id: `site-${i}`,
    hosts: [`site-${i}.example`],
    platform: i % 3 ? "generic" : "nope",
  }));
  const got = selectAdapter([...many, byId("generic")], { hostname: "site-2997.example", platforms: ENGINE_PLATFORMS });
  assert.equal(got.adapter.id, "generic");
  assert.equal(got.problems.length, 1);
  assert.match(got.problems[0], /^adapters\.json: adapter "site-2997": field "platform" \("nope"\)/);
});
