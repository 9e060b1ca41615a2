#include "dangan/storage/search_text.h"

#include <algorithm>
#include <cstdint>

namespace dangan::storage {
namespace {

// Decodes one UTF-8 code point at `i`, advancing it; invalid bytes decode as U+FFFD.
char32_t decode(std::string_view s, std::size_t& i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = byte(i);
    int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) {
        ++i;
        return 0xFFFD;
    }
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < len; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) {
            ++i;
            return 0xFFFD;
        }
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    i += len;
    return cp;
}

std::string encode(char32_t cp) {
    std::string out;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return out;
}

bool searchable(char32_t cp) {
    if (cp >= '0' && cp <= '9') return true;
    if (cp >= 'a' && cp <= 'z') return true;
    if (cp < 0x80) return false;                     // ASCII space and punctuation
    if (cp >= 0x3000 && cp <= 0x303F) return false;  // CJK symbols and punctuation
    if (cp >= 0xFF00 && cp <= 0xFFEF) return false;  // remaining full-width punctuation
    if (cp >= 0x2000 && cp <= 0x206F) return false;  // general punctuation
    if (cp == 0xFFFD) return false;
    return true;
}

std::vector<std::string> splitTerms(std::string_view query) {
    std::vector<std::string> terms;
    std::string current;
    std::size_t i = 0;
    while (i < query.size()) {
        std::size_t start = i;
        char32_t cp = decode(query, i);
        bool space = cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x3000;
        if (space) {
            if (!current.empty()) terms.push_back(std::move(current));
            current.clear();
        } else {
            current.append(query.substr(start, i - start));
        }
    }
    if (!current.empty()) terms.push_back(std::move(current));
    return terms;
}

}  // namespace

std::vector<std::string> searchCharacters(std::string_view text) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < text.size()) {
        char32_t cp = decode(text, i);
        if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // full-width ASCII forms
        if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
        if (searchable(cp)) out.push_back(encode(cp));
    }
    return out;
}

std::string bigramText(std::string_view text, char field) {
    auto chars = searchCharacters(text);
    if (chars.size() == 1) return field + chars[0];
    std::string out;
    for (std::size_t k = 0; k + 1 < chars.size(); ++k) {
        if (k) out += ' ';
        out += field;
        out += chars[k];
        out += chars[k + 1];
    }
    return out;
}

std::string searchDocument(std::string_view name, std::string_view address, std::string_view phone) {
    std::string out = bigramText(name, 'n');
    for (auto part : {bigramText(address, 'a'), bigramText(phone, 'p')}) {
        if (part.empty()) continue;
        if (!out.empty()) out += ' ';
        out += part;
    }
    return out;
}


namespace {

// A token quoted for PostgreSQL's tsvector and tsquery input.
std::string quotedLexeme(std::string_view token) {
    std::string out = "'";
    for (char ch : token) {
        if (ch == '\'' || ch == '\\') out += '\\';
        out += ch;
    }
    return out + "'";
}

// How a search condition is written: FTS5's MATCH expression or PostgreSQL's tsquery.
struct QuerySyntax {
    const char* all;     // between terms
    const char* any;     // between fields
    std::string (*prefix)(const std::string& token);
    std::string (*phrase)(const std::string& grams);
};

const QuerySyntax kFts5{" AND ", " OR ", [](const std::string& t) { return "\"" + t + "\"*"; },
                        [](const std::string& grams) { return "\"" + grams + "\""; }};

const QuerySyntax kTsquery{" & ", " | ", [](const std::string& t) { return quotedLexeme(t) + ":*"; },
                           [](const std::string& grams) {
                               std::string out = "(";
                               for (auto token : searchTokens(grams)) out += (out.size() > 1 ? " <-> " : "") + quotedLexeme(token);
                               return out + ")";
                           }};

std::optional<std::string> searchCondition(std::string_view query, std::string_view fields, const QuerySyntax& syntax) {
    std::string expression;
    for (const auto& term : splitTerms(query)) {
        auto chars = searchCharacters(term);
        if (chars.empty()) continue;
        if (!expression.empty()) expression += syntax.all;
        expression += '(';
        for (std::size_t f = 0; f < fields.size(); ++f) {
            if (f) expression += syntax.any;
            expression += chars.size() == 1 ? syntax.prefix(fields[f] + chars[0]) : syntax.phrase(bigramText(term, fields[f]));
        }
        expression += ')';
    }
    if (expression.empty()) return std::nullopt;
    return expression;
}

}  // namespace

std::vector<std::string_view> searchTokens(std::string_view grams) {
    std::vector<std::string_view> tokens;
    std::size_t start = 0;
    while (start < grams.size()) {
        auto end = grams.find(' ', start);
        if (end == std::string_view::npos) end = grams.size();
        if (end > start) tokens.push_back(grams.substr(start, end - start));
        start = end + 1;
    }
    return tokens;
}

std::optional<std::string> searchExpression(std::string_view query, std::string_view fields) {
    return searchCondition(query, fields, kFts5);
}

std::optional<std::string> tsqueryText(std::string_view query, std::string_view fields) {
    return searchCondition(query, fields, kTsquery);
}

std::string tsvectorText(std::string_view grams) {
    std::string out;
    int position = 0;
    for (auto token : searchTokens(grams)) {
        if (!out.empty()) out += ' ';
        // Positions past tsvector's last (16383) all count as the last.
        out += quotedLexeme(token) + ':' + std::to_string(std::min(++position, 16383));
    }
    return out;
}

std::optional<std::string> correctedByTerms(std::string_view text, const std::vector<std::string>& terms,
                                            const std::function<bool(const std::string&)>& known) {
    auto characters = searchCharacters(text);
    bool corrected = false;
    for (const auto& term : terms) {
        auto wanted = searchCharacters(term);
        const std::size_t n = wanted.size();
        if (n < 4 || characters.size() < n) continue;
        const std::size_t allowed = n >= 8 ? 2 : 1;
        for (std::size_t at = 0; at + n <= characters.size(); ++at) {
            std::size_t off = 0;
            for (std::size_t k = 0; k < n && off <= allowed; ++k) off += characters[at + k] == wanted[k] ? 0 : 1;
            if (off == 0 || off > allowed) continue;
            if (off == 2) {
                // Two misread characters only where what was read is no name or place the archive knows.
                bool real = false;
                for (std::size_t k = 0; k + 1 < n && !real; ++k)
                    if (characters[at + k] != wanted[k] || characters[at + k + 1] != wanted[k + 1])
                        real = known(characters[at + k] + characters[at + k + 1]);
                if (real) continue;
            }
            std::copy(wanted.begin(), wanted.end(), characters.begin() + static_cast<std::ptrdiff_t>(at));
            corrected = true;
            at += n - 1;
        }
    }
    if (!corrected) return std::nullopt;
    std::string out;
    for (const auto& c : characters) out += c;
    return out;
}

}  // namespace dangan::storage
