#!/usr/bin/env bash
# make bench: the full server (every middleware, request log on) against
# nginx serving the same declaration page's bytes from disk, one after the
# other, with wrk on 127.0.0.1, and the ratios; and, for scale, a bare
# net/http server writing the same bytes from memory (tools/bench/bare).
# The servers take turns for ROUNDS rounds and the medians are printed, as
# single runs on a shared 2-core machine vary by ±15 %. Installs nothing.
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
pids+=($!)
wait_for "http://127.0.0.1:$site_port/healthz"

# nginx with the same bytes, from disk, with its access log on.
mkdir -p "$work/www" "$work/nginx"
curl -fs "http://127.0.0.1:$site_port$page" -o "$work/www/index.html"
nginx_port=$(free_port)
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log $work/nginx/access.log;
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
}
EOF
"$nginx" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' 2>>"$work/nginx/error.log" &
pids+=($!)
wait_for "http://127.0.0.1:$nginx_port/"

bare_port=$(free_port)
"$root/bin/bare" -addr "127.0.0.1:$bare_port" -file "$work/www/index.html" &
pids+=($!)
wait_for "http://127.0.0.1:$bare_port/"

bytes=$(wc -c <"$work/www/index.html")
echo "page: $page ($bytes bytes, identity encoding, as wrk asks)"
echo "wrk: $threads threads, $connections connections, $duration per server and round, $rounds rounds; $(nproc) cores shared by wrk and the server"
echo

# run URL prints "req/s p50 p99" (latencies in ms) of one wrk run.
run() {
  local out
  out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency "$1")
  if grep -q 'Non-2xx\|Socket errors' <<<"$out"; then
    echo "bench: $1 had errors:" >&2
    echo "$out" >&2
    exit 1
  fi
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^Requests\/sec:/ { rps = $2 }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    END { printf "%.0f %.3f %.3f\n", rps, p50, p99 }' <<<"$out"
}

declare -A url=([nginx]="http://127.0.0.1:$nginx_port/" [site]="http://127.0.0.1:$site_port$page" [bare]="http://127.0.0.1:$bare_port/")
for name in nginx site bare; do
  wrk -t"$threads" -c"$connections" -d2s "${url[$name]}" >/dev/null # warm up
done
for r in $(seq "$rounds"); do
  for name in nginx site bare; do
    echo "$name $(run "${url[$name]}")" >>"$work/results"
  done
  echo "round $r: $(awk -v r="$r" '{ line[NR] = $1 " " $2 "/s" } END { n = NR; print line[n-2] ", " line[n-1] ", " line[n] }' "$work/results")"
done
echo

# The median of each column for each server, then the ratios.
awk '
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  { rps[$1] = rps[$1] " " $2; p50[$1] = p50[$1] " " $3; p99[$1] = p99[$1] " " $4 }
  END {
    printf "%-28s %12s %10s %10s\n", "median of the rounds", "requests/s", "p50 ms", "p99 ms"
    split("nginx site bare", names, " ")
    label["nginx"] = "nginx (static file)"; label["site"] = "site (full server)"; label["bare"] = "bare net/http (naive)"
    for (k = 1; k <= 3; k++) {
      n = names[k]; R[n] = median(rps[n]); L[n] = median(p99[n])
      printf "%-28s %12d %10.3f %10.3f\n", label[n], R[n], median(p50[n]), L[n]
    }
    t = R["site"] / R["nginx"]; l = L["site"] / L["nginx"]
    printf "\nsite/nginx: throughput %.2fx (target >= 0.60x), p99 %.2fx (target <= 1.50x): %s\n", t, l, (t >= 0.6 && l <= 1.5) ? "met" : "NOT met"
    printf "bare/nginx: throughput %.2fx, p99 %.2fx\n", R["bare"] / R["nginx"], L["bare"] / L["nginx"]
  }' "$work/results"
