#pragma once
// Splitting a scanned pile into documents, by the archive's own sheets in it: a cover sheet starts
// the papers of one customer's process, a separator sheet starts a document of its type. Sheets
// and blank backs are not filed. Foreign barcodes play no part.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dangan/barcode/own_code.h"

namespace dangan::scanner {

struct PileSheet {
    int seq = 0;  // the page's place in the batch
    bool blank = false;
    bool unreadable = false;
    std::vector<barcode::OwnCode> ownCodes;  // as read on the page
};

struct PlannedDocument {
    std::optional<barcode::OwnCode> cover;     // the cover sheet it falls under, if any
    std::optional<std::string> docTypeCode;    // from its separator sheet, if any
    std::vector<int> pages;                    // seqs, in order
    // Why it cannot be filed as it stands (no cover sheet, a page that cannot be read); empty
    // when it can. Held-back documents wait in review; their neighbours are filed.
    std::string heldBack;
};

// Why a document found before any cover sheet is held back.
inline constexpr std::string_view kNoCoverSheet = "no cover sheet before this page";

enum class SheetRole { Cover, Separator, Blank, Content };

struct PilePlan {
    std::vector<PlannedDocument> documents;
    std::vector<std::pair<int, SheetRole>> roles;  // every page's role, by seq
};

[[nodiscard]] PilePlan planPile(std::span<const PileSheet> pile);

}  // namespace dangan::scanner
