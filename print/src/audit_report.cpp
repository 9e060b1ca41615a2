#include "dangan/print/audit_report.h"

#include <algorithm>

#include "pdf_document.h"

namespace dangan::print {
namespace {

constexpr double kPageWidth = 210.0;
constexpr double kMargin = 16.0;
constexpr double kBottom = 272.0;
constexpr double kMissingGray = 0.25;
constexpr double kLateGray = 0.65;

void footer(PdfDocument& pdf, const AuditReportPaper& report, int page) {
    pdf.line(kMargin, 278, kPageWidth - kMargin, 278, 0.3);
    pdf.text(kMargin, 284, 9, "稽查编号 " + report.auditNo + "    打印人 " + report.printedBy + "    打印时间 " +
                                  report.printedAt + "    第 " + std::to_string(page) + " 页");
}

// A table of tallies with a horizontal bar per row (missing dark, late light); returns the end.
double tallyChart(PdfDocument& pdf, const std::string& title, const std::vector<FindingTally>& rows, double y,
                  std::size_t limit) {
    pdf.text(kMargin, y, 13, title);
    y += 4;
    const double nameX = kMargin, missX = kMargin + 52, lateX = kMargin + 70, barX = kMargin + 90;
    const double barWidth = kPageWidth - kMargin - barX;
    pdf.line(kMargin, y, kPageWidth - kMargin, y);
    pdf.text(nameX + 1, y + 5, 9.5, "名称");
    pdf.text(missX, y + 5, 9.5, "缺失");
    pdf.text(lateX, y + 5, 9.5, "逾期");
    pdf.fill(barX, y + 1.8, 4, 3, kMissingGray);
    pdf.text(barX + 5, y + 5, 9, "缺失");
    pdf.fill(barX + 16, y + 1.8, 4, 3, kLateGray);
    pdf.text(barX + 21, y + 5, 9, "逾期");
    y += 7;
    pdf.line(kMargin, y, kPageWidth - kMargin, y, 0.2);
    std::int64_t most = 1;
    for (const auto& r : rows) most = std::max(most, r.missing + r.late);
    std::size_t shown = 0;
    for (const auto& r : rows) {
        if (shown++ == limit) {
            pdf.text(nameX + 1, y + 5, 9, "（其余 " + std::to_string(rows.size() - limit) + " 项见 CSV）");
            y += 7;
            break;
        }
        pdf.text(nameX + 1, y + 5, 9.5, r.name.empty() ? "（未注明）" : r.name);
        pdf.text(missX, y + 5, 9.5, std::to_string(r.missing));
        pdf.text(lateX, y + 5, 9.5, std::to_string(r.late));
        double scale = barWidth / static_cast<double>(most);
        double wMissing = scale * static_cast<double>(r.missing), wLate = scale * static_cast<double>(r.late);
        if (wMissing > 0) pdf.fill(barX, y + 1.5, std::max(wMissing, 0.4), 4, kMissingGray);
        if (wLate > 0) pdf.fill(barX + wMissing, y + 1.5, std::max(wLate, 0.4), 4, kLateGray);
        y += 7;
    }
    pdf.line(kMargin, y, kPageWidth - kMargin, y, 0.3);
    return y + 10;
}

}  // namespace

std::expected<std::string, std::string> auditReportPdf(const AuditReportPaper& report, const PrintOptions& options) {
    PdfDocument pdf(options.font);
    int page = 1;
    pdf.addPage();
    pdf.centredText(kPageWidth / 2, 24, 20, "档案完整性稽查报告");
    double y = 36;
    pdf.text(kMargin, y, 11, "稽查编号：" + report.auditNo + "    判定时点：" + report.asOf);
    y += 7;
    pdf.text(kMargin, y, 11, "稽查范围：" + report.scope);
    y += 10;
    // Totals in two columns.
    for (std::size_t i = 0; i < report.totals.size(); ++i) {
        double x = kMargin + (i % 2 ? 90 : 0);
        pdf.text(x, y, 11, report.totals[i].first + "：" + report.totals[i].second);
        if (i % 2 || i + 1 == report.totals.size()) y += 7;
    }
    y += 6;
    y = tallyChart(pdf, "按供电单位", report.byUnit, y, 12);
    if (y > 180) {
        footer(pdf, report, page++);
        pdf.addPage();
        y = 24;
    }
    y = tallyChart(pdf, "按业务类型", report.byProcess, y, 12);

    footer(pdf, report, page++);
    pdf.addPage();
    y = 24;
    pdf.text(kMargin, y, 13, "问题清单（共 " + std::to_string(report.findingsTotal) + " 项" +
                                 (report.findingsTotal > static_cast<std::int64_t>(report.findings.size())
                                      ? "，此处列前 " + std::to_string(report.findings.size()) + " 项，全部见 CSV"
                                      : "") + "）");
    y += 6;
    const double columns[] = {kMargin, kMargin + 24, kMargin + 52, kMargin + 84, kMargin + 106, kMargin + 156};
    const char* headings[] = {"户号", "户名", "流程", "环节", "资料", "问题"};
    auto heading = [&] {
        pdf.line(kMargin, y, kPageWidth - kMargin, y);
        for (int i = 0; i < 6; ++i) pdf.text(columns[i] + 1, y + 5, 9.5, headings[i]);
        y += 7;
        pdf.line(kMargin, y, kPageWidth - kMargin, y, 0.2);
    };
    heading();
    for (const auto& row : report.findings) {
        if (y > kBottom - 6) {
            footer(pdf, report, page++);
            pdf.addPage();
            y = 20;
            heading();
        }
        for (std::size_t i = 0; i < 6 && i < row.size(); ++i) pdf.text(columns[i] + 1, y + 5, 9, row[i]);
        y += 6.5;
    }
    footer(pdf, report, page);
    return pdf.finish();
}

}  // namespace dangan::print
