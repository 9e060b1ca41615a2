// Chinese words for what the API names in English: the fields OCR reads, and the kinds of problem
// by HTTP status. The API says its errors in Chinese itself (`message` beside `error`, `…_zh`
// beside English text inside an answer; see the README); these words are for the rest: field
// names in lists, and an answer that is not the API's (a proxy's 502, a network fault).
const han = /[\u4e00-\u9fff]/;

// The fields OCR reads from a page, in the order a page's fields are listed.
export const kPageFieldNames = {
  account_no: "户号", name: "户名", id_number: "证件号码", phone: "联系电话", address: "用电地址",
  application_no: "申请编号", business_type: "业务类型", date: "日期", contract_no: "合同编号",
  signed_on: "签订日期", expires_on: "到期日期",
};
const kFieldNames = { ...kPageFieldNames, process_id: "流程编号", process: "业务流程", doc_type: "文件类型", note: "备注",
  voltage: "电压等级", unit: "供电单位" };
export const fieldName = (f) => kFieldNames[f] || f;

const kByStatus = {
  400: "填写的内容有误", 401: "请先登录", 403: "您的角色无权进行此操作", 404: "找不到要找的记录", 409: "与档案中现有的记录冲突",
  413: "文件太大", 415: "文件格式不支持", 422: "内容无法处理",
};

// The words to show for a failed call: the API's own Chinese `message`; else, for an answer that
// is not the API's, what kind of problem its status is, with its words kept after it.
export function inPlainWords(message, status) {
  if (message && han.test(message)) return message;
  const kind = status >= 500 ? "服务器出错，请稍后重试或联系管理员" : kByStatus[status] || "操作未完成";
  return message ? `${kind}（${message}）` : kind;
}
