#pragma once
// One Tesseract engine (chi_sim by default, with eng for Latin-script lines) over Leptonica
// images. An engine is not thread-safe: give each worker thread its own. Run the process with OMP_THREAD_LIMIT=1 (OpenMP reads it when
// the process starts; `dangan` restarts itself with it): Tesseract's own threads make pages three
// times slower on a small machine.

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct Pix;

namespace dangan::ocr {

struct TextBox {
    int x = 0, y = 0, width = 0, height = 0;
    [[nodiscard]] int right() const { return x + width; }
    [[nodiscard]] int bottom() const { return y + height; }
};

// One recognised character (a UTF-8 code point) with its place and confidence (0..1).
struct Glyph {
    std::string text;
    TextBox box;
    float confidence = 0;
};

// A run of text read from one line-shaped region.
struct LineText {
    std::string text;
    float confidence = 0;       // the mean of its glyphs' confidences, 0..1
    std::vector<Glyph> glyphs;  // its glyphs, placed in the image read
};

// How to read one line-shaped region.
struct LineReading {
    std::string_view allowed;  // the characters the text may hold; empty: any
    // Take the region as one line as it is, without Tesseract's own line finding: steadier on a
    // short label cell, whose few glyphs the line finder misjudges.
    bool rawLine = false;
    // Read with the Latin-script model (eng) instead of the engine's own: codes of capital letters,
    // digits and hyphens, whose letters the Chinese model confuses (HT-2024-0031 as HI-2024-0031).
    bool latin = false;
};

class EngineError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class TesseractEngine {
public:
    // Throws EngineError when the language data (`languages`, and eng) cannot be loaded. An empty
    // `dataPath` lets Tesseract look in its default place (Debian: /usr/share/tesseract-ocr/5/tessdata).
    explicit TesseractEngine(const std::string& languages = "chi_sim", const std::string& dataPath = "");
    ~TesseractEngine();
    TesseractEngine(const TesseractEngine&) = delete;
    TesseractEngine& operator=(const TesseractEngine&) = delete;

    // Every glyph of the page in reading order, by automatic page segmentation. `dpi` is the
    // image's resolution.
    [[nodiscard]] std::vector<Glyph> readPage(Pix* image, int dpi);

    // The text of one line of `image` inside `box`.
    [[nodiscard]] LineText readLine(Pix* image, int dpi, const TextBox& box, const LineReading& how);

private:
    struct Api;
    std::unique_ptr<Api> api_;
};

}  // namespace dangan::ocr
