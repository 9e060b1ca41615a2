// The archive's browser face: sign-in, role-aware navigation, importing customers and filing
// one document; each desk lives in its own module (customer_file, scanning_desk, paper_desk,
// audit_desk, quality_gates, contract_register, admin_desk). Bundled by build.mjs; every error
// the API returns is shown in plain words.
import "./app.css";
import { api, sendJson, session } from "./api.js";
import { mountCustomerFile } from "./customer_file.js";
import { mountAdminDesk } from "./admin_desk.js";
import { openScanningDesk } from "./scanning_desk.js";
import { openLoans, openStoreRoom } from "./paper_desk.js";
import { openAuditDesk, openReminders } from "./audit_desk.js";
import { mountAuditTrail } from "./audit_trail.js";
import { mountQualityGates } from "./quality_gates.js";
import { mountContractRegister } from "./contract_register.js";
import { mountProcessDesk } from "./process_desk.js";

const $ = (id) => document.getElementById(id);
// A session that ended by itself says so on the sign-in form after the reload.
session.onExpired = () => {
  sessionStorage.setItem("dangan.notice", "登录已过期，请重新登录");
  signOut();
};

function can(what) {
  const user = session.current ? session.current.user : { roles: [] };
  const roles = user.roles;
  // The first set-up's admin does everything until a security administrator exists; from then on
  // it is the system administrator, who keeps the rules and the calendar (三员分立).
  if (roles.includes("admin") && !user.duties_separated) return true;
  if (roles.includes("admin") && what === "admin") return true;
  // Business staff file and self-check the papers of their steps; the collector (archivist) also
  // curates what was filed (review queue, corrections) and keeps the paper.
  if (what === "file") return roles.includes("archivist") || roles.includes("staff");
  if (what === "reminders") return roles.includes("archivist") || roles.includes("staff") || roles.includes("auditor");
  if (what === "import" || what === "curate" || what === "keep") return roles.includes("archivist");
  if (what === "approve") return roles.includes("approver");
  if (what === "audit") return roles.includes("auditor");
  if (what === "completeness") return roles.includes("auditor") || roles.includes("archivist");
  // 三员分立: the security administrator manages users and rules, the audit administrator reads
  // the audit log (auditors read it on their own desk); neither reads the archive.
  if (what === "admin") return roles.includes("security_admin");
  if (what === "auditlog") return roles.includes("audit_admin");
  if (what === "read") return ["archivist", "auditor", "staff", "approver"].some((r) => roles.includes(r));
  return true;
}

// The supply units the archive knows, for the unit fields to offer (a unit typed wrong finds
// nothing). Only an aid: without it the fields still take what is typed.
async function showKnownUnits() {
  try {
    const { units } = await api("/api/units");
    $("known-units").replaceChildren(...units.map((u) => new Option(u, u)));
  } catch { /* a user who may not read the archive types the unit */ }
}

function show() {
  const signedIn = !!session.current;
  $("login-view").hidden = signedIn;
  $("app-view").hidden = !signedIn;
  $("password-view").hidden = true;
  $("who").hidden = !signedIn;
  // The sign-in form takes the keyboard at once: a clerk types, Tab, types, Enter.
  if (!signedIn) { document.querySelector('#login-form input[name="username"]').focus(); return; }
  // A password an administrator set: changed first, nothing else opens until then.
  const mustChange = !!session.current.user.must_change_password;
  $("password-view").hidden = !mustChange;
  $("app-view").hidden = mustChange;
  if (mustChange) { document.querySelector('#password-form input[name="current"]').focus(); return; }
  $("who-name").textContent = session.current.user.display_name || session.current.user.username;
  document.querySelectorAll("#tabs button").forEach((b) => { b.hidden = b.dataset.needs && !can(b.dataset.needs); });
  // A user who may not read the archive (an administrator of users or of the log) starts on
  // their own desk.
  const first = document.querySelector("#tabs button:not([hidden])");
  if (!can("read") && first) first.click();
  if (can("read")) {
    loadProcesses();
    mountCustomerFile($("search-view"), can);
    showKnownUnits();
  }
  showUnread();
  // Signed in, a clerk types the customer's number at once.
  if (!$("search-view").hidden) $("search-box").focus();
}

// The unread count beside the name, on sign-in and whenever 我的待办 changes it.
export async function showUnread() {
  const button = $("notices");
  if (!session.current || !can("reminders")) { button.hidden = true; return; }
  try {
    const { unread } = await api("/api/notifications?unread=1&limit=1");
    $("notice-count").textContent = String(unread);
    button.hidden = unread === 0;
  } catch { button.hidden = true; }
}
$("notices").addEventListener("click", () => document.querySelector('#tabs button[data-view="todo-view"]').click());

// Signing out ends the session and reloads the page: whatever the last person had on any screen
// (a batch, a shelving log, a customer's file, a module's memory) goes with it, and the next
// person starts on the sign-in form with nothing of theirs left.
// Signs out here, or (everywhere) on every device this account is signed in on.
function signOut(everywhere = false) {
  if (session.current)
    fetch("/api/logout" + (everywhere ? "?everywhere=true" : ""), { method: "POST", headers: session.authorization(), keepalive: true });
  session.keep(null);
  location.replace(location.pathname);
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  $("login-error").textContent = "";
  try {
    session.keep(await sendJson("POST", "/api/login", { username: form.get("username"), password: form.get("password") }));
    show();
  } catch (error) {
    $("login-error").textContent = error.message;
  }
});
$("password-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  $("password-error").textContent = "";
  if (form.get("new") !== form.get("again")) { $("password-error").textContent = "两次输入的新密码不一致"; return; }
  try {
    const user = await sendJson("POST", "/api/me/password", { current: form.get("current"), new: form.get("new") });
    session.keep({ ...session.current, user });
    event.target.reset();
    show();
  } catch (error) { $("password-error").textContent = error.message; }
});

$("logout").addEventListener("click", () => signOut());
$("logout-everywhere").addEventListener("click", () => signOut(true));
$("login-error").textContent = sessionStorage.getItem("dangan.notice") || "";
sessionStorage.removeItem("dangan.notice");

document.querySelectorAll("#tabs button").forEach((button) => button.addEventListener("click", () => {
  document.querySelectorAll("#tabs button").forEach((b) => b.classList.toggle("active", b === button));
  document.querySelectorAll(".view").forEach((v) => { v.hidden = v.id !== button.dataset.view; });
  if (button.dataset.view === "desk-view") openScanningDesk(can);
  if (button.dataset.view === "store-view") openStoreRoom();
  if (button.dataset.view === "loans-view") openLoans(can);
  if (button.dataset.view === "todo-view") openReminders(showUnread);
  if (button.dataset.view === "process-view") mountProcessDesk($("process-view"), can);
  if (button.dataset.view === "audit-view") openAuditDesk();
  if (button.dataset.view === "quality-view") mountQualityGates($("quality-view"), can);
  if (button.dataset.view === "contracts-view") mountContractRegister($("contracts-view"), can);
  if (button.dataset.view === "admin-view") mountAdminDesk($("admin-view"), session.current.user);
  if (button.dataset.view === "trail-view") mountAuditTrail($("trail-log"));
}));

// ---- import and filing ----
async function loadProcesses() {
  const select = $("process-select");
  if (select.options.length) return;
  try {
    const { processes, document_types: types } = await api("/api/processes");
    for (const p of processes) select.append(new Option(`${p.name}（${p.category}）`, p.name));
    // Only the archive's document types: a type typed by hand would meet no expected document.
    $("doc-type-select").replaceChildren(...types.map((t) => new Option(t.name, t.name)));
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
