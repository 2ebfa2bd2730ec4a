#!/usr/bin/env bash
# make bench: the full server (every middleware, request log on) against
# nginx serving the same declaration page's bytes from disk as an operator
# runs it (access log buffered, sendfile, gzip_static on the same
# precompressed bytes), and against a bare net/http server writing the same
# bytes from memory with precomputed headers (tools/bench/bare, the
# ceiling of a Go server: the site's very headers, but for Date and the
# request id's value); with wrk on 127.0.0.1, identity and gzip, and the
# ratios. The servers take turns for ROUNDS rounds and the medians are
# printed, as single runs on a shared 2-core machine vary by ±15 %. And the
# production path: nginx with docs/nginx-production.conf in front of
# `site serve -publish`, serving the page from the files the server wrote.
#
# Two more anchors show what headers cost: the bare server with only the
# three headers a page needs (Content-Type, Content-Length, Vary), and
# nginx serving the file with the site's headers (add_header). One more
# shows what is middleware: the bare server with the site's headers and
# its server limits (timeouts, header size: what a server facing the
# Internet must have, and not middleware). And for
# every server, the CPU time it spent per request (its processes' user and
# system time over the run, from /proc, divided by the requests wrk
# counted): steadier than throughput on a machine where wrk takes a core,
# and what the middleware adds, in microseconds.
# Installs nothing.
#
#   ROUNDS=3 DURATION=5s CONNECTIONS=64 THREADS=2 PAGE=/deklaracje/2021-stanowisko-afganistan make bench
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)

connections=${CONNECTIONS:-64}
duration=${DURATION:-5s}
rounds=${ROUNDS:-3}
threads=${THREADS:-2}
page=${PAGE:-/deklaracje/2021-stanowisko-afganistan}

nginx=$(command -v nginx || echo /usr/sbin/nginx)
missing=()
[ -x "$nginx" ] || missing+=(nginx-light)
command -v wrk >/dev/null || missing+=(wrk)
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench: missing ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

wait_for() {
  for _ in $(seq 100); do
    curl -fs -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "bench: $1 did not answer" >&2
  exit 1
}

# The site, as `make run` starts it; its request log goes to a file, as it
# would to a journal.
site_port=$(free_port)
"$root/bin/site" serve -addr "127.0.0.1:$site_port" -content "$root/content" -db "$work/site.db" >/dev/null 2>"$work/site.log" &
site_pid=$!
pids+=($site_pid)
wait_for "http://127.0.0.1:$site_port/healthz"

# nginx with the same bytes, from disk, its access log buffered as in
# production (docs/nginx.conf), gzip_static serving the site's own gzip
# bytes.
mkdir -p "$work/www" "$work/nginx"
curl -fs -D "$work/page.headers" "http://127.0.0.1:$site_port$page" -o "$work/www/index.html"
curl -fs -D "$work/page.gz.headers" -H 'Accept-Encoding: gzip' "http://127.0.0.1:$site_port$page" -o "$work/www/index.html.gz"
# The site's headers that are not nginx's own (it writes Content-Type,
# Content-Length, ETag and, with gzip_vary, Vary), for the second nginx.
site_headers=$(tr -d '\r' <"$work/page.headers" | awk -F': ' 'NR > 1 && NF > 1 && tolower($1) !~ /^(date|content-type|content-length|etag|vary)$/ {
  v = substr($0, length($1) + 3); gsub(/"/, "\\\"", v); printf "add_header %s \"%s\" always; ", $1, v }')
nginx_port=$(free_port)
nginxh_port=$(free_port)
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes auto;
pcre_jit on;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log $work/nginx/access.log combined buffer=64k flush=1s;
  gzip_static on;
  client_body_temp_path $work/nginx;
  proxy_temp_path $work/nginx;
  fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx;
  scgi_temp_path $work/nginx;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  types { text/html html; }
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
    location / { try_files /index.html =404; }
  }
  server {
    listen 127.0.0.1:$nginxh_port;
    root $work/www;
    gzip_vary on;
    location / { $site_headers try_files /index.html =404; }
  }
}
EOF
"$nginx" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' 2>>"$work/nginx/error.log" &
nginx_pid=$!
pids+=($nginx_pid)
wait_for "http://127.0.0.1:$nginx_port/"

# The production path (docs/nginx-production.conf): nginx in front of
# `site serve -publish`, serving the page from the files the server wrote
# for its version (gzip_static on their .gz copies), the same nginx
# settings otherwise (workers, buffered log, sendfile).
pub_port=$(free_port)
pubsite_port=$(free_port)
mkdir -p "$work/pub" "$work/pubnginx"
cp "$work/site.db" "$work/pub.db"
"$root/bin/site" serve -addr "127.0.0.1:$pubsite_port" -content "$root/content" -db "$work/pub.db" -publish "$work/pub" \
  -client-ip-header X-Real-IP >/dev/null 2>"$work/pubsite.log" &
