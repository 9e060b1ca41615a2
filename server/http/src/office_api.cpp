// The audit office over HTTP: the quality gates, audits and their reports, spot checks,
// rectification orders, monthly rates and scores. Thin handlers: read the input, call one desk,
// shape the reply.
#include <Poco/String.h>

#include <Poco/URI.h>
#include <csv.h>

#include <sstream>

#include <Poco/Net/HTMLForm.h>

#include "http_call.h"
#include "upload_parts.h"

namespace dangan::server {
namespace {

using Poco::Dynamic::Var;

// ---- quality gates ----

Reply reviewQueue(Call& call) {
    std::string gate = call.query("gate", "self");
    auto queue = gateQueueNamed(gate);
    if (!queue) return problemReply(ProblemCode::BadRequest, "gate must be self, collect or collected");
    Array::Ptr list = new Array;
    for (const auto& q : call.desks.office.atGate(*queue, *call.user)) list->add(json::quality(q));
    Object::Ptr o = new Object;
    o->set("gate", gate);
    o->set("documents", list);
    return jsonReply(200, o);
}

Reply reviewDocument(Call& call) {
    auto input = idAndBody(call, "document");
    if (!input) return problemReply(input.error());
    auto& [id, body] = *input;
    auto gate = textField(body, "gate");
    auto reason = textField(body, "reason");
    for (const auto* f : {&gate, &reason})
        if (!*f) return problemReply(f->error());
    auto passed = flag(body, "passed");
    if (!passed) return problemReply(passed.error());
    auto named = gateNamed(gate->value_or(""));
    if (!named) return problemReply(ProblemCode::BadRequest, "gate must be self, collect or audit");
    auto verdict = call.desks.office.review(id, *named, *passed, Poco::trim(reason->value_or("")), *call.user);
    if (!verdict) return problemReply(verdict.error());
    return jsonReply(200, json::quality(*verdict));
}

// ---- audits ----

Object::Ptr auditJson(Call& call, const storage::AuditRecord& a) {
    Object::Ptr filter = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [name, value] : a.filter) filter->set(name, value);
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", a.id);
    o->set("state", a.state);
    o->set("progress", optionalNumber(a.state == "done" ? std::optional(1.0) : call.desks.audits.progress(a.id)));
    o->set("filter", filter);
    o->set("as_of", json::isoTime(a.asOf));
    o->set("requested_at", json::isoTime(a.requestedAt));
    o->set("requested_by", a.requestedBy);
    o->set("finished_at", optionalTime(a.finishedAt));
    Object::Ptr totals = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    if (const auto& t = a.totals)
        for (const auto& [key, value] : {std::pair{"customers", t->customers}, {"processes", t->processes}, {"expected", t->expected},
                                         {"on_time", t->onTime}, {"late", t->late}, {"missing", t->missing}, {"pending", t->pending},
                                         {"waived", t->waived}})
            totals->set(key, value);
    o->set("totals", totals);
    o->set("error", a.error);
    if (!a.error.empty()) o->set("error_zh", plainChinese(a.error, 0));
    return o;
}

Reply requestAudit(Call& call) {
    auto body = call.jsonObject();
    if (!body) return problemReply(body.error());
    AuditFilter filter;
    auto value = (*body)->get("filter");
    if (!value.isEmpty()) {
        if (value.type() != typeid(Object::Ptr)) return problemReply(ProblemCode::BadRequest, "filter must be an object");
        for (const auto& [name, v] : *value.extract<Object::Ptr>()) {
            if (!v.isString()) return problemReply(ProblemCode::BadRequest, "filter." + name + " must be a string");
            filter[name] = v.convert<std::string>();
        }
    }
    auto id = call.desks.audits.request(filter, call.actor());
    if (!id) return problemReply(id.error());
    return outcomeReply(202, call.desks.audits.audit(*id), [&](const storage::AuditRecord& a) { return auditJson(call, a); });
}

Reply listAudits(Call& call) {
    Array::Ptr list = new Array;
    for (const auto& a : call.desks.audits.audits(50)) list->add(auditJson(call, a));
    Object::Ptr o = new Object;
    o->set("audits", list);
    return jsonReply(200, o);
}

Object::Ptr findingJson(const storage::AuditFinding& f) {
    const auto& e = f.expectation;
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("seq", f.seq);
    o->set("account_no", e.accountNo);
    o->set("name", e.customerName);
    o->set("unit", e.unit);
    o->set("process_id", e.applicationNo);
    o->set("process", e.processType);
    o->set("step", e.step);
    o->set("doc_type", e.docType);
    o->set("kind", f.kind);
    if (f.kind == "waived") o->set("waiver_reason", e.waiverReason);
    o->set("staff", e.staff);
    o->set("due_at", json::isoTime(e.dueAt));
    o->set("filed_at", optionalTime(e.filedAt));
    return o;
}

Outcome<storage::AuditRecord> auditOf(Call& call) {
    auto id = idParam(call, "id");
    if (!id) return fail(ProblemCode::NotFound, "no such audit");
    return call.desks.audits.audit(*id);
}

Reply getAudit(Call& call) {
    auto audit = auditOf(call);
    if (!audit) return problemReply(audit.error());
    auto offset = call.query("offset", "0");
    auto limit = positiveNumber(call.query("limit", "1000"));
    std::int64_t from = offset == "0" ? 0 : positiveNumber(offset).value_or(-1);
    if (from < 0) return problemReply(ProblemCode::BadRequest, "offset must be a finding number");
    if (!limit || *limit > 10000) return problemReply(ProblemCode::BadRequest, "limit must be from 1 to 10000");
    auto o = auditJson(call, *audit);
    Array::Ptr findings = new Array;
    std::int64_t last = from;
    auto found = call.desks.audits.findings(audit->id, from, static_cast<int>(*limit));
    if (!found) return problemReply(found.error());
    for (const auto& f : *found) {
            findings->add(findingJson(f));
            last = f.seq;
        }
    o->set("findings", findings);
    o->set("next_offset", static_cast<std::int64_t>(findings->size()) == *limit ? Var(last) : Var());
    recordView(call, "audit.view", "audit", std::to_string(audit->id));
    return jsonReply(200, o);
}

// A CSV field, quoted (by libcsv) only when it holds a separator, a quote or a line break.
std::string csvField(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string out(text.size() * 2 + 2, '\0');
    out.resize(csv_write(out.data(), out.size(), text.data(), text.size()));
    return out;
}

Reply auditCsv(Call& call) {
    auto audit = auditOf(call);
    if (!audit) return problemReply(audit.error());
    if (audit->state != "done") return problemReply(ProblemCode::Conflict, "audit " + std::to_string(audit->id) + " is " + audit->state + ", not done");
    std::string out = "\xEF\xBB\xBF";  // a BOM, so that spreadsheet programs read the Chinese as UTF-8
    // Read by people in a spreadsheet: Chinese headers and values, times in China (YYYY-MM-DD HH:MM).
    out += "序号,户号,户名,供电单位,申请编号,业务类型,环节,资料,问题,责任人,归档时限,归档时间,豁免理由\r\n";
    static const std::map<std::string, std::string> kKinds{{"missing", "缺失"}, {"late", "逾期归档"}, {"waived", "已豁免"}};
    std::int64_t from = 0;
    for (;;) {
        auto page = call.desks.audits.findings(audit->id, from, 5000);
        if (!page) return problemReply(page.error());
        if (page->empty()) break;
        for (const auto& f : *page) {
            const auto& e = f.expectation;
            auto kind = kKinds.find(f.kind);
            for (const auto& field : {std::to_string(f.seq), e.accountNo, e.customerName, e.unit, e.applicationNo,
                                      e.processType, e.step, e.docType, kind == kKinds.end() ? f.kind : kind->second, e.staff,
                                      chinaMinute(e.dueAt), e.filedAt ? chinaMinute(*e.filedAt) : std::string(),
                                      e.waivedAt ? e.waiverReason : std::string()})
                out += csvField(field) + ",";
            out.back() = '\r';
            out += "\n";
            from = f.seq;
        }
    }
    recordView(call, "audit.export", "audit", std::to_string(audit->id));
    Reply r{200, "text/csv; charset=utf-8", std::move(out), {}};
    std::string name = "稽查问题清单-" + std::to_string(audit->id) + ".csv", encoded;
    Poco::URI::encode(name, "", encoded);
    r.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"audit-" + std::to_string(audit->id) + ".csv\"; filename*=UTF-8''" + encoded);
    return r;
}

