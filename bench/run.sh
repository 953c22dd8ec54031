#!/usr/bin/env bash
# Side-by-side tunnel benchmark, one run: the bare veth wire (the limit), SharpTun TCP and UDP,
# socat TUN over TCP and UDP, OpenVPN 2.6 p2p (cleartext UDP/TCP and AES-256-GCM UDP/TCP),
# WireGuard (SharpTun, wireguard-go Debian + upstream, and the mixed pair), and
# simpletun when SIMPLETUN=/path/to/simpletun is set (built outside this repository).
# Topology (TESTBED.md): ns A 198.18.0.1/24 <-veth-> ns B 198.18.0.2/24; each tunnel puts
# 198.19.0.1 in A and 198.19.0.2 in B. For each: idle ping RTT (median of 100), iperf3 single stream
# and -P 4 (BENCH_SECONDS each, default 5) from B to A, and the CPU (utime+stime from
# /proc/PID/stat) of the tunnel processes during the single-stream run. Prints a table and
# writes it to bench/RESULTS.md. Needs root; removes everything it made, also on Ctrl-C.
set -uo pipefail
here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
root="$(dirname "$here")"
. "$here/lib.sh"
[ "$(id -u)" = 0 ] || { echo "bench: needs root" >&2; exit 1; }
for t in iperf3 ping socat openvpn openssl; do
  command -v "$t" >/dev/null || { echo "bench: $t is missing (apt-get install iperf3 iputils-ping socat openvpn openssl)" >&2; exit 1; }
done
S=${BENCH_SECONDS:-5}
# BENCH_BASELINE=/path/to/sharptun(.dll) adds relay and WireGuard rows for another build (before/after in one run);
# BENCH_BASELINE_WG_ARGS adds options to its `wg up` (e.g. the same build with --workers 1).
# BENCH_ONLY=wg: the wire, WireGuard rows and OpenVPN UDP AES-256-GCM; BENCH_ONLY=relay: everything but WireGuard;
# BENCH_ONLY=wgcore: the wire, SharpTun WireGuard (and the baseline build) and upstream wireguard-go only.
# BENCH_WG_FIRST=go: measure wireguard-go before SharpTun (bench/rounds.sh alternates the order between rounds).
# BENCH_ROWS=FILE appends the raw rows (name|1 stream|4 streams|rtt|cpu|reverse|loaded rtt|rss) to FILE;
# BENCH_WRITE=0 leaves bench/RESULTS.md alone.
ONLY=${BENCH_ONLY:-all}
[ "$ONLY" = wgcore ] && { ONLY=wg; CORE=1; } || CORE=0
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
tag="stb$$"; A="${tag}a"; B="${tag}b"
work=$(mktemp -d /tmp/sharptun-bench.XXXXXX)
results=()
HZ=$(getconf CLK_TCK)

stop_tunnel() {
  stop_pids
  for ns in "$A" "$B"; do ip -n "$ns" link del tun0 2>/dev/null; done
  return 0
}
lab_traps bench

lab_up "$A" "$B" || exit 1

