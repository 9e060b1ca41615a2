#include "dangan/scanner/scan_file.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "leptonica_handles.h"

namespace dangan::scanner {
namespace {

ImageRejection reject(ImageProblem problem, std::string message) { return ImageRejection{problem, std::move(message)}; }

struct FileCloser {
    void operator()(FILE* f) const { std::fclose(f); }
};

// The number of frames of a TIFF held in memory.
int tiffFrameCount(const std::string& bytes) {
    std::unique_ptr<FILE, FileCloser> file(fmemopen(const_cast<char*>(bytes.data()), bytes.size(), "rb"));
    if (!file) return 0;
    l_int32 count = 0;
    if (tiffGetCount(file.get(), &count) != 0) return 0;
    return count;
}

// The page as 8-bit gray, with the resolution the file records.
PixPtr toGray(PIX* pix) {
    if (pixGetDepth(pix) == 8 && !pixGetColormap(pix)) return PixPtr(pixClone(pix));
    return PixPtr(pixConvertTo8(pix, 0));
}

// Borrows the pixels of an 8-bit Pix as rows of bytes (Leptonica keeps them in 32-bit words).
class ByteOrderView {
public:
    explicit ByteOrderView(PIX* pix) : pix_(pix) { pixEndianByteSwap(pix_); }
    ~ByteOrderView() { pixEndianByteSwap(pix_); }
    ByteOrderView(const ByteOrderView&) = delete;
    ByteOrderView& operator=(const ByteOrderView&) = delete;
    [[nodiscard]] barcode::GrayView view() const {
        return {reinterpret_cast<const std::uint8_t*>(pixGetData(pix_)), pixGetWidth(pix_), pixGetHeight(pix_),
                pixGetWpl(pix_) * 4};
    }

private:
    PIX* pix_;
};

struct Brightness {
    double mean = 255;
    int paper = 255;  // the level of the brightest tenth: the paper
    int ink = 0;      // the level of the darkest 0.5 %: the ink
};

Brightness brightnessOf(PIX* gray) {
    std::array<double, 256> histogram{};
    double total = 0;
    l_uint32* data = pixGetData(gray);
    int wpl = pixGetWpl(gray), w = pixGetWidth(gray), h = pixGetHeight(gray);
    for (int y = 0; y < h; y += 2) {
        l_uint32* line = data + static_cast<std::ptrdiff_t>(y) * wpl;
        for (int x = 0; x < w; x += 2) {
            histogram[GET_DATA_BYTE(line, x)] += 1;
            total += 1;
        }
    }
    Brightness b;
    if (total == 0) return b;
    double sum = 0, seen = 0;
    for (int v = 0; v < 256; ++v) sum += v * histogram[v];
    b.mean = sum / total;
    bool inkFound = false;
    for (int v = 0; v < 256; ++v) {
        seen += histogram[v];
        if (!inkFound && seen >= total * 0.005) {
            b.ink = v;
            inkFound = true;
        }
        if (seen >= total * 0.9) {
            b.paper = v;
            break;
        }
    }
    return b;
}

constexpr double kDegreesPerRadian = 57.29577951308232;
constexpr float kMinSkewConfidence = 3.0f;
constexpr float kUpDownConfidence = 0.4f;

// Quarter turns clockwise that make the text lines horizontal and the page upright, judged on the
// page's ink at about 150 dpi: text lines give a sharp projection in their own direction, and
// Leptonica's up/down test reads the asymmetry of the glyphs.
int uprightQuarters(PIX* ink) {
    float angle0 = 0, conf0 = 0, angle90 = 0, conf90 = 0;
    pixFindSkew(ink, &angle0, &conf0);
    PixPtr turned(pixRotateOrth(ink, 1));
    pixFindSkew(turned.get(), &angle90, &conf90);
    bool sideways = conf90 > kMinSkewConfidence && conf90 > 2 * conf0;
    PIX* lines = sideways ? turned.get() : ink;
    float updown = 0;
    if (pixUpDownDetect(lines, &updown, 0, 0, 0) != 0) updown = 0;
    int quarters = sideways ? 1 : 0;
    if (updown < -kUpDownConfidence) quarters += 2;
    return quarters % 4;
}

}  // namespace

struct ScanFile::State {
    std::shared_ptr<const std::string> bytes;
    std::string mediaType;
    int format = IFF_UNKNOWN;
    int pages = 0;
    ImageLimits limits;
    // Poppler renders one page of a document at a time.
    mutable std::mutex pdfMutex;
    std::unique_ptr<poppler::document> pdf;

