// Without the CSS Custom Highlight API (Chromium before 105, Firefox before 140),
// contenteditable underlines are drawn by an overlay instead: they still cover exactly the
// flagged text, and blocking works as usual. Both browsers here have the API and no switch
// for it (Firefox 153 no longer has the dom.customHighlightAPI.enabled pref), so the test
// runs a copy of the build whose content script starts by hiding `CSS.highlights` from its
// own world (the page's world keeps it, and nothing else changes).

import assert from "node:assert/strict";
import { test } from "node:test";
import { hideHighlightApi, shadowQuery, until, useBrowser } from "./harness.mjs";

const CARD = "4111 1111 1111 1111";
const PHONE = "(212) 555-0187";
const DRAFT = `Call me at ${PHONE}, card ${CARD} thanks`;
const env = useBrowser({ patch: hideHighlightApi });

test("contenteditable underlines fall back to an overlay over exactly the flagged text", async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.srv.base}/contenteditable.html`);
  await page.click("#editor");
  await page.keyboard.type(DRAFT);
  const marks = await until(
    async () => {
      const m = await shadowQuery(page, (n) => n.name === "span" && n.attrs["data-rule"]);
      return m.length === 2 && m;
    },
    5000,
    "two underlines",
  );
  assert.deepEqual(marks.map((m) => m.attrs["data-text"]).sort(), [PHONE, CARD].sort());
  // Each underline box lies on the flagged text: its rectangle is the text's.
  const boxes = await page.evaluate(
    ([phone, card]) => {
      const node = document.querySelector("#editor").firstChild;
      const rect = (s) => {
        const r = document.createRange();
        const i = node.data.indexOf(s);
        r.setStart(node, i);
        r.setEnd(node, i + s.length);
        const b = r.getClientRects()[0];
        return [b.left + scrollX, b.top + scrollY, b.width].map(Math.round);
      };
      return [rect(phone), rect(card)];
    },
    [PHONE, CARD],
  );
  const drawn = await shadowQuery(
    page,
    (n) => n.name === "span" && !n.attrs["data-rule"] && /left:/.test(n.attrs.style),
  );
  const at = drawn.map((d) =>
    ["left", "top", "width"].map((k) =>
      Math.round(Number.parseFloat(new RegExp(`${k}: ?([\\d.]+)px`).exec(d.attrs.style)[1])),
    ),
  );
  for (const b of boxes)
    assert.ok(
      at.some((a) => a.every((v, i) => Math.abs(v - b[i]) <= 1)),
      `a box at ${b} in ${JSON.stringify(at)}`,
    );

  assert.equal(await page.evaluate(() => CSS.highlights.size), 0, "nothing was painted with the API");
  await page.click("#post");
  await until(
    async () => (await shadowQuery(page, (n) => n.attrs.role === "alertdialog")).length,
    5000,
    "the block dialog",
  );
  assert.deepEqual(await page.evaluate(() => window.posts), []);
  await page.close();
});
