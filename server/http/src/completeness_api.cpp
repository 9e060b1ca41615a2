// Completeness over HTTP: process rules, step events, expectations and the dashboard, reminders,
// contracts. Thin handlers: read the input, call one desk, shape the reply.
#include <Poco/String.h>

#include <sstream>

#include "dangan/desks/calendar.h"
#include "http_call.h"

namespace dangan::server {
namespace {

using Poco::Dynamic::Var;

Object::Ptr expectationJson(const ShownExpectation& shown) {
    const auto& e = shown.expectation;
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", e.id);
    o->set("account_no", e.accountNo);
    o->set("name", e.customerName);
    o->set("unit", e.unit);
    o->set("process_id", e.applicationNo);
    o->set("process", e.processType);
    o->set("step", e.step);
    o->set("doc_type", e.docType);
    o->set("mandatory", e.mandatory);
    o->set("staff", e.staff);
    o->set("step_completed_at", json::isoTime(e.stepCompletedAt));
    o->set("due_at", json::isoTime(e.dueAt));
    o->set("filed_at", optionalTime(e.filedAt));
    o->set("document_lineage", e.lineageId ? Var(*e.lineageId) : Var());
    o->set("state", std::string(stateName(shown.state)));
    if (e.waiverProposedAt || e.waivedAt) {
        Object::Ptr w = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        w->set("reason", e.waiverReason);
        w->set("proposed_by", e.waiverProposedBy);
        w->set("proposed_at", optionalTime(e.waiverProposedAt));
        w->set("confirmed_by", e.waivedBy);
        w->set("waived_at", optionalTime(e.waivedAt));
        o->set("waiver", w);
    }
    return o;
}

Object::Ptr clockJson(const storage::ProcessClock& k, std::int64_t now) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("process_id", k.applicationNo);
    o->set("process", k.processType);
    o->set("account_no", k.accountNo);
    o->set("name", k.customerName);
    o->set("unit", k.unit);
    o->set("team", k.team);
    o->set("step", k.step);
    o->set("from_step", k.fromStep);
    o->set("working_days", k.workingDays);
    o->set("started_at", json::isoTime(k.startedAt));
    o->set("yellow_at", json::isoTime(k.yellowAt));
    o->set("due_at", json::isoTime(k.dueAt));
    o->set("closed_at", optionalTime(k.closedAt));
    o->set("staff", k.staff);
    o->set("state", std::string(clockStateName(clockStateOf(k, now))));
    return o;
}

Array::Ptr clocksJson(const std::vector<storage::ProcessClock>& list, std::int64_t now) {
    Array::Ptr a = new Array;
    for (const auto& k : list) a->add(clockJson(k, now));
    return a;
}

Array::Ptr expectationsJson(const std::vector<ShownExpectation>& list) {
    Array::Ptr a = new Array;
    for (const auto& e : list) a->add(expectationJson(e));
    return a;
}

// ---- rules ----

Object::Ptr rulesJson(const storage::RulesVersion& v, const ProcessRules& rules) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("version", v.version);
    o->set("in_force_from", json::isoTime(v.inForceFrom));
    o->set("source", v.source);
    o->set("created_by", v.createdBy);
    Array::Ptr processes = new Array;
    for (const auto& p : rules.processes()) {
        Object::Ptr po = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        po->set("process", p.process);
        Array::Ptr steps = new Array;
        for (const auto& s : p.steps) {
            Object::Ptr so = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
            so->set("step", s.step);
            so->set("deadline_hours", s.deadlineHours);
            Array::Ptr docs = new Array;
            for (const auto& d : s.documents) {
                Object::Ptr d_ = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
                d_->set("doc_type", d.docType);
                d_->set("mandatory", d.mandatory);
                d_->set("retention", std::string(retentionName(d.retention)));
                docs->add(d_);
            }
            so->set("documents", docs);
            steps->add(so);
        }
        po->set("steps", steps);
        processes->add(po);
    }
    o->set("processes", processes);
    Object::Ptr weights = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    weights->set("timeliness", rules.weights().timeliness);
    weights->set("quality", rules.weights().quality);
    weights->set("deadlines", rules.weights().deadlines);
    o->set("weights", weights);
    o->set("text", v.text);
    return o;
}

Reply rulesVersionReply(Call& call, std::optional<int> number) {
    auto versions = call.desks.rules.versions();
    if (versions.empty()) return problemReply(ProblemCode::NotFound, "the archive has no rules");
    const storage::RulesVersion* chosen = &versions.back();
    if (number) {
        chosen = nullptr;
        for (const auto& v : versions)
            if (v.version == *number) chosen = &v;
        if (!chosen) return problemReply(ProblemCode::NotFound, "no rules version " + std::to_string(*number));
    }
    auto rules = call.desks.rules.version(chosen->version);
    if (!rules) return problemReply(ProblemCode::NotFound, "no rules version " + std::to_string(chosen->version));
    return jsonReply(200, rulesJson(*chosen, *rules));
}

