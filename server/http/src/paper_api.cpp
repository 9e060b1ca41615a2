// The paper originals over HTTP: shelves and boxes, shelving scans, where-is, loans, stocktakes.
// Thin handlers: read the input, call one desk or store, shape the reply.
#include <Poco/String.h>

#include <sstream>
#include <unordered_map>

#include "dangan/print/loan_papers.h"
#include "dangan/barcode/own_code.h"
#include "http_call.h"

namespace dangan::server {
namespace {

using barcode::OwnCodeKind;

using barcode::ownCodeText;

// A JSON array of strings, or a problem naming the field.
Outcome<std::vector<std::string>> textList(const Object::Ptr& body, const std::string& name) {
    auto value = body->get(name);
    if (value.isEmpty() || value.type() != typeid(Array::Ptr)) return fail(ProblemCode::BadRequest, name + " must be an array of strings");
    std::vector<std::string> list;
    for (const auto& v : *value.extract<Array::Ptr>()) {
        if (!v.isString()) return fail(ProblemCode::BadRequest, name + " must be an array of strings");
        list.push_back(Poco::trim(v.convert<std::string>()));
    }
    return list;
}

// Codes as a barcode scanner types them: one per line (text/plain), or {"codes": [...]}.
Outcome<std::vector<std::string>> scannedCodes(Call& call, const std::string& field) {
    if (Poco::toLower(call.http.getContentType()).starts_with("text/plain")) {
        auto text = call.body(call.limits.maxJsonBody);
        if (!text) return std::unexpected(text.error());
        std::vector<std::string> codes;
        std::istringstream in(*text);
        for (std::string line; std::getline(in, line);)
            if (auto code = Poco::trim(line); !code.empty()) codes.push_back(code);
        return codes;
    }
    auto body = call.jsonObject();
    if (!body) return std::unexpected(body.error());
    return textList(*body, field);
}

Object::Ptr placeJson(const PaperPlace& place) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("text", place.text);
    o->set("container", place.container ? Poco::Dynamic::Var(*place.container) : Poco::Dynamic::Var());
    o->set("shelf", place.shelf ? Poco::Dynamic::Var(*place.shelf) : Poco::Dynamic::Var());
    o->set("position", place.position ? Poco::Dynamic::Var(*place.position) : Poco::Dynamic::Var());
    return o;
}

Object::Ptr thingJson(const PaperThing& thing) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("code", thing.code);
    o->set("kind", thing.kind);
    o->set("label", thing.label);
    o->set("voltage_area", thing.voltageArea);
    if (thing.customer) o->set("account_no", thing.customer->fields.accountNo);
    if (thing.kind == "item" || thing.kind == "volume") o->set("pages", thing.pages);
    return o;
}

Object::Ptr shelfJson(const storage::Shelf& s) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", s.id);
    o->set("code", ownCodeText(OwnCodeKind::Location, std::to_string(s.id)));
    o->set("address", shelfAddress(s));
    o->set("room", s.room);
    o->set("rack", s.rack);
    o->set("face", s.face);
    o->set("level", s.level);
    o->set("capacity", s.capacity);
    o->set("used", s.used);
    o->set("voltage_area", s.voltageArea);
    return o;
}

// ---- shelves and boxes ----

Reply addShelves(Call& call) {
    auto body = call.jsonObject();
    if (!body) return problemReply(body.error());
    auto room = textField(*body, "room");
    if (!room) return problemReply(room.error());
    if (!*room || (*room)->empty() || (*room)->size() > 64) return problemReply(ProblemCode::BadRequest, "room is required (at most 64 bytes)");
    std::vector<std::string> racks, faces, levels;
    for (auto [name, list] : {std::pair{"racks", &racks}, std::pair{"faces", &faces}, std::pair{"levels", &levels}}) {
        auto values = textList(*body, name);
        if (!values) return problemReply(values.error());
        if (values->empty()) return problemReply(ProblemCode::BadRequest, std::string(name) + " must name at least one");
        *list = std::move(*values);
    }
    int capacity = (*body)->optValue("capacity", 0);
    if (capacity < 1 || capacity > 200) return problemReply(ProblemCode::BadRequest, "capacity must be 1 to 200 boxes a shelf");
    std::string area = (*body)->optValue<std::string>("voltage_area", "");
    if (area != "low" && area != "high") return problemReply(ProblemCode::BadRequest, "voltage_area must be low or high");
    if (racks.size() * faces.size() * levels.size() > 20000) return problemReply(ProblemCode::BadRequest, "at most 20,000 shelves at once");
    std::vector<storage::Shelf> shelves;
    for (const auto& rack : racks)
        for (const auto& face : faces)
            for (const auto& level : levels) shelves.push_back({0, **room, rack, face, level, capacity, area, 0});
    std::vector<storage::Shelf> added;
    try {
        added = call.archive.stores().paper->addShelves(shelves, call.actor());
    } catch (const storage::StorageError&) {
        return problemReply(ProblemCode::Conflict, "some of these shelves exist already in " + **room);
    }
    Array::Ptr list = new Array;
    for (const auto& s : added) list->add(shelfJson(s));
    Object::Ptr o = new Object;
    o->set("shelves", list);
    return jsonReply(201, o);
}

