// The admin in the browser: users and roles (a refused password explained in plain Chinese, a new
// archivist who can then sign in and sees the archivists' desks until the admin signs them out
// everywhere, a user disabled who no longer can), and the process rules: a bad line refused with
// its line named, a good change put in force as the next version.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { adminPassword, launchBrowser, signIn, signedInPage, startServer } from "./support.mjs";

let server, browser;
const shots = process.env.DANGAN_SCREENSHOTS || join(process.cwd(), "screenshots");

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startServer(["--ocr-workers", "-1"]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("the admin creates an archivist, who signs in to the archivists' desks, and disables them", async () => {
  const page = await signedInPage(browser, server.base, "admin", adminPassword);
  await page.click('#tabs button[data-view="admin-view"]');
  const users = page.locator("#users-card");
  await users.locator('tr[data-user="admin"]').waitFor();

  const form = page.locator("#new-user");
  await form.locator('input[name="username"]').fill("dangan1");
  await form.locator('input[name="display_name"]').fill("档案员一");
  await form.locator('input[name="password"]').fill("short");
  await form.getByLabel("营业厅人员").uncheck();
  await form.getByLabel("档案管理员").check();
  await form.locator('button[type="submit"]').click();
  await users.locator(".message.error", { hasText: "密码至少 8 个字符" }).waitFor();

  await form.locator('input[name="password"]').fill("Desk-Pass-2026");
  await form.locator('button[type="submit"]').click();
  const row = users.locator('tr[data-user="dangan1"]');
  await row.waitFor();
  assert.match(await row.textContent(), /档案员一/);
  assert.equal(await row.getByLabel("档案管理员").isChecked(), true);
  assert.equal(await row.getByLabel("营业厅人员").isChecked(), false);
  await page.screenshot({ path: join(shots, "admin-1-users.png"), fullPage: true });

  // The password the admin set opens nothing but changing it; then the archivist's desks.
  const archivist = await browser.newPage();
  await archivist.goto(server.base + "/");
  await archivist.fill('input[name="username"]', "dangan1");
  await archivist.fill('input[name="password"]', "Desk-Pass-2026");
  await archivist.click('#login-form button[type="submit"]');
  const change = archivist.locator("#password-form");
  await change.waitFor();
  assert.equal(await archivist.locator("#app-view").isHidden(), true);
  await change.locator('input[name="current"]').fill("Desk-Pass-2026");
  await change.locator('input[name="new"]').fill("dangan1-Own-26");
  await change.locator('input[name="again"]').fill("dangan1-Own-26");
  await change.locator('button[type="submit"]').click();
  await change.locator("#password-error", { hasText: "密码不能包含用户名" }).waitFor();
  await change.locator('input[name="new"]').fill("Archive-Own-26");
  await change.locator('input[name="again"]').fill("Archive-Own-26");
  await change.locator('button[type="submit"]').click();
  await archivist.locator('#tabs button[data-view="desk-view"]').waitFor();
  assert.equal(await archivist.locator('#tabs button[data-view="admin-view"]').isHidden(), true);
  // Signed out everywhere by the admin (a phone lost): the archivist's next step asks for sign-in.
  await row.getByRole("button", { name: "强制下线" }).click();
  await users.locator(".message.ok", { hasText: "已让 dangan1 在所有设备上退出（结束 1 处登录）" }).waitFor();
  await archivist.click('#tabs button[data-view="desk-view"]');
  await archivist.locator("#login-view").waitFor();
  await archivist.close();

  await row.getByRole("button", { name: "停用" }).click();
  await row.getByText("已停用").waitFor();
  const refused = await browser.newPage();
  await refused.goto(server.base + "/");
  await refused.fill('input[name="username"]', "dangan1");
  await refused.fill('input[name="password"]', "Archive-Own-26");
  await refused.click('#login-form button[type="submit"]');
  await refused.locator("#login-error", { hasText: "用户名或密码错误，或账号已停用" }).waitFor();
  await refused.close();
});

test("the admin changes the process rules: a bad line is named, a good text becomes the next version", async () => {
  const page = await signedInPage(browser, server.base, "admin", adminPassword);
  await page.click('#tabs button[data-view="admin-view"]');
  const rules = page.locator("#rules-card");
  await rules.getByText("现行第 1 版").waitFor();
  await rules.locator("table.rules td", { hasText: "低压居民新装" }).first().waitFor();
  const text = rules.locator("textarea");
  const original = await text.inputValue();
  const lines = original.split("\n").length;

  await text.fill(original + "\ndocument,低压居民新装,受理,用电申请书,maybe,永久,48\n");
  await rules.getByRole("button", { name: "作为新版本生效" }).click();
  const error = rules.locator(".message.error");
  await error.waitFor();
  assert.match(await error.textContent(), new RegExp(`规则有误，没有生效\\s*第 ${lines + 1} 行：第 5 项须为 mandatory`));

  // A reason that is no one line's reaches the admin too: weights that no longer add up to 100.
  await text.fill(original.replace(/^weight,timeliness,50$/m, "weight,timeliness,60"));
  await rules.getByRole("button", { name: "作为新版本生效" }).click();
  await rules.locator(".message.error", { hasText: "规则有误，没有生效：归档及时率、质量、流程时限三项权重之和须为 100" }).waitFor();

  // Every document of a step shares its deadline: 受理 becomes 36 hours for all of them.
  await text.fill(original.replace(/^(document,低压居民新装,受理,[^,\n]+,\w+,[^,\n]+,)48$/gm, "$136"));
  await rules.getByRole("button", { name: "作为新版本生效" }).click();
  await rules.locator(".message.ok", { hasText: "新规则已生效：第 2 版" }).waitFor();
  await rules.getByText("现行第 2 版").waitFor();
  const accepted = rules.locator("table.rules tr", { hasText: "低压居民新装" }).first();
  assert.match(await accepted.textContent(), /^低压居民新装受理36用电申请书/);
  await rules.locator("ul li", { hasText: "第 2 版" }).waitFor();
  assert.equal(await rules.locator("ul li").count(), 2);
  await page.screenshot({ path: join(shots, "admin-2-rules.png"), fullPage: true });
});

test("三员分立: the security administrator sees users and rules, the audit administrator the audit log, neither the archive", async () => {
  const admin = await signIn(server.base, "admin", adminPassword);
  await admin("POST", "/api/users", { must_change_password: false, username: "shenji", password: "Desk-Pass-2026", roles: ["audit_admin"] });
  await admin("POST", "/api/users", { must_change_password: false, username: "anquan", password: "Desk-Pass-2026", roles: ["security_admin"] });
  const visibleTabs = (page) => page.$$eval("#tabs button", (tabs) => tabs.filter((t) => !t.hidden).map((t) => t.textContent.trim()));

  const security = await signedInPage(browser, server.base, "anquan", "Desk-Pass-2026");
  assert.deepEqual(await visibleTabs(security), ["系统管理"]);
  await security.locator('#users-card tr[data-user="shenji"]').waitFor();
  assert.equal(await security.locator("#search-view").isHidden(), true);
  await security.close();

  const audit = await signedInPage(browser, server.base, "shenji", "Desk-Pass-2026");
  assert.deepEqual(await visibleTabs(audit), ["审计日志"]);
  await audit.locator("#trail-log td", { hasText: "anquan" }).first().waitFor();
  await audit.screenshot({ path: join(shots, "audit-admin-log.png"), fullPage: true });
  await audit.close();

  // The first set-up's admin is now the system administrator: the rules and the calendar only.
  const system = await signedInPage(browser, server.base, "admin", adminPassword);
  assert.deepEqual(await visibleTabs(system), ["系统管理"]);
  await system.locator("#duties-note").waitFor();
  await system.locator("#rules-card").waitFor();
  assert.equal(await system.locator("#users-card").count(), 0);
  await system.screenshot({ path: join(shots, "system-admin-after-separation.png"), fullPage: true });
  await system.close();
});
