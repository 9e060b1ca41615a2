// The paper originals in the browser: an archivist boxes and shelves by scanning into a focused
// input and sees each answer (green, or red with where the thing belongs); counter staff ask to
// borrow an original from the e-file; an approver approves; the lending desk lends by scanning;
// the e-file then says the paper is out.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { adminPassword, fileDocument, fixture, launchBrowser, signIn, signedInPage, startServer } from "./support.mjs";

let server, browser, admin, itemCode, boxCode, lowShelf, highShelf;
const shots = process.env.DANGAN_SCREENSHOTS || join(process.cwd(), "screenshots");

const openAs = (username, password) => signedInPage(browser, server.base, username, password);

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startServer();
  admin = await signIn(server.base, "admin", adminPassword);
  await admin("POST", "/api/customers", [{ account_no: "3300000001", name: "张伟", voltage: "0.4kV" }]);
  for (const [username, roles] of [["counter1", ["staff"]], ["approver1", ["approver"]]])
    await admin("POST", "/api/users", { must_change_password: false, username, password: "Desk-Pass-2026", roles });
  // One filed document: its paper is what the desk handles.
  fixture("form", join(server.dir, "form.jpg"), "用电申请书", "3300000001", "1");
  await fileDocument(server.base, "admin", adminPassword,
    { account_no: "3300000001", process: "低压居民新装", doc_type: "用电申请书" }, [join(server.dir, "form.jpg")]);
  const efile = await admin("GET", "/api/customers/3300000001/efile");
  itemCode = efile.categories[0].documents[0].paper_code;
  boxCode = (await admin("POST", "/api/boxes", { voltage_area: "low", capacity: 50, count: 1 })).boxes[0].code;
  lowShelf = (await admin("POST", "/api/shelves", { room: "1号库房", racks: ["01"], faces: ["A"], levels: ["1"], capacity: 10, voltage_area: "low" })).shelves[0].code;
  highShelf = (await admin("POST", "/api/shelves", { room: "2号库房", racks: ["01"], faces: ["A"], levels: ["1"], capacity: 10, voltage_area: "high" })).shelves[0].code;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function scan(page, code) {
  await page.fill("#shelving-input", code);
  await page.press("#shelving-input", "Enter");
}

test("boxing and shelving by scanning, with a visible answer to every scan", async () => {
  const page = await openAs("admin", adminPassword);
  await page.click('#tabs button[data-view="store-view"]');
  assert.equal(await page.evaluate(() => document.activeElement.id), "shelving-input");
  await scan(page, itemCode);
  await page.locator("#shelving-pending", { hasText: itemCode }).waitFor();
  await scan(page, boxCode);
  await page.locator("#shelving-result.ok", { hasText: "已放入" }).waitFor();
  // A low-voltage box onto a high-voltage shelf: refused in red, naming the right shelf.
  await scan(page, boxCode);
  await scan(page, highShelf);
  const refusal = page.locator("#shelving-result.error");
  await refusal.waitFor();
  assert.match(await refusal.textContent(), new RegExp(lowShelf));
  await scan(page, boxCode);
  await scan(page, lowShelf);
  await page.locator("#shelving-result.ok", { hasText: "已上架" }).waitFor();
  assert.equal(await page.locator("#shelving-log li").count(), 3);
  // One code and Esc: where is it.
  await scan(page, itemCode);
  await page.press("#shelving-input", "Escape");
  await page.locator("#shelving-result.ok", { hasText: "1号库房" }).waitFor();
  await page.close();
});

