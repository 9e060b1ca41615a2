// The first run a newcomer sees: `dangan serve --demo` on a fresh data folder fills a small
// archive through the server's own API (users of each role, customers, a scanned batch filed by
// its cover sheets and by OCR, a page waiting for review, late and due documents, a box on a
// shelf, a loan), and each demo user finds their part of it in the browser.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { adminPassword, demoPassword, launchBrowser, signIn, signedInPage, startDemoServer } from "./support.mjs";

let server, browser;
const shots = process.env.DANGAN_SCREENSHOTS || join(process.cwd(), "screenshots");

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startDemoServer();
  assert.doesNotMatch(server.log(), /demo archive is incomplete/);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("counter staff find the demo customer's filed pages, with the paper out on loan", async () => {
  const page = await signedInPage(browser, server.base, "guitai", demoPassword);
  await page.fill("#search-box", "张伟");
  await page.locator("#results li.customer-hit", { hasText: "3300000001" }).click();
  const efile = page.locator("#efile");
  await efile.locator(".categories button", { hasText: "业扩档案（2）" }).waitFor();
  await efile.locator(".document", { hasText: "用电申请书" }).locator(".on-loan", { hasText: "纸质原件借出中" }).waitFor();
  await efile.locator(".document", { hasText: "居民身份证复印件" }).waitFor();
  await page.screenshot({ path: join(shots, "demo-1-staff.png"), fullPage: true });
});

test("the archivist finds the loose page of an unknown customer waiting for review", async () => {
  const page = await signedInPage(browser, server.base, "dangan", demoPassword);
  await page.click('#tabs button[data-view="desk-view"]');
  await page.locator("#review-list").getByText("3300000099").first().waitFor();
  // Why it waits is said in the archive room's words, not the server's English.
  assert.doesNotMatch(await page.locator("#review-list").textContent(), /[a-z]{3,} [a-z]{3,}/);
  await page.locator("#batch-rows tr", { hasText: "演示批次：营业厅 上午" }).waitFor();
  await page.screenshot({ path: join(shots, "demo-2-archivist.png"), fullPage: true });
  // What the demo batch filed waits for the archivist's self-check.
  await page.click('#tabs button[data-view="quality-view"]');
  await page.locator("#quality-list tr", { hasText: "3300000001" }).first().waitFor();
  // 李娜's contract, once OCR has read its terms off the page (in the background), runs out in 20 days.
  const admin = await signIn(server.base, "admin", adminPassword);
  for (let i = 0; i < 120 && !(await admin("GET", "/api/contracts")).contracts.some((c) => c.source === "ocr"); ++i)
    await new Promise((r) => setTimeout(r, 500));
  await page.click('#tabs button[data-view="contracts-view"]');
  const contract = page.locator("#contract-list tr", { hasText: "李娜" });
  await contract.getByText("30 天内到期").waitFor();
  assert.deepEqual((await contract.locator("td").allTextContents()).slice(3, 9).filter((_, i) => i !== 1 && i !== 2),
    ["HT-2024-0031", "20", "30 天内到期", "识别"]);
});

test("the auditor sees late and due documents, and the approver the request waiting", async () => {
  const auditor = await signedInPage(browser, server.base, "jicha", demoPassword);
  await auditor.click('#tabs button[data-view="audit-view"]');
  const board = auditor.locator("#dashboard");
  await board.getByText("岳麓供电所").waitFor();
  assert.match(await board.locator("p").first().textContent(), /红 [1-9]\d*　黄 [1-9]\d*　绿 [1-9]\d*/);
  await auditor.screenshot({ path: join(shots, "demo-3-auditor.png"), fullPage: true });

  const approver = await signedInPage(browser, server.base, "shenpi", demoPassword);
  await approver.click('#tabs button[data-view="loans-view"]');
  await approver.locator(".loan", { hasText: "稽查核对合同原件" }).waitFor();
});
