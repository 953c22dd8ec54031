#!/usr/bin/env bash
# Flood benchmark (issue 20): a WireGuard interface under attack, SharpTun against wireguard-go, one run.
# Topology (TESTBED.md), one wire (a bridge in its own namespace W):
#   ns A victim  198.18.0.1  wgA 198.19.0.1   <- the server under attack (listens on 51820)
#   ns B client  198.18.0.2  wgB 198.19.0.2   <- the legitimate peer (iperf3 B -> A, handshakes)
#   ns C flooder 198.18.0.3                   <- bench/Flooder: bounded in rate and time
# For each implementation (the same one on A and B): legitimate iperf3 throughput (FLOOD_SECONDS,
# default 5) without a flood, then under each flood, and the time a NEW handshake takes (B takes a
# fresh key pair, A learns its public key for B's address; ping B -> A until the first reply).
# Floods: valid-mac1 initiations at 5,000/s and unpaced (one flooder core), random 148-byte datagrams
# unpaced, forged data on B's live receiver index unpaced. FLOOD_PERF=1 adds a perf profile of the victim
# under the unpaced initiation flood. Prints a table, writes the Flood section of bench/RESULTS.md.
# Needs root; removes everything it made, also on Ctrl-C.
set -uo pipefail
here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
root="$(dirname "$here")"
. "$here/lib.sh"
[ "$(id -u)" = 0 ] || { echo "flood: needs root" >&2; exit 1; }
for t in iperf3 ping wg tshark dotnet; do command -v "$t" >/dev/null || { echo "flood: $t is missing" >&2; exit 1; }; done
S=${FLOOD_SECONDS:-5}
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
tag="stf$$"; A="${tag}a"; B="${tag}b"; C="${tag}c"
IA="${tag}A"; IB="${tag}B" # interface names: unique per run (the UAPI sockets are global)
work=$(mktemp -d /tmp/sharptun-flood.XXXXXX)
rows=()

stop_tunnel() {
  stop_pids
  ip -n "$A" link del "$IA" 2>/dev/null; ip -n "$B" link del "$IB" 2>/dev/null
  rm -f "/var/run/wireguard/$IA.sock" "/var/run/wireguard/$IB.sock"
  return 0
}
lab_traps flood

# The flooder: built once into the work directory (Release), run with dotnet.
dotnet build "$here/Flooder/Flooder.csproj" -c Release -nologo -v q -clp:ErrorsOnly -o "$work/flooder" >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; exit 1; }
flooder=(dotnet "$work/flooder/Flooder.dll")

lab_up "$A" "$B" "$C" || exit 1

upstream="${SHARPTUN_WIREGUARD_GO_UPSTREAM:-$root/../shared/tools/wireguard-go/wireguard-go}"

inA() { ip netns exec "$A" "$@"; }
inB() { ip netns exec "$B" "$@"; }
now() { date +%s.%N; }

wgconf() { # file key peerkey addr peerwire peeraddr quick
  {
    echo "[Interface]"; echo "PrivateKey = $2"; echo "ListenPort = 51820"
    [ "$7" = quick ] && echo "Address = $4/24"
    echo "[Peer]"; echo "PublicKey = $3"; echo "AllowedIPs = $6/32"; echo "Endpoint = $5:51820"
  } >"$1"
}
up() { # impl ns name key peerkey addr peerwire peeraddr
  local impl=$1; shift
  if [ "$impl" = sharptun ]; then
    wgconf "$work/$2.conf" "$3" "$4" "$5" "$6" "$7" quick
    ip netns exec "$1" env ${FLOOD_PERF:+DOTNET_PerfMapEnabled=1} "${st[@]}" wg up "$work/$2.conf" --log-level error >>"$work/log" 2>&1 &
    pids+=($!)
    for _ in $(seq 200); do ip -n "$1" link show "$2" 2>/dev/null | grep -q UP && [ -S "/var/run/wireguard/$2.sock" ] && break; sleep 0.1; done
  else
    wgconf "$work/$2.setconf" "$3" "$4" "$5" "$6" "$7" plain
    ip netns exec "$1" env WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1 LOG_LEVEL=error "$impl" -f "$2" >>"$work/log" 2>&1 &
    pids+=($!)
    for _ in $(seq 100); do [ -S "/var/run/wireguard/$2.sock" ] && break; sleep 0.1; done
    wg setconf "$2" "$work/$2.setconf" && ip -n "$1" addr add "$5"/24 dev "$2" && ip -n "$1" link set "$2" mtu 1420 up
  fi
}

