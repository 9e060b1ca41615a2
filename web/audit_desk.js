// Completeness in the browser: a person's reminders (待办) in the six kinds, and the auditor's
// desk: the red/yellow/green board per unit and process type with drill-down, running an audit
// with its progress and its PDF and CSV reports, spot checks, rectification orders, the month's
// rates, the month's ranking and the audit log (contracts have their own screen,
// contract_register.js). Every error is shown in plain words.
import { api, element, fetchBlob, sendJson, session } from "./api.js";
import { drawSignalChart } from "./board_charts.js";
import { mountAuditTrail } from "./audit_trail.js";
import { mountSpotChecks } from "./spot_checks.js";
import { contractSignal, kContractStates } from "./contract_register.js";
import { kDeadlineStates, time } from "./ui.js";
import { kLimitStates } from "./process_desk.js";

const $ = (id) => document.getElementById(id);
const post = (path, body) => sendJson("POST", path, body);
const signals = { green: "绿", yellow: "黄", red: "红" };
const percent = (v) => (v === null || v === undefined ? "—" : v.toFixed(1) + "%");

function table(headings, rows) {
  return element("table", { class: "grid" },
    element("thead", {}, element("tr", {}, ...headings.map((h) => element("th", {}, h)))),
    element("tbody", {}, ...rows.map((cells) => element("tr", {}, ...cells.map((c) => element("td", {}, c))))));
}

function failure(target, error) {
  target.className = "message error";
  target.textContent = error.message;
}

function expectationRows(list) {
  return list.map((e) => [e.account_no + " " + e.name, e.process + "（" + e.process_id + "）", e.step, e.doc_type,
    time(e.due_at), element("span", { class: "signal " + e.state }, kDeadlineStates[e.state] || e.state)]);
}

// ---- 我的待办 ----

// The person's notifications (催办): the day's reminders as they were sent, unread first marked.
async function showNotifications(onRead) {
  const target = $("todo-notifications");
  const { unread, notifications } = await api("/api/notifications?limit=20");
  const markAll = element("button", { type: "button", onclick: async () => {
    await post("/api/notifications/read", {});
    await showNotifications(onRead);
    onRead();
  } }, "全部标为已读");
  target.replaceChildren(
    element("h3", {}, `通知（未读 ${unread}）`), unread ? markAll : "",
    notifications.length
      ? element("ul", { class: "notifications" }, ...notifications.map((n) => element("li", { class: n.read_at ? "read" : "unread" },
        element("strong", {}, n.title), element("span", { class: "muted" }, "　" + time(n.created_at)),
        element("details", {}, element("summary", {}, "详情"), element("pre", {}, n.body)))))
      : element("p", { class: "muted" }, "暂无通知"));
}

function clockRows(list) {
  return list.map((k) => [k.account_no + " " + k.name, k.process + "（" + k.process_id + "）", k.step + "（" + k.working_days + " 个工作日）",
    time(k.started_at), time(k.due_at), element("span", { class: "signal " + k.state }, kLimitStates[k.state] || k.state)]);
}

export async function openReminders(onRead = () => {}) {
  const message = $("todo-message");
  message.textContent = "";
  try {
    await showNotifications(onRead);
    const r = await api("/api/reminders");
    const kinds = [["to_add", "待添加"], ["to_send", "待发送"], ["to_hand_over", "待移交"],
      ["files_to_hand_over", "待移交卷宗"], ["contracts", "合同预警"], ["deadlines", "业扩时限预警"]];
    $("todo-counts").replaceChildren(...kinds.map(([key, name]) =>
      element("div", { class: "count" + (r.counts[key] ? " due" : "") }, element("strong", {}, String(r.counts[key])), name)));
    const doc = (d) => [d.account_no, d.process || "", d.doc_type, time(d.archived_at)];
    $("todo-lists").replaceChildren(
      element("h3", {}, "待添加（应归档未归档）"),
      r.to_add.length ? table(["客户", "流程", "环节", "资料", "时限", "状态"], expectationRows(r.to_add)) : element("p", { class: "muted" }, "无"),
      element("h3", {}, "待发送（自检后交档案员复核，在“质量复核”中处理）"),
      r.to_send.length ? table(["户号", "资料", "退回原因"], r.to_send.map((q) => [q.account_no, q.doc_type, q.last_reason || "—"])) : element("p", { class: "muted" }, "无"),
      element("h3", {}, "待移交（纸质原件未入库）"),
      r.to_hand_over.length ? table(["户号", "流程", "资料", "归档时间"], r.to_hand_over.map(doc)) : element("p", { class: "muted" }, "无"),
      element("h3", {}, "待移交卷宗（资料齐全、纸质原件未入库的流程）"),
      r.files_to_hand_over.length
        ? table(["户号", "流程", "申请编号", "资料", "归档时间"], r.files_to_hand_over.map((d) => [d.account_no, d.process || "", d.process_id || "", d.doc_type, time(d.archived_at)]))
        : element("p", { class: "muted" }, "无"),
      element("h3", {}, "合同预警"),
      r.contracts.length ? contractTable(r.contracts) : element("p", { class: "muted" }, "无"),
      element("h3", {}, "业扩时限预警（临近或超过服务时限的流程）"),
      r.deadlines.length ? table(["客户", "流程", "待办环节", "起算", "时限", "状态"], clockRows(r.deadlines)) : element("p", { class: "muted" }, "无"),
      element("h3", {}, "整改通知（由我整改）"),
      await myRectifications(message));
  } catch (error) { failure(message, error); }
}

