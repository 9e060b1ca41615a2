// Setting up the store room in the browser: an archivist registers a room's shelves and prints
// their labels, creates boxes and prints theirs, and when a box fills while shelving, prints the
// next box's label from the answer.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { adminPassword, fileDocument, fixture, launchBrowser, signIn, signedInPage, startServer } from "./support.mjs";

let server, browser, admin;
const items = [];
const shots = process.env.DANGAN_SCREENSHOTS || join(process.cwd(), "screenshots");

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startServer(["--ocr-workers", "-1"]);
  admin = await signIn(server.base, "admin", adminPassword);
  await admin("POST", "/api/customers", [{ account_no: "3300000001", name: "张伟", voltage: "0.4kV" }]);
  await admin("POST", "/api/users", { must_change_password: false, username: "kufang", password: "Desk-Pass-2026", roles: ["archivist"] });
  for (const [i, docType] of ["用电申请书", "居民身份证复印件"].entries()) {
    const path = join(server.dir, `paper${i}.jpg`);
    fixture("form", path, docType, "3300000001", String(i + 1));
    await fileDocument(server.base, "admin", adminPassword, { account_no: "3300000001", process: "低压居民新装", doc_type: docType }, [path]);
  }
  const efile = await admin("GET", "/api/customers/3300000001/efile");
  for (const d of efile.categories[0].documents) items.push(d.paper_code);
  items.reverse();  // oldest first: the order they are boxed in
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("shelves and boxes are set up and labelled from the store room, and a full box proposes the next one's label", async () => {
  const page = await signedInPage(browser, server.base, "kufang", "Desk-Pass-2026");
  await page.click('#tabs button[data-view="store-view"]');

  await page.fill('#shelves-form input[name="room"]', "3号库房");
  await page.fill('#shelves-form input[name="racks"]', "01，02");
  await page.fill('#shelves-form input[name="faces"]', "A");
  await page.fill('#shelves-form input[name="levels"]', "1,2");
  await page.click('#shelves-form button[type="submit"]');
  await page.locator("#setup-message.ok", { hasText: "已登记 4 个架位（3号库房）" }).waitFor();
  await page.getByRole("button", { name: "打印架位标签" }).click();
  await page.locator("#setup-message .labels-link", { hasText: "架位标签" }).waitFor();
  assert.equal((await admin("GET", "/api/shelves?room=" + encodeURIComponent("3号库房"))).shelves.length, 4);
  // The same shelves again: refused, saying which.
  await page.click('#shelves-form button[type="submit"]');
  await page.locator("#setup-message.error", { hasText: "3号库房" }).waitFor();

  await page.fill('#boxes-form input[name="capacity"]', "1");
  await page.fill('#boxes-form input[name="count"]', "1");
  await page.click('#boxes-form button[type="submit"]');
  await page.locator("#setup-message .labels-link", { hasText: "盒标签" }).waitFor();
  const box = (await page.locator("#setup-message").textContent()).match(/DGB-[0-9]+-[0-9A-Z*]/)[0];

  // A box of one item fills with the first: the answer offers the next box's label.
  await page.fill("#shelving-input", items[0]);
  await page.press("#shelving-input", "Enter");
  await page.fill("#shelving-input", box);
  await page.press("#shelving-input", "Enter");
  await page.locator("#shelving-result.ok", { hasText: "已装满" }).waitFor();
  await page.getByRole("button", { name: "打印下一个盒子的标签" }).click();
  await page.locator("#shelving-result .labels-link", { hasText: "盒标签 DGB-" }).waitFor();
  await page.screenshot({ path: join(shots, "store-room-setup.png"), fullPage: true });
});
