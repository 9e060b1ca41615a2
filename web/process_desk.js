// Process control in the browser (档案管节点、节点控流程): the process board (业扩 processes in
// flight by their worst service time limit, per unit, process type and team, with drill-down),
// one process looked up by its 申请编号 with each step's time limit and documents (archivists
// propose waivers there, auditors cancel a process), and the waivers waiting for an auditor.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, sendJson } from "./api.js";
import { Message, html, kDeadlineStates, time } from "./ui.js";

export const kLimitStates = { green: "时限内", yellow: "临近时限", red: "已超时", done: "按时完成", late: "超时完成", cancelled: "已撤销" };
const kProcessStates = { in_flight: "办理中", completed: "已办结", cancelled: "已撤销" };
const kSignals = { red: "红", yellow: "黄", green: "绿" };

export function mountProcessDesk(target, can) {
  render(html`<${ProcessDesk} can=${can} />`, target);
}

function ProcessDesk({ can }) {
  const [processId, setProcessId] = useState("");
  return html`<div class="desk">
    <${ProcessBoard} onOpen=${setProcessId} />
    <${ProcessLookup} can=${can} processId=${processId} />
    <${Waivers} can=${can} />
  </div>`;
}

export function TimeLimitTable({ list, onOpen }) {
  return html`<table class="grid">
    <thead><tr><th>申请编号</th><th>客户</th><th>流程</th><th>环节</th><th>起算</th><th>时限</th><th>状态</th><th>班组</th></tr></thead>
    <tbody>${list.map((k) => html`<tr key=${k.process_id + k.step}>
      <td>${onOpen ? html`<button type="button" class="link" onClick=${() => onOpen(k.process_id)}>${k.process_id}</button>` : k.process_id}</td>
      <td>${k.account_no} ${k.name}</td><td>${k.process}</td>
      <td>${k.step}（${k.working_days} 个工作日，自${k.from_step}起）</td><td>${time(k.started_at)}</td><td>${time(k.due_at)}</td>
      <td><span class=${"signal " + signalOf(k.state)}>${kLimitStates[k.state] || k.state}</span></td><td>${k.team || "—"}</td>
    </tr>`)}</tbody>
  </table>`;
}

const signalOf = (state) => ({ done: "green", late: "yellow", cancelled: "" })[state] ?? state;

function ProcessBoard({ onOpen }) {
  const [board, setBoard] = useState(null);
  const [drill, setDrill] = useState(null);
  const [message, setMessage] = useState("");
  useEffect(() => { api("/api/process-board").then(setBoard, (e) => setMessage(e.message)); }, []);

  async function open(filter, signal, label) {
    const query = new URLSearchParams({ ...filter, limit: "500", signal });
    try {
      const { time_limits: list } = await api("/api/time-limits?" + query);
      setDrill({ label, signal, list });
    } catch (e) { setMessage(e.message); }
  }
  const count = (n, filter, signal, label) => (n
    ? html`<button type="button" class=${"link signal " + signal} onClick=${() => open(filter, signal, label)}>${n}</button>` : "0");
  const rows = (list, key, filterOf) => list.map((x) => html`<tr key=${x[key]}><td>${x[key]}</td>
    ${["red", "yellow", "green"].map((s) => html`<td>${count(x[s], filterOf(x[key]), s, x[key])}</td>`)}</tr>`);
  const part = (title, list, key, filterOf) => html`<table class="grid">
    <thead><tr><th>${title}</th><th>红</th><th>黄</th><th>绿</th></tr></thead><tbody>${rows(list, key, filterOf)}</tbody></table>`;
  return html`<section class="card" id="process-board">
    <h2>业扩流程时限看板</h2>
    <p class="muted">办理中的业扩流程按其最紧的服务时限着色（工作日计，节假日与调休按日历）：绿色时限内，黄色临近时限，红色已超时。点击数字查看流程。</p>
    <${Message} text=${message} ok=${false} />
    ${board && html`<p>截至 ${time(board.as_of)}：红 ${board.totals.red}　黄 ${board.totals.yellow}　绿 ${board.totals.green}</p>
      <div class="two-columns">
        ${part("供电单位", board.by_unit, "unit", (unit) => ({ unit }))}
        ${part("业务类型", board.by_process, "process", (process) => ({ process }))}
      </div>
      ${part("班组", board.by_team, "team", (team) => {
        const [unit, name] = team.split("/");
        return name === "（未分班组）" ? { unit } : { unit, team: name };
      })}`}
    ${drill && html`<h3>${drill.label}：${kSignals[drill.signal]}色 ${drill.list.length} 个环节</h3>
      <${TimeLimitTable} list=${drill.list} onOpen=${onOpen} />`}
  </section>`;
}

