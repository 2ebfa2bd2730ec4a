#!/usr/bin/env bash
# make scale: the synthetic corpus (internal/corpus) written as real content
# files at two sizes, imported, and served; prints, for each size:
#
#   - the import's time and the database's size;
#   - every whole-dataset file (JSON, CSV, calendars, feeds, sitemap): the
#     time of its first build under 16 concurrent requests that each carry
#     another unread parameter (?v=1…16: one build, not sixteen), then the
#     time per request once built (wrk, 16 connections, gzip accepted), and
#     the server's memory (RSS now and at its peak);
#   - list pages (random page numbers) and searches (ordinary, and a phrase
#     of the corpus's six commonest words, which the 80 ms budget stops),
#     under 16 connections;
#   - for the smaller size, cached pages at 64, 256 and 1,024 connections,
#     offered the same request rate (wrk with a per-connection delay, so
#     that queueing in the client does not count), with p99 and errors.
#
#   - first, the import against Hugo on 10,000 declarations in two
#     languages, and the time one edit takes to go live after SIGHUP
#     (versus_hugo; HUGO=0 skips it);
#
#   SIZES="10000 100000" MEETINGS=10000 DURATION=5s ROUNDS=3 make scale
#
# Needs wrk. The 100,000-declaration level writes 220,000 files (about
# 900 MB) and takes a few minutes; SIZES=10000 runs the first level alone,
# SIZES=0 none (the comparison with Hugo and the edit made live alone).
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
site="$root/bin/site"
sizes=${SIZES:-10000 100000}
meetings=${MEETINGS:-10000}
duration=${DURATION:-5s}

