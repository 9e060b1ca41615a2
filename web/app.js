// The archive's browser face: sign-in, search, the customer's e-file, importing and filing;
// the scanning desk lives in scanning_desk.js.
// Plain ES modules over the JSON API; every error the API returns is shown in plain words.

import { api, loadImage, session } from "./api.js";
import { openScanningDesk } from "./scanning_desk.js";
import { loanRequestForm, openLoans, openStoreRoom } from "./paper_desk.js";
import { openAuditDesk, openReminders } from "./audit_desk.js";

const $ = (id) => document.getElementById(id);
session.onExpired = () => signOut();

function can(what) {
  const roles = session.current ? session.current.user.roles : [];
  if (roles.includes("admin")) return true;
  if (what === "import" || what === "file" || what === "keep") return roles.includes("archivist");
  if (what === "approve") return roles.includes("approver");
  if (what === "audit") return roles.includes("auditor");
  if (what === "completeness") return roles.includes("auditor") || roles.includes("archivist");
  return true;
}

function show() {
  const signedIn = !!session.current;
  $("login-view").hidden = signedIn;
  $("app-view").hidden = !signedIn;
  $("who").hidden = !signedIn;
  if (!signedIn) return;
  $("who-name").textContent = session.current.user.display_name || session.current.user.username;
  document.querySelectorAll("#tabs button").forEach((b) => { b.hidden = b.dataset.needs && !can(b.dataset.needs); });
  loadProcesses();
}

function signOut() {
  if (session.current) fetch("/api/logout", { method: "POST", headers: session.authorization() });
  session.keep(null);
  show();
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  $("login-error").textContent = "";
  try {
    session.keep(await api("/api/login", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: form.get("username"), password: form.get("password") }) }));
    show();
  } catch (error) {
    $("login-error").textContent = error.message.includes("wrong username") ? "用户名或密码错误，或账号已停用" : error.message;
  }
});
$("logout").addEventListener("click", signOut);

document.querySelectorAll("#tabs button").forEach((button) => button.addEventListener("click", () => {
  document.querySelectorAll("#tabs button").forEach((b) => b.classList.toggle("active", b === button));
  document.querySelectorAll(".view").forEach((v) => { v.hidden = v.id !== button.dataset.view; });
  if (button.dataset.view === "desk-view") openScanningDesk();
  if (button.dataset.view === "store-view") openStoreRoom();
  if (button.dataset.view === "loans-view") openLoans(can);
  if (button.dataset.view === "todo-view") openReminders();
  if (button.dataset.view === "audit-view") openAuditDesk();
}));

// ---- search as you type ----
let searchTimer = null;
$("search-box").addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(runSearch, 200);
});

async function runSearch() {
  const q = $("search-box").value.trim();
  const list = $("results");
  if (!q) { list.replaceChildren(); return; }
  try {
    const { customers } = await api("/api/search?q=" + encodeURIComponent(q));
    list.replaceChildren(...customers.map((c) => {
      const li = document.createElement("li");
      li.textContent = `${c.account_no}　${c.name}　${c.address}　${c.phone}`;
      li.addEventListener("click", () => openFile(c.account_no));
      return li;
    }));
    if (!customers.length) list.innerHTML = '<li class="muted">没有找到匹配的客户</li>';
  } catch (error) { list.innerHTML = ""; list.append(errorItem(error)); }
}

function errorItem(error) {
  const li = document.createElement("li");
  li.className = "error";
  li.textContent = error.message;
  return li;
}

// ---- the e-file ----
let viewerPages = [], viewerIndex = 0;

async function openFile(accountNo) {
  const target = $("efile");
  try {
    const file = await api(`/api/customers/${encodeURIComponent(accountNo)}/efile`);
    $("results").replaceChildren();
    const c = file.customer;
    target.innerHTML = "";
    const head = document.createElement("div");
    head.className = "customer";
    head.innerHTML = "<h2></h2><p></p>";
    head.querySelector("h2").textContent = `${c.name}（户号 ${c.account_no}）`;
    head.querySelector("p").textContent = `地址：${c.address || "—"}　电话：${c.phone || "—"}　证件号码：${c.id_number || "—"}　电压：${c.voltage || "—"}`;
    if (file.volume_on_loan) {
      const notice = document.createElement("p");
      notice.className = "on-loan";
      notice.textContent = `整卷纸质档案借出中：借阅人 ${file.volume_on_loan.borrower}，应还日期 ${file.volume_on_loan.due_on}（借阅单 ${file.volume_on_loan.loan_id}）`;
      head.append(notice);
    }
    const tabs = document.createElement("div");
    tabs.className = "categories";
    const body = document.createElement("div");
    file.categories.forEach((category, i) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = `${category.name}（${category.documents.length}）`;
      b.addEventListener("click", () => {
        tabs.querySelectorAll("button").forEach((x) => x.classList.toggle("active", x === b));
        renderDocuments(body, category.documents);
      });
      tabs.append(b);
      if (i === 0) { b.classList.add("active"); renderDocuments(body, category.documents); }
    });
    target.append(head, tabs, body);
  } catch (error) { target.textContent = error.message; target.className = "error"; }
}

