#!/usr/bin/env bash
# What the tests need that pip and npm cannot install, from Debian's packages, installed only when missing:
#   chromium                    the browser tests (tests/browser.py runs /usr/bin/chromium)
#   virtuoso-opensource-7-bin   the remote-store tests against Virtuoso (tests/virtuoso.py starts virtuoso-t);
#                               without recommends: the server binary only, no init script, nothing started
#   nodejs, npm                 Comunica, the JavaScript SPARQL client (tests/comunica), needs Node.js >= 20.18.1
# As root it runs apt-get itself (non-interactive); otherwise through sudo, saying so first; without sudo it
# names the commands to run as root. Run by `make test`; quick and silent when nothing is missing.
set -euo pipefail

NODE_NEEDED=20.18.1

say() { echo "install-test-tools: $*" >&2; }

with_recommends=() without=()
[ -x /usr/bin/chromium ] || with_recommends+=(chromium)
command -v node >/dev/null 2>&1 || with_recommends+=(nodejs)
command -v npm >/dev/null 2>&1 || with_recommends+=(npm)
command -v virtuoso-t >/dev/null 2>&1 || without+=(virtuoso-opensource-7-bin)

commands=()
if [ "${#with_recommends[@]}" -gt 0 ] || [ "${#without[@]}" -gt 0 ]; then
  commands+=("apt-get update -q")
  [ "${#with_recommends[@]}" -eq 0 ] || commands+=("apt-get install -y -q ${with_recommends[*]}")
  [ "${#without[@]}" -eq 0 ] || commands+=("apt-get install -y -q --no-install-recommends ${without[*]}")
fi

if [ "${#commands[@]}" -gt 0 ]; then
  missing="${with_recommends[*]} ${without[*]}"
  missing="${missing# }"
  missing="${missing% }"
  if [ "$(id -u)" -eq 0 ]; then
    sudo=""
    say "installing ${missing} from Debian's packages"
  elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
    say "installing ${missing} from Debian's packages with sudo (it may ask for your password)"
  else
    say "the tests need ${missing} from Debian's packages; run as root, then make test again:"
    for command in "${commands[@]}"; do say "  $command"; done
    exit 2
  fi
  for command in "${commands[@]}"; do
    # shellcheck disable=SC2086  # the words of the command
    $sudo env DEBIAN_FRONTEND=noninteractive $command
  done
fi

node_version="$(node --version)"
node_version="${node_version#v}"
if [ "$(printf '%s\n%s\n' "$NODE_NEEDED" "$node_version" | sort -V | head -n1)" != "$NODE_NEEDED" ]; then
  say "Node.js $node_version is too old for Comunica (tests/comunica), which needs $NODE_NEEDED or newer"
  say "(Debian 12 ships 18.x): install Node.js 20.18.1 or newer with its npm, then run make test again"
  exit 2
fi