Reply auditPdf(Call& call) {
    auto id = idParam(call, "id");
    if (!id) return problemReply(ProblemCode::NotFound, "no such audit");
    auto report = call.desks.audits.report(*id, *call.user);
    if (report) recordView(call, "audit.report", "audit", std::to_string(*id));
    return pdfReply(report);
}

// ---- spot checks ----

Object::Ptr spotCheckJson(const storage::SpotCheck& s) {
    Poco::JSON::Parser parser;
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", s.id);
    o->set("seed", s.seed);
    o->set("per_unit", s.perUnit);
    o->set("filter", parser.parse(s.filter));
    o->set("created_at", json::isoTime(s.createdAt));
    o->set("created_by", s.createdBy);
    Array::Ptr items = new Array;
    for (const auto& i : s.items) {
        Object::Ptr io = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        io->set("seq", i.seq);
        io->set("document_id", i.documentId);
        io->set("unit", i.unit);
        io->set("account_no", i.accountNo);
        io->set("doc_type", i.docType);
        io->set("filer", i.filer);
        io->set("outcome", i.outcome);
        io->set("reason", i.reason);
        items->add(io);
    }
    o->set("items", items);
    return o;
}

Reply drawSpotCheck(Call& call) {
    auto body = call.jsonObject();
    if (!body) return problemReply(body.error());
    auto seed = (*body)->get("seed");
    auto perUnit = (*body)->get("per_unit");
    if (seed.isEmpty() || !seed.isInteger()) return problemReply(ProblemCode::BadRequest, "seed must be a whole number");
    if (!perUnit.isEmpty() && !perUnit.isInteger()) return problemReply(ProblemCode::BadRequest, "per_unit must be a whole number");
    auto from = textField(*body, "from");
    auto to = textField(*body, "to");
    for (const auto* f : {&from, &to})
        if (!*f) return problemReply(f->error());
    auto id = call.desks.office.drawSpotCheck(seed.convert<std::uint64_t>(), perUnit.isEmpty() ? 5 : perUnit.convert<int>(),
                                                      from->value_or(""), to->value_or(""), call.actor());
    if (!id) return problemReply(id.error());
    return outcomeReply(201, call.desks.office.spotCheck(*id), spotCheckJson);
}

