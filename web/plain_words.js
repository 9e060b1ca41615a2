// The API's messages (its errors, and why a scanned page waits for review) are written for
// integrators, in English (the shelving desk's are already Chinese). The browser shows each in
// plain Chinese: the messages a person can cause at a screen are translated here, keeping the
// values they name; any other error is shown under a sentence that says what kind of problem it
// is, with the server's words kept after it so nothing is hidden.
const han = /[\u4e00-\u9fff]/;

const kPhrases = [
  // signing in and sessions
  [/^wrong username or password, or the account is disabled or locked for a while$/, () => "用户名或密码错误，或账号已停用、因多次输错暂被锁定（15 分钟后再试，或请管理员解锁）"],
  [/^unlock must be true or false$/, () => "解锁的值不对"],
  [/^the session is invalid or has expired; sign in again$/, () => "登录已过期，请重新登录"],
  [/^sign in first/, () => "请先登录"],
  [/^your roles do not allow (.+)$/, () => "您的角色无权进行此操作"],
  // users
  [/^password must have at least (\d+) characters$/, (n) => `密码至少 ${n} 个字符`],
  [/^password must have at most (\d+) characters$/, (n) => `密码最多 ${n} 个字符`],
  [/^username must be 2-32 characters/, () => "用户名须为 2 至 32 个字符：小写字母、数字、下划线、点或连字符"],
  [/^username '(.+)' is taken$/, (u) => `用户名 ${u} 已被使用`],
  [/^a user needs at least one role$/, () => "每个用户至少要有一个角色"],
  [/^unknown role '(.+)'$/, (r) => `没有“${r}”这个角色`],
  [/^you cannot disable yourself or remove your own admin role$/, () => "不能停用自己，也不能去掉自己的管理员角色"],
  // process rules (the line is named first: "line N: ...")
  // A bad line is listed under the message (its rows); any other reason is said here.
  [/^the rules are not valid: (.+)$/s, (why) => (/^line \d+:/.test(why) ? "规则有误，没有生效" : `规则有误，没有生效：${inPlainWords(why)}`)],
  [/^line (\d+): (.+)$/, (n, rest) => `第 ${n} 行有误：${inPlainWords(rest)}`],
  [/^a rule starts with 'document', 'limit' or 'weight', not '(.*)'$/, (w) => `每条规则须以 document、limit 或 weight 开头，而不是“${w}”`],
  [/^a limit has 6 fields.*this one has (\d+)/, (n) => `时限规则应有 6 项，这一行有 ${n} 项`],
  [/^the limit must be a whole number of working days from 1 to 365, not '(.*)'$/, (w) => `服务时限须为 1 至 365 的整数个工作日，而不是“${w}”`],
  [/^the yellow days must be a whole number from 0 to (\d+), not '(.*)'$/, (n, w) => `黄色预警天数须为 0 至 ${n} 的整数，而不是“${w}”`],
  [/^(.+) already has a time limit$/, (s) => `${s} 已有服务时限`],
  [/^a step's limit must start from another step$/, () => "时限须从另一个环节起算"],
  [/^a document rule has 7 fields.*this one has (\d+)/, (n) => `资料规则应有 7 项，这一行有 ${n} 项`],
  [/^the fifth field must be 'mandatory' or 'optional', not '(.*)'$/, (w) => `第 5 项须为 mandatory（必需）或 optional（可选），而不是“${w}”`],
  [/^retention must be 永久, 30年 or 10年, not '(.*)'$/, (w) => `保管期限须为 永久、30年 或 10年，而不是“${w}”`],
  [/^the deadline must be a whole number of hours from 1 to 8760, not '(.*)'$/, (w) => `时限须为 1 至 8760 的整数小时，而不是“${w}”`],
  [/^the weights timeliness, quality and deadlines must add up to 100$/, () => "归档及时率、质量、流程时限三项权重之和须为 100"],
  // process control: waivers, cancellation, the calendar
  [/^a waiver needs a reason/, () => "申请豁免须写明理由"],
  [/^turning a waiver down needs a reason$/, () => "驳回豁免申请须写明原因"],
  [/^a waiver is confirmed by another person than the one who proposed it$/, () => "豁免须由申请人以外的人确认"],
  [/^a waiver of this document is already waiting for an auditor$/, () => "这份资料的豁免申请已在等待稽查人员确认"],
  [/^no waiver of this document has been proposed$/, () => "这份资料没有待确认的豁免申请"],
  [/^the document is waived already$/, () => "这份资料已经豁免"],
  [/^the document is filed already; a filed document is not waived$/, () => "这份资料已经归档，无需豁免"],
  [/^no expected document (\d+)$/, (n) => `没有编号为 ${n} 的应归档资料`],
  [/^a cancellation needs a reason/, () => "撤销流程须写明原因"],
  [/^note must say what was done/, () => "请写明已做的整改"],
  [/^evidence (\d+) \((.+)\): (.+)$/, (n, name) => `证据页 ${n}（${name}）不是可打开的图像`],
  [/^at most 20 evidence pages with one report$/, () => "一次最多附 20 张证据页"],
  [/^process (\S+) is already cancelled$/, (p) => `流程 ${p} 已经撤销`],
  [/^no process (\S+)/, (p) => `没有申请编号为 ${p} 的流程（营销系统尚未报送它的任何环节）`],
  [/^the calendar is not valid: (.+)$/s, (why) => (/^line \d+:/.test(why) ? "节假日日历有误，没有生效" : `节假日日历有误，没有生效：${inPlainWords(why)}`)],
  [/^the calendar is of (\d+), not (\d+)$/, (a, b) => `日历是 ${a} 年的，不是 ${b} 年的`],
  [/^(\S+) is a weekday already; only weekend days are worked in exchange$/, (d) => `${d} 本来就是工作日；调休上班只能是周末`],
  [/^email must be an address such as/, () => "电子邮箱格式不对（如 name@example.com）"],
  [/^a team belongs to a unit: give the unit too$/, () => "班组属于供电单位：请同时填写供电单位"],
  [/^unit and team are at most 64 bytes$/, () => "供电单位和班组名称太长"],
  [/^the rules name no documents$/, () => "规则中没有任何资料"],
  [/^unknown process '(.+?)'/, (p) => `没有“${p}”这种业务流程`],
  [/^unknown doc(?:ument)?_?type '(.+?)'/, (t) => `没有“${t}”这种文件类型`],
  // customers, scans and batches
  [/^(\d+) problem\(s\) in the batch, first on line (\d+): (.+); nothing was imported$/s,
    (n, line, first) => `共 ${n} 处错误，整批未导入；第一处在第 ${line} 行：${inPlainWords(first)}`],
  // audits
  [/^filter\.process: (.+)$/, (why) => inPlainWords(why)],
  [/^filter\.from is after filter\.to$/, () => "稽查范围的开始日期晚于结束日期"],
  [/^filter\.(\w+) must be a date/, (f) => `稽查范围的${f === "from" ? "开始" : "结束"}日期格式不对（应为 年-月-日）`],
  [/^unknown filter '(.+)'/, (f) => `稽查范围中没有“${f}”这一项`],
  [/^no customer with account_no (\S+)$/, (a) => `没有户号为 ${a} 的客户`],
  [/^query parameter q \(or doc_type\) is required$/, () => "请输入要查找的内容或选择文件类型"],
  [/^field (\w+) is required$/, (f) => `请填写${fieldName(f)}`],
  [/^field (\w+) is longer than (\d+) bytes$/, (f) => `${fieldName(f)}太长`],
  [/^(?:file \d+ \((.+)\)|(.+)): not a scan \(expected JPEG, PNG, TIFF or PDF\)$/, (inParentheses, bare) => `${inParentheses || bare} 不是扫描件（应为 JPEG、PNG、TIFF 或 PDF）`],
  [/^no files: send the (?:scans|page images) in parts named 'files'$/, () => "请选择要上传的扫描文件"],
  [/^(?:upload|file) is larger than (.+)$/, (n) => `文件太大（上限 ${n}）`],
  [/^CSV header must name at least the columns/, () => "CSV 首行须至少有“户号”和“户名”两列"],
  [/^CSV has no header row$/, () => "CSV 文件没有表头行"],
  [/^text is neither UTF-8 nor GB18030$/, () => "文件编码无法识别（应为 UTF-8 或 GB18030）"],
  [/^the batch has no rows$/, () => "文件中没有客户数据"],
  [/^a page of this document was filed already$/, () => "这份文件的页面已经归档过了"],
  [/^page (\d+) is not waiting in review/, (n) => `第 ${n} 页已不在待处理队列中（可能已被别人处理）`],
  [/^a reason \(at most 500 bytes\) is required to discard a page$/, () => "剔除页面须填写原因"],
  // why a scanned page waits for a person (the batch desk's reasons)
  [/^no cover sheet before this page/, () => `这一页前面没有封面，不知道属于哪户`],
  [/^cover sheet (\S+) was not printed by this archive/, (sheet) => `封面 ${sheet} 不是本系统打印的`],
  [/^cover sheet (\S+) does not match customer (\S+)/, (sheet, account) => `封面 ${sheet} 与户号 ${account} 不符`],
  [/^cover sheet (\S+) does not match its process/, (sheet) => `封面 ${sheet} 与业务流程不符`],
  [/^separator sheet names an unknown document type (\S+)/, (type) => `分隔页上的文件类型 ${type} 未知`],
  [/^OCR could not read this page.*/, () => `文字识别无法读取此页`],
  [/^no key field could be read on this page/, () => `此页未识别出户号、户名等关键字段`],
  [/^no customer matches the fields read on this page/, () => `识别出的字段与任何客户都对不上`],
  [/^no customer matches this page's account number, ID number, or name and address/, () => `户号、证件号码、户名加地址都没有对上客户`],
  [/^the fields read point to more than one customer/, () => `识别出的字段指向不止一户`],
  [/^customer (\S+) matches, but (.+) read on the page differ from the record/, (account, fields) => `户号 ${account} 对上了，但页面上的 ${fieldWords(fields)} 与客户档案不一致`],
  [/^only one field \((\S+)\) matches customer (\S+); a second must agree/, (field, account) => `只有 ${fieldWords(field)} 与客户 ${account} 相符，还需要另一项相符才能自动归档`],
  [/^customer (\S+) found, but the business type could not be read/, (account) => `找到客户 ${account}，但未识别出业务类型`],
  // fields read from pages
  [/^account_no must contain digits only$/, () => "户号只能是数字"],
  [/^account_no must have (\d+) to (\d+) digits$/, (a, b) => `户号应为 ${a} 至 ${b} 位数字`],
  [/^resident ID check character is wrong \(expected (\w)\)/, (c) => `身份证号码校验位不对（应为 ${c}）`],
  [/^resident ID must start with 17 digits$/, () => "身份证号码前 17 位须为数字"],
  [/^phone must be a mobile number/, () => "电话应为 11 位手机号，或带区号的固定电话"],
  [/^phone contains characters other than digits and '-'$/, () => "电话只能有数字和“-”"],
  [/^(\w+) must be a date that exists, as YYYY-MM-DD$/, (f) => `${fieldName(f)}须为存在的日期（年-月-日）`],
  [/^(\w+) must be 4 to 32 capital letters, digits or '-'$/, (f) => `${fieldName(f)}须为 4 至 32 位大写字母、数字或“-”`],
  // quality gates
  [/^a rejection needs a reason$/, () => "退回须写明原因"],
  [/^reason is longer than 500 bytes$/, () => "原因太长（最多约 160 个汉字）"],
  [/^only the filer \((.+)\) self-checks a document$/, (who) => `只有归档人（${who}）能自检这份文件`],
  [/^a filer does not review their own document$/, () => "归档人不能复核自己归档的文件"],
  [/^your roles do not allow verdicts at the (\w+) gate$/, (g) => `您的角色不能做${kGateNames[g] || g}`],
  [/^document (\d+) is not at the (\w+) gate: it waits for (.+)$/, (n, g, waits) => `文件 ${n} 不在${kGateNames[g] || g}这一关（${kWaitingFor[waits] || waits}），可能已被别人处理，请刷新`],
  // contract terms
  [/^contract_no must be 1 to 64 bytes$/, () => "请填写合同编号（最多 64 个字符）"],
  [/^(signed_on|expires_on) must be a date \(YYYY-MM-DD\)$/, (f) => `请填写${fieldName(f)}`],
  [/^expires_on must be after signed_on$/, () => "到期日期须晚于签订日期"],
  [/^document (\d+) is a (.+), not a supply contract$/, (n, t) => `文件 ${n} 是${t}，不是供用电合同`],
  [/^document (\d+) has a newer version; record the terms on it$/, (n) => `文件 ${n} 已有新版本，请在新版本上登记`],
  // loans
  [/^until must be a date \(YYYY-MM-DD\)$/, () => "请填写归还日期"],
  [/^until (\S+) is in the past$/, (d) => `归还日期 ${d} 已经过去`],
  [/^until is more than a year away$/, () => "借阅期限不能超过一年"],
  [/^a reason is required to reject a loan$/, () => "驳回借阅须填写原因"],
  [/^(\S+) \((.+)\) comes back with (\d+) of its (\d+) pages/, (code, label, counted, lent) =>
    `${label}（${code}）清点为 ${counted} 页，借出时为 ${lent} 页：页数不符，原件仍记为借出；请核对页数后再扫，或登记遗失`],
  [/^(\S+) is already out on loan (\d+)/, (code, n) => `${code} 已在借阅单 ${n} 中借出`],
  [/^its volume (\S+) is out on loan (\d+)$/, (code, n) => `所在案卷 ${code} 已在借阅单 ${n} 中整卷借出`],
  [/^its item (\S+) is out on loan (\d+)$/, (code, n) => `卷内文件 ${code} 已在借阅单 ${n} 中借出`],
  [/^(\S+) cannot be lent: (.+)$/, (c, why) => `${c} 不能借出：${inPlainWords(why)}`],
  [/^(\S+) is not out on loan (\d+)$/, (c, n) => `${c} 不在借阅单 ${n} 的借出清单中`],
  [/^(\S+) is not waiting to be lent on loan (\d+)$/, (c, n) => `${c} 不在借阅单 ${n} 的待借出清单中`],
  [/^(\S+) is not on loan (\d+)$/, (c, n) => `${c} 不在借阅单 ${n} 中`],
  [/^loan (\d+) is (\w+), not lent$/, (n) => `借阅单 ${n} 当前不是借出状态`],
  [/^loan (\d+) has been renewed (\d+) time\(s\), the most its purpose allows/, (n, k) => `借阅单 ${n} 已续借 ${k} 次，达到该用途允许的上限`],
  [/^you requested loan (\d+): another approver must decide it/, (n) => `借阅单 ${n} 是您本人申请的，须由其他审批人审批`],
];

// The fields OCR reads from a page, in the order a page's fields are listed.
export const kPageFieldNames = {
  account_no: "户号", name: "户名", id_number: "证件号码", phone: "联系电话", address: "用电地址",
  application_no: "申请编号", business_type: "业务类型", date: "日期", contract_no: "合同编号",
  signed_on: "签订日期", expires_on: "到期日期",
};
const kFieldNames = { ...kPageFieldNames, process_id: "流程编号", process: "业务流程", doc_type: "文件类型", note: "备注" };
export const fieldName = (f) => kFieldNames[f] || f;

const kGateNames = { self: "自检", collect: "档案员复核", audit: "稽查抽检" };
const kWaitingFor = { "self-check": "它在等归档人自检", "the collector's review": "它在等档案员复核",
  "the audit spot check": "它在等稽查抽检", "nothing (it passed every gate)": "它已通过全部检查" };

// "name, phone" as the page prints them: "户名, 联系电话".
const fieldWords = (text) => text.replace(/\b\w+\b/g, (name) => kPageFieldNames[name] || name);

const kByStatus = {
  400: "填写的内容有误", 401: "请先登录", 403: "您的角色无权进行此操作", 404: "找不到要找的记录", 409: "与档案中现有的记录冲突",
  413: "文件太大", 415: "文件格式不支持", 422: "内容无法处理",
};

// A message the table knows, in plain Chinese; null for any other.
export function knownPhrase(message) {
  for (const [pattern, say] of kPhrases) {
    const m = message.match(pattern);
    if (m) return say(...m.slice(1));
  }
  return null;
}

// One message from the API in plain Chinese. status: the HTTP status, for messages not known here.
export function inPlainWords(message, status) {
  if (!message) return status >= 500 ? "服务器出错，请稍后重试" : "操作未完成";
  const known = knownPhrase(message);
  if (known) return known;
  // Written in Chinese by the server (the shelving desk's answers), not English naming Chinese.
  if (han.test(message) && !/[a-z]{3,} [a-z]{3,}/.test(message)) return message;
  const kind = status >= 500 ? "服务器出错，请稍后重试或联系管理员" : kByStatus[status] || "操作未完成";
  return `${kind}（${message}）`;
}
