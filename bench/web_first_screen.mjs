// How soon the web application is usable on loopback (issue 7: first screen interactive within
// 1 s): a real server with the demo archive, Debian's Chromium under playwright-core (from
// tests/web/node_modules). Measures, over N cold page loads each: page load to the sign-in form
// ready to type in; signing in to the search box answering; typing two characters of a name to
// the results shown; a click on the customer to the e-file with its thumbnails drawn.
// Usage: node bench/web_first_screen.mjs [N]   (after scripts/build.sh and npm ci --prefix tests/web)
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { chromium } = createRequire(join(root, "tests/web/package.json"))("playwright-core");
const runs = Number(process.argv[2] || 10);
const dir = mkdtempSync(join(tmpdir(), "dangan-web-bench-"));
const server = spawn(join(root, "build/dangan"), ["serve", "--data", join(dir, "data"), "--port", "0", "--host", "127.0.0.1", "--demo"],
  { env: { ...process.env, DANGAN_ADMIN_PASSWORD: "bench-admin-1", OMP_THREAD_LIMIT: "1" }, stdio: ["ignore", "pipe", "ignore"] });
const base = await new Promise((resolve) => {
  let out = "";
  server.stdout.on("data", (d) => {
    out += d;
    const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)\//);
    if (m && out.includes("demo archive ready")) resolve(m[1]);
  });
});
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu"] });
const phases = { domContentLoaded: [], signInReady: [], searchReady: [], resultsShown: [], efileDrawn: [], efileShown: [] };
const transfers = [];
for (let i = 0; i < runs; ++i) {
  const context = await browser.newContext();
  const page = await context.newPage();
  let t = performance.now();
  await page.goto(base + "/");
  await page.locator('input[name="username"]').waitFor();
  phases.signInReady.push(performance.now() - t);
  // Cold cache: the navigation's own DOMContentLoaded, and every byte the first screen fetched.
  phases.domContentLoaded.push(await page.evaluate(() => performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd));
  transfers.push(await page.evaluate(() => performance.getEntriesByType("navigation")[0].transferSize +
    performance.getEntriesByType("resource").reduce((n, r) => n + r.transferSize, 0)));
  await page.fill('input[name="username"]', "guitai");
  await page.fill('input[name="password"]', "demo-2026");
  t = performance.now();
  await page.click('#login-form button[type="submit"]');
  await page.locator("#search-box").waitFor();
  phases.searchReady.push(performance.now() - t);
  await page.locator("#search-box").type("张");
  t = performance.now();
  await page.locator("#search-box").type("伟");  // the last key
  await page.locator("#results li.customer-hit", { hasText: "张伟" }).first().waitFor();
  phases.resultsShown.push(performance.now() - t);  // from the last key, the 60 ms pause included
  t = performance.now();
  await page.locator("#results li.customer-hit", { hasText: "3300000001" }).click();
  await page.locator("#efile .document").first().waitFor();
  phases.efileDrawn.push(performance.now() - t);  // the file's cards drawn; thumbnails follow
  await page.waitForFunction(() => {
    const thumbnails = [...document.querySelectorAll("#efile img.thumbnail")];
    return thumbnails.length > 0 && thumbnails.every((img) => img.complete && img.naturalWidth > 0);
  });
  phases.efileShown.push(performance.now() - t);
  await context.close();
}
await browser.close();
server.kill("SIGTERM");
await new Promise((r) => server.on("exit", r));
rmSync(dir, { recursive: true, force: true });
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, xs] of Object.entries(phases))
  console.log(`${name.padEnd(16)} median ${median([...xs]).toFixed(0)} ms, worst ${Math.max(...xs).toFixed(0)} ms (${runs} runs)`);
console.log(`first screen transfer: median ${(median([...transfers]) / 1024).toFixed(1)} KB, most ${(Math.max(...transfers) / 1024).toFixed(1)} KB`);