Reply getSpotCheck(Call& call) {
    auto id = idParam(call, "id");
    if (!id) return problemReply(ProblemCode::NotFound, "no such spot check");
    auto check = call.desks.office.spotCheck(*id);
    if (!check) return problemReply(check.error());
    recordView(call, "spot_check.view", "spot_check", std::to_string(check->id));
    return jsonReply(200, spotCheckJson(*check));
}

Reply checkSpotItem(Call& call) {
    auto id = idParam(call, "id");
    auto seq = idParam(call, "seq");
    if (!id || !seq) return problemReply(ProblemCode::BadRequest, "spot check and item must be positive numbers");
    auto body = call.jsonObject();
    if (!body) return problemReply(body.error());
    auto passed = flag(*body, "passed");
    if (!passed) return problemReply(passed.error());
    auto reason = textField(*body, "reason");
    if (!reason) return problemReply(reason.error());
    auto days = (*body)->get("days");
    if (!days.isEmpty() && !days.isInteger()) return problemReply(ProblemCode::BadRequest, "days must be a whole number");
    auto verdict = call.desks.office.checkSpotItem(*id, *seq, *passed, Poco::trim(reason->value_or("")),
                                                          days.isEmpty() ? 7 : days.convert<int>(), call.actor());
    if (!verdict) return problemReply(verdict.error());
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("seq", verdict->item.seq);
    o->set("outcome", verdict->item.outcome);
    o->set("rectification_id", verdict->rectificationId ? Var(*verdict->rectificationId) : Var());
    return jsonReply(200, o);
}

// ---- rectification ----

Object::Ptr rectificationJson(const storage::Rectification& r, bool overdue, const std::vector<storage::EvidencePage>& evidence) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", r.id);
    o->set("source", r.source);
    o->set("source_ref", r.sourceRef);
    o->set("account_no", r.accountNo);
    o->set("unit", r.unit);
    o->set("description", r.description);
    o->set("owner", r.owner);
    o->set("due_on", r.dueOn);
    o->set("state", r.state);
    o->set("overdue", overdue);
    o->set("raised_at", json::isoTime(r.raisedAt));
    o->set("raised_by", r.raisedBy);
    o->set("rectified_at", optionalTime(r.rectifiedAt));
    o->set("rectified_note", r.rectifiedNote);
    o->set("closed_at", optionalTime(r.closedAt));
    Array::Ptr pages = new Array;
    for (const auto& page : evidence) {
        Object::Ptr p = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        p->set("seq", page.seq);
        p->set("media_type", page.mediaType);
        p->set("bytes", static_cast<Poco::UInt64>(page.bytes));
        p->set("added_at", json::isoTime(page.addedAt));
        p->set("added_by", page.addedBy);
        p->set("url", "/api/rectifications/" + std::to_string(r.id) + "/evidence/" + std::to_string(page.seq));
        pages->add(p);
    }
    o->set("evidence", pages);
    return o;
}

