// Counter staff in the browser: find a customer by a two-character name as they type, open the
// e-file, open a page, read the fields OCR found on it with their confidence, turn pages and
// rotate by keyboard; the session survives a reload; every page view is in the audit log.
// The pages are the project's own scanned forms, read by the real Tesseract in the server.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { adminPassword, fileDocument, fixture, launchBrowser, signIn, signedInPage, startServer } from "./support.mjs";

let server, browser, admin;
const shots = process.env.DANGAN_SCREENSHOTS || join(process.cwd(), "screenshots");

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startServer();
  admin = await signIn(server.base, "admin", adminPassword);
  await admin("POST", "/api/customers", [
    { account_no: "3300000001", name: "张伟", address: "长沙市岳麓区桐梓坡路 88 号", phone: "13807310001", voltage: "0.4kV" },
    { account_no: "3300000002", name: "张伟明", address: "长沙市开福区湘江北路 12 号", phone: "13807310002", voltage: "0.4kV" },
    { account_no: "3300000003", name: "李娜", address: "长沙市天心区书院路 3 号", phone: "13807310003", voltage: "0.4kV" },
  ]);
  await admin("POST", "/api/users", { must_change_password: false, username: "guitai1", password: "Desk-Pass-2026", roles: ["staff"], display_name: "柜台一" });
  // One two-page application form, filed by the archivist; OCR reads it in the background.
  fixture("form", join(server.dir, "p1.jpg"), "用电申请书", "3300000001", "1");
  fixture("form", join(server.dir, "p2.jpg"), "用电申请书", "3300000001", "2");
  await fileDocument(server.base, "admin", adminPassword, { account_no: "3300000001", process: "低压居民新装", doc_type: "用电申请书" },
    [join(server.dir, "p1.jpg"), join(server.dir, "p2.jpg")]);
  for (let i = 0; i < 120; ++i) {
    const pages = (await admin("GET", "/api/customers/3300000001/efile")).categories[0].documents[0].pages;
    if (pages.every((p) => p.reading_state === "done")) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("staff find a customer by two characters of the name and read a page of the e-file", async () => {
  const page = await signedInPage(browser, server.base, "guitai1", "Desk-Pass-2026");
  // Business staff see the search and the desks for their own papers (scanning, 我的待办, the
  // self-check), not the store room, imports or the admin's desk.
  assert.equal(await page.locator('#tabs button[data-view="desk-view"]').isHidden(), false);
  assert.equal(await page.locator('#tabs button[data-view="todo-view"]').isHidden(), false);
  assert.equal(await page.locator('#tabs button[data-view="store-view"]').isHidden(), true);
  assert.equal(await page.locator('#tabs button[data-view="import-view"]').isHidden(), true);
  assert.equal(await page.locator('#tabs button[data-view="admin-view"]').isHidden(), true);

  await page.locator("#search-box").pressSequentially("张伟", { delay: 50 });
  const results = page.locator("#results li");
  await results.filter({ hasText: "3300000002" }).waitFor();
  assert.equal(await results.filter({ hasText: "李娜" }).count(), 0);
  await page.locator("#results li.customer-hit", { hasText: "3300000001" }).click();

  const efile = page.locator("#efile");
  await efile.locator("h2", { hasText: "张伟（户号 3300000001）" }).waitFor();
  await efile.locator('.categories button[aria-selected="true"]', { hasText: "业扩档案（1）" }).waitFor();
  const thumbnails = efile.locator("img.thumbnail");
  assert.equal(await thumbnails.count(), 2);
  await page.waitForFunction(() => [...document.querySelectorAll("#efile img.thumbnail")].every((i) => i.complete && i.naturalWidth > 0));
  await page.screenshot({ path: join(shots, "staff-1-efile.png"), fullPage: true });

  await thumbnails.first().click();
  const viewer = page.locator("dialog#viewer");
  await viewer.locator("#viewer-title", { hasText: "第 1/2 页" }).waitFor();
  await viewer.locator(".viewer-canvas img").waitFor();
  // The fields OCR read from the page, with their confidence.
  const account = viewer.locator('tr[data-field="account_no"]');
  await account.waitFor();
  assert.match(await account.textContent(), /户号3300000001\d+%/);
  await page.screenshot({ path: join(shots, "staff-2-viewer.png") });

  await page.keyboard.press("ArrowRight");
  await viewer.locator("#viewer-title", { hasText: "第 2/2 页" }).waitFor();
  await page.keyboard.press("r");
  await page.waitForFunction(() => /rotate\(90deg\)/.test(document.querySelector("dialog#viewer .viewer-canvas img")?.style.transform || ""));
  await page.keyboard.press("+");
  await page.screenshot({ path: join(shots, "staff-3-rotated.png") });
  await page.keyboard.press("Escape");
  await viewer.waitFor({ state: "detached" });

  // The session survives a reload; both page views were recorded under this user.
  await page.reload();
  await page.locator("#search-box").waitFor();
  assert.equal(await page.locator("#login-view").isHidden(), true);
  const views = (await admin("GET", "/api/audit?username=guitai1&limit=100")).entries.filter((e) => e.action.startsWith("page.view"));
  assert.ok(views.length >= 2, JSON.stringify(views));

  await page.click("#logout");
  await page.locator("#login-form").waitFor();
  await page.reload();
  await page.locator("#login-form").waitFor();
  assert.equal(await page.locator("#app-view").isHidden(), true);
});

test("words on a page find it, and open it in the viewer", async () => {
  const page = await signedInPage(browser, server.base, "guitai1", "Desk-Pass-2026");
  await page.fill("#search-box", "用电申请书");
  const hit = page.locator("#results li.page-hit").first();
  await hit.waitFor();
  await hit.click();
  await page.locator("dialog#viewer #viewer-title", { hasText: "用电申请书" }).waitFor();
});