Reply listShelves(Call& call) {
    Array::Ptr list = new Array;
    for (const auto& s : call.archive.stores().paper->shelves(call.query("room"))) list->add(shelfJson(s));
    Object::Ptr o = new Object;
    o->set("shelves", list);
    return jsonReply(200, o);
}

Reply addBoxes(Call& call) {
    auto body = call.jsonObject();
    if (!body) return problemReply(body.error());
    std::string area = (*body)->optValue<std::string>("voltage_area", "");
    if (area != "low" && area != "high") return problemReply(ProblemCode::BadRequest, "voltage_area must be low or high");
    int capacity = (*body)->optValue("capacity", 50), count = (*body)->optValue("count", 1);
    if (capacity < 1 || capacity > 500) return problemReply(ProblemCode::BadRequest, "capacity must be 1 to 500 items a box");
    if (count < 1 || count > 500) return problemReply(ProblemCode::BadRequest, "count must be 1 to 500 boxes");
    Array::Ptr list = new Array;
    for (const auto& box : call.archive.stores().paper->addBoxes(area, capacity, count, call.actor())) {
        Object::Ptr b = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        b->set("id", box.id);
        b->set("code", ownCodeText(OwnCodeKind::Box, std::to_string(box.id)));
        b->set("voltage_area", box.voltageArea);
        b->set("capacity", box.capacity);
        list->add(b);
    }
    Object::Ptr o = new Object;
    o->set("boxes", list);
    return jsonReply(201, o);
}

// ---- the shelving desk ----

Reply shelvingScan(Call& call) {
    auto codes = scannedCodes(call, "codes");
    if (!codes) return problemReply(codes.error());
    auto answer = call.archive.paperDesk().scan(*codes, call.actor());
    if (!answer) return problemReply(answer.error());
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("message", answer->message);
    o->set("thing", thingJson(answer->thing));
    o->set("place", placeJson(answer->place));
    o->set("proposal", answer->proposal ? Poco::Dynamic::Var(*answer->proposal) : Poco::Dynamic::Var());
    o->set("next_box", answer->nextBox ? Poco::Dynamic::Var(*answer->nextBox) : Poco::Dynamic::Var());
    return jsonReply(200, o);
}

Reply whereIs(Call& call) {
    auto& desk = call.archive.paperDesk();
    auto thing = desk.resolve(call.params.at("code"));
    if (!thing) return problemReply(thing.error());
    Object::Ptr o = thingJson(*thing);
    o->set("place", placeJson(desk.placeOf(*thing)));
    auto out = call.archive.stores().loans->out(thing->code);
    o->set("on_loan", out ? Poco::Dynamic::Var(json::itemOut(*out)) : Poco::Dynamic::Var());
    if (thing->container) {
        Array::Ptr contents = new Array;
        for (const auto& item : call.archive.stores().paper->itemsIn(thing->container->id))
            contents->add(ownCodeText(OwnCodeKind::Document, std::to_string(item.lineageId)));
        o->set("contents", contents);
        if (thing->kind == "box") {
            o->set("items", thing->container->items);
            o->set("capacity", thing->container->capacity);
            o->set("closed", thing->container->closed);
        }
    }
    if (thing->shelf) {
        Array::Ptr held = new Array;
        for (const auto& c : call.archive.stores().paper->containersOnShelves(thing->shelf->id, thing->shelf->id))
            held->add(containerCode(c));
        o->set("holds", held);
    }
    Array::Ptr history = new Array;
    for (const auto& m : call.archive.stores().paper->movements(thing->code, 100)) {
        Object::Ptr h = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        h->set("at", json::isoTime(m.at));
        h->set("action", m.action);
        h->set("place", m.place);
        h->set("by", m.by);
        if (m.loanId) h->set("loan_id", *m.loanId);
        history->add(h);
    }
    o->set("history", history);
    recordView(call, "paper.view", "paper", thing->code);
    return jsonReply(200, o);
}

