#include "dangan/ocr/tesseract_engine.h"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>


#include "pix_owner.h"

namespace dangan::ocr {

namespace {

void initialise(tesseract::TessBaseAPI& api, const std::string& languages, const std::string& dataPath) {
    if (api.Init(dataPath.empty() ? nullptr : dataPath.c_str(), languages.c_str(), tesseract::OEM_LSTM_ONLY) != 0)
        throw EngineError("Tesseract cannot load the language data '" + languages +
                          "' (install tesseract-ocr-chi-sim and tesseract-ocr-eng; see the README)");
    api.SetVariable("debug_file", "/dev/null");
}

}  // namespace

struct TesseractEngine::Api {
    tesseract::TessBaseAPI api;
    tesseract::TessBaseAPI latin;  // eng, for LineReading::latin
    ~Api() {
        api.End();
        latin.End();
    }
};

TesseractEngine::TesseractEngine(const std::string& languages, const std::string& dataPath) : api_(std::make_unique<Api>()) {
    initialise(api_->api, languages, dataPath);
    initialise(api_->latin, "eng", dataPath);
}

TesseractEngine::~TesseractEngine() = default;

std::vector<Glyph> TesseractEngine::readPage(Pix* image, int dpi) {
    auto& api = api_->api;
    api.SetVariable("tessedit_char_whitelist", "");
    api.SetPageSegMode(tesseract::PSM_AUTO);
    api.SetImage(image);
    api.SetSourceResolution(dpi);
    std::vector<Glyph> glyphs;
    if (api.Recognize(nullptr) != 0) return glyphs;
    std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
    if (!it) return glyphs;
    do {
        std::unique_ptr<char[]> text(it->GetUTF8Text(tesseract::RIL_SYMBOL));
        if (!text || !*text.get()) continue;
        int left = 0, top = 0, right = 0, bottom = 0;
        if (!it->BoundingBox(tesseract::RIL_SYMBOL, &left, &top, &right, &bottom)) continue;
        glyphs.push_back({text.get(), {left, top, right - left, bottom - top}, it->Confidence(tesseract::RIL_SYMBOL) / 100.0f});
    } while (it->Next(tesseract::RIL_SYMBOL));
    api.Clear();
    return glyphs;
}

LineText TesseractEngine::readLine(Pix* image, int dpi, const TextBox& box, const LineReading& how) {
    auto& api = how.latin ? api_->latin : api_->api;
    BOX* clip = boxCreate(box.x, box.y, box.width, box.height);
    PixPtr cut(pixClipRectangle(image, clip, nullptr));
    boxDestroy(&clip);
    if (!cut) return {};
    // A narrow white margin: Tesseract reads a line poorly when its glyphs touch the image's edge,
    // and worse still inside a wide one (half the line's height made 户号 read as 户 or nothing: on
    // the benchmark, account numbers 97.5% → 99.0%).
    constexpr int margin = 8;
    PixPtr framed(pixAddBorder(cut.get(), margin, pixGetDepth(cut.get()) == 1 ? 0 : 255));
    if (!framed) return {};
    api.SetVariable("tessedit_char_whitelist", std::string(how.allowed).c_str());
    api.SetPageSegMode(how.rawLine ? tesseract::PSM_RAW_LINE : tesseract::PSM_SINGLE_LINE);
    api.SetImage(framed.get());
    api.SetSourceResolution(dpi);
    LineText line;
    if (api.Recognize(nullptr) == 0) {
        std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
        float sum = 0;
        int glyphs = 0;
        if (it) do {
                std::unique_ptr<char[]> text(it->GetUTF8Text(tesseract::RIL_SYMBOL));
                if (!text || !*text.get()) continue;
                line.text += text.get();
                float confidence = it->Confidence(tesseract::RIL_SYMBOL);
                sum += confidence;
                ++glyphs;
                int left = 0, top = 0, right = 0, bottom = 0;
                if (it->BoundingBox(tesseract::RIL_SYMBOL, &left, &top, &right, &bottom))
                    line.glyphs.push_back({text.get(),
                                           {box.x + left - margin, box.y + top - margin, right - left, bottom - top},
                                           confidence / 100.0f});
            } while (it->Next(tesseract::RIL_SYMBOL));
        if (glyphs > 0) line.confidence = sum / static_cast<float>(glyphs) / 100.0f;
    }
    api.Clear();
    api.SetVariable("tessedit_char_whitelist", "");
    return line;
}

}  // namespace dangan::ocr
