// Screenshots of every dashboard page (for `make demo` and the README): logs in as an
// admin in headless Chromium (Debian's /usr/bin/chromium through playwright-core, no
// browser download), opens each page, waits for its charts, saves a full-page PNG.
//
//   node console/scripts/screenshots.mjs URL ADMIN PASSWORD OUTDIR
//
// Starts a browser: hold /tmp/draftguard-browser.lock (the Makefile does).

import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

const [base, admin, password, out] = process.argv.slice(2);
if (!out) {
  console.error("usage: node console/scripts/screenshots.mjs URL ADMIN PASSWORD OUTDIR");
  process.exit(2);
}
fs.mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // Not logged in: the dashboard sends us to the log-in page.
  await page.goto(`${base}/dashboard`);
  await page.waitForURL(/\/login\?next=/);
  await page.fill('input[name="name"]', admin);
  await page.fill('input[name="password"]', password);
  await page.screenshot({ path: path.join(out, "0-login.png") });
  await Promise.all([page.waitForURL(/\/dashboard$/), page.click('button[type="submit"]')]);

  // An enforced rule (the busiest) and a monitor rule (the pilot view's first), from the pages.
  const rules = await page.$$eval('[data-table="rules"] tbody tr', (trs) =>
    trs.map((tr) => ({
      href: tr.querySelector("a")?.getAttribute("href"),
      mode: tr.children[1]?.textContent,
      blocked: Number(tr.children[2]?.textContent),
    })),
  );
  const enforced = rules.filter((r) => r.mode === "enforce").sort((a, b) => b.blocked - a.blocked)[0];
  const monitored = rules.find((r) => r.mode === "monitor");
  const pages = [
    ["1-rules", "/dashboard"],
    ...(enforced ? [["2-rule-enforced", enforced.href]] : []),
    ...(monitored ? [["3-rule-monitor-pilot", monitored.href]] : []),
    ["4-pilot", "/dashboard/pilot"],
    ["5-justifications", "/dashboard/justifications"],
    ["6-fleet", "/dashboard/fleet"],
    ["7-platforms", "/dashboard/platforms"],
    ["8-approved-posts", "/dashboard/library"],
    ["9-activity", "/dashboard/activity"],
  ];
  for (const [name, href] of pages) {
    await page.goto(`${base}${href}`);
    const charts = await page.$$("[data-chart]");
    if (charts.length) await page.waitForSelector("[data-chart][data-ready]", { timeout: 10000 });
    const file = path.join(out, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(file);
  }
} finally {
  await browser.close();
}
