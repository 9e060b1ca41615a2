// The admin's screens: the users and their roles (create, change roles or name, set a new
// password, disable), and the process rules: the version in force as a table and as its text,
// which the admin edits and puts in force as the next version; the earlier versions listed.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, sendJson as send } from "./api.js";
import { Message, html, time } from "./ui.js";

export const kRoleNames = {
  admin: "系统管理员", archivist: "档案管理员", auditor: "稽查人员", staff: "营业厅人员", approver: "借阅审批人", marketing: "营销系统接口",
  security_admin: "安全管理员", audit_admin: "审计管理员",
};

export function mountAdminDesk(target, me) {
  render(html`<${AdminDesk} me=${me} />`, target);
}

function AdminDesk({ me }) {
  // Once a security administrator exists, the first set-up's admin keeps the rules and the
  // calendar only: the users are the security administrator's (三员分立).
  const systemOnly = me && me.roles.includes("admin") && !me.roles.includes("security_admin") && me.duties_separated;
  return html`<div class="desk">
    ${systemOnly
      ? html`<p class="message" id="duties-note">安全管理员已设立：系统管理员只维护业务规则和节假日日历，用户和权限由安全管理员管理。</p>`
      : html`<${Users} me=${me} />`}
    <${Rules} />
  </div>`;
}

function RoleChoices({ chosen, onChange }) {
  return html`<span class="roles">${Object.entries(kRoleNames).map(([role, name]) => html`<label class="check" key=${role}>
    <input type="checkbox" checked=${chosen.includes(role)} value=${role}
      onChange=${(e) => onChange(e.target.checked ? [...chosen, role] : chosen.filter((r) => r !== role))} />${name}</label>`)}</span>`;
}

function Users({ me }) {
  const [users, setUsers] = useState([]);
  const [message, setMessage] = useState({ text: "", ok: true });
  const empty = { username: "", display_name: "", password: "", roles: ["staff"], unit: "", team: "", email: "", must_change_password: true };
  const [draft, setDraft] = useState(empty);

  async function load() {
    try { setUsers((await api("/api/users")).users); } catch (e) { setMessage({ text: e.message, ok: false }); }
  }
  useEffect(() => { load(); }, []);

  async function create(e) {
    e.preventDefault();
    try {
      await send("POST", "/api/users", draft);
      setMessage({ text: `已新建用户 ${draft.username}`, ok: true });
      setDraft(empty);
      load();
    } catch (err) { setMessage({ text: err.message, ok: false }); }
  }

  // Ends the user's sessions on every device (a lost phone, a leaver, a shared PC left signed in).
  async function signOut(user) {
    try {
      const { closed } = await api(`/api/users/${user.id}/sessions`, { method: "DELETE" });
      setMessage({ text: `已让 ${user.username} 在所有设备上退出（结束 ${closed} 处登录）`, ok: true });
    } catch (err) { setMessage({ text: `${user.username}：${err.message}`, ok: false }); }
  }

  async function change(user, body, done) {
    try {
      await send("PATCH", `/api/users/${user.id}`, body);
      setMessage({ text: `已保存：${user.username}（${done}）`, ok: true });
      load();
    } catch (err) { setMessage({ text: `${user.username}：${err.message}`, ok: false }); }
  }

  return html`<section class="card" id="users-card">
    <h2>用户与角色</h2>
    <table class="grid users">
      <thead><tr><th>用户名</th><th>姓名</th><th>单位 / 班组</th><th>角色</th><th>状态</th><th>操作</th></tr></thead>
      <tbody>${users.map((u) => html`<${UserRow} key=${u.id} user=${u} me=${me} onChange=${change} onSignOut=${signOut} />`)}</tbody>
    </table>
    <${Message} text=${message.text} ok=${message.ok} />
    <form class="inline-form" id="new-user" onSubmit=${create}>
      <h3>新建用户</h3>
      <label>用户名 <input name="username" required value=${draft.username} placeholder="小写字母、数字"
        onInput=${(e) => setDraft({ ...draft, username: e.target.value.trim() })} /></label>
      <label>姓名 <input name="display_name" value=${draft.display_name}
        onInput=${(e) => setDraft({ ...draft, display_name: e.target.value })} /></label>
      <label>初始密码 <input name="password" type="password" required value=${draft.password} autocomplete="new-password"
        placeholder="8 位以上，含大写、小写、数字、符号中的 3 类" title="不能含用户名，不能是常见密码"
        onInput=${(e) => setDraft({ ...draft, password: e.target.value })} /></label>
      <label class="check"><input type="checkbox" name="must_change_password" checked=${draft.must_change_password}
        onChange=${(e) => setDraft({ ...draft, must_change_password: e.target.checked })} />首次登录须修改密码</label>
      <label>供电单位 <input name="unit" list="known-units" autocomplete="off" value=${draft.unit} onInput=${(e) => setDraft({ ...draft, unit: e.target.value })} /></label>
      <label>班组 <input name="team" value=${draft.team} placeholder="如：营业一班" onInput=${(e) => setDraft({ ...draft, team: e.target.value })} /></label>
      <label>电子邮箱 <input name="email" type="email" value=${draft.email} placeholder="接收催办通知（可不填）"
        onInput=${(e) => setDraft({ ...draft, email: e.target.value.trim() })} /></label>
      <${RoleChoices} chosen=${draft.roles} onChange=${(roles) => setDraft({ ...draft, roles })} />
      <button type="submit">新建</button>
    </form>
  </section>`;
}

