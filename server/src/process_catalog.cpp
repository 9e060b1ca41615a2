#include "dangan/server/process_catalog.h"

#include <algorithm>

namespace dangan::server {
namespace {

using enum Category;

// 业扩报装 and 变更用电 (供电营业规则 art. 22) file under 业扩档案; inspections under 用检档案;
// metering work under 计量档案; billing and payment under 电费档案; the rest under 其他档案.
constexpr std::array<ProcessType, 38> kProcessTypes{{
    {"低压居民新装", Connection}, {"低压非居民新装", Connection}, {"高压新装", Connection},
    {"新装", Connection},         {"增容", Connection},           {"减容", Connection},
    {"减容恢复", Connection},     {"暂停", Connection},           {"暂停恢复", Connection},
    {"暂换", Connection},         {"暂拆", Connection},           {"迁址", Connection},
    {"移表", Connection},         {"更名", Connection},           {"过户", Connection},
    {"分户", Connection},         {"并户", Connection},           {"销户", Connection},
    {"改压", Connection},         {"改类", Connection},           {"临时用电", Connection},
    {"用电检查", Inspection},     {"周期检查", Inspection},       {"专项检查", Inspection},
    {"违约用电", Inspection},     {"窃电查处", Inspection},
    {"电能表轮换", Metering},     {"计量装置故障处理", Metering}, {"电能表校验", Metering},
    {"计量装置改造", Metering},
    {"电费结算", Billing},        {"电费缴纳", Billing},          {"欠费催缴", Billing},
    {"电费退补", Billing},        {"抄表核算", Billing},
    {"客户资料", Other},          {"照片", Other},                {"其他", Other},
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
    auto it = std::find_if(kProcessTypes.begin(), kProcessTypes.end(),
                           [&](const ProcessType& p) { return p.name == processType; });
    if (it == kProcessTypes.end()) return std::nullopt;
    return it->category;
}

}  // namespace dangan::server