test("a borrowing request from the e-file, approved, lent by scanning, and shown in the e-file", async () => {
  const counter = await openAs("counter1", "Desk-Pass-2026");
  assert.equal(await counter.locator('#tabs button[data-view="store-view"]').isHidden(), true);
  await counter.fill("#search-box", "张伟");
  await counter.locator("#results li.customer-hit", { hasText: "3300000001" }).click();
  await counter.locator("#efile button", { hasText: "申请借阅原件" }).click();
  await counter.selectOption('.loan-request select[name="purpose"]', "judicial");
  await counter.click('.loan-request button[type="submit"]');
  const asked = counter.locator(".loan-request .message.ok");
  await asked.waitFor();
  const loanId = (await asked.textContent()).match(/借阅单 (\d+)/)[1];

  const approver = await openAs("approver1", "Desk-Pass-2026");
  await approver.click('#tabs button[data-view="loans-view"]');
  const request = approver.locator(`.loan[data-loan="${loanId}"]`);
  await request.getByText("张伟（3300000001）").waitFor();  // the card names whose paper it is
  await request.locator("button", { hasText: "批准" }).click();
  // Decided, it leaves the 待审批 list and is found among those to lend.
  await approver.locator("#loan-list .message.ok", { hasText: `借阅单 ${loanId} 已批准，转入“待借出”` }).waitFor();
  assert.equal(await approver.locator(`.loan[data-loan="${loanId}"]`).count(), 0);
  await approver.click('#loan-filters button[data-state="approved"]');
  await approver.locator(`.loan[data-loan="${loanId}"]`, { hasText: "待借出" }).waitFor();

  const desk = await openAs("admin", adminPassword);
  await desk.click('#tabs button[data-view="loans-view"]');
  await desk.click('#loan-filters button[data-state="approved"]');
  await desk.locator('#loan-list[data-state="approved"]').waitFor();
  const input = desk.locator(`.loan[data-loan="${loanId}"] .scan-input`);
  await input.fill(itemCode);
  await input.press("Enter");
  await desk.locator(`.loan[data-loan="${loanId}"]`, { hasText: "借出中" }).waitFor();
  // Lending it again elsewhere would be refused; here the e-file shows it is out.
  await counter.reload();
  await counter.fill("#search-box", "张伟");
  await counter.locator("#results li.customer-hit", { hasText: "3300000001" }).click();
  await counter.locator("#efile .on-loan", { hasText: "纸质原件借出中" }).waitFor();
  assert.match(await counter.locator("#efile .on-loan").textContent(), new RegExp(`借阅单 ${loanId}`));
  await desk.screenshot({ path: join(shots, "lending-1-lent.png"), fullPage: true });

  // Back at the desk: counted short, it is refused and stays out; counted right, the loan closes.
  await desk.click('#loan-filters button[data-state="lent"]');
  // The card the lending left is replaced when the list of loans out arrives: type into that one.
  await desk.locator('#loan-list[data-state="lent"]').waitFor();
  const card = desk.locator(`.loan[data-loan="${loanId}"]`);
  await card.locator("input.pages").fill("3");
  await card.locator('input[placeholder="扫描归还原件的条码"]').fill(itemCode);
  await card.locator('input[placeholder="扫描归还原件的条码"]').press("Enter");
  const refusal = card.locator(".message.error");
  await refusal.waitFor();
  assert.doesNotMatch(await refusal.textContent(), /[a-z]{4,} [a-z]{4,}/, "the refusal is in plain Chinese");
  await desk.screenshot({ path: join(shots, "lending-2-refused.png"), fullPage: true });
  await card.locator("input.pages").fill("1");
  await card.locator('input[placeholder="扫描归还原件的条码"]').fill(itemCode);
  await card.locator('input[placeholder="扫描归还原件的条码"]').press("Enter");
  await desk.click('#loan-filters button[data-state="closed"]');
  await desk.locator(`.loan[data-loan="${loanId}"]`, { hasText: "已归还" }).waitFor();
  await desk.screenshot({ path: join(shots, "lending-3-returned.png"), fullPage: true });
  await counter.reload();
  await counter.fill("#search-box", "张伟");
  await counter.locator("#results li.customer-hit", { hasText: "3300000001" }).click();
  await counter.locator("#efile button", { hasText: "申请借阅原件" }).waitFor();
  assert.equal(await counter.locator("#efile .on-loan").count(), 0);
});