Reply rectificationReply(Call& call, int status, const Outcome<storage::Rectification>& order) {
    if (!order) return problemReply(order.error());
    return jsonReply(status, rectificationJson(*order, call.desks.office.overdue(*order), call.desks.office.evidence(order->id)));
}

Reply raiseRectification(Call& call) {
    auto body = call.jsonObject();
    if (!body) return problemReply(body.error());
    auto text = [&](const char* name) -> Outcome<std::string> {
        auto f = textField(*body, name);
        if (!f) return std::unexpected(f.error());
        return Poco::trim(f->value_or(""));
    };
    auto owner = text("owner"), dueOn = text("due_on"), description = text("description"), accountNo = text("account_no");
    for (const auto* f : {&owner, &dueOn, &description, &accountNo})
        if (!*f) return problemReply(f->error());
    Outcome<std::int64_t> id;
    if ((*body)->has("audit_id")) {
        auto audit = (*body)->get("audit_id"), finding = (*body)->get("finding");
        if (!audit.isInteger() || finding.isEmpty() || !finding.isInteger())
            return problemReply(ProblemCode::BadRequest, "audit_id and finding must be whole numbers");
        id = call.desks.office.raiseForFinding(audit.convert<std::int64_t>(), finding.convert<std::int64_t>(),
                                                       *owner, *dueOn, call.actor());
    } else {
        id = call.desks.office.raiseManual(*accountNo, *description, *owner, *dueOn, call.actor());
    }
    if (!id) return problemReply(id.error());
    return rectificationReply(call, 201, call.desks.office.rectification(*id));
}

Reply listRectifications(Call& call) {
    std::optional<std::string> state, owner;
    if (auto s = call.query("state"); !s.empty()) state = s;
    if (auto o = call.query("owner"); !o.empty()) owner = o;
    auto orders = call.desks.office.rectifications(state, owner, *call.user);
    if (!orders) return problemReply(orders.error());
    Array::Ptr list = new Array;
    for (const auto& r : *orders) list->add(rectificationJson(r.order, r.overdue, call.desks.office.evidence(r.order.id)));
    Object::Ptr o = new Object;
    o->set("rectifications", list);
    return jsonReply(200, o);
}

// {"note"} as JSON, or multipart: a field "note" and evidence pages (scanned images) in parts named "files".
Reply markRectified(Call& call) {
    if (Poco::toLower(call.http.getContentType()).starts_with("multipart/form-data")) {
        auto id = idParam(call, "id");
        if (!id) return problemReply(ProblemCode::BadRequest, "an order id is a positive number");
        Poco::Net::HTMLForm form;
        auto uploads = readScanUpload(call, form);
        if (!uploads) return problemReply(uploads.error());
        return rectificationReply(call, 200, call.desks.office.markRectified(*id, Poco::trim(form.get("note", "")),
                                                                             std::move(*uploads), *call.user));
    }
    auto input = idAndBody(call, "order");
    if (!input) return problemReply(input.error());
    auto note = textField(input->body, "note");
    if (!note) return problemReply(note.error());
    return rectificationReply(call, 200, call.desks.office.markRectified(input->id, Poco::trim(note->value_or("")), {}, *call.user));
}

// GET /api/rectifications/{id}/evidence/{seq}: one evidence page (the owner's and auditors'), viewed on the record.
Reply evidencePage(Call& call) {
    auto id = idParam(call, "id");
    auto seq = idParam(call, "seq");
    if (!id || !seq) return problemReply(ProblemCode::BadRequest, "an order id and a page number are positive numbers");
    auto page = call.desks.office.evidencePage(*id, static_cast<int>(*seq), *call.user);
    if (!page) return problemReply(page.error());
    Reply r{200, page->first.mediaType, std::move(page->second), {}};
    r.headers.emplace_back("Cache-Control", "private, no-store");
    recordView(call, "rectification.evidence.view", "rectification", std::to_string(*id) + "/" + std::to_string(*seq));
    return r;
}

