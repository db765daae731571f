// End to end on the real sites' structures (fixtures/sites/<host>/), served on the real
// host names over HTTPS (sites.mjs, driver.mjs HostMap), so each page is checked with
// its own site's adapter (adapters.json), as on the real site: the flows of flows.mjs for
// every structure the table below names.

import assert from "node:assert/strict";
import { test } from "node:test";
import { defineFlows } from "./flows.mjs";
import { shadowQuery, until, useBrowser } from "./harness.mjs";

const env = useBrowser({ serve: false, sites: true });

/** Asks the page's fixture interface (fixtures/sites/site.js). */
const ask = (p, method, arg) => p.evaluate(([m, a]) => window.fixture[m](a), [method, arg]);
const clickAt = async (p, what) => {
  const { x, y } = await ask(p, what);
  await p.mouse.click(x, y);
};

/**
 * A real-site structure: `host` and `path` are where it is served; `steps` are the CSS
 * selectors a user clicks to reach the composer (a "Start a post" button, a link that
 * navigates with history.pushState, a "Reply"); `submitKey` is the key that posts.
 */
const site = ({
  host,
  path = "/",
  platform,
  steps = [],
  submitKey = "Control+Enter",
  fixPath = "execCommand",
  todo,
}) => ({
  host,
  platform,
  async open(p) {
    await p.goto(env.sites.url(host, path));
    await until(() => p.evaluate(() => Boolean(window.fixture)), 5000, "the fixture page");
    for (const sel of steps) await p.click(sel);
    await until(() => ask(p, "ready"), 5000, "the composer and its post control");
    await clickAt(p, "composerAt");
  },
  post: (p) => clickAt(p, "postAt"),
  submitKey,
  fixPath,
  todo,
  text: (p) => ask(p, "text"),
  dataset: (p) => ask(p, "dataset"),
  caretAt: (p, i) => ask(p, "caretAt", i),
  underlined: async (p) =>
    (await ask(p, "textarea"))
      ? (await shadowQuery(p, (n) => n.name === "span" && n.attrs["data-rule"])).map((n) => n.text)
      : ask(p, "underlined"),
});

/**
 * The structures, each as a user meets it on that site (fixtures/sites/<host>/index.html
 * says what each mimics). `platform` is the adapter's platform the page must get.
 */
export const SITES = {
  // A reply box inserted after load; its post control a <button> with nested spans.
  "x.com reply": site({ host: "x.com", path: "/home", platform: "x", steps: ["[data-testid=reply]"] }),
  // history.pushState to /compose/post opens the composer dialog; a div role="button".
  "x.com compose after pushState": site({
    host: "x.com",
    path: "/home",
    platform: "x",
    steps: ["[data-testid=SideNav_NewTweet_Button]"],
  }),
  // "Start a post" inserts the modal; the Post button is outside the editor's form.
  "linkedin start a post": site({
    host: "www.linkedin.com",
    path: "/feed/",
    platform: "linkedin",
    steps: [".share-box-feed-entry__trigger"],
  }),
  // A comment box where plain Enter sends; the send control known only by aria-label.
  "facebook comment": site({
    host: "www.facebook.com",
    path: "/acme/posts/1",
    platform: "facebook",
    submitKey: "Enter",
  }),
  // A textarea in a form that plain Enter submits; "Post" a div role="button".
  "instagram comment": site({
    host: "www.instagram.com",
    path: "/p/C0abc/",
    platform: "instagram",
    submitKey: "Enter",
  }),
  // The composer dialog inserted on click; Post a div role="button" with nested spans.
  "threads.net composer": site({ host: "www.threads.net", platform: "threads", steps: ["#whats-new"] }),
  "threads.com composer": site({ host: "www.threads.com", platform: "threads", steps: ["#whats-new"] }),
  // Composer, form and submit button inside a web component's open shadow root.
  "reddit comment in a shadow root": site({
    host: "www.reddit.com",
    path: "/r/acme/comments/1abc/release_notes/",
    platform: "reddit",
  }),
  // pushState to a thread, then "Write your reply" inserts the reply dialog.
  "bluesky reply after pushState": site({
    host: "bsky.app",
    platform: "bluesky",
    steps: ["a.post-link", "[data-testid=replyPromptBtn]"],
  }),
  // Live chat in a same-origin iframe; plain Enter sends; Send known by aria-label.
  "youtube live chat in an iframe": site({
    host: "www.youtube.com",
    path: "/watch?v=dQw4w9WgXcQ",
    platform: "youtube",
    submitKey: "Enter",
  }),
  // A Mastodon instance: the adapter is picked by the page's markers, not the host.
  "mastodon compose": site({ host: "mastodon.social", path: "/home", platform: "mastodon" }),
};

for (const [name, fx] of Object.entries(SITES)) {
  test(`${name}: served as https://${fx.host}, checked with the ${fx.platform} adapter`, async () => {
    const page = await env.browser.newPage();
    await fx.open(page);
    assert.equal(await page.evaluate(() => location.origin), `https://${fx.host}`);
    // The content script answers before it has picked the adapter too ("generic"), so
    // this waits for the site's platform, and fails with the last answer if it never comes.
    const status = await until(
      () =>
        env.browser.extensionEval(
          async ([host, platform]) => {
            for (const t of await chrome.tabs.query({})) {
              try {
                const s = await chrome.tabs.sendMessage(t.id, { type: "status" }, { frameId: 0 });
                if (s?.site === host && s.platform === platform) return s;
              } catch {
                // no content script in this tab
              }
            }
            return null;
          },
          [fx.host, fx.platform],
        ),
      5000,
      `the ${fx.platform} adapter in the tab's status`,
    );
    assert.equal(status.platform, fx.platform);
    assert.deepEqual(status.adapterProblems, []);
    await page.close();
  });
}

defineFlows(env, SITES);
