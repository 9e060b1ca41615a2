// Supply contracts (供用电合同) and their terms: every contract filed, with its number, signing and
// expiry dates (read from the page by OCR, or entered here by an archivist looking at the page),
// the days left and its state, filtered by state (at first, every one that is not simply valid); and the contracts a process step required that
// nobody has filed. Entering terms again keeps the earlier ones (the server adds a row).
import { useEffect, useState } from "preact/hooks";
import { api, sendJson } from "./api.js";
import { PageViewer } from "./customer_file.js";
import { Message, html, kDeadlineStates, mountAfresh, time, useLatest } from "./ui.js";

export const kContractStates = { unrecorded: "未登记期限", warn: "7 天内到期", remind: "30 天内到期", expired: "已到期", valid: "有效" };
export const contractSignal = (status) => (status === "remind" ? "yellow" : status === "valid" ? "green" : "red");
const kSources = { ocr: "识别", entered: "人工登记" };

export function mountContractRegister(target, can) {
  mountAfresh(target, ContractRegister, { can });
}

function ContractRegister({ can }) {
  const [status, setStatus] = useState("");
  const [register, setRegister] = useState(null);
  const [editing, setEditing] = useState(null);  // document_id
  const [viewing, setViewing] = useState(null);
  const [message, setMessage] = useState({ text: "", ok: true });

  const latest = useLatest();  // a list answered after another filter was chosen is dropped
  async function load(which = status) {
    try {
      const answer = await latest(api("/api/contracts" + (which ? "?status=" + which : "")));
      if (answer) setRegister(answer);
    } catch (e) { setMessage({ text: e.message, ok: false }); }
  }
  useEffect(() => { load(status); }, [status]);

  async function open(documentId) {
    try { setViewing(await api(`/api/documents/${documentId}`)); } catch (e) { setMessage({ text: e.message, ok: false }); }
  }

  async function saved(contract) {
    setEditing(null);
    setMessage({ text: `${contract.account_no} ${contract.name} 的合同期限已登记：${contract.signed_on} 至 ${contract.expires_on}`, ok: true });
    await load();
  }

  const contracts = register ? register.contracts : [];
  return html`<section class="card" id="contracts-card">
    <h2>供用电合同</h2>
    <p class="muted">到期前 30 天提醒（黄），7 天内及已到期报警（红）；自动续签的合同按续签后的日期计算。${can("file")
      ? "识别不出期限的合同请打开页面核对后登记。" : ""}</p>
    <div class="filters" role="tablist">
      ${[["", "需要关注"], ...Object.entries(kContractStates)].map(([key, name]) => html`<button type="button" role="tab" key=${key}
        data-status=${key} class=${key === status ? "active" : ""} aria-selected=${key === status}
        onClick=${() => { setEditing(null); setStatus(key); }}>${name}</button>`)}
    </div>
    <${Message} text=${message.text} ok=${message.ok} />
    ${register === null ? html`<p class="muted">正在加载…</p>` : contracts.length === 0
      ? html`<p class="muted" id="contracts-empty">没有${status ? kContractStates[status] + "的" : "需要关注的"}合同</p>`
      : html`<table class="grid" id="contract-list">
        <thead><tr><th>客户</th><th>供电单位</th><th>合同</th><th>合同编号</th><th>签订</th><th>到期</th><th>剩余天数</th><th>状态</th><th>来源</th><th></th></tr></thead>
        <tbody>${contracts.map((c) => html`
          <tr key=${c.document_id} data-document=${c.document_id}>
            <td>${c.account_no} ${c.name}</td><td>${c.unit || "—"}</td><td>${c.doc_type}</td><td>${c.contract_no || "—"}</td>
            <td>${c.signed_on || "—"}</td><td>${c.effective_expiry || "—"}${c.auto_renew ? "（自动续签）" : ""}</td>
            <td>${c.days_left === null ? "—" : c.days_left}</td>
            <td><span class=${"signal " + contractSignal(c.status)}>${kContractStates[c.status]}</span></td>
            <td>${kSources[c.source] || "—"}</td>
            <td><span class="actions">
              <button type="button" class="plain" onClick=${() => open(c.document_id)}>查看页面</button>
              ${can("file") && html`<button type="button" onClick=${() => setEditing(editing === c.document_id ? null : c.document_id)}>
                ${c.status === "unrecorded" ? "登记期限" : "修改期限"}</button>`}
            </span></td>
          </tr>
          ${editing === c.document_id && html`<tr key=${"edit" + c.document_id} class="editing"><td colspan="10">
            <${TermsForm} contract=${c} onSaved=${saved} onCancel=${() => setEditing(null)} onView=${() => open(c.document_id)} />
          </td></tr>`}`)}
        </tbody>
      </table>`}
    ${register && html`<h3>应签未归档的合同（${register.missing.length}）</h3>
      ${register.missing.length ? html`<table class="grid" id="contracts-missing">
        <thead><tr><th>客户</th><th>流程</th><th>环节</th><th>资料</th><th>时限</th><th>状态</th></tr></thead>
        <tbody>${register.missing.map((e) => html`<tr key=${e.process_id + e.doc_type}>
          <td>${e.account_no} ${e.name}</td><td>${e.process}（${e.process_id}）</td><td>${e.step}</td><td>${e.doc_type}</td>
          <td>${time(e.due_at)}</td><td><span class=${"signal " + e.state}>${kDeadlineStates[e.state] || e.state}</span></td></tr>`)}</tbody>
      </table>` : html`<p class="muted">无</p>`}`}
    ${viewing && html`<${PageViewer} document=${viewing} index=${0} can=${can} onClose=${() => setViewing(null)} onCorrected=${() => {}} />`}
  </section>`;
}

// The terms of one contract, as the archivist reads them off the page.
function TermsForm({ contract: c, onSaved, onCancel, onView }) {
  const [terms, setTerms] = useState({ contract_no: c.contract_no || "", signed_on: c.signed_on || "",
    expires_on: c.expires_on || "", auto_renew: !!c.auto_renew });
  const [error, setError] = useState("");

  async function save(e) {
    e.preventDefault();
    try {
      onSaved(await sendJson("PUT", `/api/documents/${c.document_id}/contract`, { ...terms, contract_no: terms.contract_no.trim() }));
    } catch (err) { setError(err.message); }
  }

  const field = (name) => ({ name, value: terms[name], onInput: (e) => setTerms({ ...terms, [name]: e.target.value }) });
  return html`<form class="inline-form terms-form" onSubmit=${save}>
    <label>合同编号 <input required maxlength="64" ...${field("contract_no")} /></label>
    <label>签订日期 <input type="date" required ...${field("signed_on")} /></label>
    <label>到期日期 <input type="date" required ...${field("expires_on")} /></label>
    <label class="check"><input type="checkbox" name="auto_renew" checked=${terms.auto_renew}
      onChange=${(e) => setTerms({ ...terms, auto_renew: e.target.checked })} /> 到期自动续签</label>
    <button type="submit">保存</button>
    <button type="button" class="plain" onClick=${onView}>对照页面</button>
    <button type="button" class="plain" onClick=${onCancel}>取消</button>
    <${Message} text=${error} />
  </form>`;
}