Reply customerPaper(Call& call) {
    auto customer = call.archive.stores().customers->findByAccountNo(call.params.at("account_no"));
    if (!customer) return problemReply(ProblemCode::NotFound, "no customer with account_no " + call.params.at("account_no"));
    auto& desk = call.archive.paperDesk();
    Array::Ptr items = new Array;
    std::vector<std::string> codes;
    std::vector<std::pair<storage::Document, PaperThing>> found;
    for (auto& doc : call.archive.stores().documents->currentDocuments(customer->id)) {
        auto thing = desk.resolve(ownCodeText(OwnCodeKind::Document, std::to_string(doc.lineageId)));
        if (!thing) continue;
        codes.push_back(thing->code);
        found.emplace_back(std::move(doc), std::move(*thing));
    }
    auto out = call.archive.stores().loans->outAmong(codes);
    for (const auto& [doc, thing] : found) {
        Object::Ptr o = thingJson(thing);
        o->set("document_id", doc.id);
        o->set("archive_no", doc.archiveNo);
        o->set("doc_type", doc.docType);
        o->set("place", placeJson(desk.placeOf(thing)));
        auto lent = out.find(thing.code);
        o->set("on_loan", lent != out.end() ? Poco::Dynamic::Var(json::itemOut(lent->second)) : Poco::Dynamic::Var());
        items->add(o);
    }
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("account_no", customer->fields.accountNo);
    o->set("items", items);
    recordView(call, "paper.view", "customer", customer->fields.accountNo);
    return jsonReply(200, o);
}

// ---- loans ----

std::string purposeName(const std::string& code) {
    auto rule = loanPurpose(code);
    return rule ? std::string(rule->name) : code;
}

Object::Ptr loanJson(const storage::Loan& l) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", l.id);
    o->set("state", l.state);
    o->set("purpose", l.purpose);
    o->set("purpose_name", purposeName(l.purpose));
    o->set("until", l.wantedUntil);
    o->set("note", l.note);
    o->set("requested_by", l.requestedByName);
    o->set("requested_at", json::isoTime(l.createdAt));
    o->set("approved_by", l.approvedBy ? Poco::Dynamic::Var(l.approvedByName) : Poco::Dynamic::Var());
    o->set("lent_at", l.lentAt ? Poco::Dynamic::Var(json::isoTime(*l.lentAt)) : Poco::Dynamic::Var());
    o->set("due_on", l.dueOn.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(l.dueOn));
    o->set("renewals", l.renewals);
    auto rule = loanPurpose(l.purpose);
    o->set("renewals_allowed", rule ? rule->renewals : 0);
    std::string now = today();
    bool overdue = l.state == "lent" && l.dueOn < now;
    o->set("overdue_days", overdue ? daysBetween(l.dueOn, now) : 0);
    if (overdue) o->set("reminder_level", reminderLevel(daysBetween(l.dueOn, now)));
    o->set("closed_at", l.closedAt ? Poco::Dynamic::Var(json::isoTime(*l.closedAt)) : Poco::Dynamic::Var());
    Array::Ptr items = new Array;
    for (const auto& i : l.items) {
        Object::Ptr it = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        it->set("code", i.code);
        it->set("kind", i.kind);
        it->set("label", i.label);
        it->set("pages", i.pages);
        it->set("state", i.state);
        it->set("pages_returned", i.pagesReturned ? Poco::Dynamic::Var(*i.pagesReturned) : Poco::Dynamic::Var());
        it->set("damage", i.damage);
        items->add(it);
    }
    o->set("items", items);
    return o;
}

