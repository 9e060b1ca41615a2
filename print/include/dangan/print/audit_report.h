#pragma once
// The completeness audit's report (档案完整性稽查报告): the scope, the totals, the findings by
// unit and by process type as a table with bar charts, and the first findings. A4, Chinese.

#include <cstdint>
#include <expected>
#include <string>
#include <vector>

#include "dangan/print/printed_sheets.h"

namespace dangan::print {

struct FindingTally {
    std::string name;        // a unit or a process type
    std::int64_t missing = 0;
    std::int64_t late = 0;
};

struct AuditReportPaper {
    std::string auditNo;
    std::string scope;       // in words
    std::string asOf;
    std::vector<std::pair<std::string, std::string>> totals;  // label, value
    std::vector<FindingTally> byUnit;
    std::vector<FindingTally> byProcess;
    std::vector<std::vector<std::string>> findings;  // 户号, 户名, 流程, 环节, 资料, 问题
    std::int64_t findingsTotal = 0;
    std::string printedBy;
    std::string printedAt;
};

[[nodiscard]] std::expected<std::string, std::string> auditReportPdf(const AuditReportPaper& report,
                                                                     const PrintOptions& options);

}  // namespace dangan::print
