#!/usr/bin/env bash
# make scale: the synthetic corpus (internal/corpus) written as real content
# files, imported, and served; prints import times, database sizes and the
# server's memory (RSS) after serving a spread of pages, next to the real
# site's. Needs wrk for the serving part.
#
#   DECLARATIONS=10000 MEETINGS=10000 DURATION=10s make scale
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
site="$root/bin/site"
declarations=${DECLARATIONS:-10000}
meetings=${MEETINGS:-10000}
duration=${DURATION:-10s}

command -v wrk >/dev/null || { echo "scale: wrk is missing; install with: sudo apt-get install -y wrk" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1048576 }'; }
rss() { awk '/^VmRSS:/ { printf "%.1f MB", $2 / 1024 }' "/proc/$1/status"; }

# import NAME CONTENT: import CONTENT three times into a new database, print the
# best time (the first run warms the file cache) and the database's size.
import() {
  local best=""
  for _ in 1 2 3; do
    rm -f "$work/$1.db"
    local start end
    start=$(date +%s.%N)
    "$site" import -content "$2" -db "$work/$1.db" >/dev/null
    end=$(date +%s.%N)
    best=$(awk -v a="$start" -v b="$end" -v best="$best" 'BEGIN { t = b - a; if (best == "" || t < best) best = t; printf "%.2f", best }')
  done
  local files
  files=$(find "$2" -name '*.md' | wc -l)
  printf "%-44s %6d files  import %5.2f s  database %s\n" "$1" "$files" "$best" "$(mb "$(stat -c %s "$work/$1.db")")"
}

# serve NAME DB CONTENT: serve, request a spread of its pages with wrk for
# DURATION, print requests/s and the RSS before and after.
serve() {
  local port
  port=$(free_port)
  "$site" serve -addr "127.0.0.1:$port" -db "$2" -content "$3" >/dev/null 2>"$work/$1.log" &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 300); do curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.1; done
  local idle
  idle=$(rss "$pid")
  # Up to 2000 pages from the sitemap, in random order, and their lists.
  curl -fs "http://127.0.0.1:$port/sitemap.xml" | grep -o '<loc>[^<]*</loc>' | sed -e 's#<loc>http://[^/]*##' -e 's#</loc>##' |
    shuf -n 2000 --random-source=<(yes) >"$work/paths"
  {
    echo 'local paths = {'
    sed 's/.*/"&",/' "$work/paths"
    echo '"/deklaracje?strona=2", "/spotkania?strona=3", "/szukaj?q=migracja"}'
    echo 'local i = 0'
    echo 'request = function() i = i + 1; return wrk.format("GET", paths[(i % #paths) + 1]) end'
  } >"$work/paths.lua"
  local out
  out=$(wrk -t2 -c64 -d"$duration" -s "$work/paths.lua" "http://127.0.0.1:$port")
  printf "%-44s %6d pages   %7.0f requests/s  RSS %s idle, %s after\n" "$1 (served)" "$(wc -l <"$work/paths")" \
    "$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")" "$idle" "$(rss "$pid")"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

echo "writing the synthetic content: $declarations declarations and $meetings meetings, in Polish and English"
"$site" corpus -content "$root/content" -out "$work/synthetic" -declarations "$declarations" -meetings "$meetings"
"$site" corpus -content "$root/content" -out "$work/declarations" -declarations "$declarations" -meetings 0 >/dev/null
echo

import "real site (content/)" "$root/content"
import "synthetic: declarations only" "$work/declarations"
import "synthetic: declarations and meetings" "$work/synthetic"
echo
serve "real site (content/)" "$work/real site (content/).db" "$root/content"
serve "synthetic: declarations and meetings" "$work/synthetic: declarations and meetings.db" "$work/synthetic"
