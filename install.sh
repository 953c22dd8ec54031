#!/usr/bin/env bash
# Installs the native sharptun, its man page and its bash completion:
#   PREFIX/bin/sharptun                                   (./build-native.sh's binary; built if missing)
#   PREFIX/share/man/man8/sharptun.8                      (sharptun generate man)
#   PREFIX/share/bash-completion/completions/sharptun     (sharptun generate bash-completion)
# Usage: ./install.sh [PREFIX]   (default /usr/local; DESTDIR is honoured for packaging)
#        ./install.sh --uninstall [PREFIX]
set -euo pipefail
root="$(readlink -f "$0")"; root="${root%/*}"
uninstall=""
if [ "${1:-}" = --uninstall ]; then uninstall=1; shift; fi
prefix="${1:-/usr/local}"
dest="${DESTDIR:-}$prefix"
bin="$dest/bin/sharptun" man="$dest/share/man/man8/sharptun.8" completion="$dest/share/bash-completion/completions/sharptun"
if [ -n "$uninstall" ]; then
  rm -f "$bin" "$man" "$completion"
  echo "install.sh: removed $bin, $man, $completion"
  exit 0
fi
native="$root/src/SharpTun.Cli/bin/Release/native/sharptun"
if [ ! -x "$native" ] || [ -n "$(find "$root/src" \( -name obj -o -name bin \) -prune -o \( -name '*.cs' -o -name '*.csproj' \) -newer "$native" -print -quit)" ]; then
  "$root/build-native.sh"
fi
install -d "$dest/bin" "${man%/*}" "${completion%/*}"
install -m 0755 "$native" "$bin"
"$native" generate man >"$man.tmp" && chmod 0644 "$man.tmp" && mv -f "$man.tmp" "$man"
"$native" generate bash-completion >"$completion.tmp" && chmod 0644 "$completion.tmp" && mv -f "$completion.tmp" "$completion"
echo "install.sh: installed $bin ($("$bin" --version)), $man, $completion"
