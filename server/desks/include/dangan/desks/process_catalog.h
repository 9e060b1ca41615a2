#pragma once
// The business processes a document can belong to, and the e-file category each files under.
// What each step requires is in the process rules (process_rules.h).

#include <array>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "dangan/barcode/archive_number.h"
#include "dangan/desks/problem.h"

namespace dangan::server {

// The five e-file categories, in the order the e-file shows them.
enum class Category { Connection, Inspection, Metering, Billing, Other };

inline constexpr std::array<Category, 5> kCategoryOrder{Category::Connection, Category::Inspection,
                                                        Category::Metering, Category::Billing,
                                                        Category::Other};

// 业扩档案, 用检档案, 计量档案, 电费档案, 其他档案
[[nodiscard]] std::string_view categoryName(Category category);

// The category's code in archive numbers: YK, YJ, JL, DF, QT.
[[nodiscard]] std::string_view categoryCode(Category category);

// How long the category's items are kept: connection files 30 years, the others 10 years.
[[nodiscard]] barcode::Retention retentionOf(Category category);

struct ProcessType {
    std::string_view code;  // stable, printed in cover-sheet barcodes: never renumbered
    std::string_view name;  // as the marketing system names it, e.g. 高压新装
    Category category;
};

// Every known process type.
[[nodiscard]] std::span<const ProcessType> processTypes();

// The category of a known process type; nullopt for an unknown one.
[[nodiscard]] std::optional<Category> categoryOf(std::string_view processType);

[[nodiscard]] std::optional<ProcessType> processByName(std::string_view name);
[[nodiscard]] std::optional<ProcessType> processByCode(std::string_view code);

// The document types the archive knows, each with a stable code printed in separator barcodes.
struct DocumentType {
    std::string_view code;
    std::string_view name;  // e.g. 用电申请书
};

// What a page becomes when nothing says what document it is.
inline constexpr std::string_view kUnclassifiedDocument = "未分类资料";

[[nodiscard]] std::span<const DocumentType> documentTypes();
[[nodiscard]] std::optional<DocumentType> documentTypeByName(std::string_view name);
// The document type named, when it is on the list; else 422 naming the nearest type on the list
// (by characters shared, then changed), so a type typed by hand never becomes a new type that meets nothing.
[[nodiscard]] Outcome<std::string> knownDocumentType(std::string_view name);
[[nodiscard]] std::optional<DocumentType> documentTypeByCode(std::string_view code);

}  // namespace dangan::server