"$root/sharptun" --version >/dev/null || exit 1
case "${BENCH_BASELINE:-}" in *.dll) baseline=(dotnet "$BENCH_BASELINE") ;; "") baseline=() ;; *) baseline=("$BENCH_BASELINE") ;; esac
inA() { ip netns exec "$A" "$@"; }
inB() { ip netns exec "$B" "$@"; }
start() { local ns=$1; shift; ip netns exec "$ns" "$@" >>"$work/log" 2>&1 & pids+=($!); }
ticks() { local t=0; for p in "${pids[@]}"; do [ -r /proc/$p/stat ] && t=$((t + $(awk '{print $14 + $15}' /proc/$p/stat))); done; echo $t; }
peak_rss() { # the largest peak RSS (VmHWM, MiB) among the tunnel processes and their children
  local m=0 v p c
  for p in "${pids[@]}"; do
    for c in $p $(pgrep -P "$p" 2>/dev/null); do
      v=$(awk '/^VmHWM:/ {print int($2 / 1024)}' /proc/$c/status 2>/dev/null); [ -n "$v" ] && [ "$v" -gt "$m" ] && m=$v
    done
  done
  [ ${#pids[@]} -eq 0 ] && echo "-" || echo "$m"
}
mktun() { # ns addr: a configured persistent tun0 for tools that attach to one
  ip -n "$1" tuntap add tun0 mode tun && ip -n "$1" addr add "$2"/24 dev tun0 && ip -n "$1" link set tun0 up
}

iperf() { # target, parallel [reverse] -> Mbit/s received (or "-")
  ip netns exec "$A" iperf3 -s -1 -B "$1" >/dev/null 2>&1 &
  local srv=$!
  for _ in $(seq 50); do inA ss -Hltn "sport = :5201" | grep -q 5201 && break; sleep 0.1; done
  local out
  out=$(timeout $((S + 20)) ip netns exec "$B" iperf3 -c "$1" -t "$S" -P "$2" ${3:+-R} -f m 2>&1)
  kill "$srv" 2>/dev/null; wait "$srv" 2>/dev/null
  echo "$out" | grep -q receiver || echo "bench: iperf3 -c $1 -P $2 failed: $(echo "$out" | tail -2 | tr '\n' ' ')" >&2
  echo "$out" | awk '/receiver/ {for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") v = $(i-1)} END {print (v == "" ? "-" : v)}'
}

measure() { # name target
  local name=$1 target=$2 ok=""
  for _ in $(seq 100); do inB ping -c1 -W1 "$target" >/dev/null 2>&1 && { ok=1; break; }; sleep 0.1; done
  if [ -z "$ok" ]; then
    echo "bench: $name: no ping through the tunnel; skipped (log: $(tail -3 "$work/log" | tr '\n' ' '))" >&2
    results+=("$name|-|-|-|-|-|-|-"); stop_tunnel; return
  fi
  local rtt
  # Median of 100 idle pings (20 ms apart) after 20 unmeasured ones (every contender gets the same
  # warm-up: a JIT build's tiering, ARP, caches): robust against the odd scheduling hiccup.
  inB ping -c 20 -i 0.02 "$target" >/dev/null 2>&1
  rtt=$(inB ping -c 100 -i 0.02 "$target" | sed -n 's/.*time=\([0-9.]*\) ms/\1/p' | sort -n | awk '{v[NR] = $1} END {printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')
  local t0 t1 g1 g4 gr cpu rss loaded
  # BENCH_PERF=DIR: a perf profile of the tunnel processes during the single-stream run, per contender,
  # written as DIR/<name>.txt (self time by symbol, then by thread): where the cycles go.
  local perfpid=""
  if [ -n "${BENCH_PERF:-}" ] && [ ${#pids[@]} -gt 0 ] && command -v perf >/dev/null; then
    mkdir -p "$BENCH_PERF"
    perf record -q -F 499 -g -o "$work/perf.data" -p "$(IFS=,; echo "${pids[*]}")" -- sleep $((S > 2 ? S - 1 : 1)) >/dev/null 2>&1 &
    perfpid=$!
  fi
  t0=$(ticks); g1=$(iperf "$target" 1); t1=$(ticks)
  if [ -n "$perfpid" ]; then
    wait "$perfpid" 2>/dev/null
    { echo "# $name: perf record -F 499 -g of the tunnel processes (both ends) during the 1-stream iperf3 run"
      echo "## self time by library"; perf report -i "$work/perf.data" --no-children --sort dso --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -12
      echo "## self time by symbol"; perf report -i "$work/perf.data" --no-children --sort dso,sym --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -40
      echo "## by thread"; perf report -i "$work/perf.data" --no-children --sort comm --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -12
    } >"$BENCH_PERF/$(echo "$name" | tr -c 'A-Za-z0-9.\n-' '_').txt"
    rm -f "$work/perf.data"
  fi
  cpu=$(awk -v d=$((t1 - t0)) -v hz="$HZ" -v s="$S" 'BEGIN {printf "%.0f", d / hz / s * 100}')
  g4=$(iperf "$target" 4)
  # The other direction (A -> B, iperf3 -R), with 50 pings during it: RTT under load.
  ( sleep 1; inB ping -c 50 -i 0.05 "$target" >"$work/loaded-ping" 2>&1 ) & local pinger=$!
  gr=$(iperf "$target" 1 reverse)
  wait "$pinger" 2>/dev/null
  loaded=$(sed -n 's/.*time=\([0-9.]*\) ms/\1/p' "$work/loaded-ping" | sort -n | awk '{v[NR] = $1} END {if (NR == 0) print "-"; else printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')
  rss=$(peak_rss)
  [ ${#pids[@]} -eq 0 ] && cpu="-"
  echo "bench: $name: 1 stream $g1 Mbit/s, 4 streams $g4 Mbit/s, reverse $gr Mbit/s, rtt $rtt ms (loaded $loaded), cpu $cpu %, peak rss $rss MiB" >&2
  results+=("$name|$g1|$g4|$rtt|$cpu|$gr|$loaded|$rss")
}

# 1. the bare wire
measure "veth wire (limit)" 198.18.0.1

# 2-3. SharpTun (tun MTU 1500 like every other contender)
[ "$ONLY" = wg ] || for t in tcp udp; do
  start "$A" "${st[@]}" tunnel -i tun0 -s --transport $t --create --address 198.19.0.1/24
  sleep 0.5
  start "$B" "${st[@]}" tunnel -i tun0 -c 198.18.0.1 --transport $t --create --address 198.19.0.2/24
  # UDP: --create defaults the tun MTU to 1472 (1500 - 28) so no packet fragments on the wire;
  # OpenVPN gets the same effect from its default --mssfix.
  measure "SharpTun ${t^^}$([ $t = udp ] && echo " (MTU 1472)")" 198.19.0.1
  stop_tunnel
  # The same relay without tun offloads: one packet per device read and write, as simpletun and OpenVPN do.
  start "$A" "${st[@]}" tunnel -i tun0 -s --transport $t --create --address 198.19.0.1/24 --no-offload
  sleep 0.5
  start "$B" "${st[@]}" tunnel -i tun0 -c 198.18.0.1 --transport $t --create --address 198.19.0.2/24 --no-offload
  measure "SharpTun ${t^^} --no-offload" 198.19.0.1
  stop_tunnel
  # BENCH_BASELINE=/path/to/other/sharptun.dll: the same row for another build (before/after in one run)
  if [ -n "${BENCH_BASELINE:-}" ]; then
    start "$A" "${baseline[@]}" tunnel -i tun0 -s --transport $t --create --address 198.19.0.1/24
    sleep 0.5
    start "$B" "${baseline[@]}" tunnel -i tun0 -c 198.18.0.1 --transport $t --create --address 198.19.0.2/24
    measure "baseline build, ${t^^}" 198.19.0.1
    stop_tunnel
  fi
done

# 4. simpletun (TCP), if given
if [ -n "${SIMPLETUN:-}" ] && [ "$ONLY" != wg ]; then
  mktun "$A" 198.19.0.1; mktun "$B" 198.19.0.2
  start "$A" "$SIMPLETUN" -i tun0 -s
  sleep 0.3
  start "$B" "$SIMPLETUN" -i tun0 -c 198.18.0.1
  measure "simpletun (TCP)" 198.19.0.1
  stop_tunnel
fi

# 5. socat TUN over TCP and UDP (socat does not frame: over TCP packet boundaries are lost under load)
tunopt="tun-type=tun,iff-no-pi,iff-up,tun-name=tun0"
if [ "$ONLY" != wg ]; then
start "$A" socat TCP-LISTEN:55556,bind=198.18.0.1,reuseaddr "TUN:198.19.0.1/24,$tunopt"
sleep 0.3
start "$B" socat TCP:198.18.0.1:55556 "TUN:198.19.0.2/24,$tunopt"
measure "socat TUN over TCP" 198.19.0.1
stop_tunnel
start "$A" socat UDP-LISTEN:55556,bind=198.18.0.1 "TUN:198.19.0.1/24,$tunopt"
sleep 0.3
start "$B" socat UDP:198.18.0.1:55556 "TUN:198.19.0.2/24,$tunopt"
measure "socat TUN over UDP" 198.19.0.1
stop_tunnel
fi

# 6. OpenVPN 2.6 p2p: cleartext (no crypto at all) and AES-256-GCM (TLS p2p, self-signed certs pinned by fingerprint)
[ $CORE = 1 ] || for side in a b; do
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj "/CN=$side" \
    -keyout "$work/$side.key" -out "$work/$side.crt" >/dev/null 2>&1
done
fp() { openssl x509 -in "$work/$1.crt" -noout -fingerprint -sha256 | cut -d= -f2; }
ovpn_common="--dev tun0 --dev-type tun --disable-dco --verb 1 --ping 10"
for crypto in clear gcm; do
  for proto in udp tcp; do
    [ "$ONLY" = wg ] && { [ $crypto = gcm ] && [ $proto = udp ] && [ $CORE = 0 ] || continue; }
    if [ $proto = udp ]; then pa="--proto udp --local 198.18.0.1 --lport 1194 --remote 198.18.0.2 --rport 1194"
      pb="--proto udp --local 198.18.0.2 --lport 1194 --remote 198.18.0.1 --rport 1194"
    else pa="--proto tcp-server --local 198.18.0.1 --lport 1194"; pb="--proto tcp-client --remote 198.18.0.1 1194"; fi
    if [ $crypto = clear ]; then ca="--cipher none --data-ciphers none --auth none"; cb="$ca"; label="cleartext"
    else
      ca="--tls-server --dh none --cert $work/a.crt --key $work/a.key --peer-fingerprint $(fp b) --data-ciphers AES-256-GCM"
      cb="--tls-client --cert $work/b.crt --key $work/b.key --peer-fingerprint $(fp a) --data-ciphers AES-256-GCM"
      label="AES-256-GCM"
    fi
    # shellcheck disable=SC2086
    start "$A" openvpn $ovpn_common $pa $ca --ifconfig 198.19.0.1 198.19.0.2
    sleep 0.3
    # shellcheck disable=SC2086
    start "$B" openvpn $ovpn_common $pb $cb --ifconfig 198.19.0.2 198.19.0.1
    measure "OpenVPN ${proto^^} $label" 198.19.0.1
    stop_tunnel
  done
done

# 7. WireGuard: SharpTun (`sharptun wg up`), wireguard-go (Debian's package and the newest upstream
# build from ../shared/tools when present), and the mixed pair SharpTun <-> upstream wireguard-go.
# Interfaces wgA/wgB (UAPI sockets live in the root's /var/run/wireguard, shared by the namespaces),
# MTU 1420 (wg-quick's default), ListenPort 51820, the peer's /32 as AllowedIPs.
if [ "$ONLY" = relay ]; then
  echo "bench: BENCH_ONLY=relay: WireGuard rows skipped" >&2
elif command -v wg >/dev/null; then
  ka=$(wg genkey); kb=$(wg genkey); pa=$(echo "$ka" | wg pubkey); pb=$(echo "$kb" | wg pubkey)
  wgconf() { # file key peerkey addr peerwire peeraddr quick
    {
      echo "[Interface]"; echo "PrivateKey = $2"; echo "ListenPort = 51820"
      [ "$7" = quick ] && echo "Address = $4/24"
      echo "[Peer]"; echo "PublicKey = $3"; echo "AllowedIPs = $6/32"; echo "Endpoint = $5:51820"
    } >"$1"
  }
  wg_sharptun() { # ns name key peerkey addr peerwire peeraddr
    wgconf "$work/$2.conf" "$3" "$4" "$5" "$6" "$7" quick
    # shellcheck disable=SC2086
    start "$1" "${st[@]}" wg up "$work/$2.conf" --log-level error ${wg_args:-}
  }
  wg_go() { # binary ns name key peerkey addr peerwire peeraddr
    wgconf "$work/$3.setconf" "$4" "$5" "$6" "$7" "$8" plain
    ip netns exec "$2" env WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1 LOG_LEVEL=error "$1" -f "$3" >>"$work/log" 2>&1 &
    pids+=($!)
    for _ in $(seq 100); do [ -S "/var/run/wireguard/$3.sock" ] && break; sleep 0.1; done
    wg setconf "$3" "$work/$3.setconf" && ip -n "$2" addr add "$6"/24 dev "$3" && ip -n "$2" link set "$3" mtu 1420 up
  }
  wg_stop() { stop_tunnel; rm -f /var/run/wireguard/wgA.sock /var/run/wireguard/wgB.sock; ip -n "$A" link del wgA 2>/dev/null; ip -n "$B" link del wgB 2>/dev/null; return 0; }
  upstream="${SHARPTUN_WIREGUARD_GO_UPSTREAM:-$root/../shared/tools/wireguard-go/wireguard-go}"
  wg_ours() {
  wg_sharptun "$A" wgA "$ka" "$pb" 198.19.0.1 198.18.0.2 198.19.0.2
  wg_sharptun "$B" wgB "$kb" "$pa" 198.19.0.2 198.18.0.1 198.19.0.1
  measure "SharpTun WireGuard" 198.19.0.1
  wg_stop
  if [ ${#baseline[@]} -gt 0 ]; then
    main_st=("${st[@]}"); st=("${baseline[@]}"); wg_args=${BENCH_BASELINE_WG_ARGS:-}
    wg_sharptun "$A" wgA "$ka" "$pb" 198.19.0.1 198.18.0.2 198.19.0.2
    wg_sharptun "$B" wgB "$kb" "$pa" 198.19.0.2 198.18.0.1 198.19.0.1
    measure "baseline build, WireGuard" 198.19.0.1
    wg_stop
    st=("${main_st[@]}"); wg_args=""
  fi
  }
  [ "${BENCH_WG_FIRST:-ours}" = go ] || wg_ours
  variants="debian upstream"; [ $CORE = 1 ] && variants=upstream
  for variant in $variants; do
    bin=/usr/bin/wireguard-go; [ $variant = upstream ] && bin=$upstream
    [ -x "$bin" ] || { echo "bench: $bin missing; its rows skipped" >&2; continue; }
    ver=$("$bin" --version 2>/dev/null | awk '{print $2; exit}')
    wg_go "$bin" "$A" wgA "$ka" "$pb" 198.19.0.1 198.18.0.2 198.19.0.2
    wg_go "$bin" "$B" wgB "$kb" "$pa" 198.19.0.2 198.18.0.1 198.19.0.1
    measure "wireguard-go $ver ($variant)" 198.19.0.1
    wg_stop
    if [ $variant = upstream ] && [ $CORE = 0 ]; then
      # mixed pair: SharpTun in A (the iperf3 receiver), wireguard-go in B (the sender)
      wg_sharptun "$A" wgA "$ka" "$pb" 198.19.0.1 198.18.0.2 198.19.0.2
      wg_go "$bin" "$B" wgB "$kb" "$pa" 198.19.0.2 198.18.0.1 198.19.0.1
      measure "SharpTun WG <- wireguard-go $ver" 198.19.0.1
      wg_stop
    fi
  done
  [ "${BENCH_WG_FIRST:-ours}" = go ] && wg_ours
else
  echo "bench: wg (wireguard-tools) missing; WireGuard rows skipped" >&2
fi

# The table
wire=$(echo "${results[0]}" | cut -d'|' -f2)
st_tcp=$(printf '%s\n' "${results[@]}" | awk -F'|' '$1 == "SharpTun TCP" {print $2}')
st_udp=$(printf '%s\n' "${results[@]}" | awk -F'|' '$1 ~ /^SharpTun UDP/ {print $2}')
st_wg=$(printf '%s\n' "${results[@]}" | awk -F'|' '$1 == "SharpTun WireGuard" {print $2}')
table=$(
  echo "| path | 1 stream Gbit/s | x wire | x SharpTun (same kind) | 4 streams Gbit/s | reverse 1 stream Gbit/s | idle RTT ms (median) | RTT under load ms | tunnel CPU % (1 stream) | CPU % per Gbit/s | peak RSS MiB |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for r in "${results[@]}"; do
    IFS='|' read -r name g1 g4 rtt cpu gr loaded rss <<<"$r"
    ref=$st_tcp; case "$name" in *WireGuard*|*wireguard-go*|*WG*) ref=$st_wg ;; *UDP*) ref=$st_udp ;; esac
    awk -v n="$name" -v g1="$g1" -v g4="$g4" -v rtt="$rtt" -v cpu="$cpu" -v w="$wire" -v ref="$ref" -v gr="$gr" -v loaded="$loaded" -v rss="$rss" 'BEGIN {
      gb1 = (g1 == "-") ? "-" : sprintf("%.2f", g1 / 1000)
      gb4 = (g4 == "-") ? "-" : sprintf("%.2f", g4 / 1000)
      xw = (g1 == "-" || w == "-" || w == 0) ? "-" : sprintf("%.2f", g1 / w)
      xs = (g1 == "-" || ref == "-" || ref == "" || ref == 0 || n ~ /^veth wire/) ? "-" : sprintf("%.2f", g1 / ref)
      per = (cpu == "-" || g1 == "-" || g1 == 0) ? "-" : sprintf("%.0f", cpu / (g1 / 1000))
      gbr = (gr == "-" || gr == "") ? "-" : sprintf("%.2f", gr / 1000)
      printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", n, gb1, xw, xs, gb4, gbr, rtt, loaded, cpu, per, rss
    }'
  done
)
# Ratios of SharpTun WireGuard to the newest wireguard-go (issue 9's targets), from this run only.
ratios=$(printf '%s\n' "${results[@]}" | awk -F'|' '
  $1 == "SharpTun WireGuard" {split($0, s, "|")}
  $1 ~ /^wireguard-go .*upstream/ {split($0, u, "|")}
  $1 ~ /^SharpTun WG <- wireguard-go/ {split($0, m, "|")}
  function r(a, b) { return (a == "-" || b == "-" || b == 0 || a == "" || b == "") ? "-" : sprintf("%.2fx", a / b) }
  function per(c, g) { return (c == "-" || g == "-" || g == 0) ? "-" : c / (g / 1000) }
  END {
    if (length(s) == 0 || length(u) == 0) exit
    printf "SharpTun WireGuard / wireguard-go upstream: 1 stream %s, 4 streams %s, reverse %s, idle RTT %s, RTT under load %s, CPU per Gbit/s %s\n",
      r(s[2], u[2]), r(s[3], u[3]), r(s[6], u[6]), r(s[4], u[4]), r(s[7], u[7]), r(per(s[5], s[2]), per(u[5], u[2]))
    if (length(m) > 0) printf "Mixed (SharpTun <- wireguard-go upstream) / wireguard-go pair: 1 stream %s, reverse %s\n", r(m[2], u[2]), r(m[6], u[6])
  }')
# The relay against OpenVPN cleartext on the same transport (issue 12's targets: throughput ratios, idle RTT <= OpenVPN's).
relay_ratios=$(printf '%s\n' "${results[@]}" | awk -F'|' '
  function r(a, b) { return (a == "-" || b == "-" || b == 0 || a == "" || b == "") ? "-" : sprintf("%.2fx", a / b) }
  $1 == "SharpTun TCP" {split($0, st, "|")} $1 ~ /^SharpTun UDP \(/ {split($0, su, "|")}
  $1 == "SharpTun TCP --no-offload" {split($0, nt, "|")} $1 == "SharpTun UDP --no-offload" {split($0, nu, "|")}
  $1 == "OpenVPN TCP cleartext" {split($0, ot, "|")} $1 == "OpenVPN UDP cleartext" {split($0, ou, "|")}
  END {
    if (length(st) > 0 && length(ot) > 0) printf "SharpTun relay TCP / OpenVPN TCP cleartext: 1 stream %s, 4 streams %s, reverse %s, idle RTT %s (--no-offload: 1 stream %s, idle RTT %s)\n", r(st[2], ot[2]), r(st[3], ot[3]), r(st[6], ot[6]), r(st[4], ot[4]), r(nt[2], ot[2]), r(nt[4], ot[4])
    if (length(su) > 0 && length(ou) > 0) printf "SharpTun relay UDP / OpenVPN UDP cleartext: 1 stream %s, 4 streams %s, reverse %s, idle RTT %s (--no-offload: 1 stream %s, idle RTT %s)\n", r(su[2], ou[2]), r(su[3], ou[3]), r(su[6], ou[6]), r(su[4], ou[4]), r(nu[2], ou[2]), r(nu[4], ou[4])
  }')
echo
echo "$table"
[ -n "$ratios" ] && echo && echo "$ratios"
[ -n "$relay_ratios" ] && echo && echo "$relay_ratios"
[ -n "${BENCH_ROWS:-}" ] && printf '%s\n' "${results[@]}" >>"$BENCH_ROWS"
[ "${BENCH_WRITE:-1}" = 0 ] && exit 0
{
  echo "# Tunnel benchmark results"
  echo
  echo "Latest run of \`bench/run.sh\` ($(date -u '+%Y-%m-%d %H:%M UTC')) on $(nproc) x $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo),"
  echo "kernel $(uname -r), iperf3 ${S} s per measurement, B -> A through each path."
  echo "Load average (1/5/15 min) at start: $load_start; at end: $(cut -d' ' -f1-3 /proc/loadavg) — other work on the machine skews every row."
  echo "SharpTun: $st_build. SIMPLETUN=${SIMPLETUN:-(not set)}; $(openvpn --version | head -1 | cut -d' ' -f1-2); socat $(socat -V | awk '/socat version/ {print $3}')."
  echo
  echo "$table"
  echo
  [ -n "$ratios" ] && { echo "$ratios" | sed 's/^/- /'; echo; }
  [ -n "$relay_ratios" ] && { echo "$relay_ratios" | sed 's/^/- /'; echo; }
  echo "CPU is utime+stime of the tunnel's own processes (both ends) during the single-stream run, in % of one core;"
  echo "kernel work done in softirq context is not included. socat over TCP does not preserve packet boundaries."
  # The other scripts' sections (each between its <!-- name --> and <!-- /name --> markers) are kept as they were.
  [ -f "$here/RESULTS.md" ] && awk '/^<!-- [a-z-]+ -->$/ {keep = 1; print ""} keep {print} /^<!-- \/[a-z-]+ -->$/ {keep = 0}' "$here/RESULTS.md"
} >"$here/RESULTS.md.new"
mv "$here/RESULTS.md.new" "$here/RESULTS.md"
echo "bench: wrote $here/RESULTS.md"
