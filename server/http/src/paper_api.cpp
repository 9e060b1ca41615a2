// The paper originals over HTTP: shelves and boxes, shelving scans, where-is, loans, stocktakes.
// Thin handlers: read the input, call one desk, shape the reply.
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
    o->set("kind", std::string(paperKindName(thing.kind)));
    o->set("label", thing.label);
    o->set("voltage_area", thing.voltageArea);
    if (thing.customer) o->set("account_no", thing.customer->fields.accountNo);
    if (thing.kind == PaperKind::Item || thing.kind == PaperKind::Volume) o->set("pages", thing.pages);
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
    std::vector<std::string> racks, faces, levels;
    for (auto [name, list] : {std::pair{"racks", &racks}, std::pair{"faces", &faces}, std::pair{"levels", &levels}}) {
        auto values = textList(*body, name);
        if (!values) return problemReply(values.error());
        *list = std::move(*values);
    }
    ShelfPlan plan{room->value_or(""), std::move(racks), std::move(faces), std::move(levels), (*body)->optValue("capacity", 0),
                   (*body)->optValue<std::string>("voltage_area", "")};
    auto added = call.desks.paper.addShelves(plan, call.actor());
    if (!added) return problemReply(added.error());
    Array::Ptr list = new Array;
    for (const auto& s : *added) list->add(shelfJson(s));
    Object::Ptr o = new Object;
    o->set("shelves", list);
    return jsonReply(201, o);
}

Reply listShelves(Call& call) {
    Array::Ptr list = new Array;
    for (const auto& s : call.desks.paper.shelves(call.query("room"))) list->add(shelfJson(s));
    Object::Ptr o = new Object;
    o->set("shelves", list);
    return jsonReply(200, o);
}