// The rectification orders a person owns and has not yet reported put right: each with what was
// found, the deadline, and where to say what was done.
async function myRectifications(message) {
  const { rectifications } = await api("/api/rectifications?state=open&owner=" + encodeURIComponent(session.current.user.username));
  if (!rectifications.length) return element("p", { class: "muted" }, "无");
  return table(["编号", "问题", "期限", "上次说明（含退回原因）", "整改说明", "证据页", ""], rectifications.map((r) => {
    const note = element("input", { "aria-label": `整改单 ${r.id} 的整改说明`, placeholder: "写明已做的整改" });
    const pages = element("input", { type: "file", multiple: true, accept: "image/jpeg,image/png,image/tiff",
      "aria-label": `整改单 ${r.id} 的证据页` });
    const report = element("button", { type: "button", onclick: async () => {
      try {
        // With evidence pages (scans of what was put right) as multipart, else as JSON.
        if (pages.files.length) {
          const form = new FormData();
          form.append("note", note.value.trim());
          for (const file of pages.files) form.append("files", file);
          await api(`/api/rectifications/${r.id}/rectified`, { method: "POST", body: form });
        } else {
          await post(`/api/rectifications/${r.id}/rectified`, { note: note.value.trim() });
        }
        await openReminders();
        message.className = "message ok";
        message.textContent = `整改单 ${r.id} 已报整改完成，待稽查核实`;
      } catch (error) { failure(message, error); }
    } }, "已整改");
    return [String(r.id), r.description, r.due_on + (r.overdue ? "（已超期）" : ""), r.rectified_note || "—", note, pages, report];
  }));
}

// Links that open each evidence page of an order (fetched with the session's token).
function evidenceLinks(r) {
  if (!r.evidence || !r.evidence.length) return "—";
  return element("span", {}, ...r.evidence.map((page) => element("button", { type: "button", class: "link", onclick: async () => {
    const url = URL.createObjectURL(await fetchBlob(page.url));
    window.open(url, "_blank");
  } }, `证据页 ${page.seq}`)));
}

// ---- 稽查 ----

let processesLoaded = false;

export async function openAuditDesk() {
  if (!processesLoaded) {
    try {
      const { processes } = await api("/api/processes");
      const select = document.querySelector('#audit-form select[name="process"]');
      for (const p of processes) select.append(element("option", { value: p.name }, p.name));
      processesLoaded = true;
    } catch { /* the list stays at 全部 */ }
  }
  mountSpotChecks($("spot-checks"), showRectifications);
  mountAuditTrail($("audit-trail"));
  await Promise.all([showDashboard(), showRectifications(), showScores()]);
}

