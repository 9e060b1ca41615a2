// The paper originals in the browser: the store room (boxing and shelving by scanning, stocktakes)
// and lending (requests, approval, lending and taking back by scanning, slips and notices).
// Barcode readers type the code and Enter into the focused input; every scan gets a plain,
// visible answer: green when done, red with where the thing belongs when refused.
import { api, element, fetchBlob, sendJson, session } from "./api.js";

const $ = (id) => document.getElementById(id);
const post = (path, body) => sendJson("POST", path, body);

function say(target, ok, text) {
  target.className = (target.classList.contains("scan-result") ? "scan-result " : "message ") + (ok ? "ok" : "error");
  target.textContent = text;
}

// ---- the store room ----
let pending = null;  // the first code of a pair

export function openStoreRoom() {
  $("shelving-input").focus();
}

// A PDF of labels opened for printing, with a link in `target` in case the browser holds the window back.
async function printLabels(query, what, target) {
  try {
    const url = URL.createObjectURL(await fetchBlob("/api/print/labels?" + query));
    target.append(" ", element("a", { href: url, target: "_blank", rel: "noopener", class: "labels-link" }, `打开${what}（PDF）`));
    window.open(url, "_blank");
  } catch (error) { say(target, false, error.message); }
}

// A box's own code (DGB-<id>-<check>) names its id.
const boxId = (code) => code.split("-")[1];

async function scanCodes(codes) {
  const result = $("shelving-result");
  try {
    const answer = await post("/api/shelving/scan", { codes });
    say(result, true, answer.message);
    $("shelving-log").prepend(element("li", { class: "ok" }, answer.message));
    // A box filled up: the next one's label, ready to print.
    if (answer.next_box)
      result.append(" ", element("button", { type: "button", class: "plain", onclick: () =>
        printLabels(new URLSearchParams({ boxes: boxId(answer.next_box) }), `盒标签 ${answer.next_box}`, result) }, "打印下一个盒子的标签"));
    return answer;
  } catch (error) {
    say(result, false, error.message);
    $("shelving-log").prepend(element("li", { class: "error" }, error.message));
    return null;
  }
}

$("shelving-input").addEventListener("keydown", async (e) => {
  const input = e.target;
  if (e.key === "Escape" && pending) {  // one code only: look it up
    const code = pending;
    pending = null;
    $("shelving-pending").textContent = "";
    await scanCodes([code]);
    return;
  }
  if (e.key !== "Enter") return;
  e.preventDefault();
  const code = input.value.trim();
  input.value = "";
  if (!code) return;
  if (!pending) {
    pending = code;
    $("shelving-pending").textContent = `已扫：${code}，请扫它要放入的档案盒、案卷或架位（按 Esc 只查询这一件）`;
    say($("shelving-result"), true, "");
    return;
  }
  const first = pending;
  pending = null;
  $("shelving-pending").textContent = "";
  await scanCodes([first, code]);
  input.focus();
});

// ---- setting up the store room ----
const list = (text) => text.split(/[,，\s]+/).map((s) => s.trim()).filter(Boolean);

$("shelves-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const form = new FormData(e.target);
  const message = $("setup-message");
  try {
    const { shelves } = await post("/api/shelves", { room: form.get("room").trim(), racks: list(form.get("racks")),
      faces: list(form.get("faces")), levels: list(form.get("levels")), capacity: Number(form.get("capacity")),
      voltage_area: form.get("voltage_area") });
    say(message, true, `已登记 ${shelves.length} 个架位（${form.get("room").trim()}）`);
    message.append(" ", element("button", { type: "button", class: "plain", onclick: () =>
      printLabels(new URLSearchParams({ shelves: shelves.slice(0, 240).map((s) => s.id).join(",") }), "架位标签", message) }, "打印架位标签"));
  } catch (error) { say(message, false, error.message); }
});

$("boxes-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const form = new FormData(e.target);
  const message = $("setup-message");
  try {
    const { boxes } = await post("/api/boxes", { voltage_area: form.get("voltage_area"), capacity: Number(form.get("capacity")),
      count: Number(form.get("count")) });
    const codes = boxes.length === 1 ? boxes[0].code : `${boxes[0].code} 至 ${boxes[boxes.length - 1].code}`;
    say(message, true, `已新建 ${boxes.length} 个档案盒：${codes}`);
    await printLabels(new URLSearchParams({ boxes: boxes.map((b) => b.id).join(",") }), "盒标签", message);
  } catch (error) { say(message, false, error.message); }
});

