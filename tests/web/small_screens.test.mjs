// Phones and small tablets (issue 25): at 390×844 and 360×844 every screen fits the screen's width (tables
// scroll inside themselves), the tabs wrap as whole words and the page viewer shows the page and
// its fields one above the other; at 1024×768 the desks fit a tablet.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { adminPassword, fileDocument, fixture, launchBrowser, signIn, startServer } from "./support.mjs";

let server, browser;
const shots = process.env.DANGAN_SCREENSHOTS || join(process.cwd(), "screenshots");

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startServer(["--ocr-workers", "-1"]);
  const admin = await signIn(server.base, "admin", adminPassword);
  await admin("POST", "/api/customers", [{ account_no: "3300000001", name: "张伟", voltage: "0.4kV", unit: "岳麓供电所",
    address: "长沙市岳麓区桐梓坡路 88 号", phone: "13807310001" }]);
  fixture("form", join(server.dir, "p1.jpg"), "用电申请书", "3300000001", "1");
  await fileDocument(server.base, "admin", adminPassword, { account_no: "3300000001", process: "低压居民新装", doc_type: "用电申请书" },
    [join(server.dir, "p1.jpg")]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function signedIn(viewport) {
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(30000);
  await page.goto(server.base + "/");
  await page.fill('input[name="username"]', "admin");
  await page.fill('input[name="password"]', adminPassword);
  await page.click('#login-form button[type="submit"]');
  await page.locator("#app-view").waitFor();
  return page;
}

const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

for (const width of [390, 360]) {
  test(`at ${width} px every screen fits the phone's width and tabs wrap as whole words`, async () => {
    const page = await signedIn({ width, height: 844 });
    const tabs = await page.locator("#tabs button:visible").all();
    for (const tab of tabs) {
      const box = await tab.boundingBox();
      assert.ok(box.height < 60, `tab ${await tab.textContent()} is ${box.height}px high: one character a line`);
    }
    for (const tab of tabs) {
      const name = await tab.textContent();
      await tab.click();
      await page.waitForTimeout(400);  // the screen's data arrive
      assert.ok(await overflow(page) <= 0, `${name} is ${await overflow(page)}px wider than the phone`);
    }
    await page.screenshot({ path: join(shots, `phone-${width}-admin.png`), fullPage: true });
    await page.close();
  });
}

for (const width of [390, 360]) {
test(`at ${width} px the page viewer shows the page above its fields`, async () => {
  const page = await signedIn({ width, height: 844 });
  await page.fill("#search-box", "张伟");
  await page.locator(".customer-hit", { hasText: "张伟" }).click();
  await page.locator("#efile .thumbnail, #efile .pages img").first().click();
  const viewer = page.locator("#viewer");
  await viewer.waitFor();
  const title = await page.locator("#viewer-title").boundingBox();
  assert.ok(title.width > 180 && title.height < 60, `title ${title.width}×${title.height}`);
  const stage = await page.locator(".viewer-stage").boundingBox();
  const side = await page.locator(".viewer-side").boundingBox();
  assert.ok(stage.width > width - 90, `the page is drawn ${stage.width}px wide`);
  assert.ok(side.y >= stage.y + stage.height - 1, "the fields come below the page, not over it");
  await page.screenshot({ path: join(shots, `phone-${width}-viewer.png`) });
  await page.close();
});
}

test("at 1024 px the desks fit a tablet", async () => {
  const page = await signedIn({ width: 1024, height: 768 });
  for (const view of ["desk-view", "store-view", "audit-view", "admin-view", "process-view"]) {
    await page.click(`#tabs button[data-view="${view}"]`);
    await page.waitForTimeout(400);
    assert.ok(await overflow(page) <= 0, `${view} is ${await overflow(page)}px wider than the tablet`);
  }
});
