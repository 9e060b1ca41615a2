#include "dangan/scanner/batch_split.h"

#include <algorithm>

namespace dangan::scanner {
namespace {

const barcode::OwnCode* firstOf(const PileSheet& sheet, barcode::OwnCodeKind kind) {
    auto it = std::find_if(sheet.ownCodes.begin(), sheet.ownCodes.end(),
                           [&](const barcode::OwnCode& c) { return c.kind == kind; });
    return it == sheet.ownCodes.end() ? nullptr : &*it;
}

}  // namespace

PilePlan planPile(std::span<const PileSheet> pile) {
    PilePlan plan;
    std::optional<barcode::OwnCode> cover;
    std::optional<PlannedDocument> current;
    auto close = [&] {
        if (current && !current->pages.empty()) {
            if (!current->cover && current->heldBack.empty())
                current->heldBack = std::string(kNoCoverSheet);
            plan.documents.push_back(std::move(*current));
        }
        current.reset();
    };
    for (const auto& sheet : pile) {
        if (const auto* code = firstOf(sheet, barcode::OwnCodeKind::CoverSheet)) {
            close();
            cover = *code;
            plan.roles.emplace_back(sheet.seq, SheetRole::Cover);
            continue;
        }
        if (const auto* code = firstOf(sheet, barcode::OwnCodeKind::Separator)) {
            close();
            current = PlannedDocument{cover, code->fields.at(0), {}, ""};
            plan.roles.emplace_back(sheet.seq, SheetRole::Separator);
            continue;
        }
        if (sheet.blank && !sheet.unreadable) {
            plan.roles.emplace_back(sheet.seq, SheetRole::Blank);
            continue;
        }
        if (!current) current = PlannedDocument{cover, std::nullopt, {}, ""};
        current->pages.push_back(sheet.seq);
        if (sheet.unreadable && current->heldBack.empty())
            current->heldBack = "page " + std::to_string(sheet.seq) + " of this document could not be read";
        plan.roles.emplace_back(sheet.seq, SheetRole::Content);
    }
    close();
    return plan;
}

}  // namespace dangan::scanner
