// The auditors' spot checks (抽检): a reproducible sample of filed documents, a few per unit
// (the same seed draws the same sample from the same archive), each judged passed or failed;
// a failure raises a rectification order for the document's filer.
import { render } from "preact";
import { useState } from "preact/hooks";
import { api, sendJson } from "./api.js";
import { Message, html } from "./ui.js";

const post = (path, body) => sendJson("POST", path, body);
const kOutcomes = { pending: "待检", passed: "合格", failed: "不合格" };

// onOrder: called after a failed item raised a rectification order.
export function mountSpotChecks(target, onOrder) {
  render(html`<${SpotChecks} onOrder=${onOrder} />`, target);
}

function SpotChecks({ onOrder }) {
  const [draw, setDraw] = useState({ seed: String(Math.floor(Math.random() * 1e6)), per_unit: "5", from: "", to: "" });
  const [check, setCheck] = useState(null);
  const [message, setMessage] = useState({ text: "", ok: true });

  async function start(e) {
    e.preventDefault();
    try {
      const body = { seed: Number(draw.seed), per_unit: Number(draw.per_unit) };
      if (draw.from) body.from = draw.from;
      if (draw.to) body.to = draw.to;
      const drawn = await post("/api/spot-checks", body);
      setCheck(drawn);
      setMessage({ text: `已抽取 ${drawn.items.length} 份（抽检单 ${drawn.id}，随机种子 ${drawn.seed}）`, ok: true });
    } catch (err) { setMessage({ text: err.message, ok: false }); }
  }

  async function judge(item, passed, reason, days) {
    try {
      const verdict = await post(`/api/spot-checks/${check.id}/items/${item.seq}`, passed ? { passed } : { passed, reason, days: Number(days) });
      setCheck(await api(`/api/spot-checks/${check.id}`));
      setMessage({ text: passed ? `第 ${item.seq} 份：合格` : `第 ${item.seq} 份：不合格，已下发整改单 ${verdict.rectification_id}`, ok: true });
      if (!passed) onOrder();
    } catch (err) { setMessage({ text: err.message, ok: false }); }
  }

  const field = (name) => ({ value: draw[name], onInput: (e) => setDraw({ ...draw, [name]: e.target.value }) });
  return html`
    <form class="inline-form" id="spot-form" onSubmit=${start}>
      <label>归档日期 从 <input type="date" ...${field("from")} /></label>
      <label>到 <input type="date" ...${field("to")} /></label>
      <label>每个单位抽取 <input type="number" min="1" max="50" required ...${field("per_unit")} /></label>
      <label>随机种子 <input type="number" min="0" required ...${field("seed")} /></label>
      <button type="submit">抽取</button>
    </form>
    <${Message} text=${message.text} ok=${message.ok} />
    ${check && html`<table class="grid" id="spot-items">
      <thead><tr><th>序号</th><th>供电单位</th><th>户号</th><th>文件</th><th>归档人</th><th>结果</th><th>判定</th></tr></thead>
      <tbody>${check.items.map((item) => html`<${SpotItem} key=${item.seq} item=${item} onJudge=${judge} />`)}</tbody>
    </table>`}`;
}

function SpotItem({ item, onJudge }) {
  const [reason, setReason] = useState("");
  const [days, setDays] = useState("7");
  return html`<tr data-seq=${item.seq}>
    <td>${item.seq}</td><td>${item.unit || "—"}</td><td>${item.account_no}</td><td>${item.doc_type}</td><td>${item.filer || "—"}</td>
    <td><span class=${"signal " + (item.outcome === "failed" ? "red" : item.outcome === "passed" ? "green" : "")}>${kOutcomes[item.outcome] || item.outcome}</span>
      ${item.reason && html`<span class="muted">（${item.reason}）</span>`}</td>
    <td>${item.outcome === "pending" && html`<span class="actions">
      <button type="button" onClick=${() => onJudge(item, true)}>合格</button>
      <input placeholder="不合格原因" value=${reason} onInput=${(e) => setReason(e.target.value)} />
      <label class="check">整改期限 <input type="number" min="1" max="90" value=${days} onInput=${(e) => setDays(e.target.value)} /> 天</label>
      <button type="button" class="plain" disabled=${!reason.trim()} onClick=${() => onJudge(item, false, reason.trim(), days)}>不合格</button>
    </span>`}</td>
  </tr>`;
}
