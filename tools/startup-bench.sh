#!/usr/bin/env bash
# Start-up benchmark (not a timed test): median wall time of N runs (default 50) of
# `sharptun link show` — native binary, the native binary with the launcher's source check
# (SHARPTUN_SOURCES: statx of every listed source path), the ./sharptun launcher (bash + that check), and
# the JIT build through the dotnet host — against `ip link show`.
# Targets: native ≤ 3× ip (issue 11); ./sharptun ≤ 3× ip (issue 21). Usage: tools/startup-bench.sh [N]
set -euo pipefail
root="$(readlink -f "$0")"; root="${root%/*/*}"
n="${1:-50}"
native="$root/src/SharpTun.Cli/bin/Release/native/sharptun"
dll="$root/src/SharpTun.Cli/bin/Release/net10.0/sharptun.dll"
export DOTNET_EnableDiagnostics=0
median() { # median in ms of N runs of "$@"
  local i s e ts=()
  for ((i = 0; i < n; i++)); do
    s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); ts+=($(( (e - s) / 1000 )))
  done
  printf '%s\n' "${ts[@]}" | sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.2f", m / 1000}'
}
ip_ms=$(median ip link show)
printf '%-34s %8s ms\n' "ip link show" "$ip_ms"
if [ -x "$native" ]; then
  nat_ms=$(median "$native" link show)
  printf '%-34s %8s ms  (%.1fx ip; target <= 3x)\n' "sharptun link show (native)" "$nat_ms" "$(echo "$nat_ms / $ip_ms" | bc -l)"
  sources="${native%/*}/.sources"
  if [ -f "$sources" ]; then
    chk_ms=$(median env SHARPTUN_SOURCES="$sources" SHARPTUN_LAUNCHER=/bin/false "$native" link show)
    printf '%-34s %8s ms  (%.1fx ip; %d source paths)\n' "sharptun link show (native+check)" "$chk_ms" "$(echo "$chk_ms / $ip_ms" | bc -l)" "$(wc -l <"$sources")"
  fi
  l_ms=$(median "$root/sharptun" link show)
  printf '%-34s %8s ms  (%.1fx ip; target <= 3x)\n' "./sharptun link show (launcher)" "$l_ms" "$(echo "$l_ms / $ip_ms" | bc -l)"
else
  echo "native binary not built (./build-native.sh)"
fi
if [ -f "$dll" ]; then
  jit_ms=$(median dotnet "$dll" link show)
  printf '%-34s %8s ms  (%.1fx ip)\n' "dotnet sharptun.dll link show" "$jit_ms" "$(echo "$jit_ms / $ip_ms" | bc -l)"
fi
