#!/usr/bin/env bash
# Many peers on one interface, SharpTun (`sharptun wg userspace`) and upstream wireguard-go side by side.
# Topology (TESTBED.md): ns A 198.18.0.1/24 <-veth-> ns B 198.18.0.2/24. The interface under test is in A
# (198.19.0.1/24) with PEERS random peers (random public keys, one /32 each from 198.18.1.0 up, skipping
# 198.19.0.0/24) plus one real peer: upstream wireguard-go in B (198.19.0.2/32, the same for both rows).
# Per implementation: RSS and iperf3 (B -> A, BENCH_SECONDS) with only the real peer; `wg setconf` of the
# whole set; `wg set` of one more peer; `wg show dump`; RSS per idle peer; idle CPU (utime+stime from
# /proc/PID/stat) over IDLE_SECONDS with a ping to the real peer before; iperf3 again; delete (ip link del
# until the daemon exited). Then SharpTun only: `sharptun wg up FILE --background` of a wg-quick file with the
# PEERS peers (Address 198.19.0.1/24: one route per AllowedIPs), the routes counted with ip -j, its RSS per peer and idle CPU (IDLE_SECONDS),
# `sharptun wg down` (routes gone), and beside it the RSS per peer beyond that of a one-peer `wg up`. Env: PEERS (default 100000), BENCH_SECONDS (5), IDLE_SECONDS (30),
# SHARPTUN_ONLY=1 (skip wireguard-go), WG_UP_ONLY=1 (only the wg up / down part). Needs root; removes everything it made, also on Ctrl-C.
set -uo pipefail
here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
root="$(dirname "$here")"
. "$here/lib.sh"
[ "$(id -u)" = 0 ] || { echo "peers bench: needs root" >&2; exit 1; }
for t in iperf3 wg python3; do command -v "$t" >/dev/null || { echo "peers bench: $t is missing" >&2; exit 1; }; done
N=${PEERS:-100000}
S=${BENCH_SECONDS:-5}
IDLE=${IDLE_SECONDS:-30}
HZ=$(getconf CLK_TCK)
wggo="$root/../shared/tools/wireguard-go/wireguard-go"
[ -x "$wggo" ] || { echo "peers bench: $wggo is missing" >&2; exit 1; }
[ -x "$native" ] || [ -f "$dll" ] || { echo "peers bench: build the CLI first (dotnet build src/SharpTun.Cli -c Release)" >&2; exit 1; }

tag="stp$$"; A="${tag}a"; B="${tag}b"; IF="${tag}x"; IFB="${tag}y"; IFU="${tag}u"; IFV="${tag}v"
work=$(mktemp -d /tmp/sharptun-peers.XXXXXX)
stop_tunnel() {
  [ -n "${uppid:-}" ] && kill "$uppid" 2>/dev/null && for _ in $(seq 100); do kill -0 "$uppid" 2>/dev/null || break; sleep 0.1; done
  stop_pids
  ip -n "$A" link del "$IF" 2>/dev/null; ip -n "$B" link del "$IFB" 2>/dev/null
  rm -f "/var/run/wireguard/$IF.sock" "/var/run/wireguard/$IFB.sock" "/var/run/wireguard/$IFU.sock" "/var/run/wireguard/$IFV.sock"
  return 0
}
lab_traps "peers bench"

ms() { echo $(( ($2 - $1) / 1000000 )); }
now() { date +%s%N; }
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
# wait_for COND-COMMAND...: polls up to 20 s.
wait_for() { for _ in $(seq 200); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }

lab_up "$A" "$B" || exit 1

keyA=$(wg genkey); pubA=$(echo "$keyA" | wg pubkey)
keyB=$(wg genkey); pubB=$(echo "$keyB" | wg pubkey)
# The real peer: upstream wireguard-go in B.
ip netns exec "$B" env WG_PROCESS_FOREGROUND=1 "$wggo" "$IFB" >"$work/b.log" 2>&1 &
pids+=($!)
wait_for test -S "/var/run/wireguard/$IFB.sock" || { echo "peers bench: wireguard-go in B did not start" >&2; exit 1; }
printf '%s\n' "$keyB" >"$work/keyB"
ip netns exec "$B" wg set "$IFB" private-key "$work/keyB" listen-port 51820 peer "$pubA" endpoint 198.18.0.1:51820 allowed-ips 198.19.0.1/32
ip -n "$B" addr add 198.19.0.2/24 dev "$IFB"; ip -n "$B" link set "$IFB" up
ip netns exec "$B" iperf3 -s -D -1 >/dev/null 2>&1

