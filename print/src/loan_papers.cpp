#include "dangan/print/loan_papers.h"

#include <algorithm>

#include "pdf_document.h"

namespace dangan::print {
namespace {

constexpr double kPageWidth = 210.0;
constexpr double kMargin = 18.0;

// The loan's facts and its items as a table; returns where the table ended.
double drawLoan(PdfDocument& pdf, const LoanPaper& loan, double y) {
    auto field = [&](double x, const std::string& name, const std::string& value) {
        pdf.text(x, y, 11, name + "：" + (value.empty() ? "—" : value));
    };
    field(kMargin, "借阅单号", loan.loanNo);
    field(kMargin + 90, "借阅人", loan.borrower);
    y += 7;
    field(kMargin, "借阅目的", loan.purpose);
    field(kMargin + 90, "审批人", loan.approvedBy);
    y += 7;
    field(kMargin, "借出日期", loan.lentOn);
    field(kMargin + 90, "应还日期", loan.dueOn + (loan.renewals ? "（已续借 " + std::to_string(loan.renewals) + " 次）" : ""));
    y += 7;
    if (!loan.note.empty()) {
        field(kMargin, "说明", loan.note);
        y += 7;
    }
    y += 3;
    const double columns[] = {kMargin, kMargin + 10, kMargin + 104, kMargin + 124, kPageWidth - kMargin};
    pdf.line(kMargin, y - 5, kPageWidth - kMargin, y - 5);
    pdf.text(columns[0] + 1, y, 10, "序");
    pdf.text(columns[1] + 1, y, 10, "档案（档号、文件）");
    pdf.text(columns[2] + 1, y, 10, "页数");
    pdf.text(columns[3] + 1, y, 10, "条码 / 状态");
    pdf.line(kMargin, y + 2, kPageWidth - kMargin, y + 2);
    y += 3;
    int n = 0;
    for (const auto& item : loan.items) {
        if (y > 250) {
            pdf.text(kMargin, y + 6, 10, "（其余 " + std::to_string(loan.items.size() - static_cast<std::size_t>(n)) + " 项见系统）");
            y += 8;
            break;
        }
        ++n;
        auto code = renderBarcode(Symbology::Code128, item.code, 1, 1, 2);
        pdf.text(columns[0] + 1, y + 6, 10, std::to_string(n));
        pdf.text(columns[1] + 1, y + 6, 10, item.label);
        pdf.text(columns[2] + 1, y + 6, 10, std::to_string(item.pages));
        if (code) pdf.barcode(*code, columns[3] + 1, y + 1.5, std::min(0.25 * code->width, 44.0), 6);
        pdf.text(columns[3] + 1, y + 11, 8, item.code + "  " + item.state);
        y += 14;
        pdf.line(kMargin, y, kPageWidth - kMargin, y, 0.2);
    }
    return y;
}

void footer(PdfDocument& pdf, const LoanPaper& loan) {
    pdf.line(kMargin, 278, kPageWidth - kMargin, 278, 0.3);
    pdf.text(kMargin, 284, 9, "打印人 " + loan.printedBy + "    打印时间 " + loan.printedAt);
}

}  // namespace

std::expected<std::string, std::string> loanSlipPdf(const LoanPaper& loan, const PrintOptions& options) {
    PdfDocument pdf(options.font);
    pdf.addPage();
    pdf.centredText(kPageWidth / 2, 26, 22, "档案借阅单");
    double y = drawLoan(pdf, loan, 42);
    y = std::max(y + 12, 220.0);
    pdf.text(kMargin, y, 11, "借阅须知：纸质原件只用于纠纷处理等特殊用途；不得拆封、涂改、抽页，按期完整归还。");
    pdf.text(kMargin, y + 14, 12, "借阅人签字：________________");
    pdf.text(kMargin + 90, y + 14, 12, "档案员签字：________________");
    pdf.text(kMargin, y + 26, 12, "归还日期：__________________");
    pdf.text(kMargin + 90, y + 26, 12, "归还验收：________________");
    footer(pdf, loan);
    return pdf.finish();
}

std::expected<std::string, std::string> overdueNoticePdf(const LoanPaper& loan, const PrintOptions& options) {
    static const char* kLevels[] = {"", "第一次催还", "第二次催还", "第三次催还（最后通知）"};
    PdfDocument pdf(options.font);
    pdf.addPage();
    pdf.centredText(kPageWidth / 2, 26, 22, "档案催还通知书");
    pdf.centredText(kPageWidth / 2, 36, 13, kLevels[std::clamp(loan.reminderLevel, 1, 3)]);
    pdf.text(kMargin, 50, 12, loan.borrower + "：");
    pdf.text(kMargin + 8, 58, 12, "您借阅的下列档案原件应于 " + loan.dueOn + " 归还，现已逾期 " + std::to_string(loan.daysOverdue) + " 天，");
    pdf.text(kMargin, 66, 12, "请尽快完整归还档案室。如已遗失，请立即书面说明。");
    double y = drawLoan(pdf, loan, 80);
    pdf.text(kMargin, std::max(y + 14, 240.0), 12, "档案室（盖章）");
    footer(pdf, loan);
    return pdf.finish();
}

}  // namespace dangan::print