Reply currentRules(Call& call) { return rulesVersionReply(call, std::nullopt); }

Reply rulesVersion(Call& call) {
    auto id = idParam(call, "id");
    if (!id) return problemReply(ProblemCode::BadRequest, "a rules version is a positive number");
    return rulesVersionReply(call, static_cast<int>(*id));
}

Reply listRulesVersions(Call& call) {
    Array::Ptr list = new Array;
    for (const auto& v : call.desks.rules.versions()) {
        Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("version", v.version);
        o->set("in_force_from", json::isoTime(v.inForceFrom));
        o->set("source", v.source);
        o->set("created_by", v.createdBy);
        list->add(o);
    }
    Object::Ptr o = new Object;
    o->set("versions", list);
    return jsonReply(200, o);
}

// The rules text as the body (text/plain or text/csv), or {"text": "..."}.
Reply installRules(Call& call) {
    std::string text;
    auto type = Poco::toLower(call.http.getContentType());
    if (type.starts_with("text/")) {
        auto body = call.body(call.limits.maxJsonBody);
        if (!body) return problemReply(body.error());
        text = *body;
    } else {
        auto body = call.jsonObject();
        if (!body) return problemReply(body.error());
        auto field = textField(*body, "text");
        if (!field) return problemReply(field.error());
        if (!*field) return problemReply(ProblemCode::BadRequest, "send the rules as text/plain, or as {\"text\": \"...\"}");
        text = **field;
    }
    auto installed = call.desks.rules.install(text, "api", call.actor());
    if (!installed) return problemReply(installed.error());
    auto reply = rulesVersionReply(call, installed->version);
    reply.status = 201;
    return reply;
}

// ---- events and expectations ----

Reply recordEvent(Call& call) {
    auto body = call.jsonObject();
    if (!body) return problemReply(body.error());
    StepReport report;
    for (auto [target, name] : {std::pair{&report.eventId, "event_id"}, {&report.accountNo, "account_no"},
                                {&report.processId, "process_id"}, {&report.process, "process"}, {&report.step, "step"},
                                {&report.completedAt, "completed_at"}, {&report.staff, "staff"}}) {
        auto value = (*body)->get(name);
        if (value.isEmpty()) continue;
        if (!value.isString() && !value.isInteger())
            return problemReply(ProblemCode::BadRequest, std::string(name) + " must be a string");
        *target = Poco::trim(value.convert<std::string>());
    }
    auto recorded = call.desks.completeness.record(report, call.actor());
    if (!recorded) return problemReply(recorded.error());
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("event_id", report.eventId);
    o->set("duplicate", recorded->duplicate);
    o->set("rules_version", recorded->rulesVersion);
    o->set("expectations", expectationsJson(recorded->expectations));
    return jsonReply(recorded->duplicate ? 200 : 201, o);
}

Reply listExpectations(Call& call) {
    auto text = [&](const char* name) -> std::optional<std::string> {
        auto v = call.query(name);
        return v.empty() ? std::nullopt : std::optional(v);
    };
    auto limit = positiveNumber(call.query("limit", "200"));
    if (!limit || *limit > 5000) return problemReply(ProblemCode::BadRequest, "limit must be from 1 to 5000");
    ExpectationFilter filter{call.query("account_no"), text("process_id"), text("unit"), text("process"), text("staff"),
                             call.query("signal"), static_cast<int>(*limit)};
    auto list = call.desks.completeness.expectations(filter);
    if (!list) return problemReply(list.error());
    recordView(call, "expectations.view", "expectations", call.uri.getRawQuery());
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("as_of", json::isoTime(list->asOf));
    o->set("expectations", expectationsJson(list->expectations));
    return jsonReply(200, o);
}

// {<key>: name (when given), green, yellow, red}: documents (SignalCounts) or processes (FlightCounts).
template <class Counts>
Object::Ptr signalsJson(const Counts& counts, const std::vector<std::pair<const char*, std::string>>& names) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [key, name] : names) o->set(key, name);
    o->set("green", counts.green);
    o->set("yellow", counts.yellow);
    o->set("red", counts.red);
    return o;
}