Reply verifyRectification(Call& call) {
    auto input = idAndBody(call, "order");
    if (!input) return problemReply(input.error());
    auto verified = flag(input->body, "verified");
    if (!verified) return problemReply(verified.error());
    auto note = textField(input->body, "note");
    if (!note) return problemReply(note.error());
    return rectificationReply(call, 200, call.desks.office.verify(input->id, *verified, Poco::trim(note->value_or("")), call.actor()));
}

std::string thisMonth(Call& call) { return call.desks.office.thisMonth(); }

Reply officeRatesReply(Call& call) {
    auto rates = call.desks.office.rates(call.query("month", thisMonth(call)));
    if (!rates) return problemReply(rates.error());
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("month", rates->month);
    o->set("raised", rates->raised);
    o->set("completed", rates->completed);
    o->set("rectified", rates->rectified);
    o->set("overdue", rates->overdue);
    o->set("open_at_start", rates->openAtStart);
    o->set("open_at_end", rates->openAtEnd);
    o->set("completion_rate", optionalNumber(rates->completionRate));
    o->set("rectification_rate", optionalNumber(rates->rectificationRate));
    o->set("overdue_rate", optionalNumber(rates->overdueRate));
    o->set("completeness_at_start", rates->completenessAtStart);
    o->set("completeness_at_end", rates->completenessAtEnd);
    o->set("indicator_change", optionalNumber(rates->indicatorChange));
    o->set("cumulative_completion", optionalNumber(rates->cumulativeCompletion));
    return jsonReply(200, o);
}

Reply scoresReply(Call& call) {
    std::string by = call.query("by", "staff");
    if (by != "staff" && by != "team" && by != "unit") return problemReply(ProblemCode::BadRequest, "by must be staff, team or unit");
    std::string month = call.query("month", thisMonth(call));
    auto rules = call.desks.rules.current();
    auto scores = call.desks.office.scores(month, by == "unit" ? ScoreBy::Unit : by == "team" ? ScoreBy::Team : ScoreBy::Person,
                                           rules ? rules->weights() : ScoreWeights{});
    if (!scores) return problemReply(scores.error());
    Array::Ptr list = new Array;
    for (const auto& s : *scores) {
        Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("rank", s.rank);
        o->set("name", s.name);
        o->set("score", s.score);
        o->set("timeliness", s.timeliness);
        o->set("quality", s.quality);
        o->set("deadlines", s.deadlines);
        o->set("due", s.tally.due);
        o->set("on_time", s.tally.onTime);
        o->set("overdue", s.tally.overdue);
        o->set("reviewed", s.tally.reviewed);
        o->set("rejected", s.tally.rejected);
        o->set("timed_steps", s.tally.timedSteps);
        o->set("timed_in_time", s.tally.timedInTime);
        o->set("orders_due", s.ordersDue);
        o->set("orders_overdue", s.ordersOverdue);
        list->add(o);
    }
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("month", month);
    o->set("by", by);
    o->set("scores", list);
    return jsonReply(200, o);
}

}  // namespace

std::vector<RouteSpec> officeRoutes() {
    using enum Permission;
    return {
        {"GET", "/api/reviews", ReadArchive, true, reviewQueue},
        {"POST", "/api/documents/{id}/reviews", ReadArchive, true, reviewDocument},
        {"POST", "/api/audits", RunAudits, true, requestAudit},
        {"GET", "/api/audits", RunAudits, true, listAudits},
        {"GET", "/api/audits/{id}", RunAudits, true, getAudit},
        {"GET", "/api/audits/{id}/report.csv", RunAudits, true, auditCsv},
        {"GET", "/api/audits/{id}/report.pdf", RunAudits, true, auditPdf},
        {"POST", "/api/spot-checks", RunAudits, true, drawSpotCheck},
        {"GET", "/api/spot-checks/{id}", RunAudits, true, getSpotCheck},
        {"POST", "/api/spot-checks/{id}/items/{seq}", RunAudits, true, checkSpotItem},
        {"POST", "/api/rectifications", RunAudits, true, raiseRectification},
        {"GET", "/api/rectifications", ReadArchive, true, listRectifications},
        {"POST", "/api/rectifications/{id}/rectified", ReadArchive, true, markRectified},
        {"GET", "/api/rectifications/{id}/evidence/{seq}", ReadArchive, true, evidencePage},
        {"POST", "/api/rectifications/{id}/verify", RunAudits, true, verifyRectification},
        {"GET", "/api/rates", RunAudits, true, officeRatesReply},
        {"GET", "/api/scores", RunAudits, true, scoresReply},
    };
}

}  // namespace dangan::server