async function showDashboard() {
  const target = $("dashboard");
  try {
    const board = await api("/api/dashboard");
    const count = (n, filter, signal) => n
      ? element("button", { type: "button", class: "link signal " + signal, onclick: () => drill(filter, signal) }, String(n))
      : "0";
    const rows = (list, key) => list.map((x) => [x[key], count(x.red, { [key]: x[key] }, "red"),
      count(x.yellow, { [key]: x[key] }, "yellow"), count(x.green, { [key]: x[key] }, "green")]);
    const unitChart = element("canvas", { id: "unit-chart", "aria-label": "各供电单位红黄绿数量" });
    const processChart = element("canvas", { id: "process-chart", "aria-label": "各类业务红黄绿数量" });
    target.replaceChildren(
      element("p", {}, `截至 ${time(board.as_of)}：红 ${board.totals.red}　黄 ${board.totals.yellow}　绿 ${board.totals.green}`),
      element("div", { class: "two-columns" },
        element("div", { class: "chart-box" }, unitChart), element("div", { class: "chart-box" }, processChart)),
      element("div", { class: "two-columns" },
        table(["供电单位", "红", "黄", "绿"], rows(board.by_unit, "unit")),
        table(["业务类型", "红", "黄", "绿"], rows(board.by_process, "process"))));
    drawSignalChart(unitChart, board.by_unit, "unit", (unit, signal) => drill({ unit }, signal));
    drawSignalChart(processChart, board.by_process, "process", (process, signal) => drill({ process }, signal));
  } catch (error) { target.replaceChildren(element("p", { class: "message error" }, error.message)); }
}

async function drill(filter, signal) {
  const target = $("drill");
  const query = new URLSearchParams({ ...filter, signal, limit: "500" });
  try {
    const { expectations } = await api("/api/expectations?" + query);
    target.replaceChildren(element("h3", {}, `${Object.values(filter)[0]}：${signals[signal]}色 ${expectations.length} 项`),
      table(["客户", "流程", "环节", "资料", "时限", "状态"], expectationRows(expectations)));
    target.scrollIntoView({ block: "start", behavior: "smooth" });  // the list, not far below the chart clicked
  } catch (error) { target.replaceChildren(element("p", { class: "message error" }, error.message)); }
}

$("audit-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const message = $("audit-message");
  const filter = Object.fromEntries([...new FormData(event.target)].filter(([, v]) => v));
  message.className = "message";
  message.textContent = "稽查已提交……";
  $("audit-result").replaceChildren();
  try {
    let audit = await post("/api/audits", { filter });
    while (audit.state === "queued" || audit.state === "running") {
      message.textContent = `稽查进行中…… ${Math.round((audit.progress || 0) * 100)}%`;
      await new Promise((r) => setTimeout(r, 500));
      audit = await api(`/api/audits/${audit.id}?limit=200`);
    }
    if (audit.state !== "done") throw new Error("稽查失败：" + (audit.error_zh || audit.error));
    if (!audit.findings) audit = await api(`/api/audits/${audit.id}?limit=200`);
    if (audit.totals.customers === 0) {
      // Nothing in scope is never a clean result: most often a unit or date typed wrong.
      message.className = "message error";
      message.textContent = "稽查范围内没有任何客户和应归档资料，请核对供电单位名称和日期范围" +
        (filter.unit ? `（没有供电单位为“${filter.unit}”的业务环节记录）` : "");
      showAudit(audit);
      return;
    }
    message.className = "message ok";
    message.textContent = `稽查完成：应归档 ${audit.totals.expected} 份，按时 ${audit.totals.on_time}，逾期 ${audit.totals.late}，缺失 ${audit.totals.missing}，时限内未归档 ${audit.totals.pending}，已豁免 ${audit.totals.waived || 0}`;
    showAudit(audit);
  } catch (error) { failure(message, error); }
});

function download(path, filename) {
  return async () => {
    try {
      const url = URL.createObjectURL(await fetchBlob(path));
      element("a", { href: url, download: filename }).click();
    } catch (error) { failure($("audit-message"), error); }
  };
}