Reply loanReply(int status, const Outcome<storage::Loan>& loan) {
    if (!loan) return problemReply(loan.error());
    return jsonReply(status, loanJson(*loan));
}

bool keepsOrApproves(const Call& call) {
    return allows(*call.user, Permission::KeepPaper) || allows(*call.user, Permission::ApproveLoan);
}

Reply requestLoan(Call& call) {
    auto body = call.jsonObject();
    if (!body) return problemReply(body.error());
    auto items = textList(*body, "items");
    if (!items) return problemReply(items.error());
    std::string purpose = (*body)->optValue<std::string>("purpose", ""), until = (*body)->optValue<std::string>("until", "");
    std::string note = (*body)->optValue<std::string>("note", "");
    auto id = call.archive.lendingDesk().request(*items, purpose, until, note, call.actor());
    if (!id) return problemReply(id.error());
    Object::Ptr o = new Object;
    o->set("id", *id);
    Reply r = jsonReply(201, o);
    r.headers.emplace_back("Location", "/api/loans/" + std::to_string(*id));
    return r;
}

Reply listLoans(Call& call) {
    std::string state = call.query("state");
    static const std::set<std::string> kStates{"", "requested", "approved", "rejected", "lent", "closed", "overdue"};
    if (!kStates.contains(state)) return problemReply(ProblemCode::BadRequest, "state must be requested, approved, rejected, lent, closed or overdue");
    auto limit = positiveNumber(call.query("limit", "100"), 500);
    if (!limit) return problemReply(ProblemCode::BadRequest, "limit must be a number from 1 to 500");
    auto loans = state == "overdue" ? call.archive.stores().loans->overdue(today())
                                    : call.archive.stores().loans->loans(state, static_cast<int>(*limit));
    bool all = keepsOrApproves(call);
    Array::Ptr list = new Array;
    for (const auto& l : loans)
        if (all || l.requestedBy == call.user->id) list->add(loanJson(l));
    Object::Ptr o = new Object;
    o->set("loans", list);
    return jsonReply(200, o);
}

Outcome<storage::Loan> loanParam(Call& call) {
    auto id = idParam(call, "id");
    if (!id) return fail(ProblemCode::BadRequest, "loan id must be a positive number");
    auto loan = call.archive.stores().loans->loan(*id);
    if (!loan || (!keepsOrApproves(call) && loan->requestedBy != call.user->id))
        return fail(ProblemCode::NotFound, "no loan " + call.params.at("id"));
    return *loan;
}

Reply getLoan(Call& call) { return loanReply(200, loanParam(call)); }

Reply approveLoan(Call& call) {
    auto loan = loanParam(call);
    if (!loan) return problemReply(loan.error());
    return loanReply(200, call.archive.lendingDesk().decide(loan->id, true, "", call.actor()));
}

Reply rejectLoan(Call& call) {
    auto loan = loanParam(call);
    if (!loan) return problemReply(loan.error());
    auto body = call.jsonObject();
    if (!body) return problemReply(body.error());
    return loanReply(200, call.archive.lendingDesk().decide(loan->id, false, (*body)->optValue<std::string>("reason", ""), call.actor()));
}

Reply lendLoan(Call& call) {
    auto loan = loanParam(call);
    if (!loan) return problemReply(loan.error());
    auto codes = scannedCodes(call, "items");
    if (!codes) return problemReply(codes.error());
    return loanReply(200, call.archive.lendingDesk().lend(loan->id, *codes, call.actor()));
}

Reply renewLoan(Call& call) {
    auto loan = loanParam(call);
    if (!loan) return problemReply(loan.error());
    return loanReply(200, call.archive.lendingDesk().renew(loan->id, call.actor()));
}

