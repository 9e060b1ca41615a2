// The counter as its clerks meet it (issue 25): each customer's e-file opens on a category that
// holds documents, never on the tab left from the customer before; a customer is opened with the
// keyboard alone (Enter in the search box, Tab to a result and Enter); an own code scanned in lower
// case is still the archive's; and signing out leaves nothing of the last person on screen.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { adminPassword, fileDocument, fixture, launchBrowser, signIn, signedInPage, startServer } from "./support.mjs";

let server, browser, admin, paperCode;
const shots = process.env.DANGAN_SCREENSHOTS || join(process.cwd(), "screenshots");

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startServer(["--ocr-workers", "-1"]);
  admin = await signIn(server.base, "admin", adminPassword);
  await admin("POST", "/api/customers", [
    { account_no: "3300000001", name: "张伟", voltage: "0.4kV", unit: "岳麓供电所" },
    { account_no: "3300000002", name: "李娜", voltage: "0.4kV", unit: "岳麓供电所" }]);
  await admin("POST", "/api/users", { must_change_password: false, username: "shouji", password: "Desk-Pass-2026", roles: ["archivist"] });
  fixture("form", join(server.dir, "p1.jpg"), "用电申请书", "3300000001", "1");
  fixture("form", join(server.dir, "p2.jpg"), "房屋产权证明", "3300000001", "2");
  fixture("form", join(server.dir, "p3.jpg"), "用电检查结果通知书", "3300000002", "3");
  for (const [account, process, type, path] of [["3300000001", "低压居民新装", "用电申请书", "p1.jpg"],
    ["3300000001", "低压居民新装", "房屋产权证明", "p2.jpg"], ["3300000002", "用电检查", "用电检查结果通知书", "p3.jpg"]])
    await fileDocument(server.base, "admin", adminPassword, { account_no: account, process, doc_type: type }, [join(server.dir, path)]);
  const efile = await admin("GET", "/api/customers/3300000001/efile");
  paperCode = efile.categories.flatMap((c) => c.documents)[0].paper_code;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("each customer's e-file opens on a category that holds documents", async () => {
  const page = await signedInPage(browser, server.base, "admin", adminPassword);
  await page.fill("#search-box", "3300000002");
  await page.locator(".customer-hit", { hasText: "李娜" }).click();
  await page.locator("#efile .categories button.active", { hasText: "用检档案（1）" }).waitFor();
  await page.locator("#efile .categories button", { hasText: "其他档案（0）" }).click();
  await page.getByText("此类档案暂无文件").waitFor();
  await page.fill("#search-box", "3300000001");
  await page.locator(".customer-hit", { hasText: "张伟" }).click();
  await page.locator("#efile h2", { hasText: "张伟" }).waitFor();
  await page.locator("#efile .categories button.active", { hasText: "业扩档案（2）" }).waitFor();
  assert.equal(await page.getByText("此类档案暂无文件").count(), 0, "张伟's file is not shown as empty");
});

test("a clerk opens a customer with the keyboard alone", async () => {
  const page = await signedInPage(browser, server.base, "admin", adminPassword);
  await page.fill("#search-box", "3300000002");
  await page.press("#search-box", "Enter");
  await page.locator("#efile h2", { hasText: "李娜" }).waitFor();
  await page.fill("#search-box", "张伟");
  await page.locator(".customer-hit", { hasText: "张伟" }).waitFor();
  await page.press("#search-box", "Tab");  // the document-type filter
  await page.keyboard.press("Tab");        // the first result
  assert.equal(await page.evaluate(() => document.activeElement.textContent.includes("张伟")), true);
  await page.keyboard.press("Enter");
  await page.locator("#efile h2", { hasText: "张伟" }).waitFor();
});

test("an own code scanned in lower case is the archive's own", async () => {
  const where = await admin("GET", "/api/paper/" + encodeURIComponent(paperCode.toLowerCase()));
  assert.equal(where.code, paperCode);
});

test("signing out leaves nothing of the last person's work on screen", async () => {
  const page = await signedInPage(browser, server.base, "shouji", "Desk-Pass-2026");
  await page.click('#tabs button[data-view="store-view"]');
  await page.fill("#shelving-input", paperCode.toLowerCase());  // a scanner in the wrong keyboard mode
  await page.press("#shelving-input", "Enter");
  await page.press("#shelving-input", "Escape");
  await page.locator("#shelving-log li.ok").waitFor();
  await page.click("#logout");
  await page.locator("#login-view").waitFor();
  await page.fill('input[name="username"]', "admin");
  await page.fill('input[name="password"]', adminPassword);
  await page.click('#login-form button[type="submit"]');
  await page.locator("#app-view").waitFor();
  await page.click('#tabs button[data-view="store-view"]');
  assert.equal(await page.locator("#shelving-log li").count(), 0);
  assert.equal((await page.locator("#shelving-result").textContent()).trim(), "");
  await page.screenshot({ path: join(shots, "sign-out-clean.png"), fullPage: true });
});
