// The scanning desk (扫描台): batches with upload and processing progress, the review queue, and
// printing of cover sheets, separator sheets and labels.
import { api, element, fetchBlob, loadImage, sendJson, uploadWithProgress } from "./api.js";
import { kPageFieldNames as kFieldNames } from "./plain_words.js";

const $ = (id) => document.getElementById(id);

const kStates = { queued: "排队中", running: "处理中", done: "已完成", failed: "失败" };
const kOutcomes = {
  cleaned: "已处理", cover: "封面", separator: "分隔页", blank: "空白页（已剔除）", filed: "已归档",
  review: "待人工处理", failed: "无法读取", discarded: "已作废",
};
const kFlags = { low_resolution: "分辨率低于 200 dpi，请重扫", too_dark: "过暗，请重扫", too_light: "过浅，请重扫" };
const kSources = { upload: "网页上传", watch: "扫描仪热文件夹" };
// Why a page waits for a person, as the API says it in Chinese.
const reason = (p) => p.message_zh || p.message;

let catalog = null;
let watching = null;  // the batch whose progress is shown
let refreshTimer = null;

export async function openScanningDesk(can) {
  // The review queue and the paper's labels are the collector's; business staff scan and print
  // their cover and separator sheets.
  $("review-card").hidden = !can("curate");
  $("labels-form").hidden = !can("keep");
  try {
    if (!catalog) {
      catalog = await api("/api/processes");
      fillSelect($("cover-process"), catalog.processes.map((p) => [p.name, `${p.name}（${p.category}）`]));
      fillSelect($("separator-type"), [["all", "全部文件类型（每种一张）"], ...catalog.document_types.map((t) => [t.name, t.name])]);
    }
  } catch (error) { say($("print-message"), false, error.message); }
  refreshBatches();
  if (can("curate")) refreshReview();
  refreshReading();
}

function fillSelect(select, options) {
  select.replaceChildren(...options.map(([value, text]) => new Option(text, value)));
}

function say(target, ok, text) {
  target.className = "message " + (ok ? "ok" : "error");
  target.textContent = text;
}

// ---- batches ----
const dropZone = $("drop-zone");
dropZone.addEventListener("dragover", (e) => { e.preventDefault(); dropZone.classList.add("over"); });
dropZone.addEventListener("dragleave", () => dropZone.classList.remove("over"));
dropZone.addEventListener("drop", (e) => {
  e.preventDefault();
  dropZone.classList.remove("over");
  sendBatch([...e.dataTransfer.files]);
});
dropZone.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") $("batch-files").click(); });
$("batch-files").addEventListener("change", (e) => {
  const files = [...e.target.files];
  e.target.value = "";
  sendBatch(files);
});

async function sendBatch(files) {
  if (!files.length) return;
  const form = new FormData();
  const name = $("batch-name").value.trim();
  if (name) form.append("name", name);
  for (const f of files) form.append("files", f, f.name);
  const bar = $("upload-progress");
  bar.hidden = false;
  const megabytes = (n) => (n / 1048576).toFixed(1);
  say($("batch-message"), true, `正在上传 ${files.length} 个文件…`);
  try {
    const { id } = await uploadWithProgress("/api/batches", form, (sent, total) => {
      bar.querySelector("progress").value = (100 * sent) / total;
      bar.querySelector("span").textContent = `上传 ${megabytes(sent)} / ${megabytes(total)} MB`;
    });
    say($("batch-message"), true, `已收到第 ${id} 批（${files.length} 个文件），文件已安全保存，正在逐页处理。`);
    $("batch-name").value = "";
    showBatch(id);
  } catch (error) {
    say($("batch-message"), false, "上传失败，没有保存任何文件：" + error.message);
  } finally { bar.hidden = true; }
}

// How far a batch is: its pages once they are counted, else what it waits for.
function pagesText(b) {
  if (b.pages_total) return `${b.pages_done} / ${b.pages_total} 页`;
  return b.state === "queued" ? "排队等待处理" : b.state === "running" ? "正在拆分页面……" : "—";
}

