#!/usr/bin/env bash
# SharpTun WireGuard against the newest wireguard-go, side by side: BENCH_ROUNDS rounds (default 3) of
# `bench/run.sh` with BENCH_ONLY=wgcore (the veth wire, SharpTun, upstream wireguard-go; plus the
# BENCH_BASELINE build when set), alternating which contender goes first. Prints each contender's median
# and the median of the per-round ratios with their range, and writes them to the "wg-rounds" section of
# bench/RESULTS.md. Needs root (run.sh's namespaces). BENCH_SECONDS (default 10) per iperf3 run.
set -uo pipefail
here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
[ "$(id -u)" = 0 ] || { echo "rounds: needs root" >&2; exit 1; }
n=${BENCH_ROUNDS:-3}
rows=$(mktemp /tmp/sharptun-rounds.XXXXXX)
trap 'rm -f "$rows"' EXIT
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq "$n"); do
  first=ours; [ $((r % 2)) = 0 ] && first=go
  echo "rounds: round $r of $n ($first first)" >&2
  : >"$rows.round"
  BENCH_ONLY=wgcore BENCH_WG_FIRST=$first BENCH_ROWS="$rows.round" BENCH_WRITE=0 BENCH_SECONDS=${BENCH_SECONDS:-10} \
    "$here/run.sh" >/dev/null || { echo "rounds: run.sh failed in round $r" >&2; rm -f "$rows.round"; exit 1; }
  sed "s/^/$r|/" "$rows.round" >>"$rows"
done
rm -f "$rows.round"
# rows: round|name|g1|g4|rtt|cpu|reverse|loaded|rss (Mbit/s, ms, % of a core, MiB)
report=$(awk -F'|' -v n="$n" '
  function med(a, k,   i, j, t, m) { m = 0; for (i in a) if (i ~ "^" k SUBSEP) v[++m] = a[i] + 0
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    r = (m == 0) ? "-" : (m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2); lo = v[1]; hi = v[m]; delete v; return r }
  $2 ~ /^wireguard-go .*upstream/ { $2 = "wireguard-go upstream" }
  $2 == "SharpTun WireGuard" || $2 == "wireguard-go upstream" || $2 == "baseline build, WireGuard" || $2 ~ /^veth wire/ {
    names[$2] = 1
    for (f = 3; f <= 9; f++) if ($f != "-" && $f != "") val[$2, f, $1] = $f
    if ($2 == "SharpTun WireGuard" || $2 == "wireguard-go upstream") for (f = 3; f <= 9; f++) row[$2, f, $1] = $f
  }
  END {
    split("1 stream Gbit/s|4 streams Gbit/s|idle RTT ms|CPU %|reverse Gbit/s|RTT under load ms|peak RSS MiB", label, "|")
    printf "| contender (median of %d rounds) | 1 stream Gbit/s | 4 streams Gbit/s | reverse Gbit/s | idle RTT ms | RTT under load ms | CPU %% (1 stream) | CPU %% per Gbit/s | peak RSS MiB |\n", n
    print "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    for (name in names) {
      for (f = 3; f <= 9; f++) { delete one; for (k in val) { split(k, p, SUBSEP); if (p[1] == name && p[2] == f) one[f SUBSEP p[3]] = val[k] }; m[f] = med(one, f) }
      delete one; for (k in val) { split(k, p, SUBSEP); if (p[1] == name && p[2] == 6 && val[name, 3, p[3]] > 0) one[0 SUBSEP p[3]] = val[k] / (val[name, 3, p[3]] / 1000) }
      per = med(one, 0)
      printf "| %s | %.2f | %.2f | %.2f | %.3f | %.3f | %s | %s | %s |\n", name, m[3] / 1000, m[4] / 1000, m[7] / 1000, m[5], m[8], m[6], (per == "-" ? "-" : sprintf("%.0f", per)), m[9]
    }
    # Per-round ratios SharpTun / wireguard-go, then their median and range.
    split("3 4 7 5 6", fs, " "); split("1 stream|4 streams|reverse|idle RTT|CPU per Gbit/s", fl, "|")
    line = "SharpTun / wireguard-go upstream, median of per-round ratios (range):"
    for (i = 1; i <= 5; i++) {
      f = fs[i]; delete one
      for (k in row) { split(k, p, SUBSEP); if (p[1] == "SharpTun WireGuard" && p[2] == f) {
        rd = p[3]; a = row["SharpTun WireGuard", f, rd]; b = row["wireguard-go upstream", f, rd]
        if (f == 6) { g1a = row["SharpTun WireGuard", 3, rd]; g1b = row["wireguard-go upstream", 3, rd]; if (g1a > 0 && g1b > 0) { a = a / g1a; b = b / g1b } else b = 0 }
        if (a != "-" && b != "-" && b + 0 > 0) one[0 SUBSEP rd] = a / b } }
      r = med(one, 0)
      line = line sprintf(" %s %s", fl[i], (r == "-") ? "-" : sprintf("%.2fx (%.2f-%.2f)", r, lo, hi)) (i < 5 ? "," : "")
    }
    print ""; print line
  }' "$rows")
echo "$report"
[ "${BENCH_WRITE:-1}" = 0 ] && exit 0
{
  [ -f "$here/RESULTS.md" ] && sed '/^<!-- wg-rounds -->$/,/^<!-- \/wg-rounds -->$/d' "$here/RESULTS.md" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
  echo
  echo "<!-- wg-rounds -->"
  echo "## WireGuard side by side, medians (\`bench/rounds.sh\`, issue 20)"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $n rounds of bench/run.sh BENCH_ONLY=wgcore, iperf3 ${BENCH_SECONDS:-10} s,"
  echo "order alternating between rounds; load average at start: $load_start; at end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "$report"
  echo "<!-- /wg-rounds -->"
} >"$here/RESULTS.md.new" && mv "$here/RESULTS.md.new" "$here/RESULTS.md"
echo "rounds: wrote the wg-rounds section of $here/RESULTS.md" >&2