function showAudit(audit) {
  const kinds = { missing: ["red", "缺失"], late: ["yellow", "逾期归档"], waived: ["", "已豁免"] };
  const rows = audit.findings.map((f) => [f.account_no + " " + f.name, f.unit, f.process + "（" + f.process_id + "）", f.step,
    f.doc_type, element("span", { class: "signal " + kinds[f.kind][0] }, kinds[f.kind][1] + (f.waiver_reason ? "：" + f.waiver_reason : "")),
    f.kind === "waived" ? "" : element("button", { type: "button", onclick: (e) => raise(audit.id, f.seq, e.target) }, "下发整改")]);
  $("audit-result").replaceChildren(
    element("p", {},
      element("button", { type: "button", id: "audit-pdf", onclick: download(`/api/audits/${audit.id}/report.pdf`, `稽查报告-${audit.id}.pdf`) }, "下载报告（PDF）"), " ",
      element("button", { type: "button", onclick: download(`/api/audits/${audit.id}/report.csv`, `稽查问题-${audit.id}.csv`) }, "导出问题清单（CSV）")),
    audit.findings.length
      ? table(["客户", "供电单位", "流程", "环节", "资料", "问题", ""], rows)
      : element("p", { class: "muted" }, "没有发现问题"));
}

async function raise(auditId, seq, button) {
  const due = new Date(Date.now() + 7 * 86400000).toISOString().slice(0, 10);
  try {
    await post("/api/rectifications", { audit_id: auditId, finding: seq, due_on: due });
    button.replaceWith(element("span", { class: "ok" }, "已下发，限 " + due));
    await showRectifications();
  } catch (error) { failure($("audit-message"), error); }
}

async function showRectifications() {
  const target = $("rectifications");
  try {
    const { rectifications } = await api("/api/rectifications");
    const names = { open: "整改中", rectified: "待核实", closed: "已销号" };
    // A rectified order is verified and closed, or sent back to its owner with the reason.
    const verdict = async (r, verified, note) => {
      try { await post(`/api/rectifications/${r.id}/verify`, { verified, note }); await showRectifications(); }
      catch (error) { target.prepend(element("p", { class: "message error" }, error.message)); }
    };
    const action = (r) => {
      if (r.state !== "rectified") return "";
      const reason = element("input", { "aria-label": `整改单 ${r.id} 的退回原因`, placeholder: "退回原因" });
      return element("span", {},
        element("button", { type: "button", onclick: () => verdict(r, true, "核实通过") }, "核实销号"), " ", reason,
        element("button", { type: "button", onclick: () => verdict(r, false, reason.value.trim()) }, "退回"));
    };
    target.replaceChildren(rectifications.length
      ? table(["编号", "问题", "责任人", "期限", "状态", "整改说明", "证据页", ""], rectifications.map((r) =>
        [String(r.id), r.description, r.owner, r.due_on + (r.overdue ? "（已超期）" : ""), names[r.state], r.rectified_note || "—",
          evidenceLinks(r), action(r)]))
      : element("p", { class: "muted" }, "暂无整改单"));
    const rates = await api("/api/rates");
    $("rates").replaceChildren(table(["稽查问题完成率", "整改完成率", "稽查超期率", "指标改变率", "累计完成率"],
      [[percent(rates.completion_rate), percent(rates.rectification_rate), percent(rates.overdue_rate),
        percent(rates.indicator_change), percent(rates.cumulative_completion)]]));
  } catch (error) { target.replaceChildren(element("p", { class: "message error" }, error.message)); }
}

function contractTable(list) {
  return table(["客户", "合同", "签订", "到期", "剩余天数", "状态"], list.map((c) =>
    [c.account_no + " " + c.name, c.doc_type + (c.contract_no ? " " + c.contract_no : ""), c.signed_on || "—",
      c.effective_expiry || "—", c.days_left === null ? "—" : String(c.days_left),
      element("span", { class: "signal " + contractSignal(c.status) }, kContractStates[c.status])]));
}

async function showScores() {
  const target = $("scores");
  try {
    const { scores } = await api("/api/scores?by=unit");
    const teams = await api("/api/scores?by=team");
    const staff = await api("/api/scores?by=staff");
    const rows = (list) => list.map((s) => [String(s.rank), s.name, s.score.toFixed(1), percent(s.timeliness * 100),
      percent(s.quality * 100), percent(s.deadlines * 100)]);
    const headings = ["名次", "", "得分", "归档及时率", "质量合格率", "流程时限达标率"];
    target.replaceChildren(element("h3", {}, "供电单位"), table(headings, rows(scores)),
      element("h3", {}, "班组"), teams.scores.length ? table(headings, rows(teams.scores)) : element("p", { class: "muted" }, "尚未给人员分配班组"),
      element("h3", {}, "个人"), table(headings, rows(staff.scores)));
  } catch (error) { target.replaceChildren(element("p", { class: "message error" }, error.message)); }
}

