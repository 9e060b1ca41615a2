// The audit log (操作日志) for auditors: who did what to which record, and who looked at which
// customer's pages, newest first, filtered by user, kind of record and record number, with
// older entries fetched on demand. Actions are named in Chinese; the code stays in the tooltip.
import { useEffect, useState } from "preact/hooks";
import { api } from "./api.js";
import { fieldName } from "./plain_words.js";
import { Message, html, mountAfresh, time } from "./ui.js";

const kObjects = {
  customer: "客户", document: "文件", page: "页面", batch: "扫描批次", batch_page: "待处理页面", loan: "借阅单",
  item: "纸质文件", container: "档案盒/案卷", shelf: "架位", paper: "纸质档案", stocktake: "盘点", user: "用户",
  rules: "归档规则", process: "业务流程", audit: "稽查", spot_check: "抽检单", rectification: "整改单",
  cover_sheet: "扫描封面", contracts: "合同台账", expectations: "时限明细", staff: "待办",
  expectation: "应归档资料", calendar: "节假日日历", day: "催办日", time_limits: "流程时限明细",
  audit_log: "审计日志",
};

const kActions = {
  login: "登录", logout: "退出", "logout.everywhere": "在所有设备上退出",
  "audit.chain_broken": "审计日志校验失败（自此条起记录被改动或删除）", "password.confirm_failed": "修改密码时当前密码输错", "audit_log.export": "导出审计日志", "login.failed": "登录失败", "login.locked": "多次输错密码，账号锁定", "user.create": "新建用户", "user.change": "修改用户",
  "customer.create": "新建客户", "customer.update": "更新客户资料", "customer.view": "查看客户", "efile.view": "查看电子档案",
  "document.file": "归档文件", "document.supersede": "补扫新版本", "document.view": "查看文件",
  "page.view": "查看页面", "page.thumbnail": "查看缩略图", "page.reading.view": "查看识别结果", "page.field.correct": "更正识别字段",
  "batch.create": "上传扫描批次", "batch.finish": "批次处理完成", "batch_page.view": "查看待处理页面", "review.discard": "剔除页面",
  "cover_sheet.print": "打印扫描封面", "quality.pass": "质量检查通过", "quality.reject": "质量检查退回",
  "contract.terms": "登记合同期限", "contracts.view": "查看合同台账", "reminders.view": "查看待办", "expectations.view": "查看时限明细",
  "event.record": "接收业务环节", "rules.install": "启用归档规则",
  "audit.request": "发起稽查", "audit.view": "查看稽查结果", "audit.report": "下载稽查报告", "audit.export": "导出问题清单",
  "spot_check.draw": "抽取抽检样本", "spot_check.view": "查看抽检单",
  "rectification.raise": "下发整改单", "rectification.rectified": "反馈已整改", "rectification.close": "核实销号",
  "rectification.reopen": "整改不合格重开",
  "loan.request": "申请借阅", "loan.approve": "批准借阅", "loan.reject": "驳回借阅", "loan.lend": "借出", "loan.renew": "续借",
  "loan.return": "归还", "loan.lost": "登记遗失", "loan.remind": "催还",
  "shelves.add": "新建架位", "boxes.add": "新建档案盒", "volume.open": "新建案卷", "paper.place": "装盒", "paper.shelve": "上架",
  "paper.view": "查询纸质档案位置", "stocktake.start": "开始盘点", "stocktake.close": "结束盘点",
  "waiver.propose": "申请豁免", "waiver.confirm": "确认豁免", "waiver.reject": "驳回豁免", "process.cancel": "撤销流程",
  "process.view": "查看流程", "process.gate.refused": "环节闸门未放行", "calendar.install": "启用节假日日历",
  "notifications.run": "生成催办通知", "time_limits.view": "查看流程时限", "rectification.evidence.view": "查看整改证据页",
  "audit.done": "稽查完成", "audit.failed": "稽查失败",
};

