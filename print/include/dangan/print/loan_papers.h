#pragma once
// The paper of lending: the borrowing slip (借阅单) signed at the desk when paper goes out, and
// the overdue notice (催还通知书) sent when it does not come back. A4, Chinese, libharu.

#include <expected>
#include <string>
#include <vector>

#include "dangan/print/printed_sheets.h"

namespace dangan::print {

struct LoanPaperItem {
    std::string code;   // own code, printed as Code 128
    std::string label;  // archive number and document type, or the volume
    int pages = 0;
    std::string state;  // in words: 待借出, 借出中, 已归还, 遗失
};

struct LoanPaper {
    std::string loanNo;
    std::string borrower;
    std::string purpose;      // in words
    std::string wantedUntil;
    std::string approvedBy;
    std::string lentOn;
    std::string dueOn;
    int renewals = 0;
    std::string note;
    std::vector<LoanPaperItem> items;
    std::string printedBy;
    std::string printedAt;
    // Overdue notices only:
    int daysOverdue = 0;
    int reminderLevel = 0;    // 1, 2, 3: escalating
};

[[nodiscard]] std::expected<std::string, std::string> loanSlipPdf(const LoanPaper& loan, const PrintOptions& options);
[[nodiscard]] std::expected<std::string, std::string> overdueNoticePdf(const LoanPaper& loan, const PrintOptions& options);

}  // namespace dangan::print