python3 - "$N" "$keyA" "$pubB" "$work" "$IFU" "$IFV" <<'EOF'
import base64, ipaddress, os, sys
n, key, pub_b, work, ifu, ifv = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
base = int(ipaddress.IPv4Address("198.18.1.0"))
skip = (int(ipaddress.IPv4Address("198.19.0.0")), int(ipaddress.IPv4Address("198.19.0.255")))
def addrs():
    a = base
    while True:
        if not (skip[0] <= a <= skip[1]):
            yield str(ipaddress.IPv4Address(a))
        a += 1
gen = addrs()
peers = []
for _ in range(n):
    peers.append(f"[Peer]\nPublicKey = {base64.b64encode(os.urandom(32)).decode()}\nAllowedIPs = {next(gen)}/32\n")
real = f"[Peer]\nPublicKey = {pub_b}\nEndpoint = 198.18.0.2:51820\nAllowedIPs = 198.19.0.2/32\n"
head = f"[Interface]\nPrivateKey = {key}\nListenPort = 51820\n"
open(f"{work}/one.conf", "w").write(head + real)
open(f"{work}/all.conf", "w").write(head + real + "".join(peers))
open(f"{work}/extra", "w").write(f"{base64.b64encode(os.urandom(32)).decode()} {next(gen)}/32\n")
open(f"{work}/{ifu}.conf", "w").write(f"[Interface]\nPrivateKey = {key}\nListenPort = 51822\nAddress = 198.19.0.1/24\n" + "".join(peers))
open(f"{work}/{ifv}.conf", "w").write(f"[Interface]\nPrivateKey = {key}\nListenPort = 51822\nAddress = 198.19.0.1/24\n" + peers[0])
EOF
read -r extraKey extraIp <"$work/extra"

iperf_gbit() {
  ip netns exec "$B" iperf3 -s -D -1 >/dev/null 2>&1
  wait_for ip netns exec "$B" ss -ltn 'sport = 5201' || true
  # A sends to the real peer: A's tun -> lookup among all peers -> encrypt -> B.
  ip netns exec "$A" iperf3 -c 198.19.0.2 -t "$S" -J 2>/dev/null | python3 -c 'import json,sys
try: print("%.2f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e9))
except Exception: print("n/a")'
}

run() { # NAME: starts the daemon for the interface in A
  local name=$1 pid t0 t1 rss0 rss1 c0 c1
  case "$name" in
    sharptun) ip netns exec "$A" env WG_PROCESS_FOREGROUND=1 "${st[@]}" wg userspace "$IF" >"$work/a.log" 2>&1 & ;;
    wireguard-go) ip netns exec "$A" env WG_PROCESS_FOREGROUND=1 "$wggo" "$IF" >"$work/a.log" 2>&1 & ;;
  esac
  pid=$!; pids+=("$pid")
  wait_for test -S "/var/run/wireguard/$IF.sock" || { echo "peers bench: $name did not start" >&2; cat "$work/a.log" >&2; return 1; }
  ip -n "$A" addr add 198.19.0.1/24 dev "$IF"; ip -n "$A" link set "$IF" up
  ip netns exec "$A" wg setconf "$IF" "$work/one.conf"
  ip netns exec "$A" ping -c 3 -i 0.2 -W 5 198.19.0.2 >/dev/null || echo "peers bench: $name: no ping before" >&2
  local base_gbit; base_gbit=$(iperf_gbit)
  rss0=$(rss_kib "$pid")
  # Wall time and, in parentheses, the daemon's own CPU time (utime+stime): on a loaded machine the latter is the fair figure.
  c0=$(cpu_ticks "$pid"); t0=$(now); ip netns exec "$A" wg setconf "$IF" "$work/all.conf"; t1=$(now); c1=$(cpu_ticks "$pid")
  local setconf; setconf="$(ms "$t0" "$t1") ($(( (c1 - c0) * 1000 / HZ )))"
  local peers; peers=$(ip netns exec "$A" wg show "$IF" peers | wc -l)
  c0=$(cpu_ticks "$pid"); t0=$(now); ip netns exec "$A" wg set "$IF" peer "$extraKey" allowed-ips "$extraIp"; t1=$(now); c1=$(cpu_ticks "$pid")
  local one; one="$(ms "$t0" "$t1") ($(( (c1 - c0) * 1000 / HZ )))"
  c0=$(cpu_ticks "$pid"); t0=$(now); ip netns exec "$A" wg show "$IF" dump >"$work/dump"; t1=$(now); c1=$(cpu_ticks "$pid")
  local dump; dump="$(ms "$t0" "$t1") ($(( (c1 - c0) * 1000 / HZ )))"
  local lines; lines=$(wc -l <"$work/dump")
  ip netns exec "$A" ping -c 3 -i 0.2 -W 5 198.19.0.2 >/dev/null || echo "peers bench: $name: no ping after" >&2
  local gbit; gbit=$(iperf_gbit)
  sleep 2 # let the iperf3 run's state settle before the idle window (a measurement window, not a wait for readiness)
  rss1=$(rss_kib "$pid")
  c0=$(cpu_ticks "$pid"); sleep "$IDLE"; c1=$(cpu_ticks "$pid")
  local idle; idle=$(python3 -c "print('%.2f' % (100.0*($c1-$c0)/$HZ/$IDLE))")
  local perpeer; perpeer=$(python3 -c "print('%.0f' % (1024.0*($rss1-$rss0)/$N))")
  t0=$(now); ip -n "$A" link del "$IF"
  for _ in $(seq 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  t1=$(now); local del; del=$(ms "$t0" "$t1")
  kill -0 "$pid" 2>/dev/null && { echo "peers bench: $name did not exit after delete" >&2; kill "$pid"; }
  wait "$pid" 2>/dev/null
  printf '| %s | %s | %s | %s | %s (%s lines) | %s | %s | %s%% | %s / %s |\n' \
    "$name" "$N" "$setconf" "$one" "$dump" "$lines" "$del" "$perpeer" "$idle" "$gbit" "$base_gbit" | tee -a "$work/rows"
  [ "$peers" -eq $((N + 1)) ] || echo "peers bench: $name has $peers peers after setconf, expected $((N + 1))" >&2
}

