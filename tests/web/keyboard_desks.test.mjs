// Every desk with the keyboard and a keyboard-wedge scanner alone (issue 25): on each screen of each
// demo user, whatever answers a click can be reached with Tab and worked with Enter or Space (a
// native control, or one that listens for keys); and the daily flows that are not the counter's or
// the store room's (tested in counter_keyboard and store_room) are done without the mouse: signing
// in, an approver deciding a loan, an archivist filing a page from the review queue, an auditor
// drilling into a red count of the board, a clerk opening a page of a customer's e-file.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { adminPassword, demoPassword, launchBrowser, startDemoServer } from "./support.mjs";

let server, browser;

before(async () => {
  server = await startDemoServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// A page that notes every element given a mouse or a key listener, signed in with the keyboard.
async function keyboardPage(username, password) {
  const context = await browser.newContext({ bypassCSP: true });
  await context.addInitScript(() => {
    const clicked = new Set(), keyed = new Set();
    window.__clicked = clicked;
    window.__keyed = keyed;
    const add = EventTarget.prototype.addEventListener;
    EventTarget.prototype.addEventListener = function (type, listener, options) {
      if (["click", "dblclick", "mousedown", "mouseup"].includes(type)) clicked.add(this);
      if (type.startsWith("key")) keyed.add(this);
      return add.call(this, type, listener, options);
    };
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  await page.goto(server.base + "/");
  await page.locator('input[name="username"]').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.name), "username", "the sign-in form takes the keyboard at once");
  await page.keyboard.type(username);
  await page.keyboard.press("Tab");
  await page.keyboard.type(password);
  await page.keyboard.press("Enter");
  await page.locator("#app-view").waitFor();
  return page;
}

// Tab forward from where the focus is until `matches(activeElement)`; fails after `limit` presses.
async function tabTo(page, description, matches, limit = 80) {
  for (let i = 0; i < limit; ++i) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(matches)) return;
  }
  assert.fail(`${description}: not reached with Tab`);
}

// What in `viewId` answers the mouse but not the keyboard, described for the failure message.
function mouseOnly(viewId) {
  const view = document.getElementById(viewId);
  const native = "button, a[href], input, select, textarea, summary, label";
  const focusable = `${native}, [tabindex]:not([tabindex="-1"])`;
  const keyedAbove = (el) => {
    for (let e = el; e; e = e.parentElement) if (window.__keyed.has(e)) return true;
    return window.__keyed.has(document) || window.__keyed.has(window);
  };
  const out = [];
  for (const el of window.__clicked) {
    if (!(el instanceof Element) || !el.isConnected || !view.contains(el) || !el.getClientRects().length) continue;
    // A chart's bars are the table of counts beside it drawn; its buttons drill the same way.
    if (el.tagName === "CANVAS") continue;
    if (el.matches(native)) continue;
    if (el.matches(focusable) && keyedAbove(el)) continue;
    if (el.querySelector(focusable)) continue;  // listens for its focusable children's clicks
    out.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}.${[...el.classList].join(".")}: ${el.textContent.trim().slice(0, 30)}`);
  }
  return out;
}

for (const [user, password] of [["admin", adminPassword], ["dangan", demoPassword], ["jicha", demoPassword],
  ["guitai", demoPassword], ["shenpi", demoPassword]]) {
  test(`every screen of ${user} answers the keyboard wherever it answers the mouse`, async () => {
    const page = await keyboardPage(user, password);
    const views = await page.evaluate(() => [...document.querySelectorAll("#tabs button")]
      .filter((b) => b.getClientRects().length).map((b) => b.dataset.view));
    assert.ok(views.length >= 2, `${user} has desks`);
    for (const view of views) {
      await page.focus(`#tabs button[data-view="${view}"]`);
      await page.keyboard.press("Enter");
      await page.locator("#" + view).waitFor();
      await page.waitForLoadState("networkidle");
      assert.deepEqual(await page.evaluate(mouseOnly, view), [], `${user}'s ${view}`);
    }
    await page.context().close();
  });
}

test("an approver decides a loan with the keyboard alone", async () => {
  const page = await keyboardPage("shenpi", demoPassword);
  await page.focus('#tabs button[data-view="loans-view"]');
  await page.keyboard.press("Enter");
  const approve = page.locator("#loans-view button", { hasText: "批准" }).first();
  await approve.waitFor();
  await tabTo(page, "批准", () => document.activeElement.textContent.trim() === "批准");
  await page.keyboard.press("Enter");
  await page.locator("#loans-view", { hasText: "已批准" }).first().waitFor();
  await page.context().close();
});

test("an archivist files a page from the review queue with the keyboard alone", async () => {
  const page = await keyboardPage("dangan", demoPassword);
  await page.focus('#tabs button[data-view="desk-view"]');
  await page.keyboard.press("Enter");
  await page.locator(".review-item").first().waitFor();
  // The account number typed, or scanned from the customer's label by a keyboard-wedge scanner;
  // the process and type as the form offers them; Enter files.
  await tabTo(page, "a waiting page's account number", () => document.activeElement.matches('.review-item input[name="account_no"]'), 120);
  await page.keyboard.type("3300000003");
  await page.keyboard.press("Enter");
  await page.locator(".review-item .message.ok", { hasText: "已归档到 3300000003" }).waitFor();
  await page.context().close();
});

test("an auditor drills into a red count of the board with the keyboard alone", async () => {
  const page = await keyboardPage("jicha", demoPassword);
  await page.focus('#tabs button[data-view="audit-view"]');
  await page.keyboard.press("Enter");
  await page.locator("#dashboard button.signal.red").first().waitFor();
  await tabTo(page, "a red count", () => document.activeElement.matches("#dashboard button.signal.red"), 120);
  await page.keyboard.press("Enter");
  await page.locator("#drill li, #drill tr").first().waitFor();
  assert.deepEqual(await page.evaluate(mouseOnly, "audit-view"), [], "the drill-down list");
  await page.context().close();
});

test("a customer's e-file and its pages answer the keyboard wherever they answer the mouse", async () => {
  const page = await keyboardPage("guitai", demoPassword);
  await page.keyboard.type("3300000001");  // the search box has the keyboard after signing in
  await page.keyboard.press("Enter");
  await page.locator("#efile h2", { hasText: "张伟" }).waitFor();
  await page.waitForLoadState("networkidle");
  assert.deepEqual(await page.evaluate(mouseOnly, "search-view"), [], "the e-file");
  await tabTo(page, "a page of the e-file", () => document.activeElement.closest("#efile .thumbs, #efile .pages, #efile li") !== null, 120);
  await page.keyboard.press("Enter");
  await page.waitForLoadState("networkidle");
  assert.deepEqual(await page.evaluate(mouseOnly, "search-view"), [], "the page viewer");
  await page.context().close();
});
