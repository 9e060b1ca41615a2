#pragma once
// The units OCR text is handled in: UTF-8 code points, and a line's text without the spaces and
// rulings a scan puts between its glyphs. Internal to the ocr module.

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dangan::ocr {

// How many bytes the UTF-8 sequence that `lead` begins has; 0 when `lead` begins none.
inline std::size_t sequenceLength(unsigned char lead) {
    return lead < 0x80 ? 1 : (lead >> 5) == 6 ? 2 : (lead >> 4) == 14 ? 3 : (lead >> 3) == 30 ? 4 : 0;
}

// The code points of `text`, each as its UTF-8 bytes; a stray byte stands for itself.
inline std::vector<std::string> codePoints(std::string_view text) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t n = std::min(std::max<std::size_t>(1, sequenceLength(static_cast<unsigned char>(text[i]))), text.size() - i);
        out.emplace_back(text.substr(i, n));
        i += n;
    }
    return out;
}

// The code points of `text` as values; nullopt when it is not valid UTF-8.
inline std::optional<std::vector<char32_t>> codePointValues(std::string_view text) {
    std::vector<char32_t> out;
    for (std::size_t i = 0; i < text.size();) {
        auto lead = static_cast<unsigned char>(text[i]);
        std::size_t n = sequenceLength(lead);
        if (n == 0 || i + n > text.size()) return std::nullopt;
        char32_t v = n == 1 ? lead : lead & (0xFF >> (n + 1));
        for (std::size_t k = 1; k < n; ++k) v = (v << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
        out.push_back(v);
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
