#!/usr/bin/env bash
# The console part of `make demo`: a key pair, two signed versions of the financial-services
# policy (2026.11.2 for everyone, 2026.11.3 piloted), the console on SQLite with 30 days of
# made-up history from 40 installs, left running in the background; saves screenshots of
# every dashboard page (headless Chromium, under the browser lock); prints its URL, the
# admin password, an enrollment token and how to stop it.
set -euo pipefail
cd "$(dirname "$0")/../.."
DG=target/release/draftguard
C=target/release/draftguard-console
D=dist/console-demo
PORT=${CONSOLE_DEMO_PORT:-8787}
if [ -f "$D/console.pid" ]; then kill "$(cat "$D/console.pid")" 2>/dev/null || true; fi
rm -rf "$D" && mkdir -p "$D"
export DRAFTGUARD_CONSOLE_DATABASE="$D/console.db"
"$DG" keygen -o "$D/acme" >/dev/null
export DRAFTGUARD_CONSOLE_PUBKEY="$D/acme.pub"
for v in 2026.11.2 2026.11.3; do
  "$DG" bundle policies/financial-services.yaml --version "$v" --key "$D/acme.key" -o "$D/bundle-$v.json" 2>/dev/null
  "$C" --as demo-admin bundle upload "$D/bundle-$v.json"
done
"$C" --as demo-admin ring set broad 2026.11.2
"$C" --as demo-admin ring set pilot 2026.11.3
password=$("$C" --as demo-admin admin add admin 2>/dev/null)
token=$("$C" --as demo-admin token create demo-fleet 2>/dev/null)
"$C" seed-demo --installs 40 --days 30
nohup "$C" serve --listen "127.0.0.1:$PORT" >"$D/console.log" 2>&1 &
echo $! >"$D/console.pid"
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null || { cat "$D/console.log"; exit 1; }
"$C" ring list
echo "Dashboard screenshots:"
flock /tmp/draftguard-browser.lock node console/scripts/screenshots.mjs "http://127.0.0.1:$PORT" admin "$password" "$D/screenshots"
echo
echo "The admin console runs at http://127.0.0.1:$PORT (SQLite: $D/console.db, log: $D/console.log)"
echo "  dashboard:         http://127.0.0.1:$PORT/dashboard   (screenshots in $D/screenshots/)"
echo "  admin log-in:      admin / $password"
echo "  enrollment token:  $token   (managed key reportToken; reportUrl http://127.0.0.1:$PORT/v1/events)"
echo "  bundle URL:        http://127.0.0.1:$PORT/v1/bundle/{ring}   (managed key ring: pilot or broad)"
echo "  stop it:           kill $(cat "$D/console.pid")"
