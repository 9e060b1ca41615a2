#pragma once
// The paper the scanning desk prints, as PDF (libharu): scan cover sheets, separator sheets and
// A4 label sheets. Chinese text is set in a TrueType font embedded (subset) in each PDF; barcodes
// are drawn at whole modules so that printers and scanners keep them sharp.

#include <expected>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace dangan::print {

struct PrintOptions {
    // A CJK TrueType font (not a collection, not CFF). Default: AR PL SungtiL GB, Debian package
    // fonts-arphic-gbsn00lp; libharu 2.3 garbles the glyphs of the larger Unicode fonts.
    std::filesystem::path font = "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf";
};

struct ChecklistStep {
    std::string step;                    // e.g. 受理
    std::vector<std::string> documents;  // e.g. 用电申请书
};

// Laid on top of a customer's paperwork for one business process.
struct CoverSheet {
    std::string code;  // own code (QR)
    std::string accountNo;
    std::string customerName;
    std::string address;
    std::string processType;
    std::string applicationNo;
    std::string sheetNo;    // as printed for people
    std::string printedBy;
    std::string printedAt;  // e.g. 2026-11-23 10:30
    std::vector<ChecklistStep> checklist;
};

// Laid before each document: "a new document starts here", with its document type.
struct SeparatorSheet {
    std::string code;  // own code (QR)
    std::string docType;
};

// One label of a 3 x 8 sheet (70 x 37 mm): up to three lines of text over a Code 128 symbol.
struct Label {
    std::string code;  // own code (Code 128)
    std::vector<std::string> lines;
};

// Each returns the PDF's bytes, or a message naming what went wrong (font missing, text that
// cannot be encoded).
[[nodiscard]] std::expected<std::string, std::string> coverSheetPdf(std::span<const CoverSheet> sheets,
                                                                    const PrintOptions& options);
[[nodiscard]] std::expected<std::string, std::string> separatorSheetPdf(std::span<const SeparatorSheet> sheets,
                                                                        const PrintOptions& options);
// `skip` labels at the start of the first sheet are left blank (a sheet partly used before).
[[nodiscard]] std::expected<std::string, std::string> labelSheetPdf(std::span<const Label> labels, int skip,
                                                                    const PrintOptions& options);

inline constexpr int kLabelsPerSheet = 24;

}  // namespace dangan::print
