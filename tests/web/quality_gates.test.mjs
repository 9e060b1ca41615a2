// The quality gates in the browser: the filer self-checks what they filed, another archivist
// reviews it and returns it with a reason, the filer sees the reason and passes it again, the
// reviewer passes it on to the audit spot check. A verdict on a document someone else has just
// dealt with is refused in plain words. Every verdict is in the audit log.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { adminPassword, fileDocument, fixture, launchBrowser, signIn, signedInPage, startServer } from "./support.mjs";

let server, browser, admin;
const documents = [];
const shots = process.env.DANGAN_SCREENSHOTS || join(process.cwd(), "screenshots");

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startServer(["--ocr-workers", "-1"]);
  admin = await signIn(server.base, "admin", adminPassword);
  await admin("POST", "/api/customers", [{ account_no: "3300000001", name: "张伟", voltage: "0.4kV", unit: "岳麓供电所" }]);
  for (const username of ["luru", "shouji"])
    await admin("POST", "/api/users", { must_change_password: false, username, password: "Desk-Pass-2026", roles: ["archivist"] });
  for (const [i, docType] of ["用电申请书", "居民身份证复印件"].entries()) {
    const path = join(server.dir, `page${i}.jpg`);
    fixture("form", path, docType, "3300000001", String(i + 1));
    documents.push(await fileDocument(server.base, "luru", "Desk-Pass-2026",
      { account_no: "3300000001", process: "低压居民新装", doc_type: docType }, [path]));
  }
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const row = (page, document) => page.locator(`#quality-list tr[data-document="${document.id}"]`);

async function openGate(page, gate) {
  await page.click('#tabs button[data-view="quality-view"]');
  await page.click(`#quality-card button[data-gate="${gate}"]`);
}

test("self-check, a return with its reason, and the collector's pass", async () => {
  const [application] = documents;
  const filer = await signedInPage(browser, server.base, "luru", "Desk-Pass-2026");
  await openGate(filer, "self");
  await row(filer, application).waitFor();
  assert.equal(await filer.locator("#quality-list tbody tr").count(), 2);
  await filer.screenshot({ path: join(shots, "quality-0-self-check.png"), fullPage: true });
  // The page itself, in the viewer, before the verdict.
  await row(filer, application).getByRole("button", { name: "查看页面" }).click();
  await filer.locator("#viewer-title", { hasText: "用电申请书 第 1/1 页" }).waitFor();
  await filer.locator("#viewer .viewer-canvas img").waitFor();
  await filer.screenshot({ path: join(shots, "quality-1-viewer.png") });
  await filer.keyboard.press("Escape");
  await filer.locator("#viewer").waitFor({ state: "detached" });
  // A return needs a reason: the button stays off until one is typed.
  assert.equal(await row(filer, application).getByRole("button", { name: "退回" }).isDisabled(), true);
  await row(filer, application).getByRole("button", { name: "通过" }).click();
  await filer.locator("#quality-card .message.ok", { hasText: "3300000001 用电申请书：已通过自检，交档案员复核" }).waitFor();
  await row(filer, application).waitFor({ state: "detached" });
  // The filer sees their own document at the collector's gate, but cannot judge it.
  await filer.click('#quality-card button[data-gate="collect"]');
  await row(filer, application).getByText("本人归档，由其他档案员复核").waitFor();
  assert.equal(await row(filer, application).getByRole("button", { name: "通过" }).count(), 0);

  const collector = await signedInPage(browser, server.base, "shouji", "Desk-Pass-2026");
  await openGate(collector, "collect");
  await row(collector, application).getByLabel("退回原因").fill("签字页缺失");
  await row(collector, application).getByRole("button", { name: "退回" }).click();
  await collector.locator("#quality-card .message.ok", { hasText: "已退回归档人（签字页缺失）" }).waitFor();
  await row(collector, application).waitFor({ state: "detached" });
  await collector.screenshot({ path: join(shots, "quality-2-returned.png"), fullPage: true });

  // Back at the filer's self-check, with the reason.
  await filer.click('#quality-card button[data-gate="self"]');
  await row(filer, application).getByText("退回 1 次").waitFor();
  assert.match(await row(filer, application).textContent(), /签字页缺失/);
  await row(filer, application).getByRole("button", { name: "通过" }).click();
  await row(filer, application).waitFor({ state: "detached" });

  await collector.click('#quality-card button[data-gate="self"]');
  await collector.click('#quality-card button[data-gate="collect"]');
  await row(collector, application).getByRole("button", { name: "通过" }).click();
  await collector.locator("#quality-card .message.ok", { hasText: "已复核通过" }).waitFor();
  await row(collector, application).waitFor({ state: "detached" });

  const collected = await admin("GET", "/api/reviews?gate=collected");
  assert.deepEqual(collected.documents.map((d) => d.document_id), [application.id]);
  assert.equal(collected.documents[0].rejections, 1);
  const { entries } = await admin("GET", `/api/audit?object_type=document&object_id=${application.id}`);
  const verdicts = entries.filter((e) => e.action.startsWith("quality.")).map((e) => `${e.username} ${e.action}`).reverse();
  assert.deepEqual(verdicts, ["luru quality.pass", "shouji quality.reject", "luru quality.pass", "shouji quality.pass"]);
  await filer.close();
  await collector.close();
});

test("a verdict on a document someone has just dealt with is refused in plain words", async () => {
  const [, identity] = documents;
  await signIn(server.base, "luru", "Desk-Pass-2026").then((luru) =>
    luru("POST", `/api/documents/${identity.id}/reviews`, { gate: "self", passed: true }));
  const collector = await signedInPage(browser, server.base, "shouji", "Desk-Pass-2026");
  await openGate(collector, "collect");
  await row(collector, identity).waitFor();
  // Meanwhile the admin passes it.
  await admin("POST", `/api/documents/${identity.id}/reviews`, { gate: "collect", passed: true });
  await row(collector, identity).getByRole("button", { name: "通过" }).click();
  const refusal = collector.locator("#quality-card .message.error");
  await refusal.waitFor();
  assert.match(await refusal.textContent(), /不在档案员复核这一关（它在等稽查抽检），可能已被别人处理/);
  assert.doesNotMatch(await refusal.textContent(), /[a-z]{4,}/);
  await row(collector, identity).waitFor({ state: "detached" });
  await collector.close();
});