iperf() { # -> Mbit/s received by A (or "-")
  inA iperf3 -s -1 -B 198.19.0.1 >/dev/null 2>&1 &
  local srv=$!
  for _ in $(seq 50); do inA ss -Hltn "sport = :5201" | grep -q 5201 && break; sleep 0.1; done
  local out
  out=$(timeout $((S + 20)) ip netns exec "$B" iperf3 -c 198.19.0.1 -t "$S" -f m 2>&1)
  kill "$srv" 2>/dev/null; wait "$srv" 2>/dev/null
  echo "$out" | awk '/receiver/ {for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") v = $(i-1)} END {print (v == "" ? "0" : v)}'
}

# A new handshake: B takes a fresh private key; A gets its public key for 198.19.0.2 (the allowed IP
# moves to it); seconds until B's first ping reply (pings 0.1 s apart; "-" after 30 s).
new_handshake() {
  local k p t0 t1
  k=$(wg genkey); p=$(echo "$k" | wg pubkey)
  echo "$k" >"$work/fresh.key"
  wg set "$IA" peer "$p" allowed-ips 198.19.0.2/32 endpoint 198.18.0.2:51820
  t0=$(now)
  wg set "$IB" private-key "$work/fresh.key"
  if inB ping -n -i 0.1 -w 30 -c 1 198.19.0.1 >/dev/null 2>&1; then
    t1=$(now); awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}'
  else
    echo "-"
  fi
}

# The receiver index A uses for B's current session: the index in a data message B sends to A.
live_index() {
  ( sleep 2; inB ping -c 30 -i 0.2 198.19.0.1 >/dev/null 2>&1 ) &
  # The WireGuard dissector off, so the UDP payload is plain data: bytes 4..7 are the receiver index.
  timeout 15 ip netns exec "$A" tshark -i wire0 -c 1 --disable-protocol wg -f "udp dst port 51820 and src host 198.18.0.2 and udp[8] = 4" \
    -T fields -e udp.payload -e data.data 2>/dev/null | tr -d ':\t ' | head -1 | cut -c9-16
}

flood() { # mode rate seconds [arg] -> runs in the background in C; its pid in $flood_pid
  ip netns exec "$C" "${flooder[@]}" "$1" 198.18.0.1 51820 "$2" "$3" ${4:+"$4"} >>"$work/flooder.log" 2>&1 &
  flood_pid=$!
}

