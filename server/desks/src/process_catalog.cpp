#include "dangan/desks/process_catalog.h"

#include <Poco/TextIterator.h>
#include <Poco/UTF8Encoding.h>

#include <algorithm>
#include <string>
#include <vector>

namespace dangan::server {
namespace {

using enum Category;

// 业扩报装 and 变更用电 (供电营业规则 art. 22) file under 业扩档案; inspections under 用检档案;
// metering work under 计量档案; billing and payment under 电费档案; the rest under 其他档案.
constexpr std::array<ProcessType, 39> kProcessTypes{{
    {"101", "低压居民新装", Connection}, {"102", "低压非居民新装", Connection}, {"103", "高压新装", Connection},
    {"104", "新装", Connection},         {"105", "增容", Connection},           {"106", "减容", Connection},
    {"107", "减容恢复", Connection},     {"108", "暂停", Connection},           {"109", "暂停恢复", Connection},
    {"110", "暂换", Connection},         {"111", "暂拆", Connection},           {"112", "迁址", Connection},
    {"113", "移表", Connection},         {"114", "更名", Connection},           {"115", "过户", Connection},
    {"116", "分户", Connection},         {"117", "并户", Connection},           {"118", "销户", Connection},
    {"119", "改压", Connection},         {"120", "改类", Connection},           {"121", "临时用电", Connection},
    {"201", "用电检查", Inspection},     {"202", "周期检查", Inspection},       {"203", "专项检查", Inspection},
    {"204", "违约用电", Inspection},     {"205", "窃电查处", Inspection},
    {"301", "电能表轮换", Metering},     {"302", "计量装置故障处理", Metering}, {"303", "电能表校验", Metering},
    {"304", "计量装置改造", Metering},
    {"401", "电费结算", Billing},        {"402", "电费缴纳", Billing},          {"403", "欠费催缴", Billing},
    {"404", "电费退补", Billing},        {"405", "抄表核算", Billing},          {"406", "电费违约处理", Billing},
    {"901", "客户资料", Other},          {"902", "照片", Other},                {"903", "其他", Other},
}};

constexpr std::array<DocumentType, 28> kDocumentTypes{{
    {"001", "用电申请书"},       {"002", "居民身份证复印件"},   {"003", "房屋产权证明"},
    {"004", "装表接电工作单"},   {"005", "低压供用电合同"},     {"006", "营业执照复印件"},
    {"007", "经办人身份证复印件"}, {"008", "用电设备清单"},     {"009", "竣工检验报告"},
    {"010", "法定代表人身份证复印件"}, {"011", "现场勘查记录"}, {"012", "供电方案答复单"},
    {"013", "设计审查意见"},     {"014", "中间检查记录"},       {"015", "高压供用电合同"},
    {"016", "变更用电申请书"},   {"017", "过户申请书"},         {"018", "电费结清凭证"},
    {"019", "更名申请书"},       {"020", "销户申请书"},         {"021", "电能计量装置装拆记录"},
    {"022", "用电检查结果通知书"}, {"023", "违约用电处理通知书"}, {"024", "电费缴费凭证"},
    {"025", "授权委托书"},       {"026", "照片"},               {"098", "其他资料"},
    {"099", "未分类资料"},
}};


}  // namespace

std::string_view categoryName(Category category) {
    switch (category) {
        case Connection: return "业扩档案";
        case Inspection: return "用检档案";
        case Metering: return "计量档案";
        case Billing: return "电费档案";
        case Other: return "其他档案";
    }
    return "其他档案";
}

std::string_view categoryCode(Category category) {
    switch (category) {
        case Connection: return "YK";
        case Inspection: return "YJ";
        case Metering: return "JL";
        case Billing: return "DF";
        case Other: return "QT";
    }
    return "QT";
}

barcode::Retention retentionOf(Category category) {
    return category == Connection ? barcode::Retention::Years30 : barcode::Retention::Years10;
}

std::span<const ProcessType> processTypes() { return kProcessTypes; }

std::optional<Category> categoryOf(std::string_view processType) {
    auto process = processByName(processType);
    if (!process) return std::nullopt;
    return process->category;
}

namespace {
template <class Table, class Key>
auto findIn(const Table& table, Key key) -> std::optional<typename Table::value_type> {
    auto it = std::find_if(table.begin(), table.end(), key);
    if (it == table.end()) return std::nullopt;
    return *it;
}
}  // namespace

std::optional<ProcessType> processByName(std::string_view name) {
    return findIn(kProcessTypes, [&](const ProcessType& p) { return p.name == name; });
}

std::optional<ProcessType> processByCode(std::string_view code) {
    return findIn(kProcessTypes, [&](const ProcessType& p) { return p.code == code; });
}

std::span<const DocumentType> documentTypes() { return kDocumentTypes; }

std::optional<DocumentType> documentTypeByName(std::string_view name) {
    return findIn(kDocumentTypes, [&](const DocumentType& d) { return d.name == name; });
}

std::optional<DocumentType> documentTypeByCode(std::string_view code) {
    return findIn(kDocumentTypes, [&](const DocumentType& d) { return d.code == code; });
}


namespace {

std::vector<int> codePointsOf(std::string_view text) {
    Poco::UTF8Encoding utf8;
    std::string owned(text);
    std::vector<int> points;
    for (Poco::TextIterator it(owned, utf8), end(owned); it != end; ++it) points.push_back(*it);
    return points;
}

// The characters two names share in order (their longest common subsequence).
std::size_t charactersShared(const std::vector<int>& a, const std::vector<int>& b) {
    std::vector<std::size_t> row(b.size() + 1, 0);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = 0;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            row[j] = a[i - 1] == b[j - 1] ? diagonal + 1 : std::max(row[j], row[j - 1]);
            diagonal = above;
        }
    }
    return row[b.size()];
}

// Levenshtein distance over code points.
std::size_t charactersChanged(const std::vector<int>& a, const std::vector<int>& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace

Outcome<std::string> knownDocumentType(std::string_view name) {
    if (documentTypeByName(name)) return std::string(name);
    // Nearest: the most characters shared in order (身份证明 → 居民身份证复印件), then the fewest changed.
    auto given = codePointsOf(name);
    std::string_view nearest;
    std::pair<std::size_t, std::size_t> best{0, SIZE_MAX};
    for (const auto& type : documentTypes()) {
        auto known = codePointsOf(type.name);
        std::pair<std::size_t, std::size_t> score{charactersShared(given, known), charactersChanged(given, known)};
        if (nearest.empty() || score.first > best.first || (score.first == best.first && score.second < best.second)) {
            best = score;
            nearest = type.name;
        }
    }
    return fail(ProblemCode::Unprocessable, "unknown doc_type '" + std::string(name) + "' (nearest known type: " +
                                                std::string(nearest) + "; GET /api/processes lists them)");
}

}  // namespace dangan::server