// [{<key>: name, green, yellow, red}] of a board's sums by one dimension.
template <class Counts>
Array::Ptr sumsJson(const std::map<std::string, Counts>& groups, const char* key) {
    Array::Ptr a = new Array;
    for (const auto& [name, counts] : groups) a->add(signalsJson(counts, {{key, name}}));
    return a;
}

Reply dashboard(Call& call) {
    auto board = call.desks.completeness.dashboard();
    Array::Ptr cells = new Array;
    for (const auto& c : board.cells) cells->add(signalsJson(c, {{"unit", c.unit}, {"process", c.processType}}));
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("as_of", json::isoTime(board.asOf));
    o->set("totals", signalsJson(board.totals, {}));
    o->set("by_unit", sumsJson(board.byUnit, "unit"));
    o->set("by_process", sumsJson(board.byProcess, "process"));
    o->set("cells", cells);
    return jsonReply(200, o);
}

Object::Ptr handOverJson(const storage::HandOverItem& h) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("document_id", h.documentId);
    o->set("account_no", h.accountNo);
    o->set("process", h.processType);
    o->set("process_id", h.applicationNo);
    o->set("doc_type", h.docType);
    o->set("archived_at", json::isoTime(h.archivedAt));
    return o;
}

Object::Ptr contractJson(const ContractWatch& w) {
    const auto& t = w.terms;
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("document_id", t.documentId);
    o->set("account_no", t.accountNo);
    o->set("name", t.customerName);
    o->set("unit", t.unit);
    o->set("doc_type", t.docType);
    o->set("contract_no", t.contractNo);
    o->set("signed_on", t.signedOn);
    o->set("expires_on", t.expiresOn);
    o->set("auto_renew", t.autoRenew);
    o->set("effective_expiry", w.effectiveExpiry);
    o->set("days_left", w.daysLeft ? Var(*w.daysLeft) : Var());
    o->set("status", w.status);
    o->set("staff", t.staff);
    o->set("source", t.source);
    return o;
}

Reply reminders(Call& call) {
    std::string staff = call.query("staff", call.user->username);
    auto found = call.desks.completeness.remindersFor(staff, *call.user);
    if (!found) return problemReply(found.error());
    const auto& r = *found;
    Object::Ptr counts = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    counts->set("to_add", static_cast<int>(r.toAdd.size()));
    counts->set("to_send", static_cast<int>(r.toSend.size()));
    counts->set("to_hand_over", static_cast<int>(r.toHandOver.size()));
    counts->set("files_to_hand_over", static_cast<int>(r.filesToHandOver.size()));
    counts->set("contracts", static_cast<int>(r.contracts.size()));
    counts->set("deadlines", static_cast<int>(r.deadlines.size()));
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("staff", staff);
    o->set("as_of", json::isoTime(r.asOf));
    o->set("counts", counts);
    o->set("to_add", expectationsJson(r.toAdd));
    Array::Ptr toSend = new Array, toHandOver = new Array, files = new Array, contracts = new Array;
    for (const auto& q : r.toSend) toSend->add(json::quality(q));
    for (const auto& h : r.toHandOver) toHandOver->add(handOverJson(h));
    for (const auto& h : r.filesToHandOver) files->add(handOverJson(h));
    for (const auto& c : r.contracts) contracts->add(contractJson(c));
    o->set("to_send", toSend);
    o->set("to_hand_over", toHandOver);
    o->set("files_to_hand_over", files);
    o->set("contracts", contracts);
    o->set("deadlines", clocksJson(r.deadlines, r.asOf));
    recordView(call, "reminders.view", "staff", staff);
    return jsonReply(200, o);
}

// ---- contracts ----

Reply listContracts(Call& call) {
    std::string status = call.query("status");
    auto found = call.desks.completeness.contractList(status);
    if (!found) return problemReply(found.error());
    Array::Ptr list = new Array;
    for (const auto& w : found->contracts) list->add(contractJson(w));
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("today", found->today);
    o->set("contracts", list);
    o->set("missing", expectationsJson(found->missing));
    recordView(call, "contracts.view", "contracts", status);
    return jsonReply(200, o);
}

Reply recordContract(Call& call) {
    auto input = idAndBody(call, "document");
    if (!input) return problemReply(input.error());
    auto& [id, body] = *input;
    storage::NewContractTerms terms;
    for (auto [target, name] : {std::pair{&terms.contractNo, "contract_no"}, {&terms.signedOn, "signed_on"},
                                {&terms.expiresOn, "expires_on"}}) {
        auto field = textField(body, name);
        if (!field) return problemReply(field.error());
        *target = Poco::trim(field->value_or(""));
    }
    if (body->has("auto_renew")) {
        auto renew = flag(body, "auto_renew");
        if (!renew) return problemReply(renew.error());
        terms.autoRenew = *renew;
    }
    auto recorded = call.desks.office.recordContract(id, terms, call.actor());
    if (!recorded) return problemReply(recorded.error());
    return jsonReply(200, contractJson(*recorded));
}