function UserRow({ user, me, onChange, onSignOut }) {
  const [roles, setRoles] = useState(user.roles);
  const [password, setPassword] = useState("");
  const changed = roles.join() !== user.roles.join();
  return html`<tr data-user=${user.username}>
    <td>${user.username}</td>
    <td>${user.display_name}</td>
    <td>${user.unit ? user.unit + (user.team ? " / " + user.team : "") : "—"}${user.email && html`<br /><span class="muted">${user.email}</span>`}</td>
    <td><${RoleChoices} chosen=${roles} onChange=${setRoles} />
      ${changed && html`<button type="button" onClick=${() => onChange(user, { roles }, "角色")}>保存角色</button>`}</td>
    <td>${user.disabled ? html`<span class="signal red">已停用</span>` : "启用"}
      ${user.locked_until && new Date(user.locked_until) > new Date() && html`<br /><span class="signal yellow">多次输错密码，锁定至 ${time(user.locked_until)}</span>
        <button type="button" class="plain" onClick=${() => onChange(user, { unlock: true }, "解锁")}>解锁</button>`}
      <button type="button" class="plain" title="结束此用户在所有设备上的登录" onClick=${() => onSignOut(user)}>强制下线</button></td>
    <td class="actions">
      <input type="password" placeholder="新密码" value=${password} autocomplete="new-password" onInput=${(e) => setPassword(e.target.value)} />
      <button type="button" class="plain" disabled=${!password} onClick=${() => { onChange(user, { password }, "密码"); setPassword(""); }}>重设密码</button>
      ${user.id !== me.id && html`<button type="button" class="plain"
        onClick=${() => onChange(user, { disabled: !user.disabled }, user.disabled ? "启用" : "停用")}>${user.disabled ? "启用" : "停用"}</button>`}
    </td>
  </tr>`;
}

function Rules() {
  const [rules, setRules] = useState(null);
  const [versions, setVersions] = useState([]);
  const [text, setText] = useState("");
  const [message, setMessage] = useState({ text: "", ok: true });

  async function load() {
    try {
      // Both answers are shown together, so the version in force and the list of versions never disagree on screen.
      const [current, history] = await Promise.all([api("/api/rules"), api("/api/rules/versions")]);
      setRules(current);
      setText(current.text);
      setVersions(history.versions);
    } catch (e) { setMessage({ text: e.message, ok: false }); }
  }
  useEffect(() => { load(); }, []);

  async function install(e) {
    e.preventDefault();
    try {
      const installed = await send("PUT", "/api/rules", { text });
      setMessage({ text: `新规则已生效：第 ${installed.version} 版`, ok: true });
      load();
    } catch (err) { setMessage({ text: err.message, ok: false }); }
  }

  return html`<section class="card" id="rules-card">
    <h2>业务流程归档规则</h2>
    ${rules && html`<p>现行第 ${rules.version} 版，自 ${time(rules.in_force_from)} 起生效（${rules.created_by === "system" ? "系统" : rules.created_by}）。
      评分权重：归档及时率 ${rules.weights.timeliness}，质量 ${rules.weights.quality}，流程时限 ${rules.weights.deadlines}</p>
    <table class="grid rules">
      <thead><tr><th>业务流程</th><th>环节</th><th>时限（小时）</th><th>应归档资料</th></tr></thead>
      <tbody>${rules.processes.flatMap((p) => p.steps.map((s, i) => html`<tr key=${p.process + s.step}>
        <td>${i === 0 ? p.process : ""}</td><td>${s.step}</td><td>${s.deadline_hours}</td>
        <td>${s.documents.map((d) => `${d.doc_type}${d.mandatory ? "" : "（可选）"}·${d.retention}`).join("、")}</td>
      </tr>`))}</tbody>
    </table>`}
    <form onSubmit=${install} id="rules-form">
      <label>规则文本（每行一条，格式见文本开头的说明：<code>document</code>,业务流程,环节,资料名称,<code>mandatory</code>（必需）或
        <code>optional</code>（可选）,保管期限,时限小时；<code>limit</code>,业务流程,环节,起算环节,工作日数,黄色预警天数；
        <code>weight</code>,指标,分值。有错的行会被指出，整份规则不生效）
        <textarea rows="12" value=${text} onInput=${(e) => setText(e.target.value)} spellcheck="false"></textarea></label>
      <button type="submit">作为新版本生效</button>
    </form>
    <${Message} text=${message.text} ok=${message.ok} />
    <h3>历史版本</h3>
    <ul>${versions.map((v) => html`<li key=${v.version}>第 ${v.version} 版　${time(v.in_force_from)}　${v.created_by === "system" ? "系统" : v.created_by}　${v.source === "api" ? "在系统管理中修改" : "随系统提供的规则文件"}</li>`)}</ul>
  </section>`;
}