command -v wrk >/dev/null || { echo "scale: wrk is missing; install with: sudo apt-get install -y wrk" >&2; exit 1; }
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)"

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
rss() { awk '/^VmRSS:/ { printf "%.0f MB", $2 / 1024 }' "/proc/$1/status"; }
peak() { awk '/^VmHWM:/ { printf "%.0f MB", $2 / 1024 }' "/proc/$1/status"; }
now() { date +%s.%N; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f ms", (b - a) * 1000 }'; }

# wrk_run URL CONNECTIONS [ARGS…]: prints "p50 p99 req/s non-2xx" of a
# DURATION run (wrk's latency distribution).
wrk_run() {
  local url=$1 c=$2
  shift 2
  local out
  out=$(wrk -t2 -c"$c" -d"$duration" --latency "$@" "$url" 2>&1)
  local p50 p99 rps errs
  p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")
  errs=$(awk '/Non-2xx or 3xx responses:/ { print $5 } /Socket errors:/ { e = $4 + $6 + $8 + $10 } END { if (e) print "socket errors " e }' <<<"$out" | paste -sd' ')
  printf "p50 %-9s p99 %-9s %7s req/s %s" "$p50" "$p99" "$rps" "${errs:+ errors: $errs}"
}

# level N: the corpus of N declarations and $meetings meetings.
level() {
  local n=$1 dir="$work/corpus-$1" db="$work/site-$1.db"
  echo "== $n declarations and $meetings meetings, in every language of the site =="
  "$site" corpus -content "$root/content" -out "$dir" -declarations "$n" -meetings "$meetings" >/dev/null
  local files start end
  files=$(find "$dir" -name '*.md' | wc -l)
  start=$(now)
  "$site" import -content "$dir" -db "$db" -import-memory 0 >/dev/null
  end=$(now)
  printf "import: %d files in %s, database %s\n" "$files" "$(ms "$start" "$end")" "$(mb "$(stat -c %s "$db")")"

  local port pid base
  port=$(free_port)
  # Searches come from many addresses (X-Real-IP), as from many visitors.
  "$site" serve -addr "127.0.0.1:$port" -db "$db" -content "$dir" -client-ip-header X-Real-IP >/dev/null 2>"$work/serve-$n.log" &
  pid=$!
  pids+=("$pid")
  base="http://127.0.0.1:$port"
  for _ in $(seq 600); do curl -fs -o /dev/null "$base/healthz" && break; sleep 0.1; done
  # The resident importer loads the content once the server is up; the
  # measures wait for it (it would take a core from them).
  for _ in $(seq 3000); do grep -aq 'the importer has loaded\|importer could not' "$work/serve-$n.log" && break; sleep 0.1; done
  local importer
  importer=$(pgrep -f -n -- "$site import -resident" || true)
  printf "server: RSS %s after start; its resident importer: RSS %s\n\n" "$(rss "$pid")" "$([ -n "$importer" ] && rss "$importer")"

  printf "%-28s %12s  %-12s  %-58s %s\n" "data file" "first build" "then, alone" "then, 16 connections, gzip" "RSS now / peak"
  local files_list="/api/v1/declarations.json /api/v1/meetings.json /api/v1/bodies.json /api/v1/declarations.csv /api/v1/meetings.csv /kalendarz.ics /en/calendar.ics /kalendarz/ump.ics /atom.xml /en/atom.xml /sitemap.xml /sitemap-1.xml"
  for f in $files_list; do
    # 16 at once, each with another unread parameter: the slowest
    # answer is the first build (the others wait for it).
    local cpids=() first=0
    for i in $(seq 16); do
      curl -fs -o /dev/null -w '%{time_total}\n' "$base$f?v=$i" >"$work/t$i" &
      cpids+=($!)
    done
    wait "${cpids[@]}" || true
    first=$(cat "$work"/t* | sort -n | tail -1)
    rm -f "$work"/t*
    local alone
    alone=$(for _ in 1 2 3 4 5; do curl -fs -o /dev/null -H 'Accept-Encoding: gzip' -w '%{time_total}\n' "$base$f"; done | sort -n | awk 'NR == 3 { printf "%.1f ms", $1 * 1000 }')
    printf "%-28s %9.0f ms  %-12s  %-58s %s / %s\n" "$f" "$(awk -v t="$first" 'BEGIN { print t * 1000 }')" "$alone" \
      "$(wrk_run "$base$f" 16 -H 'Accept-Encoding: gzip')" "$(rss "$pid")" "$(peak "$pid")"
  done
  alone=$(for _ in 1 2 3 4 5; do curl -fs -o /dev/null -w '%{time_total}\n' "$base/api/v1/declarations.json"; done | sort -n | awk 'NR == 3 { printf "%.1f ms", $1 * 1000 }')
  printf "%-28s %12s  %-12s  %-58s %s / %s\n" "/api/v1/declarations.json" "(identity)" "$alone" "$(wrk_run "$base/api/v1/declarations.json" 16)" "$(rss "$pid")" "$(peak "$pid")"
  echo

  # Lists at random page numbers, and searches.
  local pages=$((n / 20)) ump_pages
  ump_pages=$(curl -fs "$base/deklaracje?gremium=ump" | grep -o 'Strona 1 z [0-9]*' | grep -o '[0-9]*$' || echo 1)
  cat >"$work/lists.lua" <<EOF
math.randomseed(1)
request = function()
  if math.random() < 0.5 then return wrk.format("GET", "/deklaracje?strona=" .. math.random(1, $pages)) end
  return wrk.format("GET", "/en/declarations?page=" .. math.random(1, ${ump_pages:-1}) .. "&body=ump")
end
EOF
  printf "%-40s %s\n" "list pages, random (16 connections)" "$(wrk_run "$base" 16 -s "$work/lists.lua")"
  local common
  # The corpus's six commonest Polish words (of three letters or more).
  common=$(find "$dir/declarations" -name '*.pl.md' | head -2000 | xargs cat | tr -cs '[:alpha:]ąćęłńóśźżĄĆĘŁŃÓŚŹŻ' '\n' |
    awk 'length($0) > 2 { n[tolower($0)]++ } END { for (w in n) print n[w], w }' | sort -rn | awk 'NR <= 6 { print $2 }' | paste -sd+) || true
  local phrase="%22${common}%22"
  local t0 t1 status
  local i=0
  for q in "migracja" "uchodzcy+krakow" "praw+czlowieka" "$phrase"; do
    # The median of five, each from another address.
    local times
    times=$(for _ in 1 2 3 4 5; do
      i=$((i + 1))
      curl -s -o /dev/null -H "X-Real-IP: 10.1.0.$i" -w '%{time_total} %{http_code}\n' "$base/szukaj?q=$q"
    done | sort -n)
    printf "%-40s %s\n" "search ${q:0:36}" "$(awk 'NR == 3 { printf "%.1f ms (HTTP %s), median of 5", $1 * 1000, $2 }' <<<"$times")"
  done
  cat >"$work/search.lua" <<EOF
local qs = {"migracja", "uchodzcy", "praw+czlowieka", "afganistan", "$phrase"}
local i = 0
request = function() i = i + 1; return wrk.format("GET", "/api/v1/search.json?q=" .. qs[(i % #qs) + 1], {["X-Real-IP"] = "10.0.0." .. (i % 250)}) end
EOF
  printf "%-40s %s\n" "searches (16 connections; 503 = busy)" "$(wrk_run "$base" 16 -s "$work/search.lua")"
  printf "server: RSS %s, peak %s\n\n" "$(rss "$pid")" "$(peak "$pid")"

  if [ "$n" = "$(awk '{ print $1 }' <<<"$sizes")" ]; then
    overload "$base" "$pid"
  fi
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  rm -rf "$dir" "$db"
}

# overload BASE PID: cached pages at 64, 256 and 1,024 connections, each
# offered the same rate (RATE requests a second in all).
overload() {
  local base=$1 pid=$2 rate=${RATE:-8000}
  { curl -fs "$base/sitemap-1.xml" | grep -o '<loc>[^<]*</loc>' | sed -e 's#<loc>http://[^/]*##' -e 's#</loc>##' | head -500 >"$work/pages"; } || true
  for p in $(cat "$work/pages"); do curl -fs -o /dev/null "$base$p"; done # into the cache
  echo "cached pages at a fixed offered rate of $rate requests/s (each connection waits connections/rate between requests, on average):"
  for c in 64 256 1024; do
    local delay
    delay=$(awk -v c="$c" -v r="$rate" 'BEGIN { printf "%d", c * 1000 / r }')
    {
      echo 'local paths = {'
      sed 's/.*/"&",/' "$work/pages"
      echo '}'
      echo 'local i = 0'
      echo 'request = function() i = i + 1; return wrk.format("GET", paths[(i % #paths) + 1]) end'
      # A random wait around the mean: connections that all started at
      # once would otherwise stay in step and arrive in bursts.
      echo "math.randomseed(1); delay = function() return math.random(0, 2 * $delay) end"
    } >"$work/fixed.lua"
    printf "  %5d connections: %s\n" "$c" "$(wrk_run "$base" "$c" -s "$work/fixed.lua" -H 'Accept-Encoding: gzip')"
  done
  echo "the same pages as fast as they go (closed loop: latency grows with the queue):"
  {
    echo 'local paths = {'
    sed 's/.*/"&",/' "$work/pages"
    echo '}'
    echo 'local i = 0'
    echo 'request = function() i = i + 1; return wrk.format("GET", paths[(i % #paths) + 1]) end'
  } >"$work/open.lua"
  for c in 64 256 1024; do
    printf "  %5d connections: %s\n" "$c" "$(wrk_run "$base" "$c" -s "$work/open.lua" -H 'Accept-Encoding: gzip')"
  done
  printf "server: RSS %s, peak %s\n\n" "$(rss "$pid")" "$(peak "$pid")"
}

# versus_hugo: the import against Hugo building the same Markdown, and one
# edit made live by SIGHUP. The corpus is the one of issue 15's figures:
# 10,000 declarations in Polish and English (20,069 files with the real
# content); Hugo renders the 20,000 synthetic files as a two-language site
# in memory with minimal templates (the real content's date ranges are
# not Hugo dates). Paired runs, alternating, ROUNDS of each (default 3);
# medians and the ratio.
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
versus_hugo() {
  local dir="$work/corpus-hugo" db="$work/site-hugo.db" hsite="$work/hugo" rounds=${ROUNDS:-3}
  echo "== import against Hugo: 10,000 declarations in pl and en =="
  "$site" corpus -content "$root/content" -out "$dir" -declarations 10000 -meetings 0 -languages pl,en >/dev/null
  local files
  files=$(find "$dir" -name '*.md' | wc -l)
  if ! command -v hugo >/dev/null; then
    echo "hugo is missing (sudo apt-get install -y hugo): no comparison"
  else
    mkdir -p "$hsite/content" "$hsite/layouts/_default"
    cp -r "$dir/declarations" "$hsite/content/"
    printf '%s\n' 'baseURL = "http://127.0.0.1/"' 'defaultContentLanguage = "pl"' \
      'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]' \
      '[languages.pl]' 'weight = 1' '[languages.en]' 'weight = 2' >"$hsite/hugo.toml"
    echo '<!doctype html><title>{{ .Title }}</title><h1>{{ .Title }}</h1><p>{{ .Summary }}</p>{{ .Content }}' >"$hsite/layouts/_default/single.html"
    echo '<!doctype html><title>{{ .Title }}</title><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</ul>' >"$hsite/layouts/_default/list.html"
    local site_t=() hugo_t=() site_cpu=() hugo_cpu=()
    for _ in $(seq "$rounds"); do
      rm -f "$db"
      /usr/bin/time -f '%e %U %S' -o "$work/time" "$site" import -content "$dir" -db "$db" -import-memory 0 >/dev/null
      site_t+=("$(awk '{ print $1 }' "$work/time")")
      site_cpu+=("$(awk '{ print $2 + $3 }' "$work/time")")
      /usr/bin/time -f '%e %U %S' -o "$work/time" hugo --source "$hsite" --renderToMemory --quiet >/dev/null
      hugo_t+=("$(awk '{ print $1 }' "$work/time")")
      hugo_cpu+=("$(awk '{ print $2 + $3 }' "$work/time")")
    done
    local sm hm sc hc
    sm=$(median "${site_t[@]}")
    hm=$(median "${hugo_t[@]}")
    sc=$(median "${site_cpu[@]}")
    hc=$(median "${hugo_cpu[@]}")
    printf "site import (%d files):    wall %s s (runs: %s), CPU %s s\n" "$files" "$sm" "${site_t[*]}" "$sc"
    printf "hugo --renderToMemory (20,000): wall %s s (runs: %s), CPU %s s\n" "$hm" "${hugo_t[*]}" "$hc"
    printf "ratio site/hugo: wall %.2fx, CPU %.2fx (target: wall <= 0.33x)\n" \
      "$(awk -v a="$sm" -v b="$hm" 'BEGIN { print a / b }')" "$(awk -v a="$sc" -v b="$hc" 'BEGIN { print a / b }')"
  fi

  # One edit live: the server on that corpus; one declaration's title
  # changes; SIGHUP; the time from the server's "SIGHUP" log line to its
  # "reloaded" line (the server's own clock: a client polling the page
  # would take CPU from the import it waits for), then the page is read
  # once to see the new title. ROUNDS times. The server's resident
  # importer loads the content once it is up (cmd/site/resident.go): the
  # edits wait for that.
  local port pid base page f
  rm -f "$db" "$db.spare"
  "$site" import -content "$dir" -db "$db" -import-memory 0 >/dev/null
  port=$(free_port)
  "$site" serve -addr "127.0.0.1:$port" -db "$db" -content "$dir" >/dev/null 2>"$work/serve-hugo.log" &
  pid=$!
  pids+=("$pid")
  base="http://127.0.0.1:$port"
  for _ in $(seq 600); do curl -fs -o /dev/null "$base/healthz" && break; sleep 0.1; done
  for _ in $(seq 1200); do grep -aq 'the importer has loaded\|importer could not' "$work/serve-hugo.log" && break; sleep 0.1; done
  local importer
  importer=$(pgrep -f -n -- "$site import -resident" || true)
  f="$dir/declarations/syn-d-000123.pl.md"
  page="$base/deklaracje/syn-d-000123"
  local times=() r seen n
  for r in $(seq "$((rounds * 2))"); do
    sed -i "s/^title: .*/title: Zmieniony tytuł $r/" "$f"
    n=$(grep -ac 'msg=reloaded\|msg="reload failed' "$work/serve-hugo.log" || true)
    kill -HUP "$pid"
    for _ in $(seq 1200); do
      [ "$(grep -ac 'msg=reloaded\|msg="reload failed' "$work/serve-hugo.log")" -gt "$n" ] && break
      sleep 0.05
    done
    seen=$(curl -fs "$page" | grep -c "Zmieniony tytuł $r" || true)
    times+=("$(grep -a 'SIGHUP\|msg=reloaded\|reload failed' "$work/serve-hugo.log" | tail -2 | awk -F'time=' '/SIGHUP/ { split($2, a, " "); t0 = a[1] } /msg=reloaded/ { split($2, a, " "); t1 = a[1] }
      function secs(t,  p) { split(substr(t, 12, 12), p, ":"); return p[1] * 3600 + p[2] * 60 + p[3] }
      END { if (t1 == "") print "failed"; else printf "%.0f", (secs(t1) - secs(t0)) * 1000 }')")
    [ "$seen" -ge 1 ] || times[-1]="${times[-1]} (page not updated)"
    sleep 0.5
  done
  printf "one edit live after SIGHUP: %s ms median (runs: %s ms; target <= 300 ms)\n" "$(median "${times[@]}")" "${times[*]}"
  grep -a 'msg="content loaded"' "$work/serve-hugo.log" | tail -1 | sed 's/.*msg="content loaded" /  the last, in the importer: /'
  if [ -n "$importer" ]; then
    printf "resident importer (pid %s): RSS %s, peak %s; server: RSS %s\n\n" "$importer" "$(rss "$importer")" "$(peak "$importer")" "$(rss "$pid")"
  fi
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  rm -rf "$dir" "$db" "$db.spare" "$hsite"
}

if [ "${HUGO:-1}" = 1 ]; then
  versus_hugo
fi
for n in $sizes; do
  [ "$n" = 0 ] || level "$n" # SIZES=0: the comparison with Hugo alone
done
