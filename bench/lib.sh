# Shared by the benchmark scripts (sourced, not run): the namespace topology of TESTBED.md, the
# tunnel processes' bookkeeping and the SharpTun binary to run. A script sets `root` (the repository),
# `tag` and `work` (its temporary directory), defines stop_tunnel, calls lab_traps, then lab_up once.
# Everything is named from the caller's per-run `tag`; nothing leaves the namespaces made here.

pids=() # tunnel (and helper) processes the script started, killed by PID

# stop_pids: SIGTERM to every PID in `pids`, up to 5 s for each to exit, then SIGKILL; empties `pids`.
stop_pids() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null
  done
  pids=()
  return 0
}

lab_namespaces=()

# lab_traps NAME: on any exit the script's stop_tunnel (its processes and devices), the lab and $work go;
# Ctrl-C (or TERM) says "NAME: interrupted" and exits 130.
lab_traps() {
  trap 'stop_tunnel; lab_down; rm -rf "$work"' EXIT
  trap "echo '$1: interrupted'; exit 130" INT TERM
}

# lab_up NS1 NS2 [NS3 ...]: fresh namespaces with lo up, host N with wire0 198.18.0.N/24. Two hosts are
# joined by one veth pair (the bare wire, what the throughput rows are measured against); three or more
# through bridge br0 in one more namespace, ${tag}w (the hosts' veth peers are p1..pN there).
lab_up() {
  local n=1 ns
  for ns in "$@"; do ip netns add "$ns" && lab_namespaces+=("$ns") && ip -n "$ns" link set lo up || return 1; done
  if [ $# -eq 2 ]; then
    ip link add wire0 netns "$1" type veth peer name wire0 netns "$2" || return 1
  else
    local w="${tag}w"
    ip netns add "$w" && lab_namespaces+=("$w") || return 1
    ip -n "$w" link add br0 type bridge && ip -n "$w" link set br0 up || return 1
    for ns in "$@"; do
      ip link add wire0 netns "$ns" type veth peer name "p$n" netns "$w" && ip -n "$w" link set "p$n" master br0 up || return 1
      n=$((n + 1))
    done
  fi
  n=1
  for ns in "$@"; do
    ip -n "$ns" addr add "198.18.0.$n/24" dev wire0 && ip -n "$ns" link set wire0 up || return 1
    n=$((n + 1))
  done
}

# lab_down: kills what still runs in the lab's namespaces (only they hold it) and deletes them.
lab_down() {
  local ns
  for ns in "${lab_namespaces[@]}"; do ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null; done
  for ns in "${lab_namespaces[@]}"; do ip netns del "$ns" 2>/dev/null; done
  lab_namespaces=()

# lab_traps NAME: on any exit the script's stop_tunnel (its processes and devices), the lab and $work go;
# Ctrl-C (or TERM) says "NAME: interrupted" and exits 130.
lab_traps() {
  trap 'stop_tunnel; lab_down; rm -rf "$work"' EXIT
  trap "echo '$1: interrupted'; exit 130" INT TERM
}
  return 0
}

# SharpTun as users run it: the native binary (./build-native.sh; what ./sharptun and install.sh use),
# or the JIT build (dotnet sharptun.dll) when there is no native one. Sets st (the command), st_build.
dll="$root/src/SharpTun.Cli/bin/Release/net10.0/sharptun.dll"
native="$root/src/SharpTun.Cli/bin/Release/native/sharptun"
if [ -x "$native" ]; then st=("$native"); st_build="native binary"; else st=(dotnet "$dll"); st_build="JIT build (no native binary)"; fi
