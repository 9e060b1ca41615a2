#include "dangan/desks/paper_desk.h"

#include <Poco/String.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "dangan/barcode/own_code.h"
#include "dangan/desks/positive_number.h"

namespace dangan::server {
namespace {

using barcode::OwnCodeKind;

}  // namespace

std::string containerCode(const storage::Container& container) {
    return container.kind == "box" ? barcode::ownCodeText(OwnCodeKind::Box, std::to_string(container.id))
                                   : barcode::ownCodeText(OwnCodeKind::Volume, container.accountNo);
}

std::string voltageAreaOf(const std::string& voltage) {
    if (voltage.find("高压") != std::string::npos) return "high";
    if (voltage.find("低压") != std::string::npos) return "low";
    std::string lower;
    for (char c : voltage) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto digits = lower.find_first_of("0123456789");
    if (digits == std::string::npos) return "low";
    double value = std::strtod(lower.c_str() + digits, nullptr);
    bool kilovolts = lower.find("kv") != std::string::npos;
    double volts = kilovolts ? value * 1000 : value;
    return volts > 1000 ? "high" : "low";
}

std::string shelfAddress(const storage::Shelf& shelf) {
    return shelf.room + " " + shelf.rack + "架 " + shelf.face + "面 " + shelf.level + "层";
}

Outcome<PaperThing> PaperDesk::resolve(const std::string& scanned) {
    std::string code = barcode::typedCode(scanned);  // "dgd-3-e" from a scanner in the wrong mode is DGD-3-E
    auto own = barcode::parseOwnCode(code);
    if (!own) return fail(ProblemCode::BadRequest, "“" + code + "”不是本档案室的条码（或条码读错），请重扫");
    PaperThing thing;
    thing.code = code;
    const std::string& field = own->fields.at(0);
    auto missing = [&](const std::string& what) { return fail(ProblemCode::NotFound, what + " " + code + " 在档案中没有记录"); };
    // Items, boxes and shelves are numbered; a code of theirs with anything else names nothing.
    std::int64_t number = positiveNumber(field).value_or(0);
    switch (own->kind) {
        case OwnCodeKind::Document: {
            auto versions = stores_.documents->versions(number);
            if (versions.empty()) return missing("文件");
            const auto& current = versions.back();
            thing.kind = PaperKind::Item;
            thing.lineageId = current.lineageId;
            thing.label = current.archiveNo + " " + current.docType;
            thing.pages = static_cast<int>(current.pages.size());
            thing.customer = stores_.customers->findById(current.customerId);
            thing.voltageArea = voltageAreaOf(thing.customer ? thing.customer->fields.voltage : "");
            return thing;
        }
        case OwnCodeKind::Volume: {
            thing.customer = stores_.customers->findByAccountNo(field);
            if (!thing.customer) return missing("案卷");
            thing.kind = PaperKind::Volume;
            thing.label = "案卷 " + field + " " + thing.customer->fields.name;
            thing.voltageArea = voltageAreaOf(thing.customer->fields.voltage);
            for (const auto& doc : stores_.documents->currentDocuments(thing.customer->id))
                if (auto item = stores_.paper->item(doc.lineageId))
                    if (auto c = stores_.paper->container(item->containerId); c && c->kind == "volume")
                        thing.pages += static_cast<int>(doc.pages.size());
            thing.container = stores_.paper->volume(thing.customer->id);  // opened when first used
            return thing;
        }
        case OwnCodeKind::Box: {
            auto box = stores_.paper->container(number);
            if (!box || box->kind != "box") return missing("档案盒");
            thing.kind = PaperKind::Box;
            thing.container = box;
            thing.voltageArea = box->voltageArea;
            thing.label = "档案盒 " + code + "（" + voltageAreaName(box->voltageArea) + "区，" + std::to_string(box->items) + "/" +
                          std::to_string(box->capacity) + " 件" + (box->closed ? "，已封盒" : "") + "）";
            return thing;
        }
        case OwnCodeKind::Location: {
            auto shelf = stores_.paper->shelf(number);
            if (!shelf) return missing("架位");
            thing.kind = PaperKind::Shelf;
            thing.shelf = shelf;
            thing.voltageArea = shelf->voltageArea;
            thing.label = shelfAddress(*shelf) + "（" + voltageAreaName(shelf->voltageArea) + "区，" + std::to_string(shelf->used) + "/" +
                          std::to_string(shelf->capacity) + " 位）";
            return thing;
        }
        default:
            return fail(ProblemCode::BadRequest, "“" + code + "”是扫描封面或分隔页的条码，不是档案实物的条码");
    }
}

PaperPlace PaperDesk::placeOf(const PaperThing& thing) {
    return placeOf(thing, {[this](std::int64_t id) { return stores_.paper->item(id); },
                           [this](std::int64_t id) { return stores_.paper->container(id); },
                           [this](std::int64_t id) { return stores_.paper->shelf(id); }});
}

std::map<std::int64_t, std::string> PaperDesk::placesOfItems(const std::vector<std::int64_t>& lineageIds) {
    return placesOfItems(lineageIds, stores_.paper->items(lineageIds));
}

std::map<std::int64_t, std::string> PaperDesk::placesOfItems(const std::vector<std::int64_t>& lineageIds,
                                                             const std::map<std::int64_t, storage::PaperItem>& items) {
    std::map<std::int64_t, std::optional<storage::Container>> containers;
    std::map<std::int64_t, std::optional<storage::Shelf>> shelves;
    PlaceLookups find{[&](std::int64_t id) -> std::optional<storage::PaperItem> {
                          auto found = items.find(id);
                          if (found == items.end()) return std::nullopt;
                          return found->second;
                      },
                      [&](std::int64_t id) {
                          auto [at, fresh] = containers.try_emplace(id);
                          if (fresh) at->second = stores_.paper->container(id);
                          return at->second;
                      },
                      [&](std::int64_t id) {
                          auto [at, fresh] = shelves.try_emplace(id);
                          if (fresh) at->second = stores_.paper->shelf(id);
                          return at->second;
                      }};
    std::map<std::int64_t, std::string> places;
    for (auto id : lineageIds) {
        PaperThing thing;
        thing.kind = PaperKind::Item;
        thing.lineageId = id;
        places[id] = placeOf(thing, find).text;
    }
    return places;
}

PaperPlace PaperDesk::placeOf(const PaperThing& thing, const PlaceLookups& find) {
    PaperPlace place;
    std::optional<storage::Container> container = thing.container;
    std::string inside;
    if (thing.kind == PaperKind::Item) {
        auto item = find.item(thing.lineageId);
        if (!item) {
            place.text = "尚未装盒";
            return place;
        }
        container = find.container(item->containerId);
        if (!container) return place;
        std::string code = containerCode(*container);
        place.container = code;
        inside = code + " 第" + std::to_string(item->seq) + "件";
    }
    if (!container) {
        place.text = thing.kind == PaperKind::Shelf ? "" : "尚未上架";
        return place;
    }
    if (container->inContainer && !container->shelfId)
        if (auto box = find.container(*container->inContainer)) container = box;
    if (container->shelfId) {
        if (auto shelf = find.shelf(*container->shelfId)) {
            place.shelf = barcode::ownCodeText(OwnCodeKind::Location, std::to_string(shelf->id));
            place.position = container->position;
            std::string where = shelfAddress(*shelf) + " 第" + std::to_string(container->position.value_or(0)) + "位";
            place.text = inside.empty() ? where : inside + "，" + where;
            return place;
        }
    }
    place.text = inside.empty() ? "尚未上架" : inside + "，盒未上架";
    return place;
}

storage::Container PaperDesk::nextBox(const std::string& voltageArea, const storage::Actor& actor) {
    if (auto open = stores_.paper->firstOpenBox(voltageArea)) return *open;
    return stores_.paper->addBoxes(voltageArea, 50, 1, actor).front();
}

Outcome<ScanAnswer> PaperDesk::scan(const std::vector<std::string>& codes, const storage::Actor& actor) {
    if (codes.empty() || codes.size() > 2)
        return fail(ProblemCode::BadRequest, "请扫一个条码查询，或先扫文件（或盒、案卷）再扫它要放入的盒、案卷或架位");
    auto first = resolve(codes[0]);
    if (!first) return std::unexpected(first.error());
    if (codes.size() == 2) {
        auto second = resolve(codes[1]);
        if (!second) return std::unexpected(second.error());
        if (first->kind == PaperKind::Item && (second->kind == PaperKind::Box || second->kind == PaperKind::Volume)) return put(*first, *second, actor);
        if ((first->kind == PaperKind::Box || first->kind == PaperKind::Volume) && second->kind == PaperKind::Shelf) return shelve(*first, *second, actor);
        return fail(ProblemCode::BadRequest, "不能把" + first->label + "放入" + second->label +
                                                 "：文件放入盒或案卷，盒或案卷放上架位，先扫要放的，再扫放到哪里");
    }
    ScanAnswer answer;
    answer.thing = *first;
    answer.place = placeOf(*first);
    answer.message = first->label + "：" + (answer.place.text.empty() ? "" : answer.place.text);
    if (first->kind == PaperKind::Item && !answer.place.container) {
        auto box = nextBox(first->voltageArea, actor);
        answer.proposal = barcode::ownCodeText(OwnCodeKind::Box, std::to_string(box.id));
        answer.message += "；请放入" + voltageAreaName(first->voltageArea) + "区档案盒 " + *answer.proposal;
    } else if ((first->kind == PaperKind::Box || first->kind == PaperKind::Volume) && !answer.place.shelf) {
        if (auto shelf = stores_.paper->firstShelfWithRoom(first->voltageArea)) {
            answer.proposal = barcode::ownCodeText(OwnCodeKind::Location, std::to_string(shelf->id));
            answer.message += "；请放上 " + shelfAddress(*shelf) + "（" + *answer.proposal + "）";
        } else {
            answer.message += "；" + voltageAreaName(first->voltageArea) + "区已没有空架位，请先登记新架位";
        }
    }
    return answer;
}

Outcome<ScanAnswer> PaperDesk::put(PaperThing what, PaperThing into, const storage::Actor& actor) {
    std::string area = voltageAreaName(what.voltageArea);
    if (stores_.paper->item(what.lineageId)) {
        return fail(ProblemCode::Conflict, what.label + " 已在 " + placeOf(what).text + "，不能再放入 " + into.code);
    }
    if (into.kind == PaperKind::Volume) {
        if (!into.container) into.container = stores_.paper->volumeOf(*into.customer, into.voltageArea, actor);
        if (auto out = stores_.loans->out(into.code))
            return fail(ProblemCode::Conflict, "案卷 " + into.code + " 借出中（借阅单 " + std::to_string(out->loanId) +
                                                   "），归还后再放入 " + what.label);
        if (!what.customer || what.customer->id != into.customer->id) {
            std::string account = what.customer ? what.customer->fields.accountNo : "?";
            return fail(ProblemCode::Conflict, what.label + " 属于户号 " + account + "，应放入其案卷 " +
                                                   barcode::ownCodeText(OwnCodeKind::Volume, account) + "，不是 " + into.code);
        }
    } else {
        auto proper = nextBox(what.voltageArea, actor);
        std::string properCode = barcode::ownCodeText(OwnCodeKind::Box, std::to_string(proper.id));
        if (into.voltageArea != what.voltageArea)
            return fail(ProblemCode::Conflict, what.label + " 属于" + area + "客户，不能放入" + voltageAreaName(into.voltageArea) +
                                                   "区的盒 " + into.code + "；应放入" + area + "区档案盒 " + properCode);
        if (into.container->closed)
            return fail(ProblemCode::Conflict, into.code + " 已装满封盒；按归档顺序应放入 " + properCode);
        if (into.container->id != proper.id)
            return fail(ProblemCode::Conflict, "按归档顺序，" + area + "区的文件应先装满 " + properCode + "，不是 " + into.code);
    }
    auto refused = stores_.paper->placeItem(what.lineageId, what.code, *into.container, into.code, actor);
    if (refused) {
        auto proper = into.kind == PaperKind::Box ? barcode::ownCodeText(OwnCodeKind::Box, std::to_string(nextBox(what.voltageArea, actor).id)) : into.code;
        if (*refused == storage::PlacementRefusal::AlreadyPlaced)
            return fail(ProblemCode::Conflict, what.label + " 已在 " + placeOf(what).text);
        return fail(ProblemCode::Conflict, into.code + " 刚刚装满；请放入 " + proper);
    }
    ScanAnswer answer;
    answer.thing = what;
    answer.place = placeOf(what);
    answer.message = "已放入：" + what.label + " → " + answer.place.text;
    if (into.kind == PaperKind::Box) {
        auto box = stores_.paper->container(into.container->id);
        if (box && box->closed) {
            auto next = nextBox(what.voltageArea, actor);
            answer.nextBox = barcode::ownCodeText(OwnCodeKind::Box, std::to_string(next.id));
            answer.message += "。" + into.code + " 已装满（" + std::to_string(box->items) + " 件）并封盒；下一盒 " + *answer.nextBox +
                              "，请打印其标签";
        }
    }
    return answer;
}

Outcome<ScanAnswer> PaperDesk::shelve(PaperThing what, PaperThing shelf, const storage::Actor& actor) {
    // Where it belongs instead, worked out only when the scan is refused.
    auto belongs = [&] {
        auto proper = stores_.paper->firstShelfWithRoom(what.voltageArea);
        return proper ? shelfAddress(*proper) + "（" + barcode::ownCodeText(OwnCodeKind::Location, std::to_string(proper->id)) + "）"
                      : "（" + voltageAreaName(what.voltageArea) + "区已没有空架位，请先登记新架位）";
    };
    if (shelf.voltageArea != what.voltageArea)
        return fail(ProblemCode::Conflict, what.label + " 属于" + voltageAreaName(what.voltageArea) + "区，不能放上" +
                                               voltageAreaName(shelf.voltageArea) + "区的 " + shelfAddress(*shelf.shelf) + "；应放上 " + belongs());
    if (!what.container && what.kind == PaperKind::Volume)
        what.container = stores_.paper->volumeOf(*what.customer, what.voltageArea, actor);
    if (!what.container) return fail(ProblemCode::Conflict, what.label + " 还没有登记");
    auto position = stores_.paper->shelveContainer(*what.container, what.code, *shelf.shelf, shelfAddress(*shelf.shelf), actor);
    if (!position) return fail(ProblemCode::Conflict, shelfAddress(*shelf.shelf) + " 已放满；应放上 " + belongs());
    ScanAnswer answer;
    what.container = stores_.paper->container(what.container->id);
    answer.thing = what;
    answer.place = placeOf(what);
    answer.message = "已上架：" + what.code + " → " + answer.place.text;
    return answer;
}

StocktakeReport compareStocktake(const std::vector<std::int64_t>& shelvesInScope,
                                 const std::map<std::int64_t, std::vector<std::string>>& reads,
                                 const std::unordered_map<std::string, std::int64_t>& recorded,
                                 const std::set<std::string>& out) {
    auto shelfCode = [](std::int64_t id) { return barcode::ownCodeText(OwnCodeKind::Location, std::to_string(id)); };
    StocktakeReport report;
    std::set<std::int64_t> scope(shelvesInScope.begin(), shelvesInScope.end());
    report.shelvesInScope = static_cast<int>(scope.size());
    std::unordered_map<std::string, std::int64_t> seen;
    for (const auto& [shelf, codes] : reads) {
        if (!scope.contains(shelf)) continue;
        ++report.shelvesRead;
        for (const auto& code : codes) {
            if (!seen.emplace(code, shelf).second) continue;  // read twice: counted once
            ++report.read;
            auto at = recorded.find(code);
            if (out.contains(code)) {
                report.onLoan.push_back({code, "", shelfCode(shelf), at == recorded.end() ? "" : shelfCode(at->second),
                                         "记录为借出，却在架上：请核对借阅记录"});
            } else if (at == recorded.end()) {
                auto own = barcode::parseOwnCode(code);
                std::string note = !own ? "不是本档案室的条码"
                                   : own->kind == OwnCodeKind::Document ? "文件应装在盒或案卷里，不应单独放在架上"
                                                                        : "档案中没有它上架的记录";
                report.unexpected.push_back({code, "", shelfCode(shelf), "", note});
            } else if (at->second != shelf) {
                report.misplaced.push_back({code, "", shelfCode(shelf), shelfCode(at->second), "应放回记录的架位"});
            }
        }
    }
    for (std::int64_t shelf : shelvesInScope)
        if (!reads.contains(shelf)) report.shelvesNotRead.push_back(shelfCode(shelf));
    for (const auto& [code, shelf] : recorded) {
        if (!scope.contains(shelf)) continue;
        ++report.expected;
        if (seen.contains(code) || !reads.contains(shelf)) continue;
        if (out.contains(code)) report.onLoan.push_back({code, "", "", shelfCode(shelf), "借出中"});
        else report.missing.push_back({code, "", "", shelfCode(shelf), "架上没有读到"});
    }
    auto byCode = [](const StocktakeFinding& a, const StocktakeFinding& b) { return a.code < b.code; };
    for (auto* list : {&report.missing, &report.misplaced, &report.unexpected, &report.onLoan})
        std::sort(list->begin(), list->end(), byCode);
    return report;
}

std::string_view paperKindName(PaperKind kind) {
    switch (kind) {
        case PaperKind::Item: return "item";
        case PaperKind::Volume: return "volume";
        case PaperKind::Box: return "box";
        case PaperKind::Shelf: return "shelf";
    }
    return "item";
}

std::string voltageAreaName(const std::string& voltageArea) { return voltageArea == "high" ? "高压" : "低压"; }

// ---- shelves, boxes and whereabouts ----

Outcome<std::vector<storage::Shelf>> PaperDesk::addShelves(const ShelfPlan& plan, const storage::Actor& actor) {
    if (plan.room.empty() || plan.room.size() > 64) return fail(ProblemCode::BadRequest, "room is required (at most 64 bytes)");
    for (const auto& [name, list] : {std::pair{"racks", &plan.racks}, std::pair{"faces", &plan.faces}, std::pair{"levels", &plan.levels}})
        if (list->empty()) return fail(ProblemCode::BadRequest, std::string(name) + " must name at least one");
    if (plan.capacity < 1 || plan.capacity > 200) return fail(ProblemCode::BadRequest, "capacity must be 1 to 200 boxes a shelf");
    if (plan.voltageArea != "low" && plan.voltageArea != "high") return fail(ProblemCode::BadRequest, "voltage_area must be low or high");
    if (plan.racks.size() * plan.faces.size() * plan.levels.size() > 20000)
        return fail(ProblemCode::BadRequest, "at most 20,000 shelves at once");
    std::set<std::string> existing;
    for (const auto& s : stores_.paper->shelves(plan.room)) existing.insert(s.rack + "\n" + s.face + "\n" + s.level);
    std::vector<storage::Shelf> shelves;
    for (const auto& rack : plan.racks)
        for (const auto& face : plan.faces)
            for (const auto& level : plan.levels) {
                if (!existing.insert(rack + "\n" + face + "\n" + level).second)
                    return fail(ProblemCode::Conflict, "shelf " + rack + "架 " + face + "面 " + level + "层 exists already in " + plan.room +
                                                           " (or is named twice)");
                shelves.push_back({0, plan.room, rack, face, level, plan.capacity, plan.voltageArea, 0});
            }
    return stores_.paper->addShelves(shelves, actor);
}

std::vector<storage::Shelf> PaperDesk::shelves(const std::string& room) { return stores_.paper->shelves(room); }

Outcome<std::vector<storage::Container>> PaperDesk::addBoxes(const std::string& voltageArea, int capacity, int count,
                                                             const storage::Actor& actor) {
    if (voltageArea != "low" && voltageArea != "high") return fail(ProblemCode::BadRequest, "voltage_area must be low or high");
    if (capacity < 1 || capacity > 500) return fail(ProblemCode::BadRequest, "capacity must be 1 to 500 items a box");
    if (count < 1 || count > 500) return fail(ProblemCode::BadRequest, "count must be 1 to 500 boxes");
    return stores_.paper->addBoxes(voltageArea, capacity, count, actor);
}

Outcome<Whereabouts> PaperDesk::whereabouts(const std::string& code) {
    auto thing = resolve(code);
    if (!thing) return std::unexpected(thing.error());
    Whereabouts w;
    w.place = placeOf(*thing);
    w.onLoan = stores_.loans->out(thing->code);
    if (thing->container)
        for (const auto& item : stores_.paper->itemsIn(thing->container->id))
            w.contents.push_back(barcode::ownCodeText(barcode::OwnCodeKind::Document, std::to_string(item.lineageId)));
    if (thing->shelf)
        for (const auto& c : stores_.paper->containersOnShelves(thing->shelf->id, thing->shelf->id)) w.holds.push_back(containerCode(c));
    w.history = stores_.paper->movements(thing->code, 100);
    w.thing = std::move(*thing);
    return w;
}

Outcome<CustomerPaper> PaperDesk::customerPaper(const std::string& accountNo) {
    auto customer = stores_.customers->findByAccountNo(accountNo);
    if (!customer) return fail(ProblemCode::NotFound, "no customer with account_no " + accountNo);
    CustomerPaper paper{*customer, {}};
    std::vector<std::string> codes;
    for (auto& doc : stores_.documents->currentDocuments(customer->id)) {
        auto thing = resolve(barcode::ownCodeText(barcode::OwnCodeKind::Document, std::to_string(doc.lineageId)));
        if (!thing) continue;  // a document whose lineage the paper records do not know yet
        codes.push_back(thing->code);
        paper.originals.push_back({std::move(doc), std::move(*thing), {}, std::nullopt});
    }
    auto out = stores_.loans->outAmong(codes);
    for (auto& original : paper.originals) {
        original.place = placeOf(original.thing);
        if (auto lent = out.find(original.thing.code); lent != out.end()) original.onLoan = lent->second;
    }
    return paper;
}

}  // namespace dangan::server