pubsite_pid=$!
pids+=($pubsite_pid)
for _ in $(seq 600); do grep -q 'publish: nginx now serves' "$work/pubsite.log" && break; sleep 0.1; done
grep -q 'publish: nginx now serves' "$work/pubsite.log" || { echo "bench: the server did not publish:" >&2; cat "$work/pubsite.log" >&2; exit 1; }
sed -e "s#/srv/krakow-publish#$work/pub#g" -e "s#/var/log/nginx/#$work/pubnginx/#g" \
  -e "s#server 127.0.0.1:8080;#server 127.0.0.1:$pubsite_port;#" -e "s#listen 80;#listen 127.0.0.1:$pub_port;#" \
  "$root/docs/nginx-production.conf" >"$work/pubnginx/site.conf"
cat >"$work/pubnginx/nginx.conf" <<EOF
worker_processes auto;
pcre_jit on;
pid $work/pubnginx/nginx.pid;
error_log $work/pubnginx/error.log;
events { worker_connections 1024; }
http {
  client_body_temp_path $work/pubnginx;
  proxy_temp_path $work/pubnginx;
  fastcgi_temp_path $work/pubnginx;
  uwsgi_temp_path $work/pubnginx;
  scgi_temp_path $work/pubnginx;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  include $work/pubnginx/site.conf;
}
EOF
"$nginx" -p "$work/pubnginx" -c "$work/pubnginx/nginx.conf" -g 'daemon off;' 2>>"$work/pubnginx/error.log" &
pubnginx_pid=$!
pids+=($pubnginx_pid)
wait_for "http://127.0.0.1:$pub_port$page"

bare_port=$(free_port)
"$root/bin/bare" -addr "127.0.0.1:$bare_port" -file "$work/www/index.html" -gzip "$work/www/index.html.gz" \
  -headers "$work/page.headers" -gzip-headers "$work/page.gz.headers" &
bare_pid=$!
pids+=($bare_pid)
wait_for "http://127.0.0.1:$bare_port/"
barelim_port=$(free_port)
"$root/bin/bare" -addr "127.0.0.1:$barelim_port" -file "$work/www/index.html" -gzip "$work/www/index.html.gz" \
  -headers "$work/page.headers" -gzip-headers "$work/page.gz.headers" -limits &
barelim_pid=$!
pids+=($barelim_pid)
wait_for "http://127.0.0.1:$barelim_port/"
baremin_port=$(free_port)
"$root/bin/bare" -addr "127.0.0.1:$baremin_port" -file "$work/www/index.html" -gzip "$work/www/index.html.gz" &
baremin_pid=$!
pids+=($baremin_pid)
wait_for "http://127.0.0.1:$baremin_port/"

bytes=$(wc -c <"$work/www/index.html")
gzbytes=$(wc -c <"$work/www/index.html.gz")
echo "page: $page ($bytes bytes; $gzbytes with gzip)"
echo "wrk: $threads threads, $connections connections, $duration per server and round, $rounds rounds; $(nproc) cores shared by wrk and the server"
echo

# cpu PID… prints the CPU time, in clock ticks, the processes and their
# children (nginx's workers) have used.
cpu() {
  local t=0 p q
  for p in "$@"; do
    for q in $p $(pgrep -P "$p" || true); do
      t=$((t + $(awk '{ print $14 + $15 }' "/proc/$q/stat" 2>/dev/null || echo 0)))
    done
  done
  echo "$t"
}
tck=$(getconf CLK_TCK)

# run NAME URL [HEADER] prints "req/s p50 p99 cpu" (latencies in ms; the
# server's CPU time per request, in µs) of one wrk run.
run() {
  local name=$1 u=$2 out before after
  before=$(cpu ${spids[$name]})
  if [ -n "${3:-}" ]; then
    out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency -H "$3" "$u")
  else
    out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency "$u")
  fi
  after=$(cpu ${spids[$name]})
  if grep -q 'Non-2xx\|Socket errors' <<<"$out"; then
    echo "bench: $u had errors:" >&2
    echo "$out" >&2
    exit 1
  fi
  awk -v ticks=$((after - before)) -v tck="$tck" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^Requests\/sec:/ { rps = $2 }
    / requests in / { n = $1 }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    END { printf "%.0f %.3f %.3f %.2f\n", rps, p50, p99, ticks / tck / n * 1e6 }' <<<"$out"
}

names="nginx nginxh site bare barelim baremin publish"
declare -A url=([nginx]="http://127.0.0.1:$nginx_port/" [nginxh]="http://127.0.0.1:$nginxh_port/" [site]="http://127.0.0.1:$site_port$page"
  [bare]="http://127.0.0.1:$bare_port/" [barelim]="http://127.0.0.1:$barelim_port/" [baremin]="http://127.0.0.1:$baremin_port/"
  [publish]="http://127.0.0.1:$pub_port$page")