// GET /api/processes/{process_id}: the process and each step's documents and time limit.
Reply processReply(Call& call) {
    auto view = call.desks.completeness.process(call.params.at("process_id"));
    if (!view) return problemReply(view.error());
    const auto& r = view->record;
    std::int64_t now = call.desks.completeness.now();
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("process_id", r.applicationNo);
    o->set("process", r.processType);
    o->set("account_no", r.accountNo);
    o->set("name", r.customerName);
    o->set("unit", r.unit);
    o->set("started_at", json::isoTime(r.startedAt));
    o->set("rules_version", r.rulesVersion);
    o->set("state", view->state);
    o->set("signal", view->signal ? Var(std::string(signalName(*view->signal))) : Var());
    o->set("cancelled_at", optionalTime(r.cancelledAt));
    if (r.cancelledAt) o->set("cancel_reason", r.cancelReason);
    Array::Ptr steps = new Array;
    for (const auto& s : view->steps) {
        Object::Ptr so = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        so->set("step", s.step);
        so->set("completed_at", s.completed ? Var(json::isoTime(s.completed->completedAt)) : Var());
        so->set("staff", s.completed ? Var(s.completed->staff) : Var());
        so->set("limit", s.limit ? Var(clockJson(*s.limit, now)) : Var());
        so->set("documents", expectationsJson(s.documents));
        steps->add(so);
    }
    o->set("steps", steps);
    recordView(call, "process.view", "process", r.applicationNo);
    return jsonReply(200, o);
}

// POST /api/processes/{process_id}/cancel {"reason"}: when the marketing system cannot say so.
Reply cancelProcess(Call& call) {
    auto body = call.jsonObject();
    if (!body) return problemReply(body.error());
    auto reason = textField(*body, "reason");
    if (!reason) return problemReply(reason.error());
    auto waived = call.desks.completeness.cancel(call.params.at("process_id"), Poco::trim(reason->value_or("")), call.actor());
    if (!waived) return problemReply(waived.error());
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("process_id", call.params.at("process_id"));
    o->set("state", "cancelled");
    o->set("waived", *waived);
    return jsonReply(200, o);
}

// GET /api/process-board: processes in flight by their worst time limit.
Reply processBoard(Call& call) {
    auto board = call.desks.completeness.processBoard();
    Array::Ptr cells = new Array;
    for (const auto& c : board.cells)
        cells->add(signalsJson(c, {{"unit", c.unit}, {"process", c.processType}, {"team", c.team}}));
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("as_of", json::isoTime(board.asOf));
    o->set("totals", signalsJson(board.totals, {}));
    o->set("by_unit", sumsJson(board.byUnit, "unit"));
    o->set("by_process", sumsJson(board.byProcess, "process"));
    o->set("by_team", sumsJson(board.byTeam, "team"));
    o->set("cells", cells);
    return jsonReply(200, o);
}

// GET /api/time-limits?signal=&unit=&process=&team=&staff=&limit=: running time limits, most urgent first.
Reply timeLimits(Call& call) {
    auto text = [&](const char* name) -> std::optional<std::string> {
        auto v = call.query(name);
        return v.empty() ? std::nullopt : std::optional(v);
    };
    auto limit = positiveNumber(call.query("limit", "200"));
    if (!limit || *limit > 5000) return problemReply(ProblemCode::BadRequest, "limit must be from 1 to 5000");
    storage::ClockQuery q{.staff = text("staff"), .unit = text("unit"), .processType = text("process"), .team = text("team"),
                          .limit = static_cast<int>(*limit)};
    auto list = call.desks.completeness.timeLimits(q, call.query("signal"));
    if (!list) return problemReply(list.error());
    recordView(call, "time_limits.view", "time_limits", call.uri.getRawQuery());
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    std::int64_t now = call.desks.completeness.now();
    o->set("as_of", json::isoTime(now));
    o->set("time_limits", clocksJson(*list, now));
    return jsonReply(200, o);
}

// ---- waivers ----

Reply proposeWaiver(Call& call) {
    auto input = idAndBody(call, "expected document");
    if (!input) return problemReply(input.error());
    auto& [id, body] = *input;
    auto reason = textField(body, "reason");
    if (!reason) return problemReply(reason.error());
    auto e = call.desks.completeness.proposeWaiver(id, Poco::trim(reason->value_or("")), call.actor());
    if (!e) return problemReply(e.error());
    return jsonReply(200, expectationJson(*e));
}

