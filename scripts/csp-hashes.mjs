// Trunk post-build hook: allow exactly the inline scripts Trunk injected (the wasm loader, and in
// `trunk serve` the live-reload client) by adding their SHA-256 hashes to the page's
// Content-Security-Policy. Everything else inline stays forbidden; no 'unsafe-inline' is ever needed.
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('csp-hashes: TRUNK_STAGING_DIR is not set (run me as a Trunk post_build hook)');
  process.exit(2);
}
const file = join(dir, 'index.html');
let html = readFileSync(file, 'utf8');
const hashes = [];
for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
  hashes.push(`'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
}
// `trunk serve` injects its live-reload client into the page as it serves it, after this hook, so
// its hash cannot be known here: scripts/serve.sh sets BATCHLAB_DEV_SERVER=1 and the dev page allows
// inline script. Release builds (`trunk build`) never get this.
const allowed = process.env.BATCHLAB_DEV_SERVER === '1' ? ["'unsafe-inline'"] : hashes;
const before = html;
html = html.replace(/(script-src 'self')/, `$1 ${allowed.join(' ')}`);
if (hashes.length && html === before) {
  console.error("csp-hashes: index.html has no \"script-src 'self'\" to extend");
  process.exit(1);
}
writeFileSync(file, html);
console.log(`csp-hashes: script-src now allows ${allowed.join(' ')}`);
