#pragma once
// The units OCR text is handled in: UTF-8 code points, and a line's text without the spaces and
// rulings a scan puts between its glyphs. Internal to the ocr module.

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace dangan::ocr {

inline std::vector<std::string> codePoints(std::string_view text) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < text.size();) {
        auto c = static_cast<unsigned char>(text[i]);
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
        n = std::min(n, text.size() - i);
        out.emplace_back(text.substr(i, n));
        i += n;
    }
    return out;
}

inline std::string withoutSpaces(std::string_view text) {
    std::string out;
    for (const auto& c : codePoints(text))
        if (c != " " && c != "\t" && c != "\n" && c != "|" && c != "_" && c != "　") out += c;
    return out;
}

}  // namespace dangan::ocr