let stocktake = null;
$("stocktake-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const room = new FormData(e.target).get("room").trim();
  try {
    const { id } = await post("/api/stocktakes", { room });
    stocktake = id;
    $("stocktake-active").hidden = false;
    $("stocktake-title").textContent = `盘点 ${id}：${room}`;
    $("stocktake-report").replaceChildren();
  } catch (error) { say($("stocktake-message"), false, error.message); $("stocktake-active").hidden = true; }
});
$("stocktake-upload").addEventListener("click", async () => {
  try {
    const r = await api(`/api/stocktakes/${stocktake}/reads`, { method: "POST", headers: { "Content-Type": "text/plain" },
      body: $("stocktake-batch").value });
    say($("stocktake-message"), true, `已上传 ${r.shelves} 层、${r.codes} 个条码`);
    $("stocktake-batch").value = "";
    showStocktake();
  } catch (error) { say($("stocktake-message"), false, error.message); }
});
$("stocktake-refresh").addEventListener("click", showStocktake);

async function showStocktake() {
  try {
    const r = await api(`/api/stocktakes/${stocktake}`);
    const section = (title, list, describe) => element("div", { class: "finding" },
      element("h4", {}, `${title}（${list.length}）`),
      list.length ? element("ul", {}, ...list.map((f) => element("li", {}, describe(f)))) : element("p", { class: "muted" }, "无"));
    $("stocktake-report").replaceChildren(
      element("p", {}, `已盘 ${r.shelves_read} / ${r.shelves_in_scope} 层，应有 ${r.expected} 件，读到 ${r.read} 个条码` +
        (r.shelves_not_read.length ? `；还有 ${r.shelves_not_read.length} 层未盘` : "")),
      section("缺失", r.missing, (f) => `${f.code}：应在 ${f.belongs_on}，${f.note}`),
      section("错架", r.misplaced, (f) => `${f.code}：在 ${f.found_on} 读到，应放回 ${f.belongs_on}`),
      section("多出", r.unexpected, (f) => `${f.code}：在 ${f.found_on} 读到，${f.note}`),
      section("借出中", r.on_loan, (f) => `${f.code}：${f.note}`));
  } catch (error) { say($("stocktake-message"), false, error.message); }
}

// ---- lending ----
// The everyday purpose first: a loan is for business far more often than for a dispute.
const kPurposes = [["business", "业务变更（15 天）"], ["audit", "审计检查（30 天）"], ["judicial", "司法纠纷（90 天）"], ["other", "其他（15 天）"]];
const kStates = { requested: "待审批", approved: "待借出", rejected: "已驳回", lent: "借出中", closed: "已结束" };
const kItemStates = { requested: "待借出", lent: "借出中", returned: "已归还", lost: "遗失" };

// A borrowing request for paper originals, shown where the need arises (the e-file).
export function loanRequestForm(codes, what) {
  const until = new Date(Date.now() + 14 * 86400000).toISOString().slice(0, 10);
  const purpose = element("select", { name: "purpose", "aria-label": "借阅用途" }, ...kPurposes.map(([v, t]) => new Option(t, v)));
  const date = element("input", { type: "date", name: "until", value: until, required: true, "aria-label": "归还日期" });
  const note = element("input", { name: "note", placeholder: "用途说明（如：某案件法院调取）", "aria-label": "用途说明" });
  const message = element("span", { class: "message", role: "status" });
  const form = element("form", { class: "loan-request" }, `借阅原件：${what}　`, purpose, date, note,
    element("button", { type: "submit" }, "提交借阅申请"), message);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const { id } = await post("/api/loans", { items: codes, purpose: purpose.value, until: date.value, note: note.value.trim() });
      say(message, true, `已提交借阅申请（借阅单 ${id}），等待审批`);
      form.querySelector("button").disabled = true;
    } catch (error) { say(message, false, error.message); }
  });
  return form;
}

let can = () => false;
let shownState = "requested";
// The change of a loan last sent (approve, lend, return…), settled or not.
let actionUnderWay = Promise.resolve();

export function openLoans(permission) {
  can = permission;
  showLoans(shownState);
}

document.querySelectorAll("#loan-filters button").forEach((b) => b.addEventListener("click", () => {
  document.querySelectorAll("#loan-filters button").forEach((x) => x.classList.toggle("active", x === b));
  showLoans(b.dataset.state);
}));

async function showLoans(state) {
  shownState = state;
  const list = $("loan-list");
  try {
    await actionUnderWay;  // a list asked for while a loan is being changed shows the change
    const { loans } = await api("/api/loans?state=" + state);
    if (state !== shownState) return;  // another filter was chosen meanwhile
    list.replaceChildren(...loans.map(loanCard));
    if (!loans.length) list.replaceChildren(element("p", { class: "muted" }, "没有这类借阅单"));
  } catch (error) { list.replaceChildren(element("p", { class: "error" }, error.message)); }
  list.dataset.state = state;  // which list is shown, once it is
}

