#!/usr/bin/env bash
# Builds the native (Native AOT) sharptun: one self-contained executable that starts in a few ms
# instead of the ~50-80 ms of "dotnet sharptun.dll". Output: src/SharpTun.Cli/bin/Release/native/sharptun.
# Needs the ILCompiler packages (NuGet; the SDK picks their version) and a C toolchain (gcc or clang).
# The ./sharptun launcher runs this itself when the native binary is missing or older than the sources.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
out="$root/src/SharpTun.Cli/bin/Release/native"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
start=$(date +%s)
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
# SharpTunNative=true turns on PublishAot with the RID set inside the CLI project only, so the
# libraries keep their ordinary (RID-less) build outputs and are not compiled again.
dotnet publish "$root/src/SharpTun.Cli/SharpTun.Cli.csproj" -c Release -p:SharpTunNative=true \
  -o "$stage" -nologo -v q -clp:ErrorsOnly "$@"
mkdir -p "$out"
install -m 0755 "$stage/sharptun" "$out/sharptun.new"
mv -f "$out/sharptun.new" "$out/sharptun"
touch "$out/.native-stamp"
echo "build-native.sh: $out/sharptun ($(( $(stat -c %s "$out/sharptun") / 1024 )) KiB) built in $(( $(date +%s) - start )) s" >&2
