#include "test_images.h"

#include <leptonica/allheaders.h>

#include "leptonica_owners.h"

#include <algorithm>
#include <memory>
#include <random>
#include <stdexcept>

namespace dangan::testing {
namespace {

PixPtr render(const PageSpec& spec) {
    setMsgSeverity(L_SEVERITY_ERROR);
    PixPtr pix(pixCreate(spec.width, spec.height, 8));
    pixSetAll(pix.get());  // white
    std::mt19937 rng(spec.seed);
    std::unique_ptr<L_BMF, void (*)(L_BMF*)> font(bmfCreate(nullptr, 20), [](L_BMF* b) { bmfDestroy(&b); });
    int margin = spec.width / 12;
    l_int32 width = 0, overflow = 0;
    pixSetTextline(pix.get(), font.get(), spec.text.c_str(), 0x00000000, margin, spec.height / 12, &width, &overflow);
    // Body text lines and a table grid, positions varied by the seed.
    std::uniform_int_distribution<int> words(3, 9);
    for (int line = 0; line < 12; ++line) {
        std::string text;
        for (int w = words(rng); w > 0; --w) text += "FIELD" + std::to_string(rng() % 1000) + " ";
        pixSetTextline(pix.get(), font.get(), text.c_str(), 0x00000000, margin,
                       spec.height / 6 + line * spec.height / 24, &width, &overflow);
    }
    int top = spec.height * 2 / 3;
    for (int r = 0; r <= 4; ++r)
        pixRenderLine(pix.get(), margin, top + r * 40, spec.width - margin, top + r * 40, 2, L_SET_PIXELS);
    for (int c = 0; c <= 3; ++c) {
        int x = margin + c * (spec.width - 2 * margin) / 3;
        pixRenderLine(pix.get(), x, top, x, top + 160, 2, L_SET_PIXELS);
    }
    // Scanner noise, from the seeded generator so that a spec always gives the same bytes.
    std::normal_distribution<float> noise(0.0f, 6.0f);
    l_uint32* data = pixGetData(pix.get());
    int wpl = pixGetWpl(pix.get());
    for (int y = 0; y < spec.height; ++y) {
        l_uint32* line = data + y * wpl;
        for (int x = 0; x < spec.width; ++x) {
            int v = static_cast<int>(GET_DATA_BYTE(line, x)) + static_cast<int>(noise(rng));
            SET_DATA_BYTE(line, x, std::clamp(v, 0, 255));
        }
    }
    pixSetResolution(pix.get(), spec.dpi, spec.dpi);
    return pix;
}

}  // namespace

std::string jpegPage(const PageSpec& spec, int quality) {
    auto pix = render(spec);
    l_uint8* data = nullptr;
    size_t size = 0;
    if (pixWriteMemJpeg(&data, &size, pix.get(), quality, 0) != 0) throw std::runtime_error("JPEG encoding failed");
    return takeBytes(data, size);
}

std::string pngPage(const PageSpec& spec) {
    auto pix = render(spec);
    l_uint8* data = nullptr;
    size_t size = 0;
    if (pixWriteMemPng(&data, &size, pix.get(), 0.0f) != 0) throw std::runtime_error("PNG encoding failed");
    return takeBytes(data, size);
}

std::string grayPng(const std::vector<std::uint8_t>& pixels, int width, int height) {
    PixPtr pix(pixCreate(width, height, 8));
    l_uint32* data = pixGetData(pix.get());
    int wpl = pixGetWpl(pix.get());
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) SET_DATA_BYTE(data + y * wpl, x, pixels[static_cast<std::size_t>(y) * width + x]);
    l_uint8* out = nullptr;
    size_t size = 0;
    if (pixWriteMemPng(&out, &size, pix.get(), 0.0f) != 0) throw std::runtime_error("PNG encoding failed");
    return takeBytes(out, size);
}

std::string tiffPages(const std::vector<PageSpec>& pages, bool bitonal) {
    std::unique_ptr<PIXA, void (*)(PIXA*)> pixa(pixaCreate(0), [](PIXA* p) { pixaDestroy(&p); });
    for (const auto& spec : pages) {
        auto pix = render(spec);
        PIX* frame = bitonal ? pixConvertTo1(pix.get(), 160) : pixClone(pix.get());
        pixSetResolution(frame, spec.dpi, spec.dpi);
        pixaAddPix(pixa.get(), frame, L_INSERT);
    }
    l_uint8* data = nullptr;
    size_t size = 0;
    if (pixaWriteMemMultipageTiff(&data, &size, pixa.get()) != 0) throw std::runtime_error("TIFF encoding failed");
    return takeBytes(data, size);
}

}  // namespace dangan::testing
