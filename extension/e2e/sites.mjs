// The real-site fixtures (fixtures/sites/<host>/) served on the real host names over
// HTTPS, so the extension sees the location it sees on the real site and picks that
// site's adapter. The certificate is made when the server starts (openssl, a key of its
// own, valid for two days, every host name as a subjectAltName) and removed when it
// stops: nothing that expires is committed. The browsers reach the server through the
// driver's HostMap (driver.mjs): Chromium's host-resolver rules, Firefox's proxy.

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(here, "fixtures", "sites");

/** Each real host name and the fixture folder that answers it. */
export const SITE_HOSTS = {
  "x.com": "x.com",
  "www.linkedin.com": "www.linkedin.com",
  "www.facebook.com": "www.facebook.com",
  "www.instagram.com": "www.instagram.com",
  "www.threads.net": "www.threads.net",
  "www.threads.com": "www.threads.net",
  "www.reddit.com": "www.reddit.com",
  "bsky.app": "bsky.app",
  "www.youtube.com": "www.youtube.com",
  "mastodon.social": "mastodon.social",
};

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css" };

/** A self-signed certificate for `hosts`, in a temporary folder. */
function throwawayCertificate(hosts) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "draftguard-cert-"));
  const key = path.join(dir, "key.pem");
  const cert = path.join(dir, "cert.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "2",
      "-subj",
      "/CN=draftguard e2e sites",
      "-addext",
      `subjectAltName=${hosts.map((h) => `DNS:${h}`).join(",")}`,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  const pems = { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
  fs.rmSync(dir, { recursive: true, force: true });
  return pems;
}

/**
 * The file that answers `pathname` on `host`: the shared helper (/_draftguard/site.js),
 * a file of the host's folder (`/live_chat` is live_chat.html), or the host's index.html
 * for any other path, as a single-page app answers every route.
 */
function fileFor(host, pathname) {
  if (pathname === "/_draftguard/site.js") return path.join(ROOT, "site.js");
  const dir = path.join(ROOT, SITE_HOSTS[host]);
  const want = path.join(dir, path.normalize(decodeURIComponent(pathname)));
  for (const f of [want, `${want}.html`]) {
    if (f.startsWith(dir) && fs.existsSync(f) && fs.statSync(f).isFile()) return f;
  }
  return path.join(dir, "index.html");
}

/**
 * Starts the HTTPS server on 127.0.0.1 (a free port). Resolves to `{ hostMap, url(host,
 * path), close() }`; `hostMap` is what driver.mjs's launch takes.
 */
export async function serveSites() {
  const hosts = Object.keys(SITE_HOSTS);
  const server = https.createServer(throwawayCertificate(hosts), (req, res) => {
    const host = String(req.headers.host ?? "").replace(/:\d+$/, "");
    if (!SITE_HOSTS[host]) {
      res.writeHead(404).end();
      return;
    }
    const file = fileFor(host, new URL(req.url ?? "/", "https://x").pathname);
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const sockets = new Set();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  return {
    hostMap: { hosts, port: server.address().port },
    url: (host, p = "/") => `https://${host}${p}`,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(r);
      }),
  };
}
