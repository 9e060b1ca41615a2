// The scanning desk in the browser, as an archivist works it: print a cover sheet and a separator
// from the screen, scan them (Poppler renders, the fixture maker adds scan damage) on top of a form,
// drop the pile on the page, watch it file itself, settle a stray page from the review queue with
// the keyboard, and find both documents in the customer's e-file.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { adminPassword, fixture, launchBrowser, renderFirstPage, signIn, signedInPage, startServer } from "./support.mjs";

const shots = process.env.DANGAN_SCREENSHOTS || join(process.cwd(), "screenshots");
let shot = 0;

let server, browser, page, call;

before(async () => {
  server = await startServer();
  call = await signIn(server.base, "admin", adminPassword);
  await call("POST", "/api/customers", [{ account_no: "3300000001", name: "张伟", address: "福州市鼓楼区五四路158号" }]);
  browser = await launchBrowser();
  page = await signedInPage(browser, server.base, "admin", adminPassword, { timeout: 60000 });
  await page.click('#tabs button[data-view="desk-view"]');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// Prints from the screen and returns the PDF the page was given, saved to a file.
async function printFromScreen(formSelector, file) {
  await page.evaluate(() => { const l = document.getElementById("print-link"); if (l) l.remove(); });
  await page.click(`${formSelector} button[type="submit"]`);
  const link = page.locator("#print-link");
  await link.waitFor();
  const base64 = await link.evaluate(async (a) => {
    const bytes = new Uint8Array(await (await fetch(a.href)).arrayBuffer());
    let s = "";
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s);
  });
  const pdf = Buffer.from(base64, "base64");
  assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
  writeFileSync(file, pdf);
  return file;
}

test("a printed cover and separator file a scanned pile with no typing", async () => {
  const dir = server.dir;
  await page.fill('#cover-form input[name="account_no"]', "3300000001");
  await page.selectOption("#cover-process", "更名");
  const cover = printFromScreen("#cover-form", join(dir, "cover.pdf"));
  await cover;
  await page.selectOption("#separator-type", "更名申请书");
  await printFromScreen("#separator-form", join(dir, "separator.pdf"));

  fixture("scan", renderFirstPage(join(dir, "cover.pdf"), join(dir, "cover")), join(dir, "01-cover.jpg"), "1");
  fixture("scan", renderFirstPage(join(dir, "separator.pdf"), join(dir, "separator")), join(dir, "02-separator.jpg"), "2");
  fixture("form", join(dir, "03-form.jpg"), "更名申请书", "3300000001", "3");

  await page.fill("#batch-name", "柜台扫描");
  await page.setInputFiles("#batch-files", ["01-cover.jpg", "02-separator.jpg", "03-form.jpg"].map((f) => join(dir, f)));
  await page.locator("#batch-detail h3", { hasText: "已完成" }).waitFor();
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, "archivist-1-batch-" + (++shot) + ".png"), fullPage: true });
  const outcomes = await page.locator("#batch-detail .batch-pages .chip").allTextContents();
  assert.deepEqual(outcomes, ["封面", "分隔页", "已归档"]);
  assert.match(await page.locator("#batch-message").textContent(), /已收到第 \d+ 批（3 个文件）/);
  // The batch is listed with its source and result.
  const row = page.locator("#batch-rows tr").first();
  assert.match(await row.textContent(), /柜台扫描网页上传/);
  assert.match(await row.textContent(), /已归档 1/);
  // The reading desk says how far it has read, until nothing waits: the filed form is read.
  const status = page.locator("#reading-status");
  await status.filter({ hasText: /^文字识别：0 页排队，[1-9]\d* 页已识别/ }).filter({ hasNotText: "仍在识别" }).waitFor({ timeout: 60000 });
  const queue = await call("GET", "/api/ocr");
  assert.equal(await status.textContent(), `文字识别：0 页排队，${queue.done} 页已识别${queue.failed ? `，${queue.failed} 页无法识别` : ""}。`);
});

test("a page without a cover waits in review and is filed with one key", async () => {
  const dir = server.dir;
  fixture("form", join(dir, "stray.jpg"), "授权委托书", "3300000001", "4");
  await page.setInputFiles("#batch-files", [join(dir, "stray.jpg")]);
  await page.locator("#batch-detail h3", { hasText: "已完成" }).waitFor();
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, "archivist-1-batch-" + (++shot) + ".png"), fullPage: true });
  const item = page.locator(".review-item").first();
  await item.waitFor();
  // OCR read the account number on it, but one field alone never files a page.
  assert.match(await item.textContent(), /只有 户号 与客户 3300000001 相符/);
  await item.locator('.candidate[data-account="3300000001"]').waitFor();
  await page.screenshot({ path: join(shots, "archivist-2-review.png"), fullPage: true });
  // The page image is shown beside the form.
  await page.waitForFunction(() => {
    const img = document.querySelector(".review-item img");
    return img && img.complete && img.naturalWidth > 0;
  });
  // It can be enlarged to read what OCR could not, and back.
  const narrow = (await item.locator(".review-preview").boundingBox()).width;
  await item.locator(".review-preview").click();
  await page.locator(".review-item.enlarged").waitFor();
  assert.ok((await item.locator(".review-preview").boundingBox()).width > narrow * 1.5, "enlarged");
  await item.locator(".review-preview").press("Enter");
  await page.locator(".review-item.enlarged").waitFor({ state: "detached" });
  await item.locator('input[name="account_no"]').fill("3300000001");
  await item.locator('input[name="account_no"]').dispatchEvent("change");
  // The customer looked up by the typed account number (not the candidate button, which also
  // names 张伟 and is there before the lookup answers).
  await item.locator(".review-form span.muted", { hasText: "张伟" }).waitFor();
  await item.locator('select[name="process"]').selectOption("更名");
  await item.locator('select[name="doc_type"]').selectOption("授权委托书");
  await item.locator('input[name="account_no"]').press("Enter");
  await item.locator(".message.ok", { hasText: "已归档到 3300000001" }).waitFor();
  assert.match(await item.locator(".message.ok").textContent(), /档号 \S+/);
  await page.locator("#review-list", { hasText: "没有等待处理的页面" }).waitFor();

  // Both documents are in the customer's e-file.
  await page.click('#tabs button[data-view="search-view"]');
  await page.fill("#search-box", "张伟");
  await page.locator("#results li", { hasText: "3300000001" }).click();
  await page.locator("#efile .document", { hasText: "更名申请书" }).waitFor();
  await page.locator("#efile .document", { hasText: "授权委托书" }).waitFor();
  await page.screenshot({ path: join(shots, "archivist-3-filed.png"), fullPage: true });
});

test("what is not a scan is refused in plain words and nothing is kept", async () => {
  await page.click('#tabs button[data-view="desk-view"]');
  const before = await call("GET", "/api/batches?limit=200");
  writeFileSync(join(server.dir, "notes.txt"), "not a scan");
  await page.setInputFiles("#batch-files", [join(server.dir, "notes.txt")]);
  await page.locator("#batch-message.error").waitFor();
  assert.match(await page.locator("#batch-message").textContent(), /上传失败，没有保存任何文件：notes\.txt 不是扫描件（应为 JPEG、PNG、TIFF 或 PDF）/);
  const afterwards = await call("GET", "/api/batches?limit=200");
  assert.equal(afterwards.batches.length, before.batches.length);
});