echo "peers bench: $N peers, SharpTun $st_build, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
header='| implementation | peers | setconf ms (CPU ms) | one more peer ms (CPU ms) | show dump ms (CPU ms) | delete ms | RSS B/peer | idle CPU | iperf3 Gbit/s (N peers / none) |'
echo "$header"; echo '|---|---|---|---|---|---|---|---|---|'
[ -n "${WG_UP_ONLY:-}" ] || run sharptun
[ -n "${SHARPTUN_ONLY:-}${WG_UP_ONLY:-}" ] || run wireguard-go

# wg up / wg down of a wg-quick file with the N peers and their routes (SharpTun; wg-quick would run one `ip route
# add` process per AllowedIPs). Routes are counted in the main table on the device, proto boot (what wg up adds).
routes_v4() { ip -n "$A" -j -4 route show dev "$IFU" proto boot 2>/dev/null | python3 -c 'import json,sys
try: print(len(json.load(sys.stdin)))
except Exception: print(0)'; }
chmod 600 "$work/$IFU.conf" "$work/$IFV.conf"
# The process with one peer: what the per-peer figure beyond it subtracts (runtime, code, buffers; the daemon row's
# RSS B/peer is the same kind of difference).
base_rss=0
basepid=$(ip netns exec "$A" "${st[@]}" wg up "$work/$IFV.conf" --background 2>"$work/up.err" | tail -1)
if [[ "$basepid" =~ ^[0-9]+$ ]]; then
  sleep 2 # as below: a measurement window
  base_rss=$(rss_kib "$basepid")
  ip netns exec "$A" "${st[@]}" wg down "$IFV" >/dev/null 2>&1
fi
t0=$(now); uppid=$(ip netns exec "$A" "${st[@]}" wg up "$work/$IFU.conf" --background 2>"$work/up.err" | tail -1); t1=$(now)
if [[ "$uppid" =~ ^[0-9]+$ ]]; then
  up_ms=$(ms "$t0" "$t1"); routes=$(routes_v4)
  sleep 2 # the compacting collection runs 1 s after a large configuration (a measurement window, not a readiness wait)
  up_rss=$(rss_kib "$uppid")
  c0=$(cpu_ticks "$uppid"); sleep "$IDLE"; c1=$(cpu_ticks "$uppid")
  up_idle=$(python3 -c "print('%.2f' % (100.0*($c1-$c0)/$HZ/$IDLE))")
  t0=$(now); ip netns exec "$A" "${st[@]}" wg down "$IFU" >/dev/null 2>&1; t1=$(now); down_ms=$(ms "$t0" "$t1")
  # wg down returns once the process is gone or a zombie (reparented, not yet reaped): only a live one is an error.
  state=$(awk '{print $3}' "/proc/$uppid/stat" 2>/dev/null || echo gone)
  if [ "$state" = gone ] || [ "$state" = Z ]; then uppid=""; else echo "peers bench: wg up process $uppid still runs after wg down" >&2; fi
  left=$(routes_v4)
  echo
  echo "| sharptun wg up / down | peers | up ms | routes after up | process RSS KiB (B/peer) | B/peer beyond 1 peer ($base_rss KiB) | idle CPU | down ms | routes after down |"
  echo "|---|---|---|---|---|---|---|---|---|"
  echo "| $st_build | $N | $up_ms | $routes | $up_rss ($(( up_rss * 1024 / N ))) | $(( (up_rss - base_rss) * 1024 / (N - 1) )) | $up_idle% | $down_ms | $left |"
  [ "$routes" -eq "$N" ] || echo "peers bench: $routes routes after wg up, expected $N" >&2
else
  echo "peers bench: sharptun wg up failed: $(cat "$work/up.err")" >&2
fi