Reply decideWaiver(Call& call) {
    auto input = idAndBody(call, "expected document");
    if (!input) return problemReply(input.error());
    auto& [id, body] = *input;
    auto confirmed = flag(body, "confirmed");
    if (!confirmed) return problemReply(confirmed.error());
    auto note = textField(body, "note");
    if (!note) return problemReply(note.error());
    auto e = call.desks.completeness.decideWaiver(id, *confirmed, Poco::trim(note->value_or("")), call.actor());
    if (!e) return problemReply(e.error());
    return jsonReply(200, expectationJson(*e));
}

Reply listWaivers(Call& call) {
    auto list = call.desks.completeness.waivers();
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("as_of", json::isoTime(list.asOf));
    o->set("proposed", expectationsJson(list.proposed));
    return jsonReply(200, o);
}

// ---- the working-day calendar ----

Reply calendarReply(Call& call) {
    Array::Ptr years = new Array;
    std::map<int, const storage::CalendarVersion*> newest;
    auto versions = call.desks.completeness.calendarVersions();
    for (const auto& v : versions) newest[v.year] = &v;
    for (const auto& [year, v] : newest) {
        Object::Ptr y = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        y->set("year", year);
        y->set("version", v->version);
        y->set("installed_at", json::isoTime(v->installedAt));
        y->set("installed_by", v->installedBy);
        y->set("text", v->text);
        years->add(y);
    }
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("years", years);
    return jsonReply(200, o);
}

// PUT /api/calendar/{year}: the year's holidays and adjusted working days, as text.
Reply installCalendar(Call& call) {
    auto year = idParam(call, "year");
    if (!year || *year < 2000 || *year > 2100) return problemReply(ProblemCode::BadRequest, "the year must be from 2000 to 2100");
    auto body = call.body(64 * 1024);
    if (!body) return problemReply(body.error());
    auto installed = call.desks.completeness.installCalendar(static_cast<int>(*year), *body, call.actor());
    if (!installed) return problemReply(installed.error());
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("year", installed->year);
    o->set("version", installed->version);
    return jsonReply(201, o);
}

// GET /api/processes/{process_id}/gate?step=: may the marketing system close the step?
Reply stepGate(Call& call) {
    auto gate = call.desks.completeness.gate(call.params.at("process_id"), call.query("step"), call.actor());
    if (!gate) return problemReply(gate.error());
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("process_id", gate->processId);
    o->set("step", gate->step);
    o->set("ready", gate->ready);
    Array::Ptr missing = new Array;
    for (const auto& m : gate->missing) {
        Object::Ptr item = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        item->set("doc_type", m.docType);
        item->set("state", m.state);
        missing->add(item);
    }
    o->set("missing", missing);
    return jsonReply(200, o);
}

}  // namespace

std::vector<RouteSpec> completenessRoutes() {
    using enum Permission;
    return {
        {"GET", "/api/rules", ReadRules, true, currentRules},
        {"PUT", "/api/rules", ManageRules, true, installRules},
        {"GET", "/api/rules/versions", ReadRules, true, listRulesVersions},
        {"GET", "/api/rules/versions/{id}", ReadRules, true, rulesVersion},
        {"POST", "/api/events", ReportEvents, true, recordEvent},
        {"GET", "/api/processes/{process_id}/gate", ReportEvents, true, stepGate},
        {"GET", "/api/processes/{process_id}", ReadArchive, true, processReply},
        {"POST", "/api/processes/{process_id}/cancel", CancelProcesses, true, cancelProcess},
        {"GET", "/api/process-board", ReadCompleteness, true, processBoard},
        {"GET", "/api/time-limits", ReadCompleteness, true, timeLimits},
        {"GET", "/api/waivers", ReadCompleteness, true, listWaivers},
        {"POST", "/api/expectations/{id}/waiver", CurateArchive, true, proposeWaiver},
        {"POST", "/api/expectations/{id}/waiver/decision", RunAudits, true, decideWaiver},
        {"GET", "/api/calendar", ReadRules, true, calendarReply},
        {"PUT", "/api/calendar/{year}", ManageRules, true, installCalendar},
        {"GET", "/api/expectations", ReadCompleteness, true, listExpectations},
        {"GET", "/api/dashboard", ReadCompleteness, true, dashboard},
        {"GET", "/api/reminders", SeeReminders, true, reminders},
        {"GET", "/api/contracts", ReadCompleteness, true, listContracts},
        {"PUT", "/api/documents/{id}/contract", CurateArchive, true, recordContract},
    };
}

}  // namespace dangan::server
