#include "dangan/scanner/page_image.h"

#include "leptonica_handles.h"

#include <algorithm>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>

namespace dangan::scanner {
namespace {


ImageRejection reject(ImageProblem problem, std::string message) {
    return ImageRejection{problem, std::move(message)};
}

std::optional<int> dpiOf(PIX* pix) {
    int x = pixGetXRes(pix);
    if (x <= 0) return std::nullopt;
    return x;
}

std::expected<int, ImageRejection> formatOf(std::string_view bytes) {
    if (bytes.size() < 12) return std::unexpected(reject(ImageProblem::Unreadable, "file is too short to be an image"));
    l_int32 format = IFF_UNKNOWN;
    if (findFileFormatBuffer(leptData(bytes), &format) != 0 || format == IFF_UNKNOWN)
        return std::unexpected(reject(ImageProblem::UnsupportedFormat,
                                      "not an image (expected JPEG, PNG or TIFF)"));
    if (format != IFF_JFIF_JPEG && format != IFF_PNG && !L_FORMAT_IS_TIFF(format))
        return std::unexpected(reject(ImageProblem::UnsupportedFormat,
                                      "unsupported image format (expected JPEG, PNG or TIFF)"));
    return format;
}

std::optional<ImageRejection> checkSize(int w, int h, const ImageLimits& limits) {
    if (w <= 0 || h <= 0) return reject(ImageProblem::Unreadable, "image has no pixels");
    if (w > limits.maxSide || h > limits.maxSide ||
        static_cast<std::int64_t>(w) * h > limits.maxPixels) {
        std::ostringstream m;
        m << "image is " << w << "x" << h << " pixels, over the limit of " << limits.maxSide
          << " per side and " << limits.maxPixels << " in all";
        return reject(ImageProblem::TooLarge, m.str());
    }
    return std::nullopt;
}

// Decodes frame `index` (0 for JPEG and PNG).
std::expected<PixPtr, ImageRejection> decodeFrame(std::string_view bytes, int format, int index) {
    PixPtr pix = decodeRasterFrame(bytes, format, index);
    if (!pix) return std::unexpected(reject(ImageProblem::Unreadable, "image data is damaged or truncated"));
    return pix;
}

}  // namespace

std::expected<ImageInfo, ImageRejection> inspectImage(std::string_view bytes, const ImageLimits& limits) {
    quietLeptonica();
    if (bytes.size() > limits.maxBytes)
        return std::unexpected(reject(ImageProblem::TooLarge, "file is larger than " +
                                                                  std::to_string(limits.maxBytes >> 20) + " MiB"));
    auto format = formatOf(bytes);
    if (!format) return std::unexpected(format.error());

    l_int32 fmt = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;
    if (pixReadHeaderMem(leptData(bytes), bytes.size(), &fmt, &w, &h, &bps, &spp, &cmap) != 0)
        return std::unexpected(reject(ImageProblem::Unreadable, "image header cannot be read"));
    if (auto tooLarge = checkSize(w, h, limits)) return std::unexpected(*tooLarge);

    ImageInfo info;
    info.mediaType = *format == IFF_JFIF_JPEG ? "image/jpeg" : *format == IFF_PNG ? "image/png" : "image/tiff";
    if (!L_FORMAT_IS_TIFF(*format)) {
        auto pix = decodeFrame(bytes, *format, 0);
        if (!pix) return std::unexpected(pix.error());
        info.frames.push_back({pixGetWidth(pix->get()), pixGetHeight(pix->get()), dpiOf(pix->get())});
        return info;
    }
    // Multi-page TIFF: decode frame after frame, holding one at a time.
    size_t offset = 0;
    do {
        if (static_cast<int>(info.frames.size()) >= limits.maxFrames)
            return std::unexpected(reject(ImageProblem::TooLarge, "TIFF has more than " +
                                                                      std::to_string(limits.maxFrames) + " pages"));
        PixPtr pix(pixReadMemFromMultipageTiff(leptData(bytes), bytes.size(), &offset));
        if (!pix)
            return std::unexpected(reject(ImageProblem::Unreadable,
                                          "TIFF page " + std::to_string(info.frames.size() + 1) +
                                              " is damaged or truncated"));
        int fw = pixGetWidth(pix.get()), fh = pixGetHeight(pix.get());
        if (auto tooLarge = checkSize(fw, fh, limits)) return std::unexpected(*tooLarge);
        info.frames.push_back({fw, fh, dpiOf(pix.get())});
    } while (offset != 0);
    return info;
}

std::expected<std::string, ImageRejection> renderJpeg(std::string_view bytes, int frame, int maxSide,
                                                      int quality) {
    quietLeptonica();
    auto format = formatOf(bytes);
    if (!format) return std::unexpected(format.error());
    auto decoded = decodeFrame(bytes, *format, frame);
    if (!decoded) return std::unexpected(decoded.error());
    PIX* source = decoded->get();
    // JPEG takes 8-bit gray or 32-bit colour: bring everything else there first.
    PixPtr converted(pixGetDepth(source) == 32 || (pixGetDepth(source) == 8 && !pixGetColormap(source))
                         ? pixClone(source)
                         : pixConvertTo32(source));
    if (pixGetDepth(converted.get()) == 32 && pixGetSpp(converted.get()) == 4)
        pixSetSpp(converted.get(), 3);
    int w = pixGetWidth(converted.get()), h = pixGetHeight(converted.get());
    float scale = std::min(1.0f, static_cast<float>(maxSide) / static_cast<float>(std::max(w, h)));
    PixPtr scaled(scale < 1.0f ? pixScaleAreaMap(converted.get(), scale, scale) : pixClone(converted.get()));
    if (!scaled) return std::unexpected(reject(ImageProblem::Unreadable, "image cannot be scaled"));
    LeptBytes out;
    if (pixWriteMemJpeg(&out.data, &out.size, scaled.get(), quality, 0) != 0)
        return std::unexpected(reject(ImageProblem::Unreadable, "image cannot be encoded as JPEG"));
    return std::string(reinterpret_cast<const char*>(out.data), out.size);
}

std::string mediaTypeOf(std::string_view bytes) {
    if (bytes.starts_with("\xFF\xD8\xFF")) return "image/jpeg";
    if (bytes.starts_with("\x89PNG\r\n\x1A\n")) return "image/png";
    if (bytes.starts_with(std::string_view("II*\0", 4)) || bytes.starts_with(std::string_view("MM\0*", 4))) return "image/tiff";
    return "application/octet-stream";
}

std::expected<barcode::GrayImage, ImageRejection> decodeGray(std::string_view bytes, int frame) {
    quietLeptonica();
    auto format = formatOf(bytes);
    if (!format) return std::unexpected(format.error());
    auto decoded = decodeFrame(bytes, *format, frame);
    if (!decoded) return std::unexpected(decoded.error());
    PixPtr gray(pixConvertTo8(decoded->get(), 0));
    if (!gray) return std::unexpected(reject(ImageProblem::Unreadable, "image cannot be converted to grayscale"));
    barcode::GrayImage image{pixGetWidth(gray.get()), pixGetHeight(gray.get()), {}};
    image.pixels.resize(static_cast<std::size_t>(image.width) * image.height);
    l_uint32* data = pixGetData(gray.get());
    int wpl = pixGetWpl(gray.get());
    for (int y = 0; y < image.height; ++y) {
        l_uint32* line = data + static_cast<std::ptrdiff_t>(y) * wpl;
        std::uint8_t* out = image.pixels.data() + static_cast<std::ptrdiff_t>(y) * image.width;
        for (int x = 0; x < image.width; ++x) out[x] = static_cast<std::uint8_t>(GET_DATA_BYTE(line, x));
    }
    return image;
}

std::expected<std::vector<std::vector<barcode::FoundBarcode>>, ImageRejection> findBarcodes(
    std::string_view bytes, const ImageLimits& limits) {
    auto info = inspectImage(bytes, limits);
    if (!info) return std::unexpected(info.error());
    std::vector<std::vector<barcode::FoundBarcode>> frames;
    for (std::size_t f = 0; f < info->frames.size(); ++f) {
        auto gray = decodeGray(bytes, static_cast<int>(f));
        if (!gray) return std::unexpected(gray.error());
        frames.push_back(barcode::readBarcodes(gray->view()));
    }
    return frames;
}

std::string readFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + file.string());
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw std::runtime_error("cannot read " + file.string());
    return bytes;
}

}  // namespace dangan::scanner