async function refreshBatches() {
  try {
    const { batches } = await api("/api/batches?limit=15");
    $("batch-rows").replaceChildren(...batches.map((b) => element("tr", { onclick: () => showBatch(b.id), class: b.id === watching ? "chosen" : "" },
      // The row answers a click; its number, a button, answers Tab and Enter too.
      element("td", {}, element("button", { type: "button", class: "link", "aria-label": `查看第 ${b.id} 批` }, String(b.id))),
      element("td", {}, b.name || "—"),
      element("td", {}, kSources[b.source] || b.source),
      element("td", {}, new Date(b.created_at).toLocaleString("zh-CN")),
      element("td", {}, pagesText(b)),
      element("td", { class: "state-" + b.state }, kStates[b.state] || b.state),
      element("td", {}, summaryText(b.summary)))));
    if (!batches.length) $("batch-rows").replaceChildren(element("tr", {}, element("td", { colSpan: 7, class: "muted" }, "还没有扫描批次")));
  } catch (error) { say($("batch-message"), false, error.message); }
}

// ---- the reading desk (OCR): how far it has read, polled while it has pages waiting ----
let readingTimer = null;

async function refreshReading() {
  clearTimeout(readingTimer);
  const target = $("reading-status");
  try {
    const q = await api("/api/ocr");
    if (!q.enabled) {
      target.textContent = "文字识别未开启：没有封面的页面不会自动归档，需人工处理。";
      return;
    }
    const parts = [`文字识别：${q.queued} 页排队，${q.done} 页已识别`];
    if (q.text_to_read) parts.push(`其中 ${q.text_to_read} 页的全文仍在识别`);
    if (q.failed) parts.push(`${q.failed} 页无法识别`);
    target.textContent = parts.join("，") + "。";
    const waiting = q.queued > 0 || q.text_to_read > 0;
    if (waiting && !$("desk-view").hidden) readingTimer = setTimeout(refreshReading, 2000);
  } catch (error) { target.textContent = error.message; }
}

function summaryText(summary) {
  return Object.entries(summary).map(([k, n]) => `${kOutcomes[k] || k} ${n}`).join("，");
}

async function showBatch(id) {
  watching = id;
  clearTimeout(refreshTimer);
  const target = $("batch-detail");
  try {
    const b = await api(`/api/batches/${id}`);
    if (watching !== id) return;
    const percent = b.pages_total ? Math.round((100 * b.pages_done) / b.pages_total) : 0;
    const finished = b.state === "done" || b.state === "failed";
    target.replaceChildren(...[
      element("h3", {}, `第 ${b.id} 批 ${b.name ? "· " + b.name : ""}：${kStates[b.state] || b.state}`),
      element("div", { class: "batch-progress" },
        element("progress", { max: 100, value: finished && b.state === "done" ? 100 : percent }),
        element("span", {}, pagesText(b))),
      b.error ? element("p", { class: "error" }, "批次失败：" + (b.error_zh || b.error)) : null,
      element("p", { class: "summary" }, summaryText(b.summary)),
      element("ol", { class: "batch-pages" }, ...b.pages.map(pageLine))].filter(Boolean));
    refreshBatches();
    if (!finished) refreshTimer = setTimeout(() => showBatch(id), 1000);
    else {
      if (!$("review-card").hidden) refreshReview();
      refreshReading();
    }
  } catch (error) { target.replaceChildren(element("p", { class: "error" }, error.message)); }
}