Reply returnLoan(Call& call) {
    auto loan = loanParam(call);
    if (!loan) return problemReply(loan.error());
    auto body = call.jsonObject();
    if (!body) return problemReply(body.error());
    auto value = (*body)->get("items");
    if (value.isEmpty() || value.type() != typeid(Array::Ptr))
        return problemReply(ProblemCode::BadRequest, "items must be an array of barcodes or {code, pages, damage}");
    std::vector<ReturnedItem> items;
    for (const auto& v : *value.extract<Array::Ptr>()) {
        if (v.isString()) {
            items.push_back({v.convert<std::string>(), std::nullopt, ""});
        } else if (v.type() == typeid(Object::Ptr)) {
            auto o = v.extract<Object::Ptr>();
            ReturnedItem item{o->optValue<std::string>("code", ""), std::nullopt, o->optValue<std::string>("damage", "")};
            if (o->has("pages")) {
                auto pages = o->get("pages");
                if (!pages.isInteger()) return problemReply(ProblemCode::BadRequest, "pages must be a number");
                item.pages = pages.convert<int>();
            }
            items.push_back(std::move(item));
        } else {
            return problemReply(ProblemCode::BadRequest, "items must be an array of barcodes or {code, pages, damage}");
        }
    }
    return loanReply(200, call.archive.lendingDesk().takeBack(loan->id, items, call.actor()));
}

Reply loseLoanItems(Call& call) {
    auto loan = loanParam(call);
    if (!loan) return problemReply(loan.error());
    auto body = call.jsonObject();
    if (!body) return problemReply(body.error());
    auto items = textList(*body, "items");
    if (!items) return problemReply(items.error());
    return loanReply(200, call.archive.lendingDesk().reportLost(loan->id, *items, (*body)->optValue<std::string>("note", ""), call.actor()));
}

barcode::LoanPaper loanPaper(Call& call, const storage::Loan& l) {
    static const std::map<std::string, std::string> kItemStates{
        {"requested", "待借出"}, {"lent", "借出中"}, {"returned", "已归还"}, {"lost", "遗失"}};
    barcode::LoanPaper paper;
    paper.loanNo = std::to_string(l.id);
    paper.borrower = l.requestedByName;
    paper.purpose = purposeName(l.purpose);
    paper.wantedUntil = l.wantedUntil;
    paper.approvedBy = l.approvedByName;
    paper.lentOn = l.lentAt ? localTime(*l.lentAt).substr(0, 10) : "";
    paper.dueOn = l.dueOn;
    paper.renewals = l.renewals;
    paper.note = l.note;
    for (const auto& i : l.items) paper.items.push_back({i.code, i.label, i.pages, kItemStates.contains(i.state) ? kItemStates.at(i.state) : i.state});
    paper.printedBy = call.user->displayName.empty() ? call.user->username : call.user->displayName;
    paper.printedAt = localTime(storage::nowMillis());
    return paper;
}

Reply loanSlip(Call& call) {
    auto loan = loanParam(call);
    if (!loan) return problemReply(loan.error());
    if (loan->state == "requested" || loan->state == "rejected")
        return problemReply(ProblemCode::Conflict, "loan " + std::to_string(loan->id) + " is " + loan->state + ": a slip is printed once it is approved");
    return pdfReply(barcode::loanSlipPdf(loanPaper(call, *loan), call.archive.options().printing), "loan-" + std::to_string(loan->id) + ".pdf");
}

Reply overdueNotice(Call& call) {
    auto loan = loanParam(call);
    if (!loan) return problemReply(loan.error());
    std::string now = today();
    if (loan->state != "lent" || loan->dueOn >= now)
        return problemReply(ProblemCode::Conflict, "loan " + std::to_string(loan->id) + " is not overdue");
    auto paper = loanPaper(call, *loan);
    paper.daysOverdue = daysBetween(loan->dueOn, now);
    paper.reminderLevel = reminderLevel(paper.daysOverdue);
    auto pdf = barcode::overdueNoticePdf(paper, call.archive.options().printing);
    if (pdf) call.archive.stores().loans->recordReminder(loan->id, paper.reminderLevel, call.actor());
    return pdfReply(pdf, "overdue-" + std::to_string(loan->id) + ".pdf");
}

// ---- stocktakes ----

Outcome<std::int64_t> shelfOfCode(Call& call, const std::string& code) {
    auto own = barcode::parseOwnCode(Poco::trim(code));
    if (!own || own->kind != OwnCodeKind::Location) return fail(ProblemCode::BadRequest, "“" + code + "” is not a shelf code");
    auto id = positiveNumber(own->fields.at(0));
    if (!id || !call.archive.stores().paper->shelf(*id)) return fail(ProblemCode::NotFound, "no shelf " + code);
    return *id;
}

