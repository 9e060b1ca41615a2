#include "dangan/barcode/barcodes.h"

#include <ZXing/BitMatrix.h>
#include <ZXing/DecodeHints.h>
#include <ZXing/ImageView.h>
#include <ZXing/MultiFormatWriter.h>
#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <cmath>

namespace dangan::barcode {
namespace {

Symbology symbologyOf(ZXing::BarcodeFormat format) {
    switch (format) {
        case ZXing::BarcodeFormat::Code128: return Symbology::Code128;
        case ZXing::BarcodeFormat::QRCode: return Symbology::QRCode;
        case ZXing::BarcodeFormat::DataMatrix: return Symbology::DataMatrix;
        default: return Symbology::Other;
    }
}

ZXing::BarcodeFormat formatOf(Symbology symbology) {
    switch (symbology) {
        case Symbology::Code128: return ZXing::BarcodeFormat::Code128;
        case Symbology::QRCode: return ZXing::BarcodeFormat::QRCode;
        case Symbology::DataMatrix: return ZXing::BarcodeFormat::DataMatrix;
        case Symbology::Other: break;
    }
    return ZXing::BarcodeFormat::None;
}

constexpr auto kMatrixCodes = ZXing::BarcodeFormat::QRCode | ZXing::BarcodeFormat::DataMatrix |
                              ZXing::BarcodeFormat::Aztec | ZXing::BarcodeFormat::PDF417 |
                              ZXing::BarcodeFormat::MicroQRCode | ZXing::BarcodeFormat::MaxiCode;
constexpr auto kLinearCodes = ZXing::BarcodeFormat::LinearCodes;

FoundBarcode found(const ZXing::Result& result, int scale, int margin) {
    FoundBarcode b;
    b.symbology = symbologyOf(result.format());
    b.symbologyName = ZXing::ToString(result.format());
    b.text = result.text();
    const auto& p = result.position();
    for (int i = 0; i < 4; ++i) b.corners[i] = {(p[i].x - margin) / scale, (p[i].y - margin) / scale};
    b.rotation = static_cast<int>(std::lround(p.orientation() * 180.0 / M_PI + 360.0)) % 360;
    return b;
}

ZXing::DecodeHints hintsFor(ZXing::BarcodeFormats formats) {
    ZXing::DecodeHints hints;
    hints.setTryHarder(true).setTryRotate(true).setTryDownscale(true).setFormats(formats);
    return hints;
}

// `image` is the caller's image enlarged `scale` times inside a white border of `margin` pixels;
// positions are mapped back.
//
// Debian's ZXing-cpp 1.4 is built with assertions, and merging several linear results into one
// list aborts the process on some images (Result::operator==: "lineCount() == 1"; its own
// ZXingReader dies on code128-1/4.png of the published samples). So 2-D codes are read all at
// once, and linear codes one at a time: each one found is painted white and the page is read
// again, at most kMaxLinear times.
std::vector<FoundBarcode> decode(const GrayImage& image, int scale, int margin, bool matrixOnly) {
    constexpr int kMaxLinear = 8;
    ZXing::ImageView view(image.pixels.data(), image.width, image.height, ZXing::ImageFormat::Lum, image.width);
    std::vector<FoundBarcode> codes;
    for (const auto& result : ZXing::ReadBarcodes(view, hintsFor(matrixOnly ? ZXing::BarcodeFormats(ZXing::BarcodeFormat::QRCode | ZXing::BarcodeFormat::DataMatrix) : kMatrixCodes)))
        if (result.isValid()) codes.push_back(found(result, scale, margin));
    if (matrixOnly) return codes;

    GrayImage masked = image;
    auto linearHints = hintsFor(kLinearCodes);
    linearHints.setMaxNumberOfSymbols(1);
    for (int i = 0; i < kMaxLinear; ++i) {
        ZXing::ImageView current(masked.pixels.data(), masked.width, masked.height, ZXing::ImageFormat::Lum, masked.width);
        auto result = ZXing::ReadBarcode(current, linearHints);
        if (!result.isValid()) break;
        auto code = found(result, scale, margin);
        bool again = std::any_of(codes.begin(), codes.end(), [&](const FoundBarcode& c) {
            return c.text == code.text && c.symbologyName == code.symbologyName;
        });
        // Paint the code and a generous band around it white (a linear result's position may be
        // a single scan line), so the next read finds the next code.
        const auto& p = result.position();
        int x0 = std::min({p[0].x, p[1].x, p[2].x, p[3].x}), x1 = std::max({p[0].x, p[1].x, p[2].x, p[3].x});
        int y0 = std::min({p[0].y, p[1].y, p[2].y, p[3].y}), y1 = std::max({p[0].y, p[1].y, p[2].y, p[3].y});
        int pad = std::max(24, std::max(x1 - x0, y1 - y0) / 3);
        for (int y = std::max(0, y0 - pad); y < std::min(masked.height, y1 + pad + 1); ++y)
            std::fill_n(masked.pixels.begin() + static_cast<std::ptrdiff_t>(y) * masked.width + std::max(0, x0 - pad),
                        std::max(0, std::min(masked.width, x1 + pad + 1) - std::max(0, x0 - pad)), std::uint8_t{255});
        if (again) continue;
        codes.push_back(std::move(code));
    }
    return codes;
}

// The image at twice the size (nearest neighbour) inside a white border of `margin` pixels.
GrayImage enlargedWithBorder(GrayView image, int margin) {
    GrayImage out{image.width * 2 + 2 * margin, image.height * 2 + 2 * margin, {}};
    out.pixels.assign(static_cast<std::size_t>(out.width) * out.height, 255);
    for (int y = 0; y < image.height * 2; ++y) {
        const std::uint8_t* row = image.pixels + static_cast<std::ptrdiff_t>(y / 2) * image.stride;
        std::uint8_t* dst = out.pixels.data() + static_cast<std::ptrdiff_t>(y + margin) * out.width + margin;
        for (int x = 0; x < image.width * 2; ++x) dst[x] = row[x / 2];
    }
    return out;
}

// A packed copy of the caller's pixels.
GrayImage copyOf(GrayView image) {
    GrayImage out{image.width, image.height, std::vector<std::uint8_t>(static_cast<std::size_t>(image.width) * image.height)};
    for (int y = 0; y < image.height; ++y)
        std::copy_n(image.pixels + static_cast<std::ptrdiff_t>(y) * image.stride, image.width,
                    out.pixels.begin() + static_cast<std::ptrdiff_t>(y) * image.width);
    return out;
}

}  // namespace

std::string_view symbologyName(Symbology symbology) {
    switch (symbology) {
        case Symbology::Code128: return "Code128";
        case Symbology::QRCode: return "QRCode";
        case Symbology::DataMatrix: return "DataMatrix";
        case Symbology::Other: return "Other";
    }
    return "Other";
}

std::vector<FoundBarcode> readBarcodes(GrayView image) {
    if (!image.pixels || image.width <= 0 || image.height <= 0) return {};
    auto codes = decode(copyOf(image), 1, 0, false);
    // Small 2-D labels: modules of one or two pixels defeat the detector, and so does a code that
    // touches the edge of a cropped scan; twice the size inside a white border finds them. Only QR
    // and Data Matrix: enlarged noise reads as 1-D codes (ITF) that are not there.
    if (codes.empty() && static_cast<long>(image.width) * image.height <= 4'000'000L) {
        constexpr int kMargin = 32;
        codes = decode(enlargedWithBorder(image, kMargin), 2, kMargin, true);
    }
    return codes;
}

std::expected<GrayImage, std::string> renderBarcode(Symbology symbology, std::string_view text, int width,
                                                    int height, int margin) {
    if (symbology == Symbology::Other) return std::unexpected("the archive prints only Code128, QRCode and DataMatrix");
    try {
        ZXing::MultiFormatWriter writer(formatOf(symbology));
        writer.setMargin(margin);
        if (symbology != Symbology::Code128) writer.setEncoding(ZXing::CharacterSet::UTF8);
        ZXing::BitMatrix matrix = writer.encode(std::string(text), width, height);
        GrayImage image{matrix.width(), matrix.height(), {}};
        image.pixels.resize(static_cast<std::size_t>(image.width) * image.height);
        for (int y = 0; y < image.height; ++y)
            for (int x = 0; x < image.width; ++x)
                image.pixels[static_cast<std::size_t>(y) * image.width + x] = matrix.get(x, y) ? 0 : 255;
        return image;
    } catch (const std::exception& e) {
        return std::unexpected(std::string("cannot encode as ") + std::string(symbologyName(symbology)) + ": " + e.what());
    }
}

}  // namespace dangan::barcode
