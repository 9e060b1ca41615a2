#pragma once
// Which of the archive's document types a page is, from what is printed on it: its title when
// it has one (a form's 用电申请书, a copy's 营业执照 heading), and the words and marks the type
// carries whether or not it is titled (公民身份号码 and 签发机关 on an ID card, 统一社会信用代码
// and 经营范围 on a business licence, 供电人, 用电人 and numbered clauses on a contract's later
// pages). Each type is known by a table of cues written from what the papers are, not from any
// one set of pages; a page that matches none well, or two about equally, is left to a person with
// the best two guesses.
//
// Pure, thread-safe, no Tesseract: it classifies the lines a reader has already read.

#include <string>
#include <string_view>
#include <vector>

namespace dangan::ocr {

// A printed line as read: its text and where and how large it is on the page.
struct PrintedLine {
    std::string text;
    double top = 0;          // the line's top, as a fraction of the page's height (0: top edge)
    double glyphScale = 1;   // its glyphs' height over the page's usual glyph height
};

struct DocTypeGuess {
    std::string type;
    float confidence = 0;  // 0..1
};

struct DocTypeVerdict {
    // The best guesses, best first, at most two; empty when nothing on the page names a type.
    std::vector<DocTypeGuess> guesses;
    // The page goes on from an earlier one: it says it is page 2 or later (第 2 页 共 3 页), or it
    // carries a multi-page type's words without that type's title (a contract's clauses).
    bool continues = false;
    // The best guess, or empty.
    [[nodiscard]] std::string type() const { return guesses.empty() ? std::string() : guesses.front().type; }
    [[nodiscard]] float confidence() const { return guesses.empty() ? 0.0f : guesses.front().confidence; }
};

// A best guess at least this sure is taken without a person.
inline constexpr float kSureDocType = 0.6f;

class DocTypeClassifier {
public:
    // `knownTypes`: the archive's document types; a type without cues of its own is still known
    // by its title.
    explicit DocTypeClassifier(std::vector<std::string> knownTypes);

    [[nodiscard]] DocTypeVerdict classify(const std::vector<PrintedLine>& lines) const;

private:
    std::vector<std::string> knownTypes_;
};

// The page number a line like "第 2 页 共 3 页" or "第2页/共3页" states, or 0.
[[nodiscard]] int statedPageNumber(std::string_view line);

}  // namespace dangan::ocr