function pageLine(p) {
  const notes = [];
  if (p.rotation) notes.push(`已旋转 ${p.rotation}°`);
  if (p.skew) notes.push(`已纠偏 ${p.skew.toFixed(1)}°`);
  for (const f of p.flags || []) notes.push(kFlags[f] || f);
  const own = (p.barcodes || []).filter((c) => c.own).length, foreign = (p.barcodes || []).length - own;
  if (foreign) notes.push(`另有 ${foreign} 个外来条码（已忽略）`);
  return element("li", { class: "outcome-" + p.outcome, value: p.seq },
    element("span", { class: "chip" }, kOutcomes[p.outcome] || p.outcome),
    ` ${p.file}${p.frame ? ` 第 ${p.frame + 1} 页` : ""}`,
    p.message ? element("span", { class: "muted" }, "：" + reason(p)) : null,
    notes.length ? element("span", { class: "muted" }, `（${notes.join("，")}）`) : null);
}

// ---- the review queue ----
async function refreshReview() {
  const list = $("review-list");
  try {
    const { pages } = await api("/api/review?limit=50");
    $("review-count").textContent = pages.length ? `（${pages.length} 页）` : "";
    list.replaceChildren(...pages.map(reviewItem));
    if (!pages.length) list.replaceChildren(element("p", { class: "muted" }, "没有等待处理的页面"));
    const first = list.querySelector("input[name=account_no]");
    if (first && document.activeElement === document.body) first.focus();
  } catch (error) { list.replaceChildren(element("p", { class: "error" }, error.message)); }
}

function reviewItem(p) {
  const img = element("img", { alt: `第 ${p.batch_id} 批第 ${p.seq} 页（点击放大）`, class: "review-preview", tabindex: "0",
    title: "点击放大或还原" });
  loadImage(img, p.preview);
  // The page enlarged to the card's width (and back) by click or Enter, to read what OCR could not.
  const enlarge = () => item.classList.toggle("enlarged");
  img.addEventListener("click", enlarge);
  img.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); enlarge(); } });
  const message = element("div", { class: "message", role: "status" });
  const customer = element("span", { class: "muted" });
  const account = element("input", { name: "account_no", required: true, inputMode: "numeric", placeholder: "户号" });
  account.addEventListener("change", async () => {
    customer.textContent = "";
    if (!account.value.trim()) return;
    try {
      const c = await api(`/api/customers/${encodeURIComponent(account.value.trim())}`);
      customer.textContent = `${c.name}　${c.address || ""}`;
    } catch (error) { customer.textContent = error.message; }
  });
  const process = element("select", { name: "process", required: true });
  fillSelect(process, (catalog ? catalog.processes : []).map((p) => [p.name, `${p.name}（${p.category}）`]));
  const docType = element("select", { name: "doc_type", required: true });
  fillSelect(docType, (catalog ? catalog.document_types : []).map((t) => [t.name, t.name]));
  const applicationNo = element("input", { name: "application_no", placeholder: "申请编号（可选）" });
  const discardReason = element("input", { name: "reason", placeholder: "作废原因（如：重复扫描、废纸）" });

  const file = element("form", { class: "review-form" },
    element("label", {}, "户号", account, customer),
    element("label", {}, "业务流程", process),
    element("label", {}, "文件类型", docType),
    element("label", {}, "申请编号", applicationNo),
    element("button", { type: "submit" }, "归档（回车）"));
  file.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const d = await sendJson("POST", `/api/review/${p.id}`, { account_no: account.value.trim(), process: process.value,
        doc_type: docType.value, application_no: applicationNo.value.trim() });
      say(message, true, `已归档到 ${account.value.trim()}：${d.doc_type}，档号 ${d.archive_no}`);
      setTimeout(refreshReview, 1200);
    } catch (error) { say(message, false, error.message); }
  });
  const discard = element("form", { class: "review-discard" }, discardReason, element("button", { type: "submit", class: "secondary" }, "作废此页"));
  discard.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await sendJson("POST", `/api/review/${p.id}`, { discard: true, reason: discardReason.value.trim() });
      say(message, true, "此页已作废");
      setTimeout(refreshReview, 1200);
    } catch (error) { say(message, false, error.message); }
  });
  // What OCR read, and the customers it may belong to, best first: a click (or key 1-5) fills
  // the form.
  const reading = p.reading || { fields: {} };
  const readRows = Object.entries(reading.fields || {}).map(([name, f]) =>
    element("tr", {}, element("th", {}, kFieldNames[name] || name), element("td", {}, f.value),
      // Below 80 % (a misread, or a name or place the archive does not know) is marked unsure.
      element("td", { class: f.confidence < 0.8 ? "confidence low" : "muted" },
        `${Math.round(f.confidence * 100)}%${f.confidence < 0.8 ? " 存疑" : ""}`)));
  const read = readRows.length
    ? element("table", { class: "read-fields" }, element("caption", {}, `识别结果${reading.doc_type ? `：${reading.doc_type}` : ""}`), ...readRows)
    : element("p", { class: "muted" }, reading.state === "done" ? "未识别出关键字段" : "尚未识别");
  const choose = (c) => {
    account.value = c.account_no;
    account.dispatchEvent(new Event("change"));
    if (reading.fields && reading.fields.business_type) process.value = reading.fields.business_type.value;
    if (reading.doc_type) docType.value = reading.doc_type;
    if (reading.fields && reading.fields.application_no) applicationNo.value = reading.fields.application_no.value;
    account.focus();
  };
  const candidates = (p.candidates || []).slice(0, 5).map((c, i) => {
    const button = element("button", { type: "button", class: "candidate secondary", "data-account": c.account_no },
      `${i + 1}. ${c.account_no} ${c.name}`,
      element("span", { class: "muted" }, c.agreeing.length ? ` 相符：${c.agreeing.map((n) => kFieldNames[n] || n).join("、")}` : ""),
      element("span", { class: "error" }, c.differing.length ? ` 不符：${c.differing.map((n) => kFieldNames[n] || n).join("、")}` : ""));
    button.addEventListener("click", () => choose(c));
    return button;
  });
  const item = element("div", { class: "review-item", "data-page": p.id, tabindex: "0" }, img,
    element("div", { class: "review-side" },
      element("strong", {}, `第 ${p.batch_id} 批 · ${p.file}${p.frame ? ` 第 ${p.frame + 1} 页` : ""}`),
      element("p", { class: "error" }, reason(p)),
      read,
      candidates.length ? element("div", { class: "candidates" }, element("span", {}, "可能的客户："), ...candidates) : "",
      file, discard, message));
  item.addEventListener("keydown", (e) => {
    const n = Number(e.key);
    if (e.target === item && n >= 1 && n <= candidates.length) { e.preventDefault(); choose(p.candidates[n - 1]); }
  });
  return item;
}

