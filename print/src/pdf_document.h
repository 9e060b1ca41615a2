#pragma once
// An A4 PDF being written with libharu: owns the HPDF_Doc, records libharu's first error instead
// of letting it unwind through C code, and measures in millimetres from the top-left corner.

#include <hpdf.h>

#include <expected>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "dangan/barcode/barcodes.h"

namespace dangan::print {

// The barcode module's codes, as the print module draws them.
using barcode::GrayImage;
using barcode::renderBarcode;
using barcode::Symbology;

class PdfDocument {
public:
    // Loads and embeds the TrueType font; check failed() afterwards.
    explicit PdfDocument(const std::filesystem::path& font);

    void addPage();
    // Text with its baseline at (x, y) mm, in `size` points.
    void text(double x, double y, double size, std::string_view utf8);
    // Text centred on x.
    void centredText(double x, double y, double size, std::string_view utf8);
    [[nodiscard]] double textWidth(double size, std::string_view utf8);
    void line(double x1, double y1, double x2, double y2, double width = 0.3);
    void rectangle(double x, double y, double w, double h, double width = 0.3);
    // A filled rectangle, gray 0 (black) to 1 (white).
    void fill(double x, double y, double w, double h, double gray);
    // A barcode rendered at one pixel per module, drawn w x h mm with sharp edges.
    void barcode(const GrayImage& symbol, double x, double y, double w, double h);

    // The PDF's bytes, or the first error's message.
    [[nodiscard]] std::expected<std::string, std::string> finish();
    [[nodiscard]] bool failed() const { return error_.has_value(); }
    [[nodiscard]] const std::string& error() const { return *error_; }

private:
    static void onError(HPDF_STATUS status, HPDF_STATUS detail, void* self);
    [[nodiscard]] double top(double y) const;

    struct Free {
        void operator()(HPDF_Doc doc) const { HPDF_Free(doc); }
    };
    std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, Free> doc_;
    HPDF_Font font_ = nullptr;
    HPDF_Page page_ = nullptr;
    std::optional<std::string> error_;
};

}  // namespace dangan::print
