// The rectification loop in the browser: the owner of an order finds it in 我的待办, reports it
// put right with what was done; the auditor sees the report and sends it back with a reason; the
// owner finds it open again, with the reason. Both steps are in the audit log.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { adminPassword, fixture, launchBrowser, signIn, signedInPage, startServer } from "./support.mjs";

let server, browser, admin, auditor, order;
const shots = process.env.DANGAN_SCREENSHOTS || join(process.cwd(), "screenshots");

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startServer(["--ocr-workers", "-1"]);
  admin = await signIn(server.base, "admin", adminPassword);
  await admin("POST", "/api/customers", [{ account_no: "3300000001", name: "张伟", voltage: "0.4kV", unit: "岳麓供电所" }]);
  await admin("POST", "/api/users", { must_change_password: false, username: "zhangsan", password: "Desk-Pass-2026", roles: ["staff"], display_name: "张三" });
  await admin("POST", "/api/users", { must_change_password: false, username: "jicha", password: "Desk-Pass-2026", roles: ["auditor"], display_name: "稽查员" });
  auditor = await signIn(server.base, "jicha", "Desk-Pass-2026");
  const due = new Date(Date.now() + 7 * 86400000).toISOString().slice(0, 10);
  order = await auditor("POST", "/api/rectifications", { account_no: "3300000001", owner: "zhangsan", due_on: due, description: "补齐房屋产权证明" });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const orderRow = (page) => page.locator("#todo-lists tr", { hasText: "补齐房屋产权证明" });

test("an owner reports an order put right and the auditor sends it back with a reason", async () => {
  const owner = await signedInPage(browser, server.base, "zhangsan", "Desk-Pass-2026");
  await owner.click('#tabs button[data-view="todo-view"]');
  await orderRow(owner).waitFor();
  // Nothing said, nothing reported: the server's reason comes back in plain words.
  await orderRow(owner).getByRole("button", { name: "已整改" }).click();
  await owner.locator("#todo-message.error").waitFor();
  await orderRow(owner).getByLabel(`整改单 ${order.id} 的整改说明`).fill("已补扫产权证明并归档");
  fixture("form", join(server.dir, "evidence.jpg"), "房屋产权证明", "3300000001", "7");
  await orderRow(owner).getByLabel(`整改单 ${order.id} 的证据页`).setInputFiles(join(server.dir, "evidence.jpg"));
  await orderRow(owner).getByRole("button", { name: "已整改" }).click();
  await owner.locator("#todo-message.ok", { hasText: `整改单 ${order.id} 已报整改完成` }).waitFor();
  await orderRow(owner).waitFor({ state: "detached" });

  const desk = await signedInPage(browser, server.base, "jicha", "Desk-Pass-2026");
  await desk.click('#tabs button[data-view="audit-view"]');
  const row = desk.locator("#rectifications tr", { hasText: "补齐房屋产权证明" });
  await row.getByText("已补扫产权证明并归档").waitFor();
  const [opened] = await Promise.all([desk.waitForEvent("popup"), row.getByRole("button", { name: "证据页 1" }).click()]);
  await opened.waitForLoadState();
  assert.match(opened.url(), /^blob:/);
  await opened.close();
  await row.getByLabel(`整改单 ${order.id} 的退回原因`).fill("未附产权证明页");
  await row.getByRole("button", { name: "退回" }).click();
  await row.getByText("整改中").waitFor();
  await desk.screenshot({ path: join(shots, "rectification-0-sent-back.png"), fullPage: true });

  await owner.click('#tabs button[data-view="search-view"]');
  await owner.click('#tabs button[data-view="todo-view"]');
  await orderRow(owner).getByText("退回: 未附产权证明页").waitFor();
  const log = await auditor("GET", `/api/audit?object_type=rectification&object_id=${order.id}`);
  const actions = log.entries.map((e) => e.action);
  assert.ok(actions.includes("rectification.rectified"), actions.join(","));
  assert.ok(actions.includes("rectification.reopen"), actions.join(","));
});
