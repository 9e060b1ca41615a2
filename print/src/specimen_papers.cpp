#include "dangan/print/specimen_papers.h"

#include "pdf_document.h"

namespace dangan::print {

namespace {

constexpr double kLeft = 25, kWidth = 160, kRow = 11, kLabelWidth = 38;

void drawForm(PdfDocument& pdf, const SpecimenForm& form) {
    pdf.addPage();
    pdf.centredText(105, 32, 20, form.title);
    double y = 45;
    for (const auto& [label, value] : form.fields) {
        pdf.rectangle(kLeft, y, kWidth, kRow);
        pdf.line(kLeft + kLabelWidth, y, kLeft + kLabelWidth, y + kRow);
        pdf.text(kLeft + 3, y + 7.5, 12, label);
        pdf.text(kLeft + kLabelWidth + 4, y + 7.5, 12, value);
        y += kRow;
    }
    y += 12;
    for (const auto& line : form.terms) {
        pdf.text(kLeft, y, 10.5, line);
        y += 7;
    }
    pdf.text(120, 255, 12, "申请人（签章）：");
    if (!form.signedOn.empty()) pdf.text(120, 266, 12, "日期：" + form.signedOn);
}

}  // namespace

std::expected<std::string, std::string> specimenFormPdf(const std::vector<SpecimenForm>& forms,
                                                        const PrintOptions& options) {
    PdfDocument pdf(options.font);
    if (pdf.failed()) return std::unexpected(pdf.error());
    for (const auto& form : forms) drawForm(pdf, form);
    return pdf.finish();
}

}  // namespace dangan::print
