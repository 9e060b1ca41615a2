// The counter's screen: one search box that answers as you type (account number, name, address,
// phone, words on pages), the customer's e-file in its five categories, newest first, with
// thumbnails loaded as they scroll into view, and the page viewer (Viewer.js: zoom, rotate,
// previous/next by keyboard) beside the fields read from the page, their confidence, a notice
// when the paper is on loan and a borrowing request. Archivists correct a field there.
import { render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import Viewer from "viewerjs";
import "viewerjs/dist/viewer.css";
import { api, fetchBlob, sendJson } from "./api.js";
import { loanRequestForm } from "./paper_desk.js";
import { kPageFieldNames } from "./plain_words.js";
import { DomNode, Message, html, time, useLatest } from "./ui.js";

const kReadingStates = { done: "已识别", queued: "排队识别中", failed: "识别失败", not_read: "未识别" };

export function mountCustomerFile(target, can) {
  render(html`<${CustomerFileScreen} can=${can} />`, target);
}

function CustomerFileScreen({ can }) {
  const [query, setQuery] = useState("");
  const [docType, setDocType] = useState("");
  const [types, setTypes] = useState([]);
  const [found, setFound] = useState(null);
  const [error, setError] = useState("");
  const [file, setFile] = useState(null);
  const [viewing, setViewing] = useState(null);  // {document, index}
  const latest = useLatest();
  const pendingSearch = useRef(null);  // the search-as-you-type timer, which Enter overtakes

  useEffect(() => { api("/api/processes").then((r) => setTypes(r.document_types.map((t) => t.name)), () => {}); }, []);

  useEffect(() => {
    const q = query.trim();
    if (!q && !docType) { setFound(null); setError(""); return undefined; }
    const timer = setTimeout(async () => {
      try {
        const params = new URLSearchParams({ q, ...(docType ? { doc_type: docType } : {}) });
        const answer = await latest(api("/api/search?" + params));
        if (answer) { setFound(answer); setError(""); }
      } catch (e) { setFound(null); setError(e.message); }
    }, 60);  // a short pause for the next key: results within 150 ms of the last one
    pendingSearch.current = timer;
    return () => clearTimeout(timer);
  }, [query, docType]);

  async function openFile(accountNo, pageId) {
    try {
      const loaded = await api(`/api/customers/${encodeURIComponent(accountNo)}/efile`);
      setFile(loaded);
      setFound(null);
      setError("");
      if (pageId) {
        for (const category of loaded.categories)
          for (const d of category.documents) {
            const index = d.pages.findIndex((p) => p.id === pageId);
            if (index >= 0) setViewing({ document: d, index });
          }
      }
    } catch (e) { setError(e.message); }
  }

  // Enter in the search box opens the best match (searching at once if the answer is not in yet).
  async function openFirst(e) {
    if (e.key !== "Enter") return;
    e.preventDefault();
    const q = query.trim();
    if (!q && !docType) return;
    // Enter is the clerk's decision: it overtakes the search still to come (its timer) or under
    // way (its answer is dropped), so that no late list is drawn over the file opened.
    clearTimeout(pendingSearch.current);
    void latest(Promise.resolve(null));  // makes the answers of searches already under way stale
    try {
      const params = new URLSearchParams({ q, ...(docType ? { doc_type: docType } : {}) });
      const answer = await api("/api/search?" + params);
      if (answer.customers.length) openFile(answer.customers[0].account_no);
      else if (answer.pages && answer.pages.length) openFile(answer.pages[0].account_no, answer.pages[0].page_id);
      else setFound(answer);
    } catch (err) { setError(err.message); }
  }

  async function refreshFile() {
    if (file) openFile(file.customer.account_no);
  }

  return html`
    <input id="search-box" type="search" placeholder="输入户号、户名、地址、电话或页面上的文字" autocomplete="off"
      value=${query} onInput=${(e) => setQuery(e.target.value)} onKeyDown=${openFirst} autofocus />
    <label class="doc-type-filter">文件类型 <select id="search-doc-type" value=${docType} onChange=${(e) => setDocType(e.target.value)}>
      <option value="">全部</option>${types.map((t) => html`<option key=${t} value=${t}>${t}</option>`)}
    </select></label>
    <${Message} text=${error} />
    ${found && html`<${SearchResults} found=${found} onOpen=${openFile} />`}
    ${file && html`<${CustomerFile} key=${file.customer.account_no} file=${file}
      onView=${(document, index) => setViewing({ document, index })} />`}
    ${viewing && html`<${PageViewer} document=${viewing.document} index=${viewing.index} can=${can}
      onClose=${() => setViewing(null)} onCorrected=${refreshFile} />`}`;
}

// Enter or Space on a focused result row opens it, as a click does.
function pressed(e) {
  if (e.key !== "Enter" && e.key !== " ") return false;
  e.preventDefault();
  return true;
}

function SearchResults({ found, onOpen }) {
  const { customers, pages = [] } = found;
  if (!customers.length && !pages.length) return html`<ul id="results"><li class="muted">没有找到匹配的客户或页面</li></ul>`;
  return html`<ul id="results">
    ${customers.map((c) => html`<li key=${c.account_no} class="customer-hit" tabindex="0" role="button"
      onClick=${() => onOpen(c.account_no)} onKeyDown=${(e) => pressed(e) && onOpen(c.account_no)}>
      <strong>${c.name}</strong>　户号 ${c.account_no}　${c.address || ""}　${c.phone || ""}</li>`)}
    ${pages.map((p) => html`<li key=${"p" + p.page_id} class="page-hit" tabindex="0" role="button"
      onClick=${() => onOpen(p.account_no, p.page_id)} onKeyDown=${(e) => pressed(e) && onOpen(p.account_no, p.page_id)}>
      <strong>${p.name}</strong>（${p.account_no}）${p.doc_type} 第 ${p.seq} 页：<span class="muted">${p.snippet}</span></li>`)}
  </ul>`;
}

function LoanNotice({ loan, what }) {
  return html`<p class="on-loan">${what}借出中：借阅人 ${loan.borrower}，应还日期 ${loan.due_on}（借阅单 ${loan.loan_id}）</p>`;
}

// Each customer's file opens afresh (keyed by account number) on its first category that holds
// documents: never on a tab chosen for the customer before, which could show this one as empty.
function CustomerFile({ file, onView }) {
  const [shown, setShown] = useState(() => Math.max(0, file.categories.findIndex((c) => c.documents.length > 0)));
  const c = file.customer;
  const category = file.categories[shown];
  return html`<div id="efile">
    <div class="customer">
      <h2>${c.name}（户号 ${c.account_no}）</h2>
      <p>地址：${c.address || "—"}　电话：${c.phone || "—"}　证件号码：${c.id_number || "—"}　电压：${c.voltage || "—"}</p>
      ${file.volume_on_loan && html`<${LoanNotice} loan=${file.volume_on_loan} what="整卷纸质档案" />`}
    </div>
    <div class="categories" role="tablist">
      ${file.categories.map((cat, i) => html`<button type="button" role="tab" key=${cat.name} class=${i === shown ? "active" : ""}
        aria-selected=${i === shown} onClick=${() => setShown(i)}>${cat.name}（${cat.documents.length}）</button>`)}
    </div>
    <div>
      ${category.documents.length ? category.documents.map((d) => html`<${DocumentCard} key=${d.id} document=${d} onView=${onView} />`)
        : html`<p class="muted">此类档案暂无文件</p>`}
    </div>
  </div>`;
}

function DocumentCard({ document: d, onView }) {
  const [asking, setAsking] = useState(false);
  return html`<div class="document">
    <strong>${d.doc_type}　${d.process}${d.version > 1 ? `　第 ${d.version} 版` : ""}</strong>
    <div class="muted">档号 ${d.archive_no || "—"}　归档时间 ${time(d.archived_at)}　归档人 ${d.archived_by}　共 ${d.pages.length} 页</div>
    <div class="paper">
      ${!d.paper_on_loan && d.paper_place ? html`<span class="muted">纸质原件：${d.paper_place}　</span>` : null}
      ${d.paper_on_loan ? html`<${LoanNotice} loan=${d.paper_on_loan} what="纸质原件" />`
        : d.paper_code && (asking ? html`<${DomNode} make=${() => loanRequestForm([d.paper_code], `${d.archive_no} ${d.doc_type}`)} />`
          : html`<button type="button" class="plain" onClick=${() => setAsking(true)}>申请借阅原件</button>`)}
    </div>
    <div class="pages">
      ${d.pages.map((p, i) => html`<${Thumbnail} key=${p.id} page=${p} title=${`${d.doc_type} 第 ${i + 1} 页`} onOpen=${() => onView(d, i)} />`)}
    </div>
  </div>`;
}

// A page's thumbnail, fetched (with the session's token) only once it scrolls into view.
function Thumbnail({ page, title, onOpen }) {
  const img = useRef(null);
  useEffect(() => {
    let url = null;
    const seen = new IntersectionObserver(async ([entry]) => {
      if (!entry.isIntersecting) return;
      seen.disconnect();
      try {
        url = URL.createObjectURL(await fetchBlob(`/api/pages/${page.id}/thumbnail`));
        if (img.current) img.current.src = url;
      } catch { if (img.current) img.current.alt = "图像无法加载"; }
    }, { rootMargin: "200px" });
    seen.observe(img.current);
    return () => { seen.disconnect(); if (url) URL.revokeObjectURL(url); };
  }, [page.id]);
  // A page scanned upside down that only its reading found out is shown turned upright.
  const turn = page.upright_rotation ? { transform: `rotate(${page.upright_rotation}deg)` } : undefined;
  return html`<img ref=${img} alt=${title} title=${title} class="thumbnail" tabindex="0" style=${turn} onClick=${onOpen}
    onKeyDown=${(e) => { if (e.key === "Enter") onOpen(); }} />`;
}

// Viewer.js draws its toolbar as a list of unnamed items: named in Chinese for screen readers and
// marked as a toolbar (its items act as buttons).
const kViewerButtons = {
  "viewer-zoom-in": "放大", "viewer-zoom-out": "缩小", "viewer-one-to-one": "原始大小", "viewer-reset": "复原",
  "viewer-prev": "上一页", "viewer-next": "下一页", "viewer-rotate-left": "向左旋转", "viewer-rotate-right": "向右旋转",
  "viewer-button": "全屏",
};
function nameViewerButtons(container) {
  if (!container) return;
  for (const list of container.querySelectorAll(".viewer-toolbar > ul")) list.setAttribute("role", "toolbar");
  for (const [name, label] of Object.entries(kViewerButtons))
    for (const button of container.querySelectorAll("." + name)) button.setAttribute("aria-label", label);
}

// The page viewer: the document's pages in Viewer.js (inline, in a dialog), the page's fields
// beside it. Keys: ← → previous/next page, + − zoom, R rotate, 0 fit, Esc close.
export function PageViewer({ document: d, index: first, can, onClose, onCorrected }) {
  const dialog = useRef(null);
  const stage = useRef(null);
  const viewer = useRef(null);
  const [index, setIndex] = useState(first);
  const [error, setError] = useState("");
  const [pages, setPages] = useState(d.pages);

  useEffect(() => {
    dialog.current.showModal();
    const urls = [];
    let cancelled = false;
    (async () => {
      try {
        const blobs = await Promise.all(d.pages.map((p) => fetchBlob(`/api/pages/${p.id}/preview`)));
        if (cancelled) return;
        const list = document.createElement("ul");
        list.hidden = true;
        blobs.forEach((blob, i) => {
          const url = URL.createObjectURL(blob);
          urls.push(url);
          const img = document.createElement("img");
          img.src = url;
          img.alt = `${d.doc_type} 第 ${i + 1} 页`;
          list.append(img);
        });
        stage.current.replaceChildren(list);
        viewer.current = new Viewer(list, {
          inline: true, initialViewIndex: first, title: false, navbar: d.pages.length > 1, transition: false,
          toolbar: { zoomIn: 1, zoomOut: 1, oneToOne: 1, reset: 1, prev: d.pages.length > 1, next: d.pages.length > 1,
            rotateLeft: 1, rotateRight: 1 },
          ready: () => nameViewerButtons(stage.current),
          viewed: (e) => {
            setIndex(e.detail.index);
            const turn = d.pages[e.detail.index]?.upright_rotation;
            if (turn) viewer.current?.rotateTo(turn);
          },
        });
      } catch (e) { if (!cancelled) setError(e.message); }
    })();
    return () => {
      cancelled = true;
      viewer.current?.destroy();
      viewer.current = null;
      urls.forEach((u) => URL.revokeObjectURL(u));
    };
  }, [d]);

  function onKeyDown(e) {
    const v = viewer.current;
    if (!v || e.target.tagName === "INPUT" || e.target.tagName === "SELECT") return;
    const actions = { ArrowLeft: () => v.prev(), ArrowRight: () => v.next(), "+": () => v.zoom(0.2), "=": () => v.zoom(0.2),
      "-": () => v.zoom(-0.2), r: () => v.rotate(90), R: () => v.rotate(-90), 0: () => v.reset() };
    if (actions[e.key]) { e.preventDefault(); actions[e.key](); }
  }

  async function corrected(pageId) {
    const reading = await api(`/api/pages/${pageId}/reading`);
    setPages(pages.map((p) => (p.id === pageId ? { ...p, fields: reading.fields } : p)));
    onCorrected();
  }

  const page = pages[index];
  return html`<dialog id="viewer" ref=${dialog} onClose=${onClose} onKeyDown=${onKeyDown}>
    <div class="viewer-bar">
      <span id="viewer-title">${d.doc_type} 第 ${index + 1}/${d.pages.length} 页</span>
      <span class="muted">← → 翻页　+ − 缩放　R 旋转　0 复原　Esc 关闭</span>
      <button type="button" id="viewer-close" onClick=${() => dialog.current.close()}>关闭</button>
    </div>
    <div class="viewer-body">
      <div class="viewer-stage" ref=${stage}>${error ? html`<${Message} text=${error} />` : html`<p class="muted">正在加载页面…</p>`}</div>
      <aside class="viewer-side">
        <h3>识别的字段</h3>
        <p class="muted">文件类型（识别）：${page.doc_type_read || "—"}　状态：${kReadingStates[page.reading_state] || page.reading_state || "—"}${page.confidence != null ? `　整页可信度：${Math.round(page.confidence * 100)}%` : ""}</p>
        <${PageFields} page=${page} canCorrect=${can("file")} onCorrected=${() => corrected(page.id)} />
        <h3>纸质原件</h3>
        ${d.paper_on_loan ? html`<${LoanNotice} loan=${d.paper_on_loan} what="纸质原件" />`
          : d.paper_code ? html`<${DomNode} make=${() => loanRequestForm([d.paper_code], `${d.archive_no} ${d.doc_type}`)} />`
            : html`<p class="muted">纸质原件尚未入库</p>`}
      </aside>
    </div>
  </dialog>`;
}

// What a field's confidence rests on: the customer's record, its check character, or the reads
// of it that agreed.
function basisNote(f) {
  if (f.read) return `（识别为 ${f.read}，按档案更正一字）`;
  if (f.basis === "record") return f.recorded ? `（档案为 ${f.recorded}）` : "（与档案一致）";
  if (f.basis === "check_character") return "（校验位正确）";
  return "";
}

function PageFields({ page, canCorrect, onCorrected }) {
  const [editing, setEditing] = useState(null);
  const [value, setValue] = useState("");
  const [error, setError] = useState("");
  const fields = page.fields || {};
  const names = Object.keys(kPageFieldNames).filter((n) => fields[n] || editing === n);

  async function save(e) {
    e.preventDefault();
    try {
      await sendJson("PUT", `/api/pages/${page.id}/fields`, { [editing]: value.trim() });
      setEditing(null);
      setError("");
      onCorrected();
    } catch (err) { setError(err.message); }
  }

  return html`<table class="grid fields">
    <thead><tr><th>字段</th><th>内容</th><th>可信度</th>${canCorrect && html`<th></th>`}</tr></thead>
    <tbody>
      ${names.length === 0 && html`<tr><td colspan="4" class="muted">这一页没有识别出字段</td></tr>`}
      ${names.map((n) => {
        const f = fields[n] || { value: "", confidence: 0 };
        const low = !f.corrected_by && f.confidence < 0.8;
        return html`<tr key=${n} data-field=${n}>
          <th>${kPageFieldNames[n]}</th>
          <td>${editing === n ? html`<form onSubmit=${save} class="inline-form"><input value=${value} autofocus
              onInput=${(e) => setValue(e.target.value)} /><button type="submit">保存</button></form>` : f.value}</td>
          <td class=${low ? "confidence low" : "confidence"}>${f.corrected_by ? `人工更正（${f.corrected_by}）` : Math.round(f.confidence * 100) + "%" + basisNote(f)}</td>
          ${canCorrect && html`<td>${editing !== n && html`<button type="button" class="plain"
            onClick=${() => { setEditing(n); setValue(f.value); setError(""); }}>更正</button>`}</td>`}
        </tr>`;
      })}
    </tbody>
  </table>
  <${Message} text=${error} />`;
}
