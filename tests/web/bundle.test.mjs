// The page stays light: everything the browser loads is the bundle the build made (no outside
// addresses), and its JavaScript is under 300 KB compressed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";

const webapp = join(dirname(process.env.DANGAN_BINARY), "webapp");

test("the bundled JavaScript is under 300 KB gzip-compressed", () => {
  const compressed = gzipSync(readFileSync(join(webapp, "app.js")), { level: 9 }).length;
  assert.ok(compressed < 300 * 1024, `app.js is ${compressed} bytes compressed`);
});

test("the page loads only the bundle, from the server itself", () => {
  const page = readFileSync(join(webapp, "index.html"), "utf8");
  const loads = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(loads.sort(), ["app.css", "app.js"]);
});
