// Process control in the browser: business staff see the day's reminder as an unread count on
// sign-in and read it in 我的待办; an archivist finds a process on the process board, opens it and
// proposes a waiver of a document that does not apply; an auditor confirms it, and the process
// shows the document waived.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { adminPassword, launchBrowser, signIn, signedInPage, startServer } from "./support.mjs";

let server, browser, admin, auditor;
const shots = process.env.DANGAN_SCREENSHOTS || join(process.cwd(), "screenshots");
const hoursAgo = (h) => new Date(Date.now() - h * 3600000).toISOString().replace(/\.\d+Z$/, "Z");

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startServer(["--ocr-workers", "-1"]);
  admin = await signIn(server.base, "admin", adminPassword);
  await admin("POST", "/api/customers", [
    { account_no: "3300000001", name: "张伟", voltage: "0.4kV", unit: "岳麓供电所" },
    { account_no: "3300000002", name: "金桥机械制造有限公司", voltage: "0.4kV", unit: "岳麓供电所" }]);
  for (const [username, roles, extra] of [["yingxiao", ["marketing"], {}], ["shouji", ["archivist"], {}], ["jicha", ["auditor"], {}],
    ["zhangsan", ["staff"], { unit: "岳麓供电所", team: "营业一班" }]])
    await admin("POST", "/api/users", { must_change_password: false, username, password: "Desk-Pass-2026", roles, ...extra });
  const marketing = await signIn(server.base, "yingxiao", "Desk-Pass-2026");
  // A resident's 受理 47 hours ago: its documents are due within the hour; a company's an hour ago.
  await marketing("POST", "/api/events", { event_id: "E1", account_no: "3300000001", process_id: "P1", process: "低压居民新装",
    step: "受理", completed_at: hoursAgo(47), staff: "zhangsan" });
  await marketing("POST", "/api/events", { event_id: "E2", account_no: "3300000002", process_id: "P9", process: "低压非居民新装",
    step: "受理", completed_at: hoursAgo(1), staff: "zhangsan" });
  auditor = await signIn(server.base, "jicha", "Desk-Pass-2026");
  const run = await auditor("POST", "/api/notifications/run", {});
  assert.equal(run.notifications, 1);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("business staff see their unread reminder on sign-in and read it in 我的待办", async () => {
  const page = await signedInPage(browser, server.base, "zhangsan", "Desk-Pass-2026");
  await page.locator("#notices", { hasText: "通知 1" }).waitFor();
  await page.click("#notices");
  await page.locator("#todo-notifications li.unread", { hasText: "待添加档案：3 份应归档资料尚未归档" }).waitFor();
  await page.screenshot({ path: join(shots, "process-0-notification.png"), fullPage: true });
  await page.getByRole("button", { name: "全部标为已读" }).click();
  await page.locator("#todo-notifications li.read").waitFor();
  await page.locator("#notices").waitFor({ state: "hidden" });
});

test("an archivist proposes a waiver from the process board and an auditor confirms it", async () => {
  const desk = await signedInPage(browser, server.base, "shouji", "Desk-Pass-2026");
  await desk.click('#tabs button[data-view="process-view"]');
  const row = desk.locator("#process-board tr", { hasText: "低压非居民新装" });
  await row.getByRole("button", { name: "1" }).click();
  await desk.locator("#process-board").getByRole("button", { name: "P9" }).click();
  const steps = desk.locator("#process-lookup .process-steps");
  await steps.getByText("供电方案答复").waitFor();
  await steps.getByText("8 个工作日").waitFor();
  await desk.getByLabel("豁免“用电设备清单”的理由").fill("客户为纯照明负荷，无用电设备清单");
  await desk.locator(".expected-document", { hasText: "用电设备清单" }).getByRole("button", { name: "申请豁免" }).click();
  await desk.locator("#process-lookup .message.ok", { hasText: "待稽查人员确认" }).waitFor();
  await desk.locator(".expected-document", { hasText: "豁免待确认" }).waitFor();

  const office = await signedInPage(browser, server.base, "jicha", "Desk-Pass-2026");
  await office.click('#tabs button[data-view="process-view"]');
  const waiver = office.locator("#waivers tr", { hasText: "用电设备清单" });
  await waiver.getByText("客户为纯照明负荷").waitFor();
  await waiver.getByRole("button", { name: "确认豁免" }).click();
  await office.locator("#waivers .message.ok", { hasText: "已确认豁免" }).waitFor();
  await office.fill('#process-lookup input[name="process_id"]', "P9");
  await office.press('#process-lookup input[name="process_id"]', "Enter");
  await office.locator(".expected-document", { hasText: "用电设备清单" }).getByText("已豁免").waitFor();
  await office.screenshot({ path: join(shots, "process-1-waived.png"), fullPage: true });
  const log = await auditor("GET", "/api/audit?object_type=expectation");
  const actions = log.entries.map((e) => `${e.action}:${e.username}`);
  assert.ok(actions.includes("waiver.propose:shouji"), actions.join(","));
  assert.ok(actions.includes("waiver.confirm:jicha"), actions.join(","));
});
