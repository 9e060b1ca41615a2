#include "dangan/desks/stocktake_desk.h"

#include <Poco/String.h>

#include <algorithm>
#include <set>
#include <unordered_map>

#include "dangan/barcode/own_code.h"
#include "dangan/desks/positive_number.h"

namespace dangan::server {

using barcode::OwnCodeKind;
using barcode::ownCodeText;

Outcome<std::int64_t> StocktakeDesk::shelfOfCode(const std::string& code) {
    auto own = barcode::parseOwnCode(barcode::typedCode(code));
    if (!own || own->kind != OwnCodeKind::Location) return fail(ProblemCode::BadRequest, "“" + code + "” is not a shelf code");
    auto id = positiveNumber(own->fields.at(0));
    if (!id || !stores_.paper->shelf(*id)) return fail(ProblemCode::NotFound, "no shelf " + code);
    return *id;
}

Outcome<std::int64_t> StocktakeDesk::startRoom(const std::string& room, const storage::Actor& actor) {
    auto shelves = stores_.paper->shelves(room);
    if (shelves.empty()) return fail(ProblemCode::NotFound, "no shelves in room " + room);
    auto [first, last] = std::minmax_element(shelves.begin(), shelves.end(),
                                             [](const storage::Shelf& a, const storage::Shelf& b) { return a.id < b.id; });
    return stores_.stocktakes->start(room, first->id, last->id, actor);
}

Outcome<std::int64_t> StocktakeDesk::startRun(const std::string& fromCode, const std::string& toCode,
                                              const storage::Actor& actor) {
    auto first = shelfOfCode(fromCode);
    if (!first) return std::unexpected(first.error());
    auto last = shelfOfCode(toCode);
    if (!last) return std::unexpected(last.error());
    auto from = std::min(*first, *last), to = std::max(*first, *last);
    std::string scope = "架位 " + ownCodeText(OwnCodeKind::Location, std::to_string(from)) + " 至 " +
                        ownCodeText(OwnCodeKind::Location, std::to_string(to));
    return stores_.stocktakes->start(scope, from, to, actor);
}

Outcome<RecordedReads> StocktakeDesk::recordShelves(std::int64_t id, const std::map<std::int64_t, std::vector<std::string>>& shelves) {
    auto take = stores_.stocktakes->stocktake(id);
    if (!take) return fail(ProblemCode::NotFound, "no stocktake " + std::to_string(id));
    if (take->state != "open") return fail(ProblemCode::Conflict, "stocktake " + std::to_string(id) + " is closed");
    RecordedReads recorded;
    for (const auto& [shelf, list] : shelves) {
        if (shelf < take->fromShelf || shelf > take->toShelf)
            return fail(ProblemCode::Conflict, ownCodeText(OwnCodeKind::Location, std::to_string(shelf)) +
                                                   " is outside this stocktake (" + take->scope + ")");
        recorded.codes += static_cast<int>(list.size());
    }
    for (const auto& [shelf, list] : shelves) {
        std::vector<std::string> typed;  // as printed: a scanner in the wrong keyboard mode sends lower case
        for (const auto& code : list) typed.push_back(barcode::typedCode(code));
        stores_.stocktakes->recordShelf(id, shelf, typed);
    }
    recorded.shelves = static_cast<int>(shelves.size());
    return recorded;
}

Outcome<RecordedReads> StocktakeDesk::record(std::int64_t id, const ShelfReads& reads) {
    auto shelf = shelfOfCode(reads.shelfCode);
    if (!shelf) return std::unexpected(shelf.error());
    return recordShelves(id, {{*shelf, reads.codes}});
}

Outcome<RecordedReads> StocktakeDesk::recordBatch(std::int64_t id, const std::vector<std::string>& codes) {
    std::map<std::int64_t, std::vector<std::string>> shelves;
    std::optional<std::int64_t> shelf;
    for (const auto& code : codes) {
        auto own = barcode::parseOwnCode(barcode::typedCode(code));
        if (own && own->kind == OwnCodeKind::Location) {
            auto found = shelfOfCode(code);
            if (!found) return std::unexpected(found.error());
            shelf = *found;
            shelves[*shelf];
        } else if (!shelf) {
            return fail(ProblemCode::BadRequest, "the batch must start with a shelf code (read the shelf's label first)");
        } else {
            shelves[*shelf].push_back(code);
        }
    }
    return recordShelves(id, shelves);
}

Outcome<StocktakeView> StocktakeDesk::report(std::int64_t id) {
    auto take = stores_.stocktakes->stocktake(id);
    if (!take) return fail(ProblemCode::NotFound, "no stocktake " + std::to_string(id));
    std::vector<std::int64_t> scope;
    for (std::int64_t s = take->fromShelf; s <= take->toShelf; ++s) scope.push_back(s);
    std::unordered_map<std::string, std::int64_t> recorded;
    for (const auto& c : stores_.paper->containersOnShelves(take->fromShelf, take->toShelf)) recorded[containerCode(c)] = *c.shelfId;
    // Containers read here but recorded on a shelf outside the scope.
    for (const auto& [shelf, list] : take->reads)
        for (const auto& code : list) {
            if (recorded.contains(code)) continue;
            auto own = barcode::parseOwnCode(code);
            if (!own || (own->kind != OwnCodeKind::Box && own->kind != OwnCodeKind::Volume)) continue;
            std::optional<storage::Container> c;
            if (own->kind == OwnCodeKind::Box) c = stores_.paper->container(positiveNumber(own->fields.at(0)).value_or(0));
            else if (auto customer = stores_.customers->findByAccountNo(own->fields.at(0))) c = stores_.paper->volume(customer->id);
            if (c && c->shelfId) recorded[code] = *c->shelfId;
        }
    std::set<std::string> out;
    std::vector<std::string> candidates;
    for (const auto& [code, shelf] : recorded) candidates.push_back(code);
    for (const auto& [code, item] : stores_.loans->outAmong(candidates)) out.insert(code);
    auto report = compareStocktake(scope, take->reads, recorded, out);
    return StocktakeView{std::move(*take), std::move(report)};
}

}  // namespace dangan::server