# One implementation: baseline, then each flood; throughput first, then a new handshake, under the flood.
run_impl() { # label impl
  local label=$1 impl=$2 ka kb pa pb base hs0
  ka=$(wg genkey); kb=$(wg genkey); pa=$(echo "$ka" | wg pubkey); pb=$(echo "$kb" | wg pubkey)
  up "$impl" "$A" "$IA" "$ka" "$pb" 198.19.0.1 198.18.0.2 198.19.0.2
  up "$impl" "$B" "$IB" "$kb" "$pa" 198.19.0.2 198.18.0.1 198.19.0.1
  local ok=""
  for _ in $(seq 100); do inB ping -c1 -W1 198.19.0.1 >/dev/null 2>&1 && { ok=1; break; }; sleep 0.1; done
  if [ -z "$ok" ]; then echo "flood: $label: no ping through the tunnel; skipped" >&2; stop_tunnel; return; fi
  inB ping -c 20 -i 0.02 198.19.0.1 >/dev/null 2>&1 # warm-up
  base=$(iperf)
  hs0=$(new_handshake)
  echo "flood: $label: baseline $base Mbit/s, new handshake $hs0 s" >&2
  rows+=("$label|none|-|$base|100 %|$hs0|-")
  local case mode rate arg sent pct hs
  for case in "initiations 5000" "initiations 0" "random 0" "data 0"; do
    read -r mode rate <<<"$case"
    arg=""
    [ "$mode" = initiations ] && arg=$(echo "$ka" | wg pubkey)
    if [ "$mode" = data ]; then
      arg=$(live_index)
      [ -n "$arg" ] || { echo "flood: $label: no live index captured; data flood skipped" >&2; continue; }
    fi
    : >"$work/flooder.log"
    flood "$mode" "$rate" $((S + 25)) "$arg"
    sleep 1 # the flood reaches its rate (and the victim's state) before the measurement
    if [ -n "${FLOOD_PERF:-}" ] && [ "$mode $rate" = "initiations 0" ] && command -v perf >/dev/null; then
      # FLOOD_PERF=1: where the victim's CPU goes under the unpaced valid-mac1 flood (5 s, by symbol).
      perf record -q -g -o "$work/perf.data" -p "${pids[0]}" -- sleep 5 >/dev/null 2>&1
      echo "flood: $label: perf profile of the victim under the initiation flood (top symbols, self):" >&2
      perf report -q -i "$work/perf.data" --no-children -g none --percent-limit 1 --sort comm,dso,symbol 2>/dev/null | grep -v "^$" | head -25 >&2
    fi
    local g; g=$(iperf)
    hs=$(new_handshake)
    kill -TERM "$flood_pid" 2>/dev/null; wait "$flood_pid" 2>/dev/null
    sent=$(sed -n 's/.* = \([0-9]*\) \/s.*/\1/p' "$work/flooder.log" | tail -1)
    [ -n "$sent" ] || sent="(killed)"
    pct=$(awk -v g="$g" -v b="$base" 'BEGIN {if (b + 0 > 0 && g != "-") printf "%.0f %%", 100 * g / b; else print "-"}')
    local cookies="-"
    [ "$impl" = sharptun ] && cookies=$("${st[@]}" wg show "$IA" --json 2>/dev/null | tr -d ' \n' | sed -n 's/.*"cookie_replies_sent":\([0-9]*\).*/\1/p' | head -1)
    echo "flood: $label: $mode @ ${rate/#0/max}: $g Mbit/s ($pct), new handshake $hs s, flooder $sent/s, cookie replies so far ${cookies:--}" >&2
    rows+=("$label|$mode|${rate/#0/max} (sent ${sent}/s)|$g|$pct|$hs|${cookies:--}")
  done
  stop_tunnel
}

run_impl "SharpTun ($st_build)" sharptun
[ -x "$upstream" ] && run_impl "wireguard-go $("$upstream" --version 2>/dev/null | awk '{print $2; exit}') (upstream)" "$upstream"
[ -x /usr/bin/wireguard-go ] && [ -n "${FLOOD_DEBIAN:-}" ] && run_impl "wireguard-go (Debian)" /usr/bin/wireguard-go

table=$(
  echo "| implementation | flood | rate /s (flooder achieved) | iperf3 Mbit/s | of baseline | new handshake s | cookie replies sent (cumulative) |"
  echo "|---|---|---|---:|---:|---:|---:|"
  for r in "${rows[@]}"; do echo "| ${r//|/ | } |"; done
)
echo; echo "$table"
# The "Flood" section of bench/RESULTS.md (between the markers; run.sh keeps it) is replaced by this run's.
{
  [ -f "$here/RESULTS.md" ] && sed '/^<!-- flood -->$/,/^<!-- \/flood -->$/d' "$here/RESULTS.md" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
  echo
  echo "<!-- flood -->"
  echo "## Flood (bench/flood.sh, issue 20)"
  echo
  echo "Latest run $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, FLOOD_SECONDS=$S, load average at start: $load_start; at end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Victim A, legitimate client B (same implementation), flooder C (bench/Flooder, one core, .NET) on one bridged wire."
  echo "iperf3 B -> A during the flood; then a NEW handshake (B takes a fresh key, A learns it) timed to the first ping reply."
  echo
  echo "$table"
  echo "<!-- /flood -->"
} >"$here/RESULTS.md.new" && mv "$here/RESULTS.md.new" "$here/RESULTS.md"
echo "flood: wrote the Flood section of $here/RESULTS.md"
