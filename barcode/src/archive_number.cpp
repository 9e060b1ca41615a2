#include "dangan/barcode/archive_number.h"

#include <charconv>
#include <vector>

namespace dangan::barcode {
namespace {

constexpr std::string_view kDot = "·";  // U+00B7, joins codes within a level

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        auto end = text.find(separator, start);
        parts.push_back(text.substr(start, end - start));
        if (end == std::string_view::npos) return parts;
        start = end + 1;
    }
}

bool isCode(std::string_view s) {
    if (s.empty() || s.size() > 8) return false;
    for (char c : s)
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
    return true;
}

template <class T>
std::optional<T> number(std::string_view s) {
    T value{};
    if (s.empty()) return std::nullopt;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return value;
}

}  // namespace

std::string_view retentionCode(Retention retention) {
    switch (retention) {
        case Retention::Permanent: return "Y";
        case Retention::Years30: return "D30";
        case Retention::Years10: return "D10";
    }
    return "D30";
}

std::string archiveNumberPrefix(const ArchiveNumberRule& rule, std::string_view categoryCode, int year,
                                Retention retention) {
    return rule.fonds + "-" + std::string(categoryCode) + std::string(kDot) + std::to_string(year) + "-" +
           std::string(retentionCode(retention)) + "-" + rule.organisation + "-";
}

std::string archiveNumber(std::string_view prefix, std::int64_t item, int itemDigits) {
    std::string digits = std::to_string(item);
    if (static_cast<int>(digits.size()) < itemDigits) digits.insert(0, itemDigits - digits.size(), '0');
    return std::string(prefix) + digits;
}

std::optional<ArchiveNumberParts> parseArchiveNumber(std::string_view text) {
    auto levels = split(text, '-');
    if (levels.size() != 5) return std::nullopt;
    auto dot = levels[1].find(kDot);
    if (dot == std::string_view::npos) return std::nullopt;
    ArchiveNumberParts parts;
    parts.fonds = levels[0];
    parts.categoryCode = levels[1].substr(0, dot);
    auto year = number<int>(levels[1].substr(dot + kDot.size()));
    parts.retention = levels[2];
    parts.organisation = levels[3];
    auto item = number<std::int64_t>(levels[4]);
    if (!isCode(parts.fonds) || !isCode(parts.categoryCode) || !year || *year < 1900 || *year > 2999 ||
        !(parts.retention == "Y" || parts.retention == "D30" || parts.retention == "D10") ||
        !isCode(parts.organisation) || !item || *item <= 0)
        return std::nullopt;
    parts.year = *year;
    parts.item = *item;
    return parts;
}

}  // namespace dangan::barcode
