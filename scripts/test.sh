#!/usr/bin/env bash
# Install what is missing, then run every check Batch Lab has, in order:
#   fmt, clippy, native tests, lesson check, wasm tests in headless Chromium, release build,
#   size budget, browser tests against the release build.
# Every step runs even if an earlier one failed (except those that need the release build), and the
# last line is the summary `N passed, N failed` (tests counted one by one; the other steps as one each).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# gzip -9 of wasm + js + css. The issue's starting budget was 900 KB and the goal < 600 KB; the build
# measures 797 KB (ARCHITECTURE.md "Size of the release build": the cuts made and the ones left), so
# the budget stands at 798 KB (4 KB above the build until stops 19–20 spent 3 KB of it on code).
# Lowered from 821 when lesson prose began to be rendered at build time; raise it for course text
# (lesson text is embedded), not for code.
SIZE_BUDGET_KB="${SIZE_BUDGET_KB:-798}"

ensure_build_tools
ensure_debian_packages chromium chromium-driver brotli
cd "$ROOT"

LOGS="$ROOT/target/test-logs"; mkdir -p "$LOGS"
passed=0; failed=0; failed_steps=()

# step NAME COMMAND...: run, tee the output, count the tests it reports (or the step as one check).
step() {
  local name="$1"; shift
  local log="$LOGS/$name.log"
  say "$name: $*"
  local status=0
  "$@" 2>&1 | tee "$log" || status=$?
  local p f
  p=$(grep -hoE '(test result: [a-zA-Z]+\. [0-9]+ passed|^# pass [0-9]+)' "$log" | grep -oE '[0-9]+' | awk '{ s += $1 } END { if (NR) print s }' || true)
  f=$(grep -hoE '([0-9]+ failed;|^# fail [0-9]+)' "$log" | grep -oE '[0-9]+' | awk '{ s += $1 } END { if (NR) print s }' || true)
  if [ -n "$p$f" ]; then
    passed=$(( passed + ${p:-0} )); failed=$(( failed + ${f:-0} ))
    if [ "$status" != 0 ] && [ "${f:-0}" = 0 ]; then failed=$(( failed + 1 )); fi
  elif [ "$status" = 0 ]; then
    passed=$(( passed + 1 ))
  else
    failed=$(( failed + 1 ))
  fi
  [ "$status" = 0 ] || failed_steps+=("$name")
  return "$status"
}

size_check() {
  local total=0 brotli_total=0 f sz
  for f in dist/*.wasm dist/*.js dist/*.css; do
    [ -e "$f" ] || continue
    sz=$(gzip -9 -c "$f" | wc -c); total=$(( total + sz ))
    brotli_total=$(( brotli_total + $(brotli -c -q 11 "$f" | wc -c) ))
    printf '  %-48s %8d bytes, gzip %7d\n' "$(basename "$f")" "$(wc -c < "$f")" "$sz"
  done
  echo "release wasm + js + css: gzip -9 $(( total / 1024 )) KB, brotli -q 11 $(( brotli_total / 1024 )) KB (budget ${SIZE_BUDGET_KB} KB gzip)"
  [ $(( total / 1024 )) -le "$SIZE_BUDGET_KB" ]
}

step fmt cargo fmt --all --check || true
step clippy cargo clippy --workspace --all-targets --features batchlab-core/cli -- -D warnings || true
step native-tests cargo test --workspace --no-fail-fast --features batchlab-core/cli || true
step lesson-check cargo run --quiet -p batchlab-core --features cli --bin batchlab -- check lessons || true
step wasm-tests cargo test -p batchlab-core --target wasm32-unknown-unknown --test wasm || true
if step release-build trunk build --release --offline; then
  step size-budget size_check || true
  step browser-tests bash -c "cd '$E2E' && node --test --test-concurrency=1 --test-reporter=tap ." || true
else
  failed=$(( failed + 2 )); failed_steps+=("size-budget (no build)" "browser-tests (no build)")
fi

echo
[ ${#failed_steps[@]} -eq 0 ] || echo "failed steps: ${failed_steps[*]}"
echo "browser test artefacts (screenshots): tests/e2e/artifacts/"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
