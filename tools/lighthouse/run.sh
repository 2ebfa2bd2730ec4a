#!/usr/bin/env bash
# make lighthouse: serve the site on a free port of 127.0.0.1, run Lighthouse
# (Debian's Chromium) on the home page and a declaration page, print the four
# category scores, stop the server.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)

if [ ! -x /usr/bin/chromium ]; then
  echo "lighthouse: Chromium is missing: apt-get install -y chromium" >&2
  exit 1
fi
[ -d node_modules/lighthouse ] || npm ci --no-audit --no-fund --loglevel=error

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
work=$(mktemp -d)
"$root/bin/site" serve -addr "127.0.0.1:$port" -content "$root/content" -db "$work/site.db" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.2
done

flags="--headless=new --no-sandbox --disable-gpu --disable-quic --disable-component-update --disable-background-networking --disable-sync"
for path in / /deklaracje/2021-stanowisko-afganistan; do
  CHROME_PATH=/usr/bin/chromium timeout 180 npx --no-install lighthouse "http://127.0.0.1:$port$path" \
    --chrome-flags="$flags" --output=json --output-path="$work/report.json" --quiet --only-categories=performance,accessibility,best-practices,seo
  node -e '
    const r = require(process.argv[1]);
    const c = r.categories;
    const s = k => Math.round(c[k].score * 100);
    console.log(`${process.argv[2].padEnd(42)} performance ${s("performance")}  accessibility ${s("accessibility")}  best-practices ${s("best-practices")}  seo ${s("seo")}`);
    for (const [id, a] of Object.entries(r.audits)) {
      if (a.score !== null && a.score < 1 && a.scoreDisplayMode !== "informative" && a.scoreDisplayMode !== "notApplicable") console.log(`    below 1: ${id} (${a.score})`);
    }
  ' "$work/report.json" "$path"
done