Reply addBoxes(Call& call) {
    auto body = call.jsonObject();
    if (!body) return problemReply(body.error());
    auto boxes = call.desks.paper.addBoxes((*body)->optValue<std::string>("voltage_area", ""), (*body)->optValue("capacity", 50),
                                           (*body)->optValue("count", 1), call.actor());
    if (!boxes) return problemReply(boxes.error());
    Array::Ptr list = new Array;
    for (const auto& box : *boxes) {
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
    auto answer = call.desks.paper.scan(*codes, call.actor());
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
    auto found = call.desks.paper.whereabouts(call.params.at("code"));
    if (!found) return problemReply(found.error());
    const auto& thing = found->thing;
    Object::Ptr o = thingJson(thing);
    o->set("place", placeJson(found->place));
    o->set("on_loan", found->onLoan ? Poco::Dynamic::Var(json::itemOut(*found->onLoan)) : Poco::Dynamic::Var());
    if (thing.container) {
        Array::Ptr contents = new Array;
        for (const auto& code : found->contents) contents->add(code);
        o->set("contents", contents);
        if (thing.kind == PaperKind::Box) {
            o->set("items", thing.container->items);
            o->set("capacity", thing.container->capacity);
            o->set("closed", thing.container->closed);
        }
    }
    if (thing.shelf) {
        Array::Ptr held = new Array;
        for (const auto& code : found->holds) held->add(code);
        o->set("holds", held);
    }
    Array::Ptr history = new Array;
    for (const auto& m : found->history) {
        Object::Ptr h = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        h->set("at", json::isoTime(m.at));
        h->set("action", m.action);
        h->set("place", m.place);
        h->set("by", m.by);
        if (m.loanId) h->set("loan_id", *m.loanId);
        history->add(h);
    }
    o->set("history", history);
    recordView(call, "paper.view", "paper", thing.code);
    return jsonReply(200, o);
}

Reply customerPaper(Call& call) {
    auto paper = call.desks.paper.customerPaper(call.params.at("account_no"));
    if (!paper) return problemReply(paper.error());
    Array::Ptr items = new Array;
    for (const auto& original : paper->originals) {
        Object::Ptr o = thingJson(original.thing);
        o->set("document_id", original.document.id);
        o->set("archive_no", original.document.archiveNo);
        o->set("doc_type", original.document.docType);
        o->set("place", placeJson(original.place));
        o->set("on_loan", original.onLoan ? Poco::Dynamic::Var(json::itemOut(*original.onLoan)) : Poco::Dynamic::Var());
        items->add(o);
    }
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("account_no", paper->customer.fields.accountNo);
    o->set("items", items);
    recordView(call, "paper.view", "customer", paper->customer.fields.accountNo);
    return jsonReply(200, o);
}

// ---- loans ----

Object::Ptr loanJson(const LoanView& view) {
    const auto& l = view.loan;
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", l.id);
    o->set("state", l.state);
    o->set("purpose", l.purpose);
    o->set("purpose_name", view.purposeName);
    o->set("until", l.wantedUntil);
    o->set("note", l.note);
    o->set("requested_by", l.requestedByName);
    o->set("requested_at", json::isoTime(l.createdAt));
    o->set("approved_by", l.approvedBy ? Poco::Dynamic::Var(l.approvedByName) : Poco::Dynamic::Var());
    o->set("lent_at", l.lentAt ? Poco::Dynamic::Var(json::isoTime(*l.lentAt)) : Poco::Dynamic::Var());
    o->set("due_on", l.dueOn.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(l.dueOn));
    o->set("renewals", l.renewals);
    o->set("renewals_allowed", view.renewalsAllowed);
    o->set("overdue_days", view.overdueDays);
    if (view.reminderLevel) o->set("reminder_level", *view.reminderLevel);
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

// A change to a loan, answered with the loan as the change left it (the keeper or approver who
// made it sees every loan).
Reply loanReply(Call& call, const Outcome<storage::Loan>& changed) {
    if (!changed) return problemReply(changed.error());
    return jsonReply(200, loanJson(call.desks.lending.view(*changed)));
}

Reply requestLoan(Call& call) {
    auto body = call.jsonObject();
    if (!body) return problemReply(body.error());
    auto items = textList(*body, "items");
    if (!items) return problemReply(items.error());
    std::string purpose = (*body)->optValue<std::string>("purpose", ""), until = (*body)->optValue<std::string>("until", "");
    std::string note = (*body)->optValue<std::string>("note", "");
    auto id = call.desks.lending.request(*items, purpose, until, note, call.actor());
    if (!id) return problemReply(id.error());
    Object::Ptr o = new Object;
    o->set("id", *id);
    Reply r = jsonReply(201, o);
    r.headers.emplace_back("Location", "/api/loans/" + std::to_string(*id));
    return r;
}

Reply listLoans(Call& call) {
    auto filter = loanFilterNamed(call.query("state"));
    if (!filter) return problemReply(ProblemCode::BadRequest, "state must be requested, approved, rejected, lent, closed or overdue");
    auto limit = positiveNumber(call.query("limit", "100"), 500);
    if (!limit) return problemReply(ProblemCode::BadRequest, "limit must be a number from 1 to 500");
    Array::Ptr list = new Array;
    for (const auto& l : call.desks.lending.loans(*filter, static_cast<int>(*limit), *call.user)) list->add(loanJson(l));
    Object::Ptr o = new Object;
    o->set("loans", list);
    return jsonReply(200, o);
}

// The loan named by the path's {id}, as the caller may see it.
Outcome<LoanView> loanParam(Call& call) {
    auto id = idParam(call, "id");
    if (!id) return fail(ProblemCode::BadRequest, "loan id must be a positive number");
    return call.desks.lending.loan(*id, *call.user);
}

Reply getLoan(Call& call) { return outcomeReply(200, loanParam(call), loanJson); }

Reply approveLoan(Call& call) {
    auto loan = loanParam(call);
    if (!loan) return problemReply(loan.error());
    return loanReply(call, call.desks.lending.decide(loan->loan.id, true, "", call.actor()));
}

Reply rejectLoan(Call& call) {
    auto loan = loanParam(call);
    if (!loan) return problemReply(loan.error());
    auto body = call.jsonObject();
    if (!body) return problemReply(body.error());
    return loanReply(call, call.desks.lending.decide(loan->loan.id, false, (*body)->optValue<std::string>("reason", ""), call.actor()));
}

Reply lendLoan(Call& call) {
    auto loan = loanParam(call);
    if (!loan) return problemReply(loan.error());
    auto codes = scannedCodes(call, "items");
    if (!codes) return problemReply(codes.error());
    return loanReply(call, call.desks.lending.lend(loan->loan.id, *codes, call.actor()));
}

Reply renewLoan(Call& call) {
    auto loan = loanParam(call);
    if (!loan) return problemReply(loan.error());
    return loanReply(call, call.desks.lending.renew(loan->loan.id, call.actor()));
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
    return loanReply(call, call.desks.lending.takeBack(loan->loan.id, items, call.actor()));
}

Reply loseLoanItems(Call& call) {
    auto loan = loanParam(call);
    if (!loan) return problemReply(loan.error());
    auto body = call.jsonObject();
    if (!body) return problemReply(body.error());
    auto items = textList(*body, "items");
    if (!items) return problemReply(items.error());
    return loanReply(call, call.desks.lending.reportLost(loan->loan.id, *items, (*body)->optValue<std::string>("note", ""), call.actor()));
}

Reply loanSlip(Call& call) {
    auto id = idParam(call, "id");
    if (!id) return problemReply(ProblemCode::BadRequest, "loan id must be a positive number");
    return pdfReply(call.desks.lending.slip(*id, *call.user));
}

Reply overdueNotice(Call& call) {
    auto id = idParam(call, "id");
    if (!id) return problemReply(ProblemCode::BadRequest, "loan id must be a positive number");
    return pdfReply(call.desks.lending.overdueNotice(*id, *call.user));
}

// ---- stocktakes ----

Reply startStocktake(Call& call) {
    auto body = call.jsonObject();
    if (!body) return problemReply(body.error());
    std::string room = (*body)->optValue<std::string>("room", "");
    auto id = !room.empty() ? call.desks.stocktakes.startRoom(room, call.actor())
                            : call.desks.stocktakes.startRun((*body)->optValue<std::string>("from", ""),
                                                             (*body)->optValue<std::string>("to", ""), call.actor());
    if (!id) return problemReply(id.error());
    Object::Ptr o = new Object;
    o->set("id", *id);
    return jsonReply(201, o);
}

Reply recordStocktakeReads(Call& call) {
    auto id = idParam(call, "id");
    if (!id) return problemReply(ProblemCode::BadRequest, "stocktake id must be a positive number");
    // JSON: {"shelf", "codes"}. Text (a handheld scanner's batch): a shelf code starts each shelf.
    Outcome<RecordedReads> recorded;
    if (Poco::toLower(call.http.getContentType()).starts_with("text/plain")) {
        auto codes = scannedCodes(call, "codes");
        if (!codes) return problemReply(codes.error());
        recorded = call.desks.stocktakes.recordBatch(*id, *codes);
    } else {
        auto body = call.jsonObject();
        if (!body) return problemReply(body.error());
        auto codes = textList(*body, "codes");
        if (!codes) return problemReply(codes.error());
        recorded = call.desks.stocktakes.record(*id, {(*body)->optValue<std::string>("shelf", ""), *codes});
    }
    if (!recorded) return problemReply(recorded.error());
    Object::Ptr o = new Object;
    o->set("shelves", recorded->shelves);
    o->set("codes", recorded->codes);
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
    auto view = call.desks.stocktakes.report(*id);
    if (!view) return problemReply(view.error());
    const auto* take = &view->stocktake;
    const auto& report = view->report;
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
