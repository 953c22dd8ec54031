#!/usr/bin/env bash
# Installs the native sharptun, its man page and its bash completion:
#   PREFIX/bin/sharptun                                   (./build-native.sh's binary; built if missing)
#   PREFIX/share/man/man8/sharptun.8                      (sharptun generate man)
#   PREFIX/share/bash-completion/completions/sharptun     (sharptun generate bash-completion)
#   PREFIX/bin/sharptun-wg-userspace                      (wg-quick's WG_QUICK_USERSPACE_IMPLEMENTATION:
#                                                          execs `PREFIX/bin/sharptun wg userspace "$@"`)
#   /etc/systemd/system/wg-quick@.service.d/sharptun.conf (drop-in setting it for wg-quick@NAME units;
#                                                          only when /etc/systemd/system exists or DESTDIR is set)
# Usage: ./install.sh [PREFIX]   (default /usr/local; DESTDIR is honoured for packaging)
#        ./install.sh --uninstall [PREFIX]
set -euo pipefail
root="$(readlink -f "$0")"; root="${root%/*}"
uninstall=""
if [ "${1:-}" = --uninstall ]; then uninstall=1; shift; fi
prefix="${1:-/usr/local}"
dest="${DESTDIR:-}$prefix"
bin="$dest/bin/sharptun" man="$dest/share/man/man8/sharptun.8" completion="$dest/share/bash-completion/completions/sharptun"
userspace="$dest/bin/sharptun-wg-userspace" dropin="${DESTDIR:-}/etc/systemd/system/wg-quick@.service.d/sharptun.conf"
if [ -n "$uninstall" ]; then
  rm -f "$bin" "$man" "$completion" "$userspace" "$dropin"
  rmdir "${dropin%/*}" 2>/dev/null || true
  echo "install.sh: removed $bin, $man, $completion, $userspace, $dropin"
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
# One executable path for wg-quick's userspace fallback (it runs "$WG_QUICK_USERSPACE_IMPLEMENTATION IFNAME").
printf '#!/bin/sh\n# wg-quick: WG_QUICK_USERSPACE_IMPLEMENTATION=%s\nexec %s wg userspace "$@"\n' "$prefix/bin/sharptun-wg-userspace" "$prefix/bin/sharptun" >"$userspace.tmp"
chmod 0755 "$userspace.tmp" && mv -f "$userspace.tmp" "$userspace"
dropin_note=""
if [ -n "${DESTDIR:-}" ] || [ -d /etc/systemd/system ]; then
  install -d "${dropin%/*}"
  sed "s|^Environment=WG_QUICK_USERSPACE_IMPLEMENTATION=.*|Environment=WG_QUICK_USERSPACE_IMPLEMENTATION=$prefix/bin/sharptun-wg-userspace|" \
    "$root/contrib/wg-quick-sharptun.conf" >"$dropin.tmp" && chmod 0644 "$dropin.tmp" && mv -f "$dropin.tmp" "$dropin"
  dropin_note=", $dropin (systemctl daemon-reload)"
fi
echo "install.sh: installed $bin ($("$bin" --version)), $man, $completion, $userspace$dropin_note"