    std::expected<PixPtr, ImageRejection> decode(int index, const CleanupOptions& options) const {
        const std::string& b = *bytes;
        PixPtr pix;
        if (pdf) {
            std::lock_guard lock(pdfMutex);
            std::unique_ptr<poppler::page> page(pdf->create_page(index));
            if (!page) return std::unexpected(reject(ImageProblem::Unreadable, "PDF page cannot be read"));
            auto box = page->page_rect();
            double w = box.width() / 72.0 * options.pdfDpi, h = box.height() / 72.0 * options.pdfDpi;
            if (w < 1 || h < 1 || w > limits.maxSide || h > limits.maxSide || w * h > static_cast<double>(limits.maxPixels))
                return std::unexpected(reject(ImageProblem::TooLarge, "PDF page is too large to render"));
            poppler::page_renderer renderer;
            renderer.set_image_format(poppler::image::format_gray8);
            renderer.set_render_hints(poppler::page_renderer::antialiasing | poppler::page_renderer::text_antialiasing);
            poppler::image image = renderer.render_page(page.get(), options.pdfDpi, options.pdfDpi);
            if (!image.is_valid()) return std::unexpected(reject(ImageProblem::Unreadable, "PDF page cannot be rendered"));
            pix.reset(pixCreate(image.width(), image.height(), 8));
            l_uint32* data = pixGetData(pix.get());
            int wpl = pixGetWpl(pix.get());
            for (int y = 0; y < image.height(); ++y) {
                const auto* row = reinterpret_cast<const std::uint8_t*>(image.const_data()) +
                                  static_cast<std::ptrdiff_t>(y) * image.bytes_per_row();
                l_uint32* line = data + static_cast<std::ptrdiff_t>(y) * wpl;
                for (int x = 0; x < image.width(); ++x) SET_DATA_BYTE(line, x, row[x]);
            }
            pixSetResolution(pix.get(), options.pdfDpi, options.pdfDpi);
            return pix;
        }
        pix = decodeRasterFrame(b, format, index);
        if (!pix) return std::unexpected(reject(ImageProblem::Unreadable, "page image is damaged or truncated"));
        int w = pixGetWidth(pix.get()), h = pixGetHeight(pix.get());
        if (w > limits.maxSide || h > limits.maxSide || static_cast<std::int64_t>(w) * h > limits.maxPixels)
            return std::unexpected(reject(ImageProblem::TooLarge, "page image is " + std::to_string(w) + "x" +
                                                                      std::to_string(h) + " pixels, over the limit"));
        return pix;
    }
};

ScanFile::ScanFile(std::unique_ptr<State> state) : state_(std::move(state)) {}
ScanFile::ScanFile(ScanFile&&) noexcept = default;
ScanFile& ScanFile::operator=(ScanFile&&) noexcept = default;
ScanFile::~ScanFile() = default;

const std::string& ScanFile::mediaType() const { return state_->mediaType; }
int ScanFile::pageCount() const { return state_->pages; }

std::string scanMediaTypeOf(std::string_view bytes) {
    if (bytes.starts_with("%PDF-")) return "application/pdf";
    return mediaTypeOf(bytes);
}

std::expected<ScanFile, ImageRejection> ScanFile::open(std::shared_ptr<const std::string> bytes,
                                                       const ImageLimits& limits) {
    quietLeptonica();
    auto state = std::make_unique<State>();
    state->limits = limits;
    const std::string& b = *bytes;
    if (b.size() > limits.maxBytes)
        return std::unexpected(reject(ImageProblem::TooLarge, "file is larger than " + std::to_string(limits.maxBytes >> 20) + " MiB"));
    state->mediaType = scanMediaTypeOf(b);
    if (state->mediaType == "application/pdf") {
        if (b.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
            return std::unexpected(reject(ImageProblem::TooLarge, "PDF is too large"));
        // Poppler reports every oddity of a PDF's fonts on stderr (libharu's ToUnicode maps draw one
        // per page); a page it cannot render is refused below, so its chatter is not needed.
        static std::once_flag quiet;
        std::call_once(quiet, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
        state->pdf.reset(poppler::document::load_from_raw_data(b.data(), static_cast<int>(b.size())));
        if (!state->pdf || state->pdf->is_locked())
            return std::unexpected(reject(ImageProblem::Unreadable, "PDF cannot be opened (damaged or password-protected)"));
        state->pages = state->pdf->pages();
    } else if (state->mediaType == "application/octet-stream") {
        return std::unexpected(reject(ImageProblem::UnsupportedFormat, "not a scan (expected JPEG, PNG, TIFF or PDF)"));
    } else {
        l_int32 format = IFF_UNKNOWN;
        if (findFileFormatBuffer(leptData(b), &format) != 0 || format == IFF_UNKNOWN)
            return std::unexpected(reject(ImageProblem::UnsupportedFormat, "not a scan (expected JPEG, PNG, TIFF or PDF)"));
        state->format = format;
        state->pages = L_FORMAT_IS_TIFF(format) ? tiffFrameCount(b) : 1;
    }
    if (state->pages <= 0) return std::unexpected(reject(ImageProblem::Unreadable, "file has no readable pages"));
    if (state->pages > limits.maxFrames)
        return std::unexpected(reject(ImageProblem::TooLarge, "file has more than " + std::to_string(limits.maxFrames) + " pages"));
    state->bytes = std::move(bytes);
    return ScanFile(std::move(state));
}

std::expected<std::vector<barcode::FoundBarcode>, ImageRejection> ScanFile::barcodes(int index,
                                                                                   const CleanupOptions& options) const {
    if (index < 0 || index >= state_->pages) return std::unexpected(reject(ImageProblem::Unreadable, "no such page"));
    auto decoded = state_->decode(index, options);
    if (!decoded) return std::unexpected(decoded.error());
    PixPtr gray = toGray(decoded->get());
    if (!gray) return std::unexpected(reject(ImageProblem::Unreadable, "page cannot be converted to grayscale"));
    ByteOrderView bytes(gray.get());
    return barcode::readBarcodes(bytes.view());
}

std::expected<CleanPage, ImageRejection> ScanFile::cleanPage(int index, const CleanupOptions& options) const {
    if (index < 0 || index >= state_->pages) return std::unexpected(reject(ImageProblem::Unreadable, "no such page"));
    auto decoded = state_->decode(index, options);
    if (!decoded) return std::unexpected(decoded.error());
    PixPtr gray = toGray(decoded->get());
    if (!gray) return std::unexpected(reject(ImageProblem::Unreadable, "page cannot be converted to grayscale"));

    CleanPage page;
    int w = pixGetWidth(gray.get()), h = pixGetHeight(gray.get());
    if (int dpi = pixGetXRes(decoded->get()); dpi > 0) page.dpi = dpi;
    decoded->reset();
    {
        ByteOrderView bytes(gray.get());
        page.barcodes = barcode::readBarcodes(bytes.view());
    }

    // Judge the page at about 150 dpi: enough for ink, lines and glyph shapes, four times faster.
    int dpiForAnalysis = page.dpi.value_or(static_cast<int>(std::max(w, h) / 11.69));
    PixPtr analysed(dpiForAnalysis >= 250 ? pixScaleAreaMap2(gray.get()) : pixClone(gray.get()));
    Brightness brightness = brightnessOf(analysed.get());
    int threshold = std::clamp(brightness.paper - 70, 60, 180);
    PixPtr ink(pixThresholdToBinary(analysed.get(), threshold));
    PixPtr solidInk(pixOpenBrick(nullptr, ink.get(), 2, 2));  // speckles and dust are not ink
    int aw = pixGetWidth(solidInk.get()), ah = pixGetHeight(solidInk.get());
    // Scanner edges, punch holes and shadows live in the outer 5 %.
    BOX* inner = boxCreate(aw / 20, ah / 20, aw - aw / 10, ah - ah / 10);
    PixPtr centre(pixClipRectangle(solidInk.get(), inner, nullptr));
    boxDestroy(&inner);
    l_int32 count = 0;
    if (centre) pixCountPixels(centre.get(), &count, nullptr);
    page.inkShare = centre ? static_cast<double>(count) / (static_cast<double>(pixGetWidth(centre.get())) * pixGetHeight(centre.get())) : 0;
    page.blank = page.inkShare < options.blankInkShare && page.barcodes.empty();

    if (page.dpi && *page.dpi < options.minDpi) page.flags.emplace_back(kLowResolution);
    if (brightness.mean < 110) page.flags.emplace_back(kTooDark);
    else if (!page.blank && brightness.ink > 150) page.flags.emplace_back(kTooLight);

    int quarters = 0;
    float skew = 0;
    if (!page.blank) {
        quarters = uprightQuarters(ink.get());
        PixPtr upright(pixRotateOrth(ink.get(), quarters));
        float confidence = 0;
        if (pixFindSkew(upright.get(), &skew, &confidence) != 0 || confidence < kMinSkewConfidence ||
            std::fabs(skew) < options.minSkewDegrees || std::fabs(skew) > options.maxSkewDegrees)
            skew = 0;
    }
    page.rotation = quarters * 90;
    page.skew = skew;

    bool wholeFile = state_->pages == 1 && !state_->pdf;
    if (quarters != 0 || skew != 0 || !wholeFile) {
        PixPtr out(pixRotateOrth(gray.get(), quarters));
        if (skew != 0)
            out.reset(pixRotate(out.get(), static_cast<float>(skew / kDegreesPerRadian), L_ROTATE_AREA_MAP,
                                L_BRING_IN_WHITE, 0, 0));
        if (!out) return std::unexpected(reject(ImageProblem::Unreadable, "page cannot be turned upright"));
        if (page.dpi) pixSetResolution(out.get(), *page.dpi, *page.dpi);
        LeptBytes jpeg;
        if (pixWriteMemJpeg(&jpeg.data, &jpeg.size, out.get(), options.cleanedJpegQuality, 0) != 0)
            return std::unexpected(reject(ImageProblem::Unreadable, "cleaned page cannot be encoded"));
        page.cleanedJpeg.emplace(reinterpret_cast<const char*>(jpeg.data), jpeg.size);
        page.width = pixGetWidth(out.get());
        page.height = pixGetHeight(out.get());
    } else {
        page.width = w;
        page.height = h;
    }
    return page;
}

}  // namespace dangan::scanner
