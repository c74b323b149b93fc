#!/usr/bin/env bash
# Shared by scripts/serve.sh and scripts/test.sh: install what is missing, pinned, from the registries
# this kind of machine reaches (crates.io, Debian, npm, and rustup's own targets). Every step checks
# first, so a second run installs nothing. Nothing here downloads a binary from anywhere else, and
# Trunk runs offline so it cannot fetch its own tools.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
E2E="$ROOT/tests/e2e"
TRUNK_VERSION="0.21.14"   # 0.22 needs rustc >= 1.96.1 (../shared/reference/toolchain.md)

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$E2E/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

# The wasm-bindgen CLI must equal the wasm-bindgen crate in Cargo.lock, or the generated glue breaks.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
}

# ensure_cargo_tool BINARY VERSION CRATE [cargo install flags...]
ensure_cargo_tool() {
  local bin="$1" version="$2" crate="$3"; shift 3
  if command -v "$bin" >/dev/null && "$bin" --version 2>/dev/null | grep -qF " $version"; then return; fi
  say "cargo install $crate $version (one time, a few minutes)"
  cargo install "$crate" --version "$version" --force "$@"
}

ensure_build_tools() {
  ensure_wasm_target
  ensure_cargo_tool trunk "$TRUNK_VERSION" trunk --locked
  # Not --locked: the CLI's own lock pins a webpki-roots the reachable index no longer has.
  ensure_cargo_tool wasm-bindgen "$(wasm_bindgen_version)" wasm-bindgen-cli
  ensure_npm_packages
  (cd "$ROOT" && cargo fetch --quiet)   # Trunk runs cargo --offline: fetch crates first.
}

# npm packages (wasm-opt from binaryen, playwright-core, axe) pinned by tests/e2e/package-lock.json.
ensure_npm_packages() {
  local stamp="$E2E/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$E2E/package-lock.json" -nt "$stamp" ]; then
    say "npm ci (tests/e2e)"
    (cd "$E2E" && npm ci --no-audit --no-fund)
  fi
}

# ensure_debian_packages PKG... (Chromium and its driver for the browser tests)
ensure_debian_packages() {
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    say "apt-get install ${missing[*]}"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
  fi
}
