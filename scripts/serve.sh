#!/usr/bin/env bash
# Install what is missing, then serve Batch Lab on http://127.0.0.1:8080 with live reload
# (Rust code, lessons/ and static/ are watched). Pass --release to serve the optimised build.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_build_tools
cd "$ROOT"
say "trunk serve on http://127.0.0.1:8080/"
export BATCHLAB_DEV_SERVER=1   # see scripts/csp-hashes.mjs
exec trunk serve --offline "$@"