# Whose CPU time counts: the production path's is nginx's and the server's.
declare -A spids=([nginx]="$nginx_pid" [nginxh]="$nginx_pid" [site]="$site_pid" [bare]="$bare_pid" [barelim]="$barelim_pid" [baremin]="$baremin_pid"
  [publish]="$pubnginx_pid $pubsite_pid")
# Each answers gzip when asked: check the bytes before measuring.
for name in $names; do
  enc=$(curl -fs -o /dev/null -D - -H 'Accept-Encoding: gzip' "${url[$name]}" | tr -d '\r' | awk -F': ' 'tolower($1) == "content-encoding" { print $2 }')
  [ "$enc" = gzip ] || { echo "bench: $name does not answer gzip" >&2; exit 1; }
  wrk -t"$threads" -c"$connections" -d2s "${url[$name]}" >/dev/null # warm up
done
# The site's headers, and the anchors': what each sends with the gzip page.
for name in site bare nginxh publish; do
  printf "%-8s %s\n" "$name" "$(curl -fs -o /dev/null -D - -H 'Accept-Encoding: gzip' "${url[$name]}" | tr -d '\r' | awk -F': ' 'NR > 1 && NF > 1 { printf "%s ", $1 }')"
done
echo
for r in $(seq "$rounds"); do
  line=""
  for enc in identity gzip; do
    header=""
    [ "$enc" = gzip ] && header="Accept-Encoding: gzip"
    for name in $names; do
      res=$(run "$name" "${url[$name]}" "$header")
      echo "$name-$enc $res" >>"$work/results"
      line="$line $name/$enc ${res%% *}/s"
    done
  done
  echo "round $r:$line"
done
echo

# The median of each column for each server and encoding, then the ratios.
awk -v names="$names" '
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  { rps[$1] = rps[$1] " " $2; p50[$1] = p50[$1] " " $3; p99[$1] = p99[$1] " " $4; cpu[$1] = cpu[$1] " " $5 }
  END {
    printf "%-44s %12s %10s %10s %14s\n", "median of the rounds", "requests/s", "p50 ms", "p99 ms", "CPU µs/request"
    k = split(names, name, " ")
    split("identity gzip", encs, " ")
    label["nginx"] = "nginx (file, log buffered)"; label["nginxh"] = "nginx (file + the site'"'"'s headers)"
    label["site"] = "site (full server)"; label["bare"] = "bare net/http (the site'"'"'s headers)"
    label["baremin"] = "bare net/http (3 headers)"; label["publish"] = "nginx-production + -publish"
    label["barelim"] = "bare net/http (+ server limits)"
    for (e = 1; e <= 2; e++) for (i = 1; i <= k; i++) {
      n = name[i] "-" encs[e]; R[n] = median(rps[n]); L[n] = median(p99[n]); C[n] = median(cpu[n])
      printf "%-44s %12d %10.3f %10.3f %14.1f\n", label[name[i]] ", " encs[e], R[n], median(p50[n]), L[n], C[n]
    }
    print ""
    for (e = 1; e <= 2; e++) {
      x = encs[e]
      t = R["site-" x] / R["bare-" x]; l = L["site-" x] / L["bare-" x]
      printf "%-8s site/bare:  throughput %.2fx (target >= 0.95x), p99 %.2fx (target <= 1.20x): %s; CPU per request %.2fx (+%.1f µs)\n", x, t, l, (t >= 0.95 && l <= 1.2) ? "met" : "NOT met", C["site-" x] / C["bare-" x], C["site-" x] - C["bare-" x]
      printf "%-8s site/bare with the site'"'"'s server limits (timeouts, header size; not middleware): throughput %.2fx, p99 %.2fx; CPU per request +%.1f µs\n", x, R["site-" x] / R["barelim-" x], L["site-" x] / L["barelim-" x], C["site-" x] - C["barelim-" x]
      printf "%-8s site/bare with 3 headers: throughput %.2fx, p99 %.2fx\n", x, R["site-" x] / R["baremin-" x], L["site-" x] / L["baremin-" x]
      printf "%-8s site/nginx: throughput %.2fx, p99 %.2fx\n", x, R["site-" x] / R["nginx-" x], L["site-" x] / L["nginx-" x]
      printf "%-8s bare/nginx: throughput %.2fx, p99 %.2fx\n", x, R["bare-" x] / R["nginx-" x], L["bare-" x] / L["nginx-" x]
      t = R["publish-" x] / R["nginx-" x]
      printf "%-8s production path (nginx + -publish)/nginx static file: throughput %.2fx (target >= 0.95x): %s, p99 %.2fx\n", x, t, (t >= 0.95) ? "met" : "NOT met", L["publish-" x] / L["nginx-" x]
      printf "%-8s production path/nginx static file with the site'"'"'s headers: throughput %.2fx, p99 %.2fx; CPU per request %.2fx\n", x, R["publish-" x] / R["nginxh-" x], L["publish-" x] / L["nginxh-" x], C["publish-" x] / C["nginxh-" x]
    }
  }' "$work/results"
