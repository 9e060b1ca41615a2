#include "dangan/print/printed_sheets.h"

#include <algorithm>

#include "pdf_document.h"

namespace dangan::print {
namespace {

constexpr double kPageWidth = 210.0;
constexpr double kMargin = 18.0;

// The symbol at one pixel per module (with its quiet zone), for drawing at any size.
std::expected<GrayImage, std::string> symbol(Symbology symbology, const std::string& code, int quietModules) {
    return renderBarcode(symbology, code, 1, 1, quietModules);
}

// Fits `text` into `width` mm at `size` points, cutting it with an ellipsis if need be.
std::string fitted(PdfDocument& pdf, double size, std::string text, double width) {
    if (pdf.textWidth(size, text) <= width) return text;
    // Cut whole UTF-8 characters.
    while (!text.empty() && pdf.textWidth(size, text + "…") > width) {
        do text.pop_back();
        while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80);
        if (!text.empty() && (static_cast<unsigned char>(text.back()) & 0x80)) text.pop_back();
    }
    return text + "…";
}

void field(PdfDocument& pdf, double y, std::string_view label, const std::string& value, double width) {
    pdf.text(kMargin, y, 12, label);
    pdf.text(kMargin + 26, y, 14, fitted(pdf, 14, value.empty() ? "—" : value, width - 26));
    pdf.line(kMargin + 25, y + 1.6, kMargin + width, y + 1.6, 0.2);
}

void drawCoverSheet(PdfDocument& pdf, const CoverSheet& sheet, const GrayImage& qr) {
    pdf.addPage();
    constexpr double kQrSize = 46;
    const double qrX = kPageWidth - kMargin - kQrSize;
    pdf.barcode(qr, qrX, 14, kQrSize, kQrSize);
    pdf.centredText(qrX + kQrSize / 2, 14 + kQrSize + 4, 8, sheet.code);

    pdf.text(kMargin, 26, 26, "一户一档 扫描封面");
    pdf.text(kMargin, 36, 11, "请将本封面放在该业务全部资料的最上面，整叠放入扫描仪。");
    pdf.text(kMargin, 42, 11, "每份资料前可放一张文件分隔页。本封面不归档。");

    double y = 70;
    field(pdf, y, "户    号", sheet.accountNo, kPageWidth - 2 * kMargin);
    field(pdf, y += 11, "户    名", sheet.customerName, kPageWidth - 2 * kMargin);
    field(pdf, y += 11, "用电地址", sheet.address, kPageWidth - 2 * kMargin);
    field(pdf, y += 11, "业务类型", sheet.processType, kPageWidth - 2 * kMargin);
    field(pdf, y += 11, "申请编号", sheet.applicationNo, kPageWidth - 2 * kMargin);

    y += 18;
    pdf.text(kMargin, y, 15, "应归档资料清单");
    y += 3;
    pdf.line(kMargin, y, kPageWidth - kMargin, y, 0.5);
    y += 8;
    if (sheet.checklist.empty()) {
        pdf.text(kMargin + 4, y, 12, "本业务类型没有规定的必备资料，请按实际资料归档。");
        y += 8;
    }
    for (const auto& step : sheet.checklist) {
        if (y > 262) {
            pdf.text(kMargin + 4, y, 11, "（清单未完，请查看系统中的业务规则）");
            break;
        }
        pdf.text(kMargin + 2, y, 12, "【" + step.step + "】");
        y += 7;
        for (const auto& document : step.documents) {
            pdf.rectangle(kMargin + 8, y - 3.6, 3.8, 3.8, 0.3);
            pdf.text(kMargin + 14, y, 12, document);
            y += 7;
        }
        y += 1.5;
    }

    pdf.line(kMargin, 272, kPageWidth - kMargin, 272, 0.3);
    pdf.text(kMargin, 278, 9, "封面编号 " + sheet.sheetNo + "    打印人 " + sheet.printedBy + "    打印时间 " + sheet.printedAt);
}

void drawSeparator(PdfDocument& pdf, const SeparatorSheet& sheet, const GrayImage& qr) {
    pdf.addPage();
    pdf.centredText(kPageWidth / 2, 40, 34, "文件分隔页");
    pdf.centredText(kPageWidth / 2, 54, 15, "新文件从下一页开始");
    pdf.centredText(kPageWidth / 2, 82, 26, fitted(pdf, 26, sheet.docType, kPageWidth - 2 * kMargin));
    constexpr double kQrSize = 70;
    pdf.barcode(qr, (kPageWidth - kQrSize) / 2, 104, kQrSize, kQrSize);
    pdf.centredText(kPageWidth / 2, 104 + kQrSize + 6, 10, sheet.code);
    pdf.centredText(kPageWidth / 2, 270, 11, "本页只用于分隔，扫描后不归档，可反复使用。");
}

// A4 3 x 8: labels 70 x 37.125 mm, no page margins.
constexpr int kColumns = 3;
constexpr double kLabelWidth = 70.0;
constexpr double kLabelHeight = 297.0 / 8;

void drawLabel(PdfDocument& pdf, const Label& label, const GrayImage& code128, int position) {
    double x = (position % kColumns) * kLabelWidth;
    double y = (position / kColumns) * kLabelHeight;
    constexpr double kInset = 4.5;
    double width = kLabelWidth - 2 * kInset;
    double lineY = y + 8;
    for (std::size_t i = 0; i < label.lines.size() && i < 3; ++i) {
        double size = i == 0 ? 10.5 : 8.5;
        pdf.text(x + kInset, lineY, size, fitted(pdf, size, label.lines[i], width));
        lineY += i == 0 ? 5.2 : 4.4;
    }
    // Code 128 at up to 0.33 mm a module (13 mil), never wider than the label allows.
    double module = std::min(0.33, width / code128.width);
    double symbolWidth = module * code128.width;
    double barTop = y + kLabelHeight - 14.5;
    pdf.barcode(code128, x + (kLabelWidth - symbolWidth) / 2, barTop, symbolWidth, 9);
    pdf.centredText(x + kLabelWidth / 2, barTop + 12, 7, label.code);
}

}  // namespace

