// Chinese everywhere and accessible (issue 25): on the demo archive, every screen each kind of
// user opens (the e-file and its page viewer included) shows no English word outside a small
// allow-list of units, formats, codes, usernames and file names, and axe-core finds no serious
// or critical accessibility violation; the findings CSV's headers are Chinese.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { adminPassword, launchBrowser, signIn, startServer } from "./support.mjs";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const demoPassword = "demo-2026";
// Units, formats and keys. Codes (archive numbers, application and contract numbers: anything
// with a digit in it) are the archive's own and stay as printed.
const kAllowed = new Set(["kV", "PDF", "CSV", "JSON", "JPEG", "PNG", "TIFF", "Esc"]);
let server, browser, admin, usernames;

before(async () => {
  server = await startServer(["--demo"]);
  admin = await signIn(server.base, "admin", adminPassword);
  for (let i = 0; i < 120; ++i) {
    try {
      if ((await admin("GET", "/api/loans?state=requested")).loans.length) break;
    } catch { /* the demo users are still being made */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  usernames = new Set((await admin("GET", "/api/users")).users.map((u) => u.username));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// English words in the page's visible text, less the allowed ones, usernames, file names and what
// is marked as code (the rules file's keywords, which the admin types as they are).
async function englishWords(page) {
  const text = await page.evaluate(() => {
    const codes = [...document.querySelectorAll("code")];
    codes.forEach((c) => { c.style.display = "none"; });
    const shown = document.body.innerText;
    codes.forEach((c) => { c.style.display = ""; });
    return shown;
  });
  const words = new Set();
  for (const token of text.split(/[\s，。：；、（）()]+/)) {
    if (/\.(pdf|jpe?g|png|tiff?|csv|json)$/i.test(token)) continue;  // a file's own name
    if (/\d/.test(token)) continue;                                  // a code
    for (const m of token.matchAll(/[A-Za-z][A-Za-z_]+/g))
      if (!kAllowed.has(m[0]) && !usernames.has(m[0])) words.add(m[0]);
  }
  return [...words];
}

async function seriousViolations(page) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(" | ")})`);
}

async function signedIn(username, password) {
  // The page's own CSP forbids injected script, axe's too: the test's browser lets it in.
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, bypassCSP: true });
  page.setDefaultTimeout(30000);
  await page.goto(server.base + "/");
  assert.deepEqual(await seriousViolations(page), [], "the sign-in page");
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await page.click('#login-form button[type="submit"]');
  await page.locator("#app-view").waitFor();
  return page;
}

async function checkEveryTab(page, who) {
  for (const tab of await page.locator("#tabs button:visible").all()) {
    const name = (await tab.textContent()).trim();
    await tab.click();
    await page.waitForTimeout(700);  // the screen's data arrive
    assert.deepEqual(await englishWords(page), [], `${who}: English on ${name}`);
    assert.deepEqual(await seriousViolations(page), [], `${who}: accessibility of ${name}`);
  }
}

test("every screen of the admin, the collector, the auditor, the counter and the approver is Chinese and accessible", async () => {
  for (const [who, password] of [["admin", adminPassword], ["dangan", demoPassword], ["jicha", demoPassword],
    ["guitai", demoPassword], ["shenpi", demoPassword]]) {
    const page = await signedIn(who, password);
    await checkEveryTab(page, who);
    await page.close();
  }
});

test("the e-file and its page viewer are Chinese and accessible", async () => {
  const page = await signedIn("guitai", demoPassword);
  await page.fill("#search-box", "张伟");
  await page.locator(".customer-hit").first().click();
  await page.locator("#efile").waitFor();
  assert.deepEqual(await englishWords(page), [], "English on the e-file");
  assert.deepEqual(await seriousViolations(page), [], "accessibility of the e-file");
  await page.locator("#efile .thumbnail, #efile .pages img").first().click();
  await page.locator("#viewer").waitFor();
  await page.waitForTimeout(500);
  assert.deepEqual(await englishWords(page), [], "English in the page viewer");
  assert.deepEqual(await seriousViolations(page), [], "accessibility of the page viewer");
});

test("the findings CSV has Chinese headers", async () => {
  const jicha = await signIn(server.base, "jicha", demoPassword);
  let audit = await jicha("POST", "/api/audits", { filter: {} });
  while (audit.state !== "done") {
    await new Promise((r) => setTimeout(r, 200));
    audit = await jicha("GET", `/api/audits/${audit.id}`);
  }
  const csv = await jicha("GET", `/api/audits/${audit.id}/report.csv`);
  const header = csv.replace(/^\uFEFF/, "").split("\r\n")[0];
  assert.doesNotMatch(header, /[A-Za-z]/, header);
});
