// The auditor's day in the browser: the red/yellow/green board and its drill-down, an audit run
// with its progress, its PDF report downloaded, a finding sent out as a rectification order; and
// an archivist's reminders. The marketing system's step events set the scene through the API.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { adminPassword, fileDocument, fixture, launchBrowser, signIn, signedInPage, startServer } from "./support.mjs";

let server, browser;
const shots = process.env.DANGAN_SCREENSHOTS || join(process.cwd(), "screenshots");

const openAs = (username, password) => signedInPage(browser, server.base, username, password);

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startServer();
  const admin = await signIn(server.base, "admin", adminPassword);
  await admin("POST", "/api/customers", [{ account_no: "3300000001", name: "张伟", unit: "城区供电所", voltage: "0.4kV" }]);
  for (const [username, roles] of [["jicha1", ["auditor"]], ["yingxiao", ["marketing"]], ["zhangsan", ["archivist"]]])
    await admin("POST", "/api/users", { must_change_password: false, username, password: "Desk-Pass-2026", roles });
  // The application was accepted three days ago; only the application form reached the archive, now.
  const marketing = await signIn(server.base, "yingxiao", "Desk-Pass-2026");
  const completedAt = new Date(Date.now() - 72 * 3600 * 1000).toISOString();
  await marketing("POST", "/api/events", { event_id: "E1", account_no: "3300000001", process_id: "SQ2026001",
    process: "低压居民新装", step: "受理", completed_at: completedAt, staff: "zhangsan" });
  // Its completion inspection (a step that leaves no papers) passed twenty days ago: meter
  // installation, 3 working days from then, is long overdue.
  await marketing("POST", "/api/events", { event_id: "E0", account_no: "3300000001", process_id: "SQ2026001",
    process: "低压居民新装", step: "竣工检验", completed_at: new Date(Date.now() - 20 * 86400000).toISOString(), staff: "zhangsan" });
  fixture("form", join(server.dir, "form.jpg"), "用电申请书", "3300000001", "1");
  await fileDocument(server.base, "zhangsan", "Desk-Pass-2026",
    { account_no: "3300000001", process: "低压居民新装", doc_type: "用电申请书", process_id: "SQ2026001" }, [join(server.dir, "form.jpg")]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("an auditor sees what is overdue, runs an audit, downloads its report and orders a rectification", async () => {
  const page = await openAs("jicha1", "Desk-Pass-2026");
  await page.click('#tabs button[data-view="audit-view"]');
  const board = page.locator("#dashboard");
  await board.getByText("城区供电所").waitFor();
  // The chart (Chart.js on a canvas): click where it painted the red of 城区供电所's bar.
  const red = await page.waitForFunction(() => {
    const canvas = document.querySelector("#unit-chart");
    const { width, height } = canvas;
    const pixels = canvas.getContext("2d").getImageData(0, 0, width, height).data;
    for (let y = 0; y < height; y += 2)
      for (let x = 0; x < width; x += 2) {
        const i = (y * width + x) * 4;
        if (pixels[i] === 0xd9 && pixels[i + 1] === 0x2d && pixels[i + 2] === 0x20) {
          const box = canvas.getBoundingClientRect();
          return { x: box.left + (x + 3) * box.width / width, y: box.top + (y + 3) * box.height / height };
        }
      }
    return null;
  });
  const at = await red.jsonValue();
  await page.mouse.click(at.x, at.y);
  await page.locator("#drill h3", { hasText: "城区供电所：红色 2 项" }).waitFor();
  await page.locator("#drill").getByText("居民身份证复印件").waitFor();
  await page.locator("#drill").evaluate((e) => e.replaceChildren());
  await board.locator("button.signal.red").first().click();
  await page.locator("#drill").getByText("居民身份证复印件").waitFor();
  await page.locator("#drill").getByText("房屋产权证明").waitFor();
  await page.screenshot({ path: join(shots, "auditor-1-board.png"), fullPage: true });

  // The units the archive knows are offered as the unit is typed; one typed wrong anyway is said to
  // be so, not reported as a clean audit of nothing.
  assert.equal(await page.getAttribute('#audit-form input[name="unit"]', "list"), "known-units");
  assert.deepEqual(await page.$$eval("#known-units option", (options) => options.map((o) => o.value)), ["城区供电所"]);
  await page.fill('#audit-form input[name="unit"]', "城去供电所");
  await page.click('#audit-form button[type="submit"]');
  await page.locator("#audit-message.error", { hasText: "没有供电单位为“城去供电所”" }).waitFor();
  await page.fill('#audit-form input[name="unit"]', "");

  await page.selectOption('#audit-form select[name="process"]', "低压居民新装");
  await page.click('#audit-form button[type="submit"]');
  await page.locator("#audit-message").getByText("稽查完成").waitFor();
  // The application form came a day after its deadline; the other two never came.
  assert.match(await page.locator("#audit-message").textContent(), /逾期 1，缺失 2/);
  const findings = page.locator("#audit-result tbody tr");
  assert.equal(await findings.count(), 3);
  await page.screenshot({ path: join(shots, "auditor-2-audit.png"), fullPage: true });

  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#audit-pdf")]);
  const pdf = readFileSync(await download.path());
  assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");

  await findings.first().getByRole("button", { name: "下发整改" }).click();
  await page.locator("#rectifications").getByText("zhangsan").waitFor();
  await page.locator("#rectifications").getByText("整改中").waitFor();
  await page.screenshot({ path: join(shots, "auditor-3-rectification.png"), fullPage: true });

  // A spot check: one document per unit drawn, judged failed, an order raised for its filer.
  const spot = page.locator("#spot-form");
  await spot.getByLabel("每个单位抽取").fill("1");
  await spot.getByRole("button", { name: "抽取" }).click();
  const item = page.locator("#spot-items tbody tr").first();
  await item.waitFor();
  assert.match(await item.textContent(), /城区供电所3300000001用电申请书zhangsan待检/);
  await item.getByPlaceholder("不合格原因").fill("缺少申请人签字");
  await item.getByRole("button", { name: "不合格" }).click();
  await page.locator(".message.ok", { hasText: "不合格，已下发整改单" }).waitFor();
  await item.locator(".signal.red", { hasText: "不合格" }).waitFor();
  await page.locator("#rectifications").getByText("缺少申请人签字").waitFor();
  await page.screenshot({ path: join(shots, "auditor-4-spot-check.png"), fullPage: true });

  // The audit log, in Chinese: what the archivist did, and this auditor's own work.
  const trail = page.locator("#audit-trail");
  await trail.getByLabel("用户名").fill("zhangsan");
  await trail.getByRole("button", { name: "查询" }).click();
  await trail.locator('tr[data-action="document.file"]', { hasText: "归档文件" }).waitFor();
  // The unfiltered list shown before the query's answer holds others' entries too: wait for the answer.
  await trail.locator("tbody tr").filter({ hasNotText: "zhangsan" }).first().waitFor({ state: "detached" });
  assert.equal(await trail.locator("tbody tr").filter({ hasNotText: "zhangsan" }).count(), 0);
  // This auditor's own work, by kind of record (the polls of running audits are views on record too).
  await trail.getByLabel("用户名").fill("jicha1");
  await trail.getByLabel("对象").selectOption("audit");
  await trail.getByRole("button", { name: "查询" }).click();
  await trail.locator('tr[data-action="audit.request"]', { hasText: "发起稽查" }).first().waitFor();
  await trail.getByLabel("对象").selectOption("spot_check");
  await trail.getByRole("button", { name: "查询" }).click();
  await trail.locator('tr[data-action="spot_check.draw"]', { hasText: "抽取抽检样本" }).waitFor();
  await trail.screenshot({ path: join(shots, "auditor-5-audit-log.png") });
});

test("the archivist responsible sees the documents still to add, in red", async () => {
  const page = await openAs("zhangsan", "Desk-Pass-2026");
  await page.click('#tabs button[data-view="todo-view"]');
  const counts = page.locator("#todo-counts");
  await counts.getByText("待添加").waitFor();
  assert.match(await counts.locator(".count").first().textContent(), /^2待添加$/);
  const toAdd = page.locator("#todo-lists table").first();
  await toAdd.getByText("居民身份证复印件").waitFor();
  assert.equal(await toAdd.locator(".signal.red").count(), 2);
  // 业扩时限预警 lists the process whose service time limit has passed.
  const limits = page.locator('#todo-lists h3:has-text("业扩时限预警") + table');
  assert.equal(await limits.locator("tr", { hasText: "装表接电" }).locator(".signal.red").count(), 1);
  await limits.getByText("SQ2026001").first().waitFor();
  assert.equal(await page.locator('#tabs button[data-view="audit-view"]').isHidden(), true);
  await page.screenshot({ path: join(shots, "archivist-reminders.png"), fullPage: true });
});
