#include "dangan/barcode/own_code.h"

#include <cctype>

namespace dangan::barcode {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*";
constexpr std::string_view kPrefix = "DG";
constexpr std::size_t kMaxFields = 8;
constexpr std::size_t kMaxFieldLength = 32;

bool isFieldCharacter(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); }

bool isKind(char c) {
    switch (static_cast<OwnCodeKind>(c)) {
        case OwnCodeKind::CoverSheet:
        case OwnCodeKind::Separator:
        case OwnCodeKind::Document:
        case OwnCodeKind::Volume:
        case OwnCodeKind::Box:
        case OwnCodeKind::Location: return true;
    }
    return false;
}

// How many fields each kind carries.
std::size_t fieldCount(OwnCodeKind kind) { return kind == OwnCodeKind::CoverSheet ? 3 : 1; }

// Everything the check character covers: prefix, kind and the fields without separators.
std::string checkedText(const OwnCode& code) {
    std::string text(kPrefix);
    text += static_cast<char>(code.kind);
    for (const auto& f : code.fields) text += f;
    return text;
}

}  // namespace

std::optional<char> mod37_2(std::string_view text) {
    int p = 0;
    for (char c : text) {
        auto value = kAlphabet.find(c);
        if (value == std::string_view::npos || value == 36) return std::nullopt;
        p = ((p + static_cast<int>(value)) * 2) % 37;
    }
    return kAlphabet[static_cast<std::size_t>((38 - p) % 37)];
}

std::optional<std::string> encodeOwnCode(const OwnCode& code) {
    if (!isKind(static_cast<char>(code.kind)) || code.fields.size() != fieldCount(code.kind)) return std::nullopt;
    std::string text(kPrefix);
    text += static_cast<char>(code.kind);
    for (const auto& f : code.fields) {
        if (f.empty() || f.size() > kMaxFieldLength) return std::nullopt;
        for (char c : f)
            if (!isFieldCharacter(c)) return std::nullopt;
        text += '-';
        text += f;
    }
    auto check = mod37_2(checkedText(code));
    if (!check) return std::nullopt;
    text += '-';
    text += *check;
    return text;
}

std::string ownCodeText(OwnCodeKind kind, const std::string& field) { return encodeOwnCode({kind, {field}}).value_or(""); }

std::optional<OwnCode> parseOwnCode(std::string_view text) {
    // DG, kind, at least "-F-K"
    if (text.size() < 7 || !text.starts_with(kPrefix) || !isKind(text[2]) || text[3] != '-') return std::nullopt;
    OwnCode code;
    code.kind = static_cast<OwnCodeKind>(text[2]);
    std::vector<std::string_view> parts;
    std::size_t start = 4;
    while (true) {
        auto end = text.find('-', start);
        parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos) break;
        start = end + 1;
        if (parts.size() > kMaxFields + 1) return std::nullopt;
    }
    if (parts.size() != fieldCount(code.kind) + 1 || parts.back().size() != 1) return std::nullopt;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        const auto& f = parts[i];
        if (f.empty() || f.size() > kMaxFieldLength) return std::nullopt;
        for (char c : f)
            if (!isFieldCharacter(c)) return std::nullopt;
        code.fields.emplace_back(f);
    }
    auto check = mod37_2(checkedText(code));
    if (!check || *check != parts.back()[0]) return std::nullopt;
    return code;
}

std::string typedCode(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    std::string upper(text);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return parseOwnCode(upper) ? upper : std::string(text);
}

}  // namespace dangan::barcode
