#!/usr/bin/env bash
# Data-plane benchmark: one WireGuard interface's real pipelines (tun reader, per-peer outbound, parallel
# seal, in-order send; socket reader, classify, parallel open, in-order tun write) over in-memory load
# fakes. No root, no namespaces, no network: nothing leaves the process.
# Cases: 1 peer and 64 peers, 1 and 2 workers (threads per direction); each direction, median of RUNS runs (default 7).
# Prints a table (Gbit/s of inner bytes, wall-clock and process-CPU ns/packet per direction) and the summary line
#   dataplane: 1 peer 1 worker X Gbit/s, 2 workers Y Gbit/s (Z×); 64 peers 1 worker ...
# where each figure is both directions one after the other: (bytes out + bytes in) / (time out + time in).
# Usage: bench/dataplane.sh [OUT_PACKETS [IN_PACKETS [RUNS]]]   (defaults 400000 64000 7); DATAPLANE_CASE=64x2 runs one case (to profile it)
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
dotnet build "$here/SharpTun.Bench" -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
exec dotnet "$here/SharpTun.Bench/bin/Release/net10.0/SharpTun.Bench.dll" dataplane "${1:-400000}" "${2:-64000}" "${3:-7}"
