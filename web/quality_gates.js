// The quality gates (质量关) before the audit post's spot check: the filer's self-check (自检) of
// what they filed, and the archive collector's review (复核) of what others filed. Each document
// opens in the page viewer beside the fields read from it; a pass moves it to the next gate, a
// return sends it back to its filer with the reason, which they see here and under 待发送.
import { useEffect, useState } from "preact/hooks";
import { api, sendJson, session } from "./api.js";
import { PageViewer } from "./customer_file.js";
import { Message, html, mountAfresh, time, useLatest } from "./ui.js";

const kGates = {
  self: { tab: "我的自检", hint: "您归档的文件：逐份核对页面齐全、清晰、归类正确后通过，交档案员复核。", passed: "已通过自检，交档案员复核" },
  collect: { tab: "档案员复核", hint: "其他人自检通过的文件：核对无误后通过，进入稽查抽检范围；有问题的退回归档人并写明原因。", passed: "已复核通过" },
};

export function mountQualityGates(target, can) {
  mountAfresh(target, QualityGates, { can });
}

function QualityGates({ can }) {
  const gates = Object.keys(kGates).filter((g) => g === "self" || can("keep"));
  const [gate, setGate] = useState("self");
  const [documents, setDocuments] = useState(null);
  const [message, setMessage] = useState({ text: "", ok: true });
  const [viewing, setViewing] = useState(null);

  const latest = useLatest();  // a list answered after another gate was chosen is dropped
  async function load(which = gate) {
    try {
      const answer = await latest(api(`/api/reviews?gate=${which}`));
      if (answer) setDocuments(answer.documents);
    } catch (e) { setDocuments([]); setMessage({ text: e.message, ok: false }); }
  }
  useEffect(() => { load(gate); }, [gate]);

  async function open(item) {
    try {
      setViewing(await api(`/api/documents/${item.document_id}`));
    } catch (e) { setMessage({ text: e.message, ok: false }); }
  }

  async function judge(item, passed, reason) {
    try {
      await sendJson("POST", `/api/documents/${item.document_id}/reviews`, { gate, passed, reason });
      const what = `${item.account_no} ${item.doc_type}`;
      setMessage({ text: passed ? `${what}：${kGates[gate].passed}` : `${what}：已退回归档人（${reason}）`, ok: true });
    } catch (e) { setMessage({ text: e.message, ok: false }); }
    await load();
  }

  return html`<section class="card" id="quality-card">
    <h2>质量复核</h2>
    <div class="filters" role="tablist">
      ${gates.map((g) => html`<button type="button" role="tab" key=${g} data-gate=${g} class=${g === gate ? "active" : ""}
        aria-selected=${g === gate} onClick=${() => { setMessage({ text: "" }); setGate(g); }}>${kGates[g].tab}</button>`)}
    </div>
    <p class="muted">${kGates[gate].hint}</p>
    <${Message} text=${message.text} ok=${message.ok} />
    ${documents === null ? html`<p class="muted">正在加载…</p>`
      : documents.length === 0 ? html`<p class="muted" id="quality-empty">没有等待${kGates[gate].tab}的文件</p>`
        : html`<table class="grid" id="quality-list">
          <thead><tr><th>户号</th><th>文件</th><th>供电单位</th><th>归档人</th><th>归档时间</th><th>退回记录</th><th>处理</th></tr></thead>
          <tbody>${documents.map((item) => html`<${GateItem} key=${item.document_id + gate} item=${item}
            own=${gate !== "self" && item.filer === session.current.user.username}
            onOpen=${() => open(item)} onJudge=${(passed, reason) => judge(item, passed, reason)} />`)}</tbody>
        </table>`}
    ${viewing && html`<${PageViewer} document=${viewing} index=${0} can=${can} onClose=${() => setViewing(null)} onCorrected=${() => {}} />`}
  </section>`;
}

// own: a document this reviewer filed, which another archivist must review.
function GateItem({ item, own, onOpen, onJudge }) {
  const [reason, setReason] = useState("");
  return html`<tr data-document=${item.document_id}>
    <td>${item.account_no}</td><td>${item.doc_type}</td><td>${item.unit || "—"}</td><td>${item.filer}</td><td>${time(item.archived_at)}</td>
    <td>${item.rejections ? html`<span class="signal red">退回 ${item.rejections} 次</span> ${item.last_reason}` : "—"}</td>
    <td><span class="actions">
      <button type="button" class="plain" onClick=${onOpen}>查看页面</button>
      ${own ? html`<span class="muted">本人归档，由其他档案员复核</span>` : html`<button type="button" onClick=${() => onJudge(true, "")}>通过</button>
      <input placeholder="退回原因" aria-label="退回原因" value=${reason} onInput=${(e) => setReason(e.target.value)} />
      <button type="button" class="secondary" disabled=${!reason.trim()} onClick=${() => onJudge(false, reason.trim())}>退回</button>`}
    </span></td>
  </tr>`;
}