async function openPdf(path, message) {
  try {
    const url = URL.createObjectURL(await fetchBlob(path));
    message.replaceChildren(element("a", { href: url, target: "_blank", rel: "noopener" }, "打开 PDF"));
    window.open(url, "_blank");
  } catch (error) { say(message, false, error.message); }
}

function loanCard(loan) {
  const message = element("div", { class: "message", role: "status" });
  const act = async (action, body = {}) => {
    try {
      const answer = post(`/api/loans/${loan.id}/${action}`, body);
      actionUnderWay = answer.catch(() => {});
      const updated = await answer;
      // A decided request leaves the 待审批 list (the keeper's card stays while items are scanned).
      if ((action === "approve" || action === "reject") && shownState === "requested") {
        card.replaceWith(element("p", { class: "message ok" },
          `借阅单 ${loan.id} ${action === "approve" ? "已批准，转入“待借出”" : "已驳回"}`));
        return;
      }
      // Another list was chosen while this answer was on its way: that list, fetched before this
      // change, is fetched again, so that a loan just returned shows among the returned.
      if (!card.isConnected) { showLoans(shownState); return; }
      const fresh = loanCard(updated);
      card.replaceWith(fresh);
      const next = fresh.querySelector(".scan-input");
      if (next) next.focus();
    } catch (error) { say(message, false, error.message); }
  };
  const due = loan.due_on ? `应还 ${loan.due_on}` + (loan.overdue_days ? `，已逾期 ${loan.overdue_days} 天` : "") +
    `，已续借 ${loan.renewals}/${loan.renewals_allowed} 次` : `希望借到 ${loan.until}`;
  const actions = element("div", { class: "loan-actions" });
  // Nobody approves their own request (the server refuses it too): no button for it.
  const mine = session.current && loan.requested_by === session.current.user.username;
  if (loan.state === "requested" && can("approve") && !mine) {
    const reason = element("input", { placeholder: "驳回原因" });
    actions.append(element("button", { type: "button", onclick: () => act("approve") }, "批准"), reason,
      element("button", { type: "button", class: "secondary", onclick: () => act("reject", { reason: reason.value.trim() }) }, "驳回"));
  }
  if ((loan.state === "approved" || loan.state === "lent") && can("keep")) {
    const scanning = loan.state === "approved" || loan.items.some((i) => i.state === "requested");
    const lendInput = element("input", { class: "scan-input", placeholder: "扫描借出原件的条码", autocomplete: "off" });
    lendInput.addEventListener("keydown", (e) => { if (e.key === "Enter" && lendInput.value.trim()) act("lend", { items: [lendInput.value.trim()] }); });
    if (scanning) actions.append(lendInput);
    if (loan.state === "lent") {
      const back = element("input", { class: "scan-input", placeholder: "扫描归还原件的条码", autocomplete: "off" });
      const pages = element("input", { type: "number", min: 0, placeholder: "清点页数", class: "pages" });
      const damage = element("input", { placeholder: "破损情况（无则不填）" });
      back.addEventListener("keydown", (e) => {
        if (e.key !== "Enter" || !back.value.trim()) return;
        const item = { code: back.value.trim(), damage: damage.value.trim() };
        if (pages.value !== "") item.pages = Number(pages.value);
        act("return", { items: [item] });
      });
      actions.append(back, pages, damage,
        element("button", { type: "button", class: "plain", onclick: () => act("renew") }, "续借"));
      if (loan.overdue_days) actions.append(element("button", { type: "button", class: "plain", onclick: () => openPdf(`/api/loans/${loan.id}/overdue-notice`, message) }, "催还通知书"));
    }
    actions.append(element("button", { type: "button", class: "plain", onclick: () => openPdf(`/api/loans/${loan.id}/slip`, message) }, "打印借阅单"));
  }
  const card = element("div", { class: "loan", "data-loan": loan.id },
    element("strong", {}, `借阅单 ${loan.id} · ${kStates[loan.state] || loan.state} · ${loan.purpose_name}`),
    element("div", { class: "muted" }, `申请人 ${loan.requested_by}${loan.approved_by ? "，审批人 " + loan.approved_by : ""}；${due}${loan.note ? "；" + loan.note : ""}`),
    element("ul", {}, ...loan.items.map((i) => element("li", { class: "item-" + i.state },
      `${i.label}（${i.code}，${i.pages} 页）：${kItemStates[i.state] || i.state}${i.damage ? "，" + i.damage : ""}`))),
    actions, message);
  return card;
}
