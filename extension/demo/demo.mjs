// `make demo`, browser part: loads the built extension into Debian's Chromium (headed when
// a display exists, else headless), types sample drafts into the fixture composers, prints
// what was flagged, and saves screenshots of the underlines, the card and the block
// dialog to dist/demo/.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launch, serveFixtures, shadowQuery, until } from "../e2e/harness.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.resolve(here, "../../dist/demo");
fs.mkdirSync(OUT, { recursive: true });

// Each draft with the number of findings the embedded default policy must show for it:
// the demo fails (exit 1) rather than print a quiet "no findings" when something broke.
const DRAFTS = [
  ["textarea", "Helping a customer: card 4111 1111 1111 1111, call me at (212) 555-0187.", 2],
  ["lexical", "Debugging the deploy: the key is AKIAIOSFODNN7EXAMPLE. Project Falcon launches soon!", 2],
  ["quill", "I love the new Acme app, it makes budgeting easy. Check it out: bit.ly/acme-app", 2],
  ["prosemirror", "Proud to volunteer with my colleagues this weekend. Views are my own.", 0],
];
const EDITOR = { textarea: "#editor", lexical: "#editor", quill: "#editor .ql-editor", prosemirror: "#editor" };

const srv = await serveFixtures();
const headless = !process.env.DISPLAY;
const browser = await launch({ headless });
console.log(`Chromium ${headless ? "headless" : "headed"}, draftguard loaded from dist/chromium\n`);
try {
  let wrong = 0;
  for (const [kind, draft, expected] of DRAFTS) {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 900, height: 520 });
    await page.goto(`${srv.base}/${kind}.html`);
    await page.click(EDITOR[kind]);
    await page.keyboard.type(draft);
    // A fresh profile first shows "Policy loading" (the managed storage and the engine
    // start); the demo waits for the check of the loaded policy, up to 30 s.
    const statusOf = () =>
      browser.extensionEval(async () => {
        for (const t of await chrome.tabs.query({ active: true })) {
          try {
            const s = await chrome.tabs.sendMessage(t.id, { type: "status" });
            if (s) return s;
          } catch {}
        }
        return null;
      });
    await page.bringToFront();
    let status = null;
    await until(
      async () => {
        status = await statusOf();
        return (status?.findings?.length ?? 0) === expected;
      },
      30000,
      `${expected} finding(s)`,
    ).catch(() => {});
    await page.waitForTimeout(600);
    const findings = status?.findings ?? [];
    console.log(`━━━ ${kind}: ${draft}`);
    for (const f of findings) console.log(`  ${f.severity.padEnd(5)} [${f.rule}] "${f.text}" — ${f.message}`);
    if (!findings.length) console.log("  no findings");
    if (findings.length !== expected) {
      console.log(`  expected ${expected} finding(s) here, got ${findings.length}`);
      wrong += 1;
    }
    // Open the card on the first finding, then screenshot.
    if (findings.length) {
      const at = draft.indexOf(findings[0].text) + 1;
      await page.evaluate(
        ({ sel, at, kind }) => {
          const e = document.querySelector(sel);
          e.focus();
          if (kind === "textarea") return e.setSelectionRange(at, at);
          const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
          let left = at;
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            if (left <= n.data.length) return getSelection().collapse(n, left);
            left -= n.data.length;
          }
        },
        { sel: EDITOR[kind], at, kind },
      );
      await until(async () => (await shadowQuery(page, (n) => n.attrs.class === "msg")).length, 5000, "the card").catch(
        () => {},
      );
    }
    const shot = path.join(OUT, `${kind}.png`);
    await page.screenshot({ path: shot });
    console.log(`  screenshot: ${path.relative(process.cwd(), shot)}`);
    if (findings.some((f) => f.severity === "block")) {
      await page.click("h1"); // moving the caret out of the flagged text closes the card
      await page.click("#post");
      await until(
        async () => (await shadowQuery(page, (n) => n.attrs.role === "alertdialog")).length,
        5000,
        "the dialog",
      ).catch(() => {});
      const posted = await page.evaluate(() => window.posts.length);
      const blocked = path.join(OUT, `${kind}-blocked.png`);
      await page.screenshot({ path: blocked });
      console.log(
        `  Post clicked: ${posted === 0 ? "stopped by draftguard" : "posted"}; screenshot: ${path.relative(process.cwd(), blocked)}`,
      );
    }
    console.log();
  }
  if (wrong) {
    console.error(`make demo: ${wrong} composer(s) did not show what the default policy flags`);
    process.exitCode = 1;
  }
} finally {
  await browser.close();
  srv.server.close();
}
