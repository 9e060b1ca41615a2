#pragma once
// What an uploaded scan is: its format, its pages (frames of a multi-page TIFF), their size and
// resolution; and browser-friendly renderings of a page. Every frame is fully decoded on
// inspection, so a file that is accepted is a file that opens (DA/T 31: every image must open).

#include <cstdint>
#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dangan/barcode/barcodes.h"

namespace dangan::scanner {

struct ImageLimits {
    std::uint64_t maxBytes = 64ull << 20;     // per file
    int maxSide = 20000;                      // pixels, either dimension
    std::int64_t maxPixels = 120'000'000;     // per frame (A3 at 600 dpi is 70 Mpx)
    int maxFrames = 1000;                     // per multi-page TIFF
};

struct FrameInfo {
    int width = 0;
    int height = 0;
    std::optional<int> dpi;  // absent when the file does not record its resolution
};

struct ImageInfo {
    std::string mediaType;  // image/jpeg, image/png or image/tiff
    std::vector<FrameInfo> frames;
};

enum class ImageProblem { Unreadable, UnsupportedFormat, TooLarge };

struct ImageRejection {
    ImageProblem problem;
    std::string message;  // plain English, names the problem
};

// Inspects and fully decodes every frame of the image bytes.
[[nodiscard]] std::expected<ImageInfo, ImageRejection> inspectImage(std::string_view bytes,
                                                                    const ImageLimits& limits);

// Renders `frame` of the image as a JPEG whose longer side is at most `maxSide` pixels (never
// enlarged).
[[nodiscard]] std::expected<std::string, ImageRejection> renderJpeg(std::string_view bytes, int frame,
                                                                    int maxSide, int quality);

// image/jpeg, image/png or image/tiff by the bytes' signature; application/octet-stream else.
[[nodiscard]] std::string mediaTypeOf(std::string_view bytes);

// Decodes `frame` of the image as 8-bit grayscale (colour by luminance, bitonal expanded).
[[nodiscard]] std::expected<barcode::GrayImage, ImageRejection> decodeGray(std::string_view bytes, int frame);

// The barcodes on each frame (page) of the image, in frame order.
[[nodiscard]] std::expected<std::vector<std::vector<barcode::FoundBarcode>>, ImageRejection> findBarcodes(
    std::string_view bytes, const ImageLimits& limits);

// Reads a whole file; throws std::runtime_error if it cannot.
[[nodiscard]] std::string readFile(const std::filesystem::path& file);

}  // namespace dangan::scanner
