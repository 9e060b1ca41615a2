#pragma once
// Reading and rendering barcodes: a small facade over ZXing-cpp 1.4. Borrowed pixels in, plain
// values out; no ZXing type crosses this header. Thread-safe (no shared state).

#include <array>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace dangan::barcode {

// The symbologies the archive prints; everything else a page may carry (business licences,
// meters, invoices) is read and reported as Other, with ZXing's name for it.
enum class Symbology { Code128, QRCode, DataMatrix, Other };

struct Point {
    int x = 0;
    int y = 0;
};

struct FoundBarcode {
    Symbology symbology = Symbology::Other;
    std::string symbologyName;      // e.g. "Code128", "QRCode", "EAN-13"
    std::string text;               // UTF-8
    std::array<Point, 4> corners{};  // top-left, top-right, bottom-right, bottom-left of the symbol
    int rotation = 0;               // degrees, as the symbol lies on the page
};

// 8-bit grayscale pixels borrowed from the caller (0 black, 255 white).
struct GrayView {
    const std::uint8_t* pixels = nullptr;
    int width = 0;
    int height = 0;
    int stride = 0;  // bytes per row
};

// Every barcode on the image, at any of the four orientations; small symbols are looked for again
// at twice the size when the first pass finds nothing.
[[nodiscard]] std::vector<FoundBarcode> readBarcodes(GrayView image);

// An owned grayscale image.
struct GrayImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;  // width * height, no row padding
    [[nodiscard]] GrayView view() const { return {pixels.data(), width, height, width}; }
};

// Renders `text` as a symbol of at least width x height pixels, with a quiet zone of `margin`
// modules. Fails (with a message) when the text cannot be encoded in that symbology.
[[nodiscard]] std::expected<GrayImage, std::string> renderBarcode(Symbology symbology,
                                                                  std::string_view text, int width,
                                                                  int height, int margin = 4);

[[nodiscard]] std::string_view symbologyName(Symbology symbology);

}  // namespace dangan::barcode
