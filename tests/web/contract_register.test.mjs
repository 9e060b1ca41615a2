// Supply contracts in the browser: an archivist finds a contract whose terms OCR could not read,
// opens its page, enters the terms (a wrong expiry refused in plain words), and the contract then
// counts down to its expiry; an auditor sees the register but cannot change it. The terms entered
// are in the audit log.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { adminPassword, fileDocument, fixture, launchBrowser, signIn, signedInPage, startServer } from "./support.mjs";

let server, browser, admin, contract;
const shots = process.env.DANGAN_SCREENSHOTS || join(process.cwd(), "screenshots");
const inDays = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startServer(["--ocr-workers", "-1"]);
  admin = await signIn(server.base, "admin", adminPassword);
  await admin("POST", "/api/customers", [{ account_no: "3300000001", name: "张伟", voltage: "0.4kV", unit: "岳麓供电所" }]);
  for (const [username, roles] of [["luru", ["archivist"]], ["jicha", ["auditor"]]])
    await admin("POST", "/api/users", { must_change_password: false, username, password: "Desk-Pass-2026", roles });
  const path = join(server.dir, "contract.jpg");
  fixture("form", path, "低压供用电合同", "3300000001", "1");
  contract = await fileDocument(server.base, "luru", "Desk-Pass-2026",
    { account_no: "3300000001", process: "低压居民新装", doc_type: "低压供用电合同" }, [path]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("an archivist enters a contract's terms from its page, and an auditor watches it", async () => {
  const page = await signedInPage(browser, server.base, "luru", "Desk-Pass-2026");
  await page.click('#tabs button[data-view="contracts-view"]');
  await page.click('#contracts-card button[data-status="unrecorded"]');
  const row = page.locator(`#contract-list tr[data-document="${contract.id}"]`);
  await row.getByText("未登记期限").waitFor();
  assert.match(await row.textContent(), /3300000001 张伟.*岳麓供电所.*低压供用电合同/);

  await row.getByRole("button", { name: "登记期限" }).click();
  const form = page.locator("#contract-list form.terms-form");
  await form.getByRole("button", { name: "对照页面" }).click();
  await page.locator("#viewer-title", { hasText: "低压供用电合同 第 1/1 页" }).waitFor();
  await page.locator("#viewer .viewer-canvas img").waitFor();
  await page.keyboard.press("Escape");
  await page.locator("#viewer").waitFor({ state: "detached" });

  await form.getByLabel("合同编号").fill("HT-2026-0031");
  await form.getByLabel("签订日期").fill(inDays(-340));
  await form.getByLabel("到期日期").fill(inDays(-400));
  await form.getByRole("button", { name: "保存" }).click();
  await form.locator(".message.error", { hasText: "到期日期须晚于签订日期" }).waitFor();
  await page.screenshot({ path: join(shots, "contracts-1-terms.png"), fullPage: true });

  await form.getByLabel("到期日期").fill(inDays(20));
  await form.getByRole("button", { name: "保存" }).click();
  await page.locator("#contracts-card .message.ok", { hasText: `张伟 的合同期限已登记：${inDays(-340)} 至 ${inDays(20)}` }).waitFor();
  await page.locator("#contracts-empty", { hasText: "没有未登记期限的合同" }).waitFor();

  await page.click('#contracts-card button[data-status="remind"]');
  await row.getByText("30 天内到期").waitFor();
  const { today } = await admin("GET", "/api/contracts");  // the archive's (China's) date
  const cells = await row.locator("td").allTextContents();
  assert.deepEqual(cells.slice(3, 9), ["HT-2026-0031", inDays(-340), inDays(20),
    String((Date.parse(inDays(20)) - Date.parse(today)) / 86400000), "30 天内到期", "人工登记"]);
  await row.getByRole("button", { name: "修改期限" }).waitFor();
  await page.screenshot({ path: join(shots, "contracts-2-remind.png"), fullPage: true });

  const auditor = await signedInPage(browser, server.base, "jicha", "Desk-Pass-2026");
  await auditor.click('#tabs button[data-view="contracts-view"]');
  const seen = auditor.locator(`#contract-list tr[data-document="${contract.id}"]`);
  await seen.getByText("30 天内到期").waitFor();
  assert.equal(await seen.getByRole("button", { name: /期限/ }).count(), 0);
  await seen.getByRole("button", { name: "查看页面" }).waitFor();

  const { entries } = await admin("GET", `/api/audit?object_type=document&object_id=${contract.id}`);
  const recorded = entries.find((e) => e.action === "contract.terms");
  assert.equal(recorded.username, "luru");
  assert.equal(JSON.parse(recorded.detail).contract_no, "HT-2026-0031");
  await page.close();
  await auditor.close();
});