Reply startStocktake(Call& call) {
    auto body = call.jsonObject();
    if (!body) return problemReply(body.error());
    std::string room = (*body)->optValue<std::string>("room", "");
    std::int64_t from = 0, to = 0;
    std::string scope;
    if (!room.empty()) {
        auto shelves = call.archive.stores().paper->shelves(room);
        if (shelves.empty()) return problemReply(ProblemCode::NotFound, "no shelves in room " + room);
        from = shelves.front().id;
        to = shelves.front().id;
        for (const auto& s : shelves) {
            from = std::min(from, s.id);
            to = std::max(to, s.id);
        }
        scope = room;
    } else {
        auto first = shelfOfCode(call, (*body)->optValue<std::string>("from", ""));
        if (!first) return problemReply(first.error());
        auto last = shelfOfCode(call, (*body)->optValue<std::string>("to", ""));
        if (!last) return problemReply(last.error());
        from = std::min(*first, *last);
        to = std::max(*first, *last);
        scope = "架位 " + ownCodeText(OwnCodeKind::Location, std::to_string(from)) + " 至 " + ownCodeText(OwnCodeKind::Location, std::to_string(to));
    }
    auto id = call.archive.stores().stocktakes->start(scope, from, to, call.actor());
    Object::Ptr o = new Object;
    o->set("id", id);
    return jsonReply(201, o);
}

Reply recordStocktakeReads(Call& call) {
    auto id = idParam(call, "id");
    if (!id) return problemReply(ProblemCode::BadRequest, "stocktake id must be a positive number");
    auto take = call.archive.stores().stocktakes->stocktake(*id);
    if (!take) return problemReply(ProblemCode::NotFound, "no stocktake " + call.params.at("id"));
    if (take->state != "open") return problemReply(ProblemCode::Conflict, "stocktake " + call.params.at("id") + " is closed");
    // JSON: {"shelf", "codes"}. Text (a handheld scanner's batch): a shelf code starts each shelf.
    std::map<std::int64_t, std::vector<std::string>> shelves;
    if (Poco::toLower(call.http.getContentType()).starts_with("text/plain")) {
        auto codes = scannedCodes(call, "codes");
        if (!codes) return problemReply(codes.error());
        std::optional<std::int64_t> shelf;
        for (const auto& code : *codes) {
            auto own = barcode::parseOwnCode(code);
            if (own && own->kind == OwnCodeKind::Location) {
                auto found = shelfOfCode(call, code);
                if (!found) return problemReply(found.error());
                shelf = *found;
                shelves[*shelf];
            } else if (!shelf) {
                return problemReply(ProblemCode::BadRequest, "the batch must start with a shelf code (read the shelf's label first)");
            } else {
                shelves[*shelf].push_back(code);
            }
        }
    } else {
        auto body = call.jsonObject();
        if (!body) return problemReply(body.error());
        auto shelf = shelfOfCode(call, (*body)->optValue<std::string>("shelf", ""));
        if (!shelf) return problemReply(shelf.error());
        auto codes = textList(*body, "codes");
        if (!codes) return problemReply(codes.error());
        shelves[*shelf] = *codes;
    }
    int codes = 0;
    for (const auto& [shelf, list] : shelves) {
        if (shelf < take->fromShelf || shelf > take->toShelf)
            return problemReply(ProblemCode::Conflict, ownCodeText(OwnCodeKind::Location, std::to_string(shelf)) + " is outside this stocktake (" + take->scope + ")");
        codes += static_cast<int>(list.size());
    }
    for (const auto& [shelf, list] : shelves) call.archive.stores().stocktakes->recordShelf(*id, shelf, list);
    Object::Ptr o = new Object;
    o->set("shelves", static_cast<int>(shelves.size()));
    o->set("codes", codes);
    return jsonReply(200, o);
}

Array::Ptr findingsJson(const std::vector<StocktakeFinding>& findings) {
    Array::Ptr list = new Array;
    for (const auto& f : findings) {
        Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("code", f.code);
        if (!f.foundOn.empty()) o->set("found_on", f.foundOn);
        if (!f.belongsOn.empty()) o->set("belongs_on", f.belongsOn);
        o->set("note", f.note);
        list->add(o);
    }
    return list;
}