function renderDocuments(container, documents) {
  container.replaceChildren();
  if (!documents.length) { container.innerHTML = '<p class="muted">此类档案暂无文件</p>'; return; }
  for (const d of documents) {
    const div = document.createElement("div");
    div.className = "document";
    const title = document.createElement("strong");
    title.textContent = `${d.doc_type}　${d.process}${d.version > 1 ? `　第 ${d.version} 版` : ""}`;
    const meta = document.createElement("div");
    meta.className = "muted";
    meta.textContent = `档号 ${d.archive_no || "—"}　归档时间 ${new Date(d.archived_at).toLocaleString("zh-CN")}　归档人 ${d.archived_by}　共 ${d.pages.length} 页`;
    const pages = document.createElement("div");
    pages.className = "pages";
    d.pages.forEach((p, i) => {
      const img = document.createElement("img");
      img.loading = "lazy";
      img.alt = `${d.doc_type} 第 ${i + 1} 页`;
      loadImage(img, `/api/pages/${p.id}/thumbnail`);
      img.addEventListener("click", () => openViewer(d, i));
      pages.append(img);
    });
    const paper = document.createElement("div");
    paper.className = "paper";
    if (d.paper_on_loan) {
      const notice = document.createElement("span");
      notice.className = "on-loan";
      notice.textContent = `纸质原件借出中：借阅人 ${d.paper_on_loan.borrower}，应还日期 ${d.paper_on_loan.due_on}（借阅单 ${d.paper_on_loan.loan_id}）`;
      paper.append(notice);
    } else if (d.paper_code) {
      const ask = document.createElement("button");
      ask.type = "button";
      ask.className = "plain";
      ask.textContent = "申请借阅原件";
      ask.addEventListener("click", () => { ask.replaceWith(loanRequestForm([d.paper_code], `${d.archive_no} ${d.doc_type}`)); });
      paper.append(ask);
    }
    div.append(title, meta, paper, pages);
    container.append(div);
  }
}

function openViewer(document_, index) {
  viewerPages = document_.pages.map((p, i) => ({ id: p.id, title: `${document_.doc_type} 第 ${i + 1}/${document_.pages.length} 页` }));
  viewerIndex = index;
  $("viewer").showModal();
  showViewerPage();
}
function showViewerPage() {
  const page = viewerPages[viewerIndex];
  $("viewer-title").textContent = page.title;
  loadImage($("viewer-image"), `/api/pages/${page.id}/preview`);
}
$("viewer-prev").addEventListener("click", () => { if (viewerIndex > 0) { viewerIndex--; showViewerPage(); } });
$("viewer-next").addEventListener("click", () => { if (viewerIndex < viewerPages.length - 1) { viewerIndex++; showViewerPage(); } });
$("viewer-close").addEventListener("click", () => $("viewer").close());
document.addEventListener("keydown", (e) => {
  if (!$("viewer").open) return;
  if (e.key === "ArrowRight") $("viewer-next").click();
  if (e.key === "ArrowLeft") $("viewer-prev").click();
});

// ---- import and filing ----
async function loadProcesses() {
  const select = $("process-select");
  if (select.options.length) return;
  try {
    const { processes } = await api("/api/processes");
    for (const p of processes) select.append(new Option(`${p.name}（${p.category}）`, p.name));
  } catch (error) { $("scan-message").textContent = error.message; }
}

function report(element, ok, text) {
  element.className = "message " + (ok ? "ok" : "error");
  element.textContent = text;
}

$("import-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const file = new FormData(event.target).get("file");
  const type = file.name.toLowerCase().endsWith(".json") ? "application/json" : "text/csv";
  try {
    const r = await api("/api/customers", { method: "POST", headers: { "Content-Type": type }, body: file });
    report($("import-message"), true, `导入完成：新增 ${r.created} 户，更新 ${r.updated} 户，未变 ${r.unchanged} 户` +
      (r.ignored_columns.length ? `；忽略的列：${r.ignored_columns.join("、")}` : ""));
  } catch (error) { report($("import-message"), false, error.message); }
});

$("scan-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  report($("scan-message"), true, "正在上传…");
  try {
    const d = await api("/api/scans", { method: "POST", body: new FormData(event.target) });
    report($("scan-message"), true, `已归档：${d.doc_type}（${d.category}），共 ${d.pages.length} 页`);
    event.target.querySelector('input[type="file"]').value = "";
  } catch (error) { report($("scan-message"), false, error.message); }
});

show();
