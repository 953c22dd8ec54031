#!/usr/bin/env bash
# The demo: a tun device in a fresh network namespace, a ping through it, and the packets
# sharptun reads from it. Everything it creates is removed on exit, also on failure.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
if [ "$(id -u)" != 0 ]; then
  echo "demo: needs root (network namespaces and CAP_NET_ADMIN); run: sudo ./demo.sh" >&2
  exit 1
fi
./sharptun --version >/dev/null   # builds the CLI on first use
ns="stdemo$$"
reader=""
cleanup() {
  [ -n "$reader" ] && kill "$reader" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link set lo up
echo "== namespace $ns: create tun0 with sharptun"
ip netns exec "$ns" ./sharptun tuntap add tun0 --mode tun
ip -n "$ns" addr add 198.19.0.1/24 dev tun0
ip -n "$ns" link set tun0 up
ip netns exec "$ns" ./sharptun tuntap list
echo "== sharptun read -i tun0 (the tutorial's tunclient) while pinging 198.19.0.2 through tun0"
ip netns exec "$ns" ./sharptun read -i tun0 --timeout 6 &
reader=$!
for _ in $(seq 1 100); do
  ip netns exec "$ns" ./sharptun tuntap list | grep -q "Attached to processes" && break
  sleep 0.1
done
ip netns exec "$ns" ping -c 3 -i 0.3 -W 1 198.19.0.2 >/dev/null 2>&1 || true
wait "$reader" || true
reader=""
echo "== (each 84-byte read is one ping: 20 IP + 8 ICMP + 56 data; nobody answers, so ping reports loss)"
ip netns exec "$ns" ./sharptun tuntap del tun0 --mode tun
echo "== removed tun0 and namespace $ns"