Reply stocktakeReport(Call& call) {
    auto id = idParam(call, "id");
    if (!id) return problemReply(ProblemCode::BadRequest, "stocktake id must be a positive number");
    auto& stores = call.archive.stores();
    auto take = stores.stocktakes->stocktake(*id);
    if (!take) return problemReply(ProblemCode::NotFound, "no stocktake " + call.params.at("id"));
    std::vector<std::int64_t> scope;
    for (std::int64_t s = take->fromShelf; s <= take->toShelf; ++s) scope.push_back(s);
    std::unordered_map<std::string, std::int64_t> recorded;
    for (const auto& c : stores.paper->containersOnShelves(take->fromShelf, take->toShelf)) recorded[containerCode(c)] = *c.shelfId;
    // Containers read here but recorded on a shelf outside the scope.
    std::vector<std::string> codes;
    for (const auto& [shelf, list] : take->reads)
        for (const auto& code : list) {
            codes.push_back(code);
            if (recorded.contains(code)) continue;
            auto own = barcode::parseOwnCode(code);
            if (!own || (own->kind != OwnCodeKind::Box && own->kind != OwnCodeKind::Volume)) continue;
            std::optional<storage::Container> c;
            if (own->kind == OwnCodeKind::Box) c = stores.paper->container(positiveNumber(own->fields.at(0)).value_or(0));
            else if (auto customer = stores.customers->findByAccountNo(own->fields.at(0))) c = stores.paper->volume(customer->id);
            if (c && c->shelfId) recorded[code] = *c->shelfId;
        }
    std::set<std::string> out;
    std::vector<std::string> candidates;
    for (const auto& [code, shelf] : recorded) candidates.push_back(code);
    for (const auto& [code, item] : stores.loans->outAmong(candidates)) out.insert(code);
    auto report = compareStocktake(scope, take->reads, recorded, out);
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", take->id);
    o->set("scope", take->scope);
    o->set("state", take->state);
    o->set("shelves_in_scope", report.shelvesInScope);
    o->set("shelves_read", report.shelvesRead);
    o->set("expected", report.expected);
    o->set("read", report.read);
    Array::Ptr notRead = new Array;
    for (const auto& s : report.shelvesNotRead) notRead->add(s);
    o->set("shelves_not_read", notRead);
    o->set("missing", findingsJson(report.missing));
    o->set("misplaced", findingsJson(report.misplaced));
    o->set("unexpected", findingsJson(report.unexpected));
    o->set("on_loan", findingsJson(report.onLoan));
    return jsonReply(200, o);
}

}  // namespace

std::vector<RouteSpec> paperRoutes() {
    using enum Permission;
    return {
        {"POST", "/api/shelves", KeepPaper, true, addShelves},
        {"GET", "/api/shelves", KeepPaper, true, listShelves},
        {"POST", "/api/boxes", KeepPaper, true, addBoxes},
        {"POST", "/api/shelving/scan", KeepPaper, true, shelvingScan},
        {"GET", "/api/paper/{code}", ReadArchive, true, whereIs},
        {"GET", "/api/customers/{account_no}/paper", ReadArchive, true, customerPaper},
        {"POST", "/api/loans", RequestLoan, true, requestLoan},
        {"GET", "/api/loans", RequestLoan, true, listLoans},
        {"GET", "/api/loans/{id}", RequestLoan, true, getLoan},
        {"POST", "/api/loans/{id}/approve", ApproveLoan, true, approveLoan},
        {"POST", "/api/loans/{id}/reject", ApproveLoan, true, rejectLoan},
        {"POST", "/api/loans/{id}/lend", KeepPaper, true, lendLoan},
        {"POST", "/api/loans/{id}/renew", KeepPaper, true, renewLoan},
        {"POST", "/api/loans/{id}/return", KeepPaper, true, returnLoan},
        {"POST", "/api/loans/{id}/lost", KeepPaper, true, loseLoanItems},
        {"GET", "/api/loans/{id}/slip", KeepPaper, true, loanSlip},
        {"GET", "/api/loans/{id}/overdue-notice", KeepPaper, true, overdueNotice},
        {"POST", "/api/stocktakes", KeepPaper, true, startStocktake},
        {"POST", "/api/stocktakes/{id}/reads", KeepPaper, true, recordStocktakeReads},
        {"GET", "/api/stocktakes/{id}", KeepPaper, true, stocktakeReport},
    };
}

}  // namespace dangan::server
