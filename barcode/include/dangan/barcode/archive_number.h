#pragma once
// 档号: the archive number of an item (件), after DA/T 22-2015:
//   fonds - category·year - retention - organisation - item number
//   e.g. J001-YK·2026-D30-YXB-0001
// "-" joins levels, "·" joins codes within a level; item numbers are zero-padded and widen by
// themselves past 9999. A number is unique, never changes and is never reused (DA/T 13-2022).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dangan::barcode {

enum class Retention { Permanent, Years30, Years10 };  // 永久 Y, 定期30年 D30, 定期10年 D10

[[nodiscard]] std::string_view retentionCode(Retention retention);

// The one place where the numbering is configured.
struct ArchiveNumberRule {
    std::string fonds = "J001";       // 全宗号 of the power-supply company
    std::string organisation = "YXB"; // 机构(问题)代码: the marketing department
    int itemDigits = 4;               // zero-padding of the item number
};

// Everything of a number but the item number: the scope within which item numbers count up.
[[nodiscard]] std::string archiveNumberPrefix(const ArchiveNumberRule& rule, std::string_view categoryCode,
                                              int year, Retention retention);

// prefix + zero-padded item number.
[[nodiscard]] std::string archiveNumber(std::string_view prefix, std::int64_t item, int itemDigits);

struct ArchiveNumberParts {
    std::string fonds;
    std::string categoryCode;
    int year = 0;
    std::string retention;
    std::string organisation;
    std::int64_t item = 0;
};

// Reads a number back (from a label, a form); nullopt when it is not one.
[[nodiscard]] std::optional<ArchiveNumberParts> parseArchiveNumber(std::string_view number);

}  // namespace dangan::barcode
