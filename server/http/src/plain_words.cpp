#include "dangan/http/plain_words.h"

#include <cctype>
#include <map>
#include <regex>
#include <string>
#include <vector>

namespace dangan::server {

namespace {

// Each message a person can cause at a screen, and what it says in Chinese: {N} is the pattern's
// group N as it stands; {fN} the group as a field's Chinese name, {wN} a list of field names so,
// {pN} the group in plain Chinese in its turn, {gN} a quality gate's name, {qN} what a document
// waits for.
struct Phrase {
    const char* pattern;
    const char* say;
};

const Phrase kPhrases[] = {
    // signing in and sessions
    {R"(^wrong username or password, or the account is disabled or locked for a while$)", "用户名或密码错误，或账号已停用、因多次输错暂被锁定（15 分钟后再试，或请管理员解锁）"},
    {R"(^unlock must be true or false$)", "解锁的值不对"},
    {R"(^the session is invalid or has expired; sign in again$)", "登录已过期，请重新登录"},
    {R"(^sign in first)", "请先登录"},
    {R"(^your roles do not allow (.+)$)", "您的角色无权进行此操作"},
    // users
    {R"(^password must have at least (\d+) characters$)", "密码至少 {1} 个字符"},
    {R"(^password must have at most (\d+) characters$)", "密码最多 {1} 个字符"},
    {R"(^password must mix at least (\d) of)", "密码须含有小写字母、大写字母、数字、其他符号中的至少 {1} 类"},
    {R"(^password must not contain the username$)", "密码不能包含用户名"},
    {R"(^password is one of the most used passwords$)", "这是最常用的密码之一，请换一个"},
    {R"(^password is too easy to guess)", "密码太容易被猜到（常见单词、键盘或数字序列、重复字符等），请换一个"},
    {R"(^username must be 2-32 characters)", "用户名须为 2 至 32 个字符：小写字母、数字、下划线、点或连字符"},
    {R"(^username '(.+)' is taken$)", "用户名 {1} 已被使用"},
    {R"(^a user needs at least one role$)", "每个用户至少要有一个角色"},
    {R"(^unknown role '(.+)'$)", "没有“{1}”这个角色"},
    {R"(^no user (\d+)$)", "没有编号为 {1} 的用户"},
    {R"(^after must be an entry id)", "起始记录编号须为正整数或 0"},
    {R"(^change the password an administrator set first)", "请先修改管理员设置的初始密码"},
    {R"(^the current password is wrong)", "当前密码不对（多次输错会锁定账号 15 分钟）"},
    {R"(^the new password must differ from the current one$)", "新密码不能与当前密码相同"},
    {R"(^give the current password and the new one$)", "请填写当前密码和新密码"},
    {R"(^you cannot disable yourself or change your own roles$)", "不能停用自己，也不能改自己的角色（请另一位管理员操作）"},
    // process rules (the line is named first: "line N: ...")
    // A bad line is listed under the message (its rows); any other reason is said here.
    {R"(^the rules are not valid: line \d+:[\s\S]*$)", "规则有误，没有生效"},  // the bad lines are listed under it
    {R"(^the rules are not valid: ([\s\S]+)$)", "规则有误，没有生效：{p1}"},
    {R"(^line (\d+): (.+)$)", "第 {1} 行有误：{p2}"},
    {R"(^a rule starts with 'document', 'limit' or 'weight', not '(.*)'$)", "每条规则须以 document、limit 或 weight 开头，而不是“{1}”"},
    {R"(^a limit has 6 fields.*this one has (\d+))", "时限规则应有 6 项，这一行有 {1} 项"},
    {R"(^the limit must be a whole number of working days from 1 to 365, not '(.*)'$)", "服务时限须为 1 至 365 的整数个工作日，而不是“{1}”"},
    {R"(^the yellow days must be a whole number from 0 to (\d+), not '(.*)'$)", "黄色预警天数须为 0 至 {1} 的整数，而不是“{2}”"},
    {R"(^(.+) already has a time limit$)", "{1} 已有服务时限"},
    {R"(^a step's limit must start from another step$)", "时限须从另一个环节起算"},
    {R"(^a document rule has 7 fields.*this one has (\d+))", "资料规则应有 7 项，这一行有 {1} 项"},
    {R"(^the fifth field must be 'mandatory' or 'optional', not '(.*)'$)", "第 5 项须为 mandatory（必需）或 optional（可选），而不是“{1}”"},
    {R"(^retention must be 永久, 30年 or 10年, not '(.*)'$)", "保管期限须为 永久、30年 或 10年，而不是“{1}”"},
    {R"(^the deadline must be a whole number of hours from 1 to 8760, not '(.*)'$)", "时限须为 1 至 8760 的整数小时，而不是“{1}”"},
    {R"(^the weights timeliness, quality and deadlines must add up to 100$)", "归档及时率、质量、流程时限三项权重之和须为 100"},
    // process control: waivers, cancellation, the calendar
    {R"(^a waiver needs a reason)", "申请豁免须写明理由"},
    {R"(^turning a waiver down needs a reason$)", "驳回豁免申请须写明原因"},
    {R"(^a waiver is confirmed by another person than the one who proposed it$)", "豁免须由申请人以外的人确认"},
    {R"(^a waiver of this document is already waiting for an auditor$)", "这份资料的豁免申请已在等待稽查人员确认"},
    {R"(^no waiver of this document has been proposed$)", "这份资料没有待确认的豁免申请"},
    {R"(^the document is waived already$)", "这份资料已经豁免"},
    {R"(^the document is filed already; a filed document is not waived$)", "这份资料已经归档，无需豁免"},
    {R"(^no expected document (\d+)$)", "没有编号为 {1} 的应归档资料"},
    {R"(^a cancellation needs a reason)", "撤销流程须写明原因"},
    {R"(^note must say what was done)", "请写明已做的整改"},
    {R"(^evidence (\d+) \((.+)\): (.+)$)", "证据页 {1}（{2}）不是可打开的图像"},
    {R"(^at most 20 evidence pages with one report$)", "一次最多附 20 张证据页"},
    {R"(^process (\S+) is already cancelled$)", "流程 {1} 已经撤销"},
    {R"(^no process (\S+))", "没有申请编号为 {1} 的流程（营销系统尚未报送它的任何环节）"},
    {R"(^the calendar is not valid: line \d+:[\s\S]*$)", "节假日日历有误，没有生效"},
    {R"(^the calendar is not valid: ([\s\S]+)$)", "节假日日历有误，没有生效：{p1}"},
    {R"(^the calendar is of (\d+), not (\d+)$)", "日历是 {1} 年的，不是 {2} 年的"},
    {R"(^(\S+) is a weekday already; only weekend days are worked in exchange$)", "{1} 本来就是工作日；调休上班只能是周末"},
    {R"(^email must be an address such as)", "电子邮箱格式不对（如 name@example.com）"},
    {R"(^a team belongs to a unit: give the unit too$)", "班组属于供电单位：请同时填写供电单位"},
    {R"(^unit and team are at most 64 bytes$)", "供电单位和班组名称太长"},
    {R"(^the rules name no documents$)", "规则中没有任何资料"},
    {R"(^unknown process '(.+?)')", "没有“{1}”这种业务流程"},
    {R"(^unknown doc(?:ument)?_?type '(.+?)')", "没有“{1}”这种文件类型"},
    // customers, scans and batches
    {R"(^(\d+) problem\(s\) in the batch, first on line (\d+): ([\s\S]+); nothing was imported$)", "共 {1} 处错误，整批未导入；第一处在第 {2} 行：{p3}"},
    // audits
    {R"(^filter\.process: (.+)$)", "{p1}"},
    {R"(^filter\.from is after filter\.to$)", "稽查范围的开始日期晚于结束日期"},
    {R"(^filter\.from must be a date)", "稽查范围的开始日期格式不对（应为 年-月-日）"},
    {R"(^filter\.to must be a date)", "稽查范围的结束日期格式不对（应为 年-月-日）"},
    {R"(^unknown filter '(.+)')", "稽查范围中没有“{1}”这一项"},
    {R"(^no customer with account_no (\S+)$)", "没有户号为 {1} 的客户"},
    {R"(^query parameter q \(or doc_type\) is required$)", "请输入要查找的内容或选择文件类型"},
    {R"(^field (\w+) is required$)", "请填写{f1}"},
    {R"(^field (\w+) is longer than (\d+) bytes$)", "{f1}太长"},
    {R"(^(?:file \d+ \((.+)\)|(.+)): not a scan \(expected JPEG, PNG, TIFF or PDF\)$)", "{1}{2} 不是扫描件（应为 JPEG、PNG、TIFF 或 PDF）"},
    {R"(^no files: send the (?:scans|page images) in parts named 'files'$)", "请选择要上传的扫描文件"},
    {R"(^(?:upload|file) is larger than (.+)$)", "文件太大（上限 {1}）"},
    {R"(^the archive's disk has (\d+) MiB free)", "档案服务器磁盘空间不足（剩余 {1} MiB），本次上传未保存，请联系管理员释放空间"},
    {R"(^CSV header must name at least the columns)", "CSV 首行须至少有“户号”和“户名”两列"},
    {R"(^CSV has no header row$)", "CSV 文件没有表头行"},
    {R"(^text is neither UTF-8 nor GB18030$)", "文件编码无法识别（应为 UTF-8 或 GB18030）"},
    {R"(^the batch has no rows$)", "文件中没有客户数据"},
    {R"(^a page of this document was filed already$)", "这份文件的页面已经归档过了"},
    {R"(^page (\d+) is not waiting in review)", "第 {1} 页已不在待处理队列中（可能已被别人处理）"},
    {R"(^a reason \(at most 500 bytes\) is required to discard a page$)", "剔除页面须填写原因"},
    // why a scanned page waits for a person (the batch desk's reasons)
    {R"(^no cover sheet before this page)", "这一页前面没有封面，不知道属于哪户"},
    {R"(^cover sheet (\S+) was not printed by this archive)", "封面 {1} 不是本系统打印的"},
    {R"(^cover sheet (\S+) does not match customer (\S+))", "封面 {1} 与户号 {2} 不符"},
    {R"(^cover sheet (\S+) does not match its process)", "封面 {1} 与业务流程不符"},
    {R"(^separator sheet names an unknown document type (\S+))", "分隔页上的文件类型 {1} 未知"},
    {R"(^OCR could not read this page.*)", "文字识别无法读取此页"},
    {R"(^no key field could be read on this page)", "此页未识别出户号、户名等关键字段"},
    {R"(^no customer matches the fields read on this page)", "识别出的字段与任何客户都对不上"},
    {R"(^no customer matches this page's account number, ID number, or name and address)", "户号、证件号码、户名加地址都没有对上客户"},
    {R"(^the fields read point to more than one customer)", "识别出的字段指向不止一户"},
    {R"(^customer (\S+) matches, but (.+) read on the page differ from the record)", "户号 {1} 对上了，但页面上的 {w2} 与客户档案不一致"},
    {R"(^only one field \((\S+)\) matches customer (\S+); a second must agree)", "只有 {w1} 与客户 {2} 相符，还需要另一项相符才能自动归档"},
    {R"(^customer (\S+) found, but the business type could not be read)", "找到客户 {1}，但未识别出业务类型"},
    // fields read from pages
    {R"(^account_no must contain digits only$)", "户号只能是数字"},
    {R"(^account_no must have (\d+) to (\d+) digits$)", "户号应为 {1} 至 {2} 位数字"},
    {R"(^resident ID check character is wrong \(expected (\w)\))", "身份证号码校验位不对（应为 {1}）"},
    {R"(^resident ID must start with 17 digits$)", "身份证号码前 17 位须为数字"},
    {R"(^resident ID must have 18 characters$)", "身份证号码应为 18 位"},
    {R"(^resident ID has an invalid birth date$)", "身份证号码中的出生日期不存在"},
    {R"(^credit code must have 18 characters$)", "统一社会信用代码应为 18 位"},
    {R"(^credit code contains a character outside its alphabet$)", "统一社会信用代码含有不允许的字符"},
    {R"(^credit code check character is wrong \(expected (\w)\))", "统一社会信用代码校验位不对（应为 {1}）"},
    {R"(^id_number must have 18 characters)", "证件号码应为 18 位（身份证号码或统一社会信用代码）"},
    {R"(^account_no is required$)", "请填写户号"},
    {R"(^name is required$)", "请填写户名"},
    {R"(^name must be a person's name)", "户名应为 2 至 6 个汉字的姓名，或单位名称"},
    {R"(^phone is empty$)", "请填写联系电话"},
    {R"(^phone has too many '-'$)", "电话中的“-”太多"},
    {R"(^landline phone must have an area code)", "固定电话须带区号，号码 7 至 8 位"},
    {R"(^(\w+) is longer than (\d+) characters$)", "{f1}太长（最多 {2} 个字符）"},
    {R"(^row must be a JSON object$)", "这一行不是一条客户记录"},
    {R"(^(\w+) must be a string$)", "{f1}须为文字"},
    {R"(^phone must be a mobile number)", "电话应为 11 位手机号，或带区号的固定电话"},
    {R"(^phone contains characters other than digits and '-'$)", "电话只能有数字和“-”"},
    {R"(^(\w+) must be a date that exists, as YYYY-MM-DD$)", "{f1}须为存在的日期（年-月-日）"},
    {R"(^(\w+) must be 4 to 32 capital letters, digits or '-'$)", "{f1}须为 4 至 32 位大写字母、数字或“-”"},
    // quality gates
    {R"(^a rejection needs a reason$)", "退回须写明原因"},
    {R"(^reason is longer than 500 bytes$)", "原因太长（最多约 160 个汉字）"},
    {R"(^only the filer \((.+)\) self-checks a document$)", "只有归档人（{1}）能自检这份文件"},
    {R"(^a filer does not review their own document$)", "归档人不能复核自己归档的文件"},
    {R"(^your roles do not allow verdicts at the (\w+) gate$)", "您的角色不能做{g1}"},
    {R"(^document (\d+) is not at the (\w+) gate: it waits for (.+)$)", "文件 {1} 不在{g2}这一关（{q3}），可能已被别人处理，请刷新"},
    // contract terms
    {R"(^contract_no must be 1 to 64 bytes$)", "请填写合同编号（最多 64 个字符）"},
    {R"(^(signed_on|expires_on) must be a date \(YYYY-MM-DD\)$)", "请填写{f1}"},
    {R"(^expires_on must be after signed_on$)", "到期日期须晚于签订日期"},
    {R"(^document (\d+) is a (.+), not a supply contract$)", "文件 {1} 是{2}，不是供用电合同"},
    {R"(^document (\d+) has a newer version; record the terms on it$)", "文件 {1} 已有新版本，请在新版本上登记"},
    // loans
    {R"(^until must be a date \(YYYY-MM-DD\)$)", "请填写归还日期"},
    {R"(^until (\S+) is in the past$)", "归还日期 {1} 已经过去"},
    {R"(^until is more than a year away$)", "借阅期限不能超过一年"},
    {R"(^a reason is required to reject a loan$)", "驳回借阅须填写原因"},
    {R"(^(\S+) \((.+)\) comes back with (\d+) of its (\d+) pages)",
     "{2}（{1}）清点为 {3} 页，借出时为 {4} 页：页数不符，原件仍记为借出；请核对页数后再扫，或登记遗失"},
    {R"(^(\S+) is already out on loan (\d+))", "{1} 已在借阅单 {2} 中借出"},
    {R"(^its volume (\S+) is out on loan (\d+)$)", "所在案卷 {1} 已在借阅单 {2} 中整卷借出"},
    {R"(^its item (\S+) is out on loan (\d+)$)", "卷内文件 {1} 已在借阅单 {2} 中借出"},
    {R"(^(\S+) cannot be lent: (.+)$)", "{1} 不能借出：{p2}"},
    {R"(^(\S+) is not out on loan (\d+)$)", "{1} 不在借阅单 {2} 的借出清单中"},
    {R"(^(\S+) is not waiting to be lent on loan (\d+)$)", "{1} 不在借阅单 {2} 的待借出清单中"},
    {R"(^(\S+) is not on loan (\d+)$)", "{1} 不在借阅单 {2} 中"},
    {R"(^loan (\d+) is (\w+), not lent$)", "借阅单 {1} 当前不是借出状态"},
    {R"(^loan (\d+) has been renewed (\d+) time\(s\), the most its purpose allows)", "借阅单 {1} 已续借 {2} 次，达到该用途允许的上限"},
    {R"(^you requested loan (\d+): another approver must decide it)", "借阅单 {1} 是您本人申请的，须由其他审批人审批"},
    // requests the screens make, which a person's input can still get wrong
    {R"(^a calendar year is larger than 64 KiB$)", "节假日日历太大（每年最多 64 KiB）"},
    {R"(^the rules are larger than 1 MiB$)", "规则文件太大（最多 1 MiB）"},
    {R"(^a note \(at most 500 bytes\) must say what happened$)", "请写明发生了什么（最多约 160 个汉字）"},
    {R"(^sending an order back needs a note$)", "退回整改单须写明原因"},
    {R"(^description must be 1 to 1000 bytes$)", "请填写问题描述（最多约 330 个汉字）"},
    {R"(^at most ([\d,]+) shelves at once$)", "一次最多建 {1} 个架位"},
    {R"(^at most (\d+) labels at once$)", "一次最多打印 {1} 张标签"},
    {R"(^skip must be a number from 0 to (\d+))", "跳过的标签数须为 0 至 {1}"},
    {R"(^capacity must be 1 to (\d+) boxes a shelf$)", "每个架位可放 1 至 {1} 盒"},
    {R"(^capacity must be 1 to (\d+) items a box$)", "每盒可放 1 至 {1} 件"},
    {R"(^count must be 1 to (\d+) boxes$)", "盒数须为 1 至 {1}"},
    {R"(^items must name 1 to (\d+) barcodes$)", "每次借阅 1 至 {1} 个条码"},
    {R"(^items must name the barcodes scanned at the desk$)", "请扫描要办理的条码"},
    {R"(^items must name the lost barcodes$)", "请扫描遗失的条码"},
    {R"(^the batch must start with a shelf code)", "请先扫架位标签，再扫要上架的盒"},
    {R"(^name one of documents \(ids\), volumes)", "请指定要打印标签的文件、案卷、盒或架位"},
    {R"(^completed_at must be an ISO 8601 instant)", "完成时间格式不对（如 2026-11-23T09:30:00+08:00）"},
    {R"(^month must be YYYY-MM$)", "月份格式不对（应为 年-月）"},
    {R"(^doc_type is required \(a document type, or 'all'\)$)", "请选择文件类型（或“全部”）"},
    {R"(^name at least one field to correct$)", "请至少填写一项要更正的内容"},
    {R"(^field supersedes must be a document id$)", "要更正的文件编号不对"},
    {R"(^no filed documents in that period to draw from$)", "这段时间内没有已归档的文件可供抽检"},
    {R"(^no such audit$)", "没有这次稽查"},
    {R"(^only auditors see another person's reminders$)", "只有稽查人员能看别人的待办"},
    {R"(^only auditors see others' rectification orders$)", "只有稽查人员能看别人的整改单"},
    {R"(^query parameter step is required$)", "请指定流程环节"},
    {R"(^refused$)", "操作被拒绝"},
    {R"(^roles must be an array of role names$)", "角色格式不对"},
    {R"(^send scans as multipart/form-data$)", "请以文件上传的方式提交扫描件"},
    {R"(^body must be a JSON array of customer objects$)", "提交的内容不是客户记录列表"},
    {R"(^body must be a JSON object$)", "提交的内容格式不对"},
    // the shapes many fields' problems share
    {R"(^(\w+) id must be a positive number$)", "编号须为正整数"},
    {R"(^(?:field )?(\w+) is longer than (\d+) bytes$)", "{f1}太长"},
    {R"(^(?:field )?(\w+) is too long$)", "{f1}太长"},
    {R"(^(\w+) is required \(at most (\d+) bytes\)$)", "请填写{f1}"},
    {R"(^(\w+) must be a date \(YYYY-MM-DD\)$)", "{f1}须为日期（年-月-日）"},
    {R"(^(\w+) must be from (\d+) to (\d+)$)", "{f1}须为 {2} 至 {3}"},
    {R"(^(\w+) must be )", "{f1}的值不对"},
    // A field's problem, named by the field first ("id_number: resident ID ..."): the inner
    // message names it in Chinese already.
    {R"(^[a-z_]+: ([\s\S]+)$)", "{p1}"},
};

const std::map<std::string, std::string> kFieldNames = {
    {"account_no", "户号"},       {"name", "户名"},          {"id_number", "证件号码"},    {"phone", "联系电话"},
    {"address", "用电地址"},      {"application_no", "申请编号"}, {"business_type", "业务类型"}, {"date", "日期"},
    {"contract_no", "合同编号"},  {"signed_on", "签订日期"},  {"expires_on", "到期日期"},   {"process_id", "流程编号"},
    {"process", "业务流程"},      {"doc_type", "文件类型"},   {"note", "备注"},         {"voltage", "电压等级"},
    {"unit", "供电单位"},         {"damage", "损坏情况"},    {"description", "问题描述"}, {"room", "库房"},
    {"due_on", "整改期限"},       {"completed_at", "完成时间"}, {"month", "月份"},          {"from", "开始日期"},
    {"to", "结束日期"},           {"days", "天数"},          {"per_unit", "每单位抽检份数"}, {"limit", "条数"},
    {"signal", "时限信号"},       {"state", "状态"},         {"status", "状态"},          {"purpose", "借阅用途"},
    {"source", "来源"},           {"voltage_area", "电压区域"}, {"supersedes", "被更正的文件"}, {"reason", "原因"},
    {"disabled", "停用"},         {"unlock", "解锁"},        {"must_change_password", "须修改密码"},
};
const std::map<std::string, std::string> kGateNames = {{"self", "自检"}, {"collect", "档案员复核"}, {"audit", "稽查抽检"}};
const std::map<std::string, std::string> kWaitingFor = {
    {"self-check", "它在等归档人自检"},
    {"the collector's review", "它在等档案员复核"},
    {"the audit spot check", "它在等稽查抽检"},
    {"nothing (it passed every gate)", "它已通过全部检查"},
};
const std::map<int, std::string> kByStatus = {
    {400, "填写的内容有误"}, {401, "请先登录"},       {403, "您的角色无权进行此操作"}, {404, "找不到要找的记录"},
    {409, "与档案中现有的记录冲突"}, {413, "文件太大"}, {415, "文件格式不支持"},         {422, "内容无法处理"},
};

std::string lookedUp(const std::map<std::string, std::string>& names, const std::string& key) {
    auto it = names.find(key);
    return it == names.end() ? key : it->second;
}

// "name, phone" as the page prints them: "户名, 联系电话".
std::string fieldWords(const std::string& text) {
    static const std::regex word(R"(\b\w+\b)");
    std::string out;
    auto last = text.cbegin();
    for (std::sregex_iterator it(text.begin(), text.end(), word), end; it != end; ++it) {
        out.append(last, text.cbegin() + it->position());
        out += lookedUp(kFieldNames, it->str());
        last = text.cbegin() + it->position() + it->length();
    }
    out.append(last, text.cend());
    return out;
}

const std::vector<std::pair<std::regex, std::string>>& phrases() {
    static const auto compiled = [] {
        std::vector<std::pair<std::regex, std::string>> out;
        for (const auto& p : kPhrases) out.emplace_back(std::regex(p.pattern), p.say);
        return out;
    }();
    return compiled;
}

std::string said(const std::string& say, const std::smatch& m) {
    std::string out;
    for (std::size_t i = 0; i < say.size(); ++i) {
        std::size_t close = say[i] == '{' ? say.find('}', i) : std::string::npos;
        if (close == std::string::npos) {
            out += say[i];
            continue;
        }
        std::string token = say.substr(i + 1, close - i - 1);
        char kind = std::isdigit(static_cast<unsigned char>(token.front())) ? ' ' : token.front();
        std::size_t group = std::stoul(kind == ' ' ? token : token.substr(1));
        std::string value = group < m.size() ? m[group].str() : "";
        switch (kind) {
            case 'f': out += lookedUp(kFieldNames, value); break;
            case 'w': out += fieldWords(value); break;
            case 'p': out += plainChinese(value, 400); break;
            case 'g': out += lookedUp(kGateNames, value); break;
            case 'q': out += lookedUp(kWaitingFor, value); break;
            default: out += value;
        }
        i = close;
    }
    return out;
}

bool hasHan(const std::string& text) {
    // U+4E00..U+9FFF in UTF-8: E4 B8 80 .. E9 BF BF
    for (std::size_t i = 0; i + 2 < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0xE4 && c <= 0xE9) return true;
    }
    return false;
}

}  // namespace

std::string plainChinese(std::string_view message, int status) {
    if (message.empty()) return status >= 500 ? "服务器出错，请稍后重试" : "操作未完成";
    std::string text(message);
    std::smatch m;
    for (const auto& [pattern, say] : phrases())
        if (std::regex_search(text, m, pattern)) return said(say, m);
    // Written in Chinese by the server (the shelving desk's answers), not English naming Chinese.
    static const std::regex englishWords(R"([a-z]{3,} [a-z]{3,})");
    if (hasHan(text) && !std::regex_search(text, englishWords)) return text;
    std::string kind = status == 0 ? "需要人工处理" : status >= 500 ? "服务器出错，请稍后重试或联系管理员" : "操作未完成";
    if (auto it = kByStatus.find(status); it != kByStatus.end()) kind = it->second;
    return kind + "（" + text + "）";
}

}  // namespace dangan::server