// ---- printing ----
async function printPdf(path, what) {
  const message = $("print-message");
  say(message, true, `正在生成${what}…`);
  try {
    const url = URL.createObjectURL(await fetchBlob(path));
    const link = element("a", { href: url, target: "_blank", rel: "noopener", id: "print-link" }, `打开${what}（PDF）`);
    message.replaceChildren(`${what}已生成：`, link, "，用 A4 纸打印。");
    message.className = "message ok";
    window.open(url, "_blank");
  } catch (error) { say(message, false, error.message); }
}

$("cover-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  const query = new URLSearchParams({ account_no: f.get("account_no").trim(), process: f.get("process") });
  if (f.get("application_no").trim()) query.set("application_no", f.get("application_no").trim());
  printPdf("/api/print/cover-sheet?" + query, "扫描封面");
});
$("separator-form").addEventListener("submit", (e) => {
  e.preventDefault();
  printPdf("/api/print/separator?" + new URLSearchParams({ doc_type: new FormData(e.target).get("doc_type") }), "分隔页");
});
$("labels-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  const items = f.get("items").split(/[\s,，、]+/).filter(Boolean).join(",");
  const query = new URLSearchParams({ [f.get("kind")]: items, skip: f.get("skip") || "0" });
  printPdf("/api/print/labels?" + query, "标签");
});
