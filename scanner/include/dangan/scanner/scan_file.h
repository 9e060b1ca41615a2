#pragma once
// A scanned file as the scanning desk receives it (a JPEG, PNG, TIFF of one or many pages, or a PDF
// of scanned images) and the clean-up of each of its pages before filing: turned upright, deskewed,
// blank backs recognised, poor scans flagged, every barcode read. The file's bytes are never
// changed; a cleaned page is a new image beside them.

#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dangan/barcode/barcodes.h"
#include "dangan/scanner/page_image.h"

namespace dangan::scanner {

struct CleanupOptions {
    int minDpi = 200;               // DA/T 31: at least 200 dpi; below is flagged for re-scan
    double blankInkShare = 0.0003;  // a page with less ink than this share of its area is blank
    double minSkewDegrees = 0.2;    // smaller skew is left alone
    double maxSkewDegrees = 10.0;   // larger "skew" is not skew (a diagram, a photo): left alone
    int cleanedJpegQuality = 80;
    int pdfDpi = 300;               // PDF pages are rendered at this resolution
};

// Why a page should be scanned again; it is filed all the same.
inline constexpr std::string_view kLowResolution = "low_resolution";
inline constexpr std::string_view kTooDark = "too_dark";
inline constexpr std::string_view kTooLight = "too_light";

struct CleanPage {
    int width = 0;  // of the page as filed (after rotation)
    int height = 0;
    std::optional<int> dpi;   // as recorded in the file (or the PDF rendering resolution)
    bool blank = false;
    double inkShare = 0;      // share of the page's area that is ink
    int rotation = 0;         // degrees turned clockwise to make the page upright: 0, 90, 180, 270
    double skew = 0;          // degrees of skew corrected
    std::vector<std::string> flags;
    std::vector<barcode::FoundBarcode> barcodes;  // as found on the page before clean-up
    // The cleaned page as a JPEG, when it differs from the original frame (turned, deskewed,
    // rendered from a PDF or cut from a multi-page file).
    std::optional<std::string> cleanedJpeg;
};

class ScanFile {
public:
    // Recognises the format and counts the pages; the pages themselves are decoded one at a time.
    [[nodiscard]] static std::expected<ScanFile, ImageRejection> open(std::shared_ptr<const std::string> bytes,
                                                                       const ImageLimits& limits);
    ScanFile(ScanFile&&) noexcept;
    ScanFile& operator=(ScanFile&&) noexcept;
    ~ScanFile();

    [[nodiscard]] const std::string& mediaType() const;  // image/jpeg, image/png, image/tiff, application/pdf
    [[nodiscard]] int pageCount() const;

    // Decodes and cleans page `index` (0-based). Thread-safe: several pages of one file may be
    // cleaned at once.
    [[nodiscard]] std::expected<CleanPage, ImageRejection> cleanPage(int index, const CleanupOptions& options) const;
    // Only the barcodes of page `index`, as found before clean-up (`dangan barcodes` on a PDF).
    [[nodiscard]] std::expected<std::vector<barcode::FoundBarcode>, ImageRejection> barcodes(
        int index, const CleanupOptions& options) const;

private:
    struct State;
    explicit ScanFile(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

// application/pdf when the bytes are a PDF; else as mediaTypeOf().
[[nodiscard]] std::string scanMediaTypeOf(std::string_view bytes);

}  // namespace dangan::scanner