function ProcessLookup({ can, processId }) {
  const [id, setId] = useState(processId);
  const [process, setProcess] = useState(null);
  const [message, setMessage] = useState({ text: "", ok: true });

  // Looks the process up; `said` is what to show once it is there (a lookup alone clears the line).
  async function load(wanted, said = { text: "", ok: true }) {
    if (!wanted) return;
    try { setProcess(await api("/api/processes/" + encodeURIComponent(wanted))); setMessage(said); }
    catch (e) { setProcess(null); setMessage({ text: e.message, ok: false }); }
  }
  useEffect(() => { if (processId) { setId(processId); load(processId); } }, [processId]);

  async function propose(doc, reason) {
    try {
      await sendJson("POST", `/api/expectations/${doc.id}/waiver`, { reason });
      load(process.process_id, { text: `已申请豁免“${doc.doc_type}”，待稽查人员确认`, ok: true });
    } catch (e) { setMessage({ text: e.message, ok: false }); }
  }
  async function cancel(reason) {
    try {
      const r = await sendJson("POST", `/api/processes/${encodeURIComponent(process.process_id)}/cancel`, { reason });
      load(process.process_id, { text: `流程已撤销，${r.waived} 份未归档资料随之豁免`, ok: true });
    } catch (e) { setMessage({ text: e.message, ok: false }); }
  }

  return html`<section class="card" id="process-lookup">
    <h2>流程查询</h2>
    <form class="inline-form" onSubmit=${(e) => { e.preventDefault(); load(id.trim()); }}>
      <label>申请编号 <input name="process_id" value=${id} onInput=${(e) => setId(e.target.value)} placeholder="营销系统的流程编号" /></label>
      <button type="submit">查询</button>
    </form>
    <${Message} text=${message.text} ok=${message.ok} />
    ${process && html`<p>
        <strong>${process.process}</strong>（${process.process_id}）　${process.account_no} ${process.name}　${process.unit}　
        受理 ${time(process.started_at)}　
        <span class=${"signal " + (process.signal || "")}>${kProcessStates[process.state] || process.state}${process.signal ? "（" + kSignals[process.signal] + "）" : ""}</span>
        ${process.cancel_reason && html`　${process.cancel_reason}`}
      </p>
      <table class="grid process-steps">
        <thead><tr><th>环节</th><th>完成</th><th>服务时限</th><th>应归档资料</th></tr></thead>
        <tbody>${process.steps.map((s) => html`<tr key=${s.step}>
          <td>${s.step}</td>
          <td>${s.completed_at ? html`${time(s.completed_at)}<br /><span class="muted">${s.staff}</span>` : "—"}</td>
          <td>${s.limit ? html`${s.limit.working_days} 个工作日，到 ${time(s.limit.due_at)}<br />
            <span class=${"signal " + signalOf(s.limit.state)}>${kLimitStates[s.limit.state]}</span>` : "—"}</td>
          <td>${s.documents.length ? s.documents.map((d) => html`<${ExpectedDocument} key=${d.id} doc=${d}
            canPropose=${can("curate") && process.state !== "cancelled"} onPropose=${propose} />`) : "—"}</td>
        </tr>`)}</tbody>
      </table>
      ${can("audit") && process.state !== "cancelled" && html`<${CancelForm} onCancel=${cancel} />`}`}
  </section>`;
}

