#include "pdf_document.h"

#include <cstdio>

namespace dangan::print {
namespace {

constexpr double kPointsPerMm = 72.0 / 25.4;
constexpr double kA4Height = 297.0;

double pt(double mm) { return mm * kPointsPerMm; }

}  // namespace

void PdfDocument::onError(HPDF_STATUS status, HPDF_STATUS detail, void* self) {
    auto* pdf = static_cast<PdfDocument*>(self);
    if (pdf->error_) return;
    char text[96];
    std::snprintf(text, sizeof text, "PDF writer error 0x%04X (detail %u)", static_cast<unsigned>(status),
                  static_cast<unsigned>(detail));
    pdf->error_ = text;
}

PdfDocument::PdfDocument(const std::filesystem::path& font) : doc_(HPDF_New(&PdfDocument::onError, this)) {
    if (!doc_) {
        error_ = "cannot start a PDF (out of memory)";
        return;
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(font, ec)) {
        error_ = "the print font " + font.string() + " is missing (install fonts-arphic-gbsn00lp)";
        return;
    }
    HPDF_SetCompressionMode(doc_.get(), HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(doc_.get());
    HPDF_SetCurrentEncoder(doc_.get(), "UTF-8");
    const char* name = HPDF_LoadTTFontFromFile(doc_.get(), font.c_str(), HPDF_TRUE);
    if (name) font_ = HPDF_GetFont(doc_.get(), name, "UTF-8");
    if (!font_ && !error_) error_ = "cannot load the print font " + font.string();
    if (error_) error_ = "cannot load the print font " + font.string() + ": " + *error_;
}

double PdfDocument::top(double y) const { return pt(kA4Height - y); }

void PdfDocument::addPage() {
    if (error_) return;
    page_ = HPDF_AddPage(doc_.get());
    if (page_) HPDF_Page_SetSize(page_, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
}

void PdfDocument::text(double x, double y, double size, std::string_view utf8) {
    if (error_ || !page_ || utf8.empty()) return;
    std::string s(utf8);
    HPDF_Page_BeginText(page_);
    HPDF_Page_SetFontAndSize(page_, font_, static_cast<HPDF_REAL>(size));
    HPDF_Page_TextOut(page_, static_cast<HPDF_REAL>(pt(x)), static_cast<HPDF_REAL>(top(y)), s.c_str());
    HPDF_Page_EndText(page_);
}

double PdfDocument::textWidth(double size, std::string_view utf8) {
    if (error_ || !page_ || utf8.empty()) return 0;
    std::string s(utf8);
    HPDF_Page_SetFontAndSize(page_, font_, static_cast<HPDF_REAL>(size));
    return HPDF_Page_TextWidth(page_, s.c_str()) / kPointsPerMm;
}

void PdfDocument::centredText(double x, double y, double size, std::string_view utf8) {
    text(x - textWidth(size, utf8) / 2, y, size, utf8);
}

void PdfDocument::line(double x1, double y1, double x2, double y2, double width) {
    if (error_ || !page_) return;
    HPDF_Page_SetLineWidth(page_, static_cast<HPDF_REAL>(pt(width)));
    HPDF_Page_MoveTo(page_, static_cast<HPDF_REAL>(pt(x1)), static_cast<HPDF_REAL>(top(y1)));
    HPDF_Page_LineTo(page_, static_cast<HPDF_REAL>(pt(x2)), static_cast<HPDF_REAL>(top(y2)));
    HPDF_Page_Stroke(page_);
}

void PdfDocument::rectangle(double x, double y, double w, double h, double width) {
    if (error_ || !page_) return;
    HPDF_Page_SetLineWidth(page_, static_cast<HPDF_REAL>(pt(width)));
    HPDF_Page_Rectangle(page_, static_cast<HPDF_REAL>(pt(x)), static_cast<HPDF_REAL>(top(y + h)),
                        static_cast<HPDF_REAL>(pt(w)), static_cast<HPDF_REAL>(pt(h)));
    HPDF_Page_Stroke(page_);
}

void PdfDocument::fill(double x, double y, double w, double h, double gray) {
    if (error_ || !page_) return;
    HPDF_Page_SetGrayFill(page_, static_cast<HPDF_REAL>(gray));
    HPDF_Page_Rectangle(page_, static_cast<HPDF_REAL>(pt(x)), static_cast<HPDF_REAL>(top(y + h)),
                        static_cast<HPDF_REAL>(pt(w)), static_cast<HPDF_REAL>(pt(h)));
    HPDF_Page_Fill(page_);
    HPDF_Page_SetGrayFill(page_, 0);
}

void PdfDocument::barcode(const GrayImage& symbol, double x, double y, double w, double h) {
    if (error_ || !page_ || symbol.pixels.empty()) return;
    HPDF_Image image = HPDF_LoadRawImageFromMem(doc_.get(), symbol.pixels.data(), static_cast<HPDF_UINT>(symbol.width),
                                                static_cast<HPDF_UINT>(symbol.height), HPDF_CS_DEVICE_GRAY, 8);
    if (!image) return;
    HPDF_Page_DrawImage(page_, image, static_cast<HPDF_REAL>(pt(x)), static_cast<HPDF_REAL>(top(y + h)),
                        static_cast<HPDF_REAL>(pt(w)), static_cast<HPDF_REAL>(pt(h)));
}

std::expected<std::string, std::string> PdfDocument::finish() {
    if (error_) return std::unexpected(*error_);
    if (HPDF_SaveToStream(doc_.get()) != HPDF_OK || error_)
        return std::unexpected(error_.value_or("cannot write the PDF"));
    std::string bytes(HPDF_GetStreamSize(doc_.get()), '\0');
    HPDF_UINT32 size = static_cast<HPDF_UINT32>(bytes.size());
    HPDF_ResetStream(doc_.get());
    if (HPDF_ReadFromStream(doc_.get(), reinterpret_cast<HPDF_BYTE*>(bytes.data()), &size) != HPDF_OK &&
        size != bytes.size())
        return std::unexpected("cannot read back the PDF");
    bytes.resize(size);
    return bytes;
}

}  // namespace dangan::print
