// The business staff's own desk in the browser: the person who completed a step files its papers
// (单份上传, document types from the list only), finds them in 我的待办 as 待发送, self-checks them
// in 质量复核, and sees nothing left to add or send; the marketing system's gate then lets the
// step close.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { adminPassword, fixture, launchBrowser, signIn, signedInPage, startServer } from "./support.mjs";

let server, browser, admin, marketing;
const shots = process.env.DANGAN_SCREENSHOTS || join(process.cwd(), "screenshots");
const papers = ["用电申请书", "居民身份证复印件", "房屋产权证明"];

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startServer(["--ocr-workers", "-1"]);
  admin = await signIn(server.base, "admin", adminPassword);
  await admin("POST", "/api/customers", [{ account_no: "3300000001", name: "张伟", voltage: "0.4kV", unit: "岳麓供电所" }]);
  await admin("POST", "/api/users", { must_change_password: false, username: "zhangsan", password: "Desk-Pass-2026", roles: ["staff"], display_name: "张三" });
  await admin("POST", "/api/users", { must_change_password: false, username: "yingxiao", password: "Desk-Pass-2026", roles: ["marketing"] });
  marketing = await signIn(server.base, "yingxiao", "Desk-Pass-2026");
  await marketing("POST", "/api/events", { event_id: "W1", account_no: "3300000001", process_id: "SQ-W1", process: "低压居民新装",
    step: "受理", completed_at: new Date(Date.now() - 3600 * 1000).toISOString(), staff: "zhangsan" });
  papers.forEach((docType, i) => fixture("form", join(server.dir, `paper${i}.jpg`), docType, "3300000001", String(i + 1)));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const count = (page, name) => page.locator("#todo-counts .count", { hasText: name }).locator("strong");

test("a staff member files a step's papers, self-checks them and has nothing left to add or send", async () => {
  const gate = () => marketing("GET", "/api/processes/SQ-W1/gate?step=" + encodeURIComponent("受理"));
  assert.equal((await gate()).ready, false);

  const page = await signedInPage(browser, server.base, "zhangsan", "Desk-Pass-2026");
  await page.click('#tabs button[data-view="todo-view"]');
  await count(page, "待添加").filter({ hasText: "3" }).waitFor();

  await page.click('#tabs button[data-view="scan-view"]');
  for (const [i, docType] of papers.entries()) {
    await page.fill('#scan-form input[name="account_no"]', "3300000001");
    await page.selectOption("#process-select", "低压居民新装");
    await page.selectOption("#doc-type-select", docType);
    await page.fill('#scan-form input[name="process_id"]', "SQ-W1");
    await page.setInputFiles('#scan-form input[type="file"]', [join(server.dir, `paper${i}.jpg`)]);
    await page.click('#scan-form button[type="submit"]');
    await page.locator("#scan-message.ok", { hasText: `已归档：${docType}` }).waitFor();
  }
  // A type typed by hand cannot be chosen: the form offers the archive's types only.
  assert.equal(await page.locator("#doc-type-select option", { hasText: "身份证明" }).count(), 0);

  await page.click('#tabs button[data-view="todo-view"]');
  await count(page, "待发送").filter({ hasText: "3" }).waitFor();
  assert.equal(await count(page, "待添加").textContent(), "0");
  await page.screenshot({ path: join(shots, "staff-0-todo.png"), fullPage: true });

  await page.click('#tabs button[data-view="quality-view"]');
  await page.click('#quality-card button[data-gate="self"]');
  for (let i = 0; i < papers.length; i++) {
    await page.locator("#quality-list tbody tr").first().getByRole("button", { name: "通过" }).click();
    await page.locator("#quality-list tbody tr").nth(papers.length - 1 - i).waitFor({ state: "detached" });
  }
  // The collector's gate is not theirs to judge.
  assert.equal(await page.locator('#quality-card button[data-gate="collect"]').count(), 0);

  await page.click('#tabs button[data-view="todo-view"]');
  await count(page, "待发送").filter({ hasText: "0" }).waitFor();
  assert.equal(await count(page, "待添加").textContent(), "0");
  assert.equal(await count(page, "业扩时限预警").textContent(), "0");
  await page.screenshot({ path: join(shots, "staff-1-done.png"), fullPage: true });
  assert.deepEqual(await gate(), { process_id: "SQ-W1", step: "受理", ready: true, missing: [] });
});