function ExpectedDocument({ doc, canPropose, onPropose }) {
  const [reason, setReason] = useState("");
  const open = ["green", "yellow", "red"].includes(doc.state);
  const proposed = doc.waiver && !doc.waiver.waived_at;
  return html`<div class="expected-document">
    ${doc.doc_type}${doc.mandatory ? "" : "（可选）"}：<span class=${"signal " + doc.state}>${kDeadlineStates[doc.state] || doc.state}</span>
    ${doc.waiver && html` <span class="muted">${proposed ? "豁免待确认" : "豁免"}：${doc.waiver.reason}（${doc.waiver.proposed_by || "流程撤销"}${doc.waiver.confirmed_by ? "，" + doc.waiver.confirmed_by + " 确认" : ""}）</span>`}
    ${canPropose && open && !proposed && html` <input aria-label=${"豁免“" + doc.doc_type + "”的理由"} placeholder="豁免理由" value=${reason}
      onInput=${(e) => setReason(e.target.value)} /><button type="button" onClick=${() => onPropose(doc, reason.trim())}>申请豁免</button>`}
  </div>`;
}

function CancelForm({ onCancel }) {
  const [reason, setReason] = useState("");
  return html`<p class="inline-form">
    <label>撤销原因 <input value=${reason} onInput=${(e) => setReason(e.target.value)} placeholder="如：客户书面申请撤回" /></label>
    <button type="button" onClick=${() => onCancel(reason.trim())}>撤销流程</button>
    <span class="muted">营销系统无法报送撤销时使用：该流程未归档的资料全部豁免，时限停止计算。</span>
  </p>`;
}

function Waivers({ can }) {
  const [list, setList] = useState([]);
  const [message, setMessage] = useState({ text: "", ok: true });
  async function load() {
    try { setList((await api("/api/waivers")).proposed); } catch (e) { setMessage({ text: e.message, ok: false }); }
  }
  useEffect(() => { load(); }, []);
  async function decide(doc, confirmed, note) {
    try {
      await sendJson("POST", `/api/expectations/${doc.id}/waiver/decision`, { confirmed, note });
      setMessage({ text: `${doc.doc_type}（${doc.process_id}）：${confirmed ? "已确认豁免" : "已驳回豁免申请"}`, ok: true });
      load();
    } catch (e) { setMessage({ text: e.message, ok: false }); }
  }
  return html`<section class="card" id="waivers">
    <h2>待确认的豁免</h2>
    <p class="muted">档案管理员申请、稽查人员确认（两人各一步）；确认后该资料不再计入看板、待办和考核，稽查报告中列为“已豁免”。</p>
    <${Message} text=${message.text} ok=${message.ok} />
    ${list.length ? html`<table class="grid">
      <thead><tr><th>申请编号</th><th>客户</th><th>环节</th><th>资料</th><th>理由</th><th>申请人</th><th></th></tr></thead>
      <tbody>${list.map((d) => html`<${WaiverRow} key=${d.id} doc=${d} canDecide=${can("audit")} onDecide=${decide} />`)}</tbody>
    </table>` : html`<p class="muted">无</p>`}
  </section>`;
}

function WaiverRow({ doc, canDecide, onDecide }) {
  const [note, setNote] = useState("");
  return html`<tr>
    <td>${doc.process_id}</td><td>${doc.account_no} ${doc.name}</td><td>${doc.process}/${doc.step}</td><td>${doc.doc_type}</td>
    <td>${doc.waiver.reason}</td><td>${doc.waiver.proposed_by}</td>
    <td>${canDecide ? html`<button type="button" onClick=${() => onDecide(doc, true, note.trim())}>确认豁免</button>
      <input aria-label=${"驳回“" + doc.doc_type + "”豁免的原因"} placeholder="驳回原因" value=${note} onInput=${(e) => setNote(e.target.value)} />
      <button type="button" onClick=${() => onDecide(doc, false, note.trim())}>驳回</button>` : "待稽查确认"}</td>
  </tr>`;
}