std::expected<std::string, std::string> coverSheetPdf(std::span<const CoverSheet> sheets, const PrintOptions& options) {
    PdfDocument pdf(options.font);
    if (pdf.failed()) return std::unexpected(pdf.error());
    for (const auto& sheet : sheets) {
        auto qr = symbol(Symbology::QRCode, sheet.code, 4);
        if (!qr) return std::unexpected(qr.error());
        drawCoverSheet(pdf, sheet, *qr);
    }
    return pdf.finish();
}

std::expected<std::string, std::string> separatorSheetPdf(std::span<const SeparatorSheet> sheets,
                                                          const PrintOptions& options) {
    PdfDocument pdf(options.font);
    if (pdf.failed()) return std::unexpected(pdf.error());
    for (const auto& sheet : sheets) {
        auto qr = symbol(Symbology::QRCode, sheet.code, 4);
        if (!qr) return std::unexpected(qr.error());
        drawSeparator(pdf, sheet, *qr);
    }
    return pdf.finish();
}

std::expected<std::string, std::string> labelSheetPdf(std::span<const Label> labels, int skip,
                                                      const PrintOptions& options) {
    PdfDocument pdf(options.font);
    if (pdf.failed()) return std::unexpected(pdf.error());
    skip = std::clamp(skip, 0, kLabelsPerSheet - 1);
    int position = kLabelsPerSheet;  // start a page on the first label
    bool first = true;
    for (const auto& label : labels) {
        if (position == kLabelsPerSheet) {
            pdf.addPage();
            position = first ? skip : 0;
            first = false;
        }
        auto code = symbol(Symbology::Code128, label.code, 10);
        if (!code) return std::unexpected(code.error());
        drawLabel(pdf, label, *code, position++);
    }
    if (first) pdf.addPage();  // an empty sheet rather than an empty PDF
    return pdf.finish();
}

}  // namespace dangan::print