// The names of an entry's details, and the codes among their values, in Chinese.
const kDetailNames = {
  client: "客户端", gate: "关口", passed: "是否通过", purpose: "借阅用途", reason: "原因", customer_id: "客户内部编号",
  voltage_area: "区域", state: "状态", source: "来源", bytes: "字节数", version: "版本", roles: "角色", disabled: "停用",
  display_name: "姓名", password: "密码", team: "班组", unit: "供电单位", email: "电子邮箱", username: "用户名",
  event_id: "事件编号", step: "环节", staff: "办理人", completed_at: "完成时间", rules_version: "规则版本", expected: "应归档资料",
  waived: "豁免份数", missing: "缺失", late: "逾期", on_time: "按时", pending: "时限内未归档", customers: "客户数", processes: "流程数",
  owner: "责任人", due_on: "期限", description: "问题", source_ref: "来源编号", evidence_pages: "证据页数", verified: "核实通过",
  notifications: "通知数", items: "事项数", capacity: "容量", count: "数量", room: "库房", racks: "架号", faces: "面", levels: "层",
  shelf: "架位", shelves: "架位", position: "位置", into: "放入", seed: "随机种子", per_unit: "每单位抽取", drawn: "抽取数",
  scope: "范围", until: "归还日期", files: "文件数", pages: "页数", error: "错误", field: "字段", value: "值", original: "原值",
  symbology: "码制", seq: "序号", from: "从", to: "到", contract_no: "合同编号", signed_on: "签订日期", expires_on: "到期日期",
  auto_renew: "自动续签", supersedes: "替代文件", archive_no: "档号", level: "层", source_name: "来源", voltage: "电压等级",
  failures: "连续失败次数", unlocked: "解锁", entries: "记录总数", must_change_password: "须修改密码",
};
const kDetailValues = {
  self: "自检", collect: "档案员复核", audit: "稽查抽检", collected: "已复核", audited: "已抽检",
  true: "是", false: "否",
  "bad credentials": "用户名或密码错误", "account disabled": "账号已停用", locked: "账号锁定中", disabled: "账号已停用", done: "完成", failed: "失败", running: "进行中", queued: "排队中",
  open: "办理中", closed: "已结束", lent: "已借出", returned: "已归还", lost: "遗失", requested: "待审批", approved: "已批准",
  rejected: "已驳回", api: "系统管理界面", ocr: "文字识别", entered: "人工登记", manual: "人工", spot_check: "抽检",
  low: "低压", high: "高压", changed: "已修改", web: "网页", upload: "上传", watch: "扫描热文件夹",
  not_filed: "未归档", not_checked: "未自检",
};
// Codes whose word depends on the detail they are in.
const kDetailValuesOf = {
  purpose: { judicial: "司法纠纷", audit: "审计检查", business: "业务变更", other: "其他" },
  roles: { admin: "系统管理员", archivist: "档案管理员", auditor: "稽查人员", staff: "业务人员", approver: "借阅审批人", marketing: "营销系统接口",
    security_admin: "安全管理员", audit_admin: "审计管理员" },
};
const detailValue = (key, v) => {
  if (Array.isArray(v)) return v.map((x) => detailValue(key, x)).join("、");
  if (typeof v === "object" && v !== null) return JSON.stringify(v);
  const text = String(v);
  if (key === "source" && text.startsWith("/")) return "随系统提供的文件";  // a server path means nothing to a reader
  return kDetailValuesOf[key]?.[text] ?? kDetailValues[text] ?? text;
};

const kPageSize = 100;

// An object id as a person reads it (a list's filter is kept as its query string).
function readable(id) {
  try { return decodeURIComponent(id).replaceAll("&", "，"); } catch { return id; }
}

// An entry's detail (a JSON object) as "名称：值" pairs, in Chinese where the archive has a word.
function detailText(detail) {
  try {
    return Object.entries(JSON.parse(detail)).map(([k, v]) => `${kDetailNames[k] || fieldName(k)}：${detailValue(k, v)}`).join("；");
  } catch { return detail; }
}

// The archive's own workers act under names of their own.
const kSystemActors = { system: "系统", ocr: "文字识别（系统）" };
const actorName = (username) => (!username ? "系统" : kSystemActors[username] || username);

export function mountAuditTrail(target) {
  mountAfresh(target, AuditTrail);
}

function AuditTrail() {
  const [filter, setFilter] = useState({ username: "", object_type: "", object_id: "" });
  const [entries, setEntries] = useState([]);
  const [more, setMore] = useState(false);
  const [error, setError] = useState("");

  async function load(before) {
    const query = new URLSearchParams({ limit: String(kPageSize) });
    for (const [k, v] of Object.entries(filter)) if (v.trim()) query.set(k, v.trim());
    if (before) query.set("before", String(before));
    try {
      const page = (await api("/api/audit?" + query)).entries;
      setEntries(before ? [...entries, ...page] : page);
      setMore(page.length === kPageSize);
      setError("");
    } catch (e) { setError(e.message); }
  }
  useEffect(() => { load(); }, []);

  const field = (name) => ({ name, value: filter[name], onInput: (e) => setFilter({ ...filter, [name]: e.target.value }) });
  return html`
    <form class="inline-form" id="trail-form" onSubmit=${(e) => { e.preventDefault(); load(); }}>
      <label>用户名 <input ...${field("username")} placeholder="全部" /></label>
      <label>对象 <select ...${field("object_type")}>
        <option value="">全部</option>
        ${Object.entries(kObjects).map(([k, name]) => html`<option key=${k} value=${k}>${name}</option>`)}
      </select></label>
      <label>编号（户号、文件号等） <input ...${field("object_id")} /></label>
      <button type="submit">查询</button>
    </form>
    <${Message} text=${error} />
    ${entries.length === 0 ? html`<p class="muted">没有符合条件的记录</p>` : html`<table class="grid" id="trail">
      <thead><tr><th>时间</th><th>用户</th><th>操作</th><th>对象</th><th>详情</th></tr></thead>
      <tbody>${entries.map((e) => html`<tr key=${e.id} data-action=${e.action}>
        <td>${time(e.at)}</td><td>${actorName(e.username)}</td><td title=${e.action}>${kActions[e.action] || e.action}</td>
        <td>${kObjects[e.object_type] || e.object_type} ${readable(e.object_id)}</td><td class="detail">${e.detail ? detailText(e.detail) : ""}</td>
      </tr>`)}</tbody>
    </table>`}
    ${more && html`<button type="button" class="plain" onClick=${() => load(entries[entries.length - 1].id)}>加载更早的记录</button>`}`;
}
