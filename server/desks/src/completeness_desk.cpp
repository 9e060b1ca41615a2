#include "dangan/desks/completeness_desk.h"

#include <algorithm>
#include <set>

#include "dangan/ocr/field_validation.h"
#include "dangan/desks/access.h"
#include "dangan/desks/calendar.h"
#include "dangan/desks/process_catalog.h"
#include "dangan/storage/database.h"

namespace dangan::server {

Signal signalOf(std::int64_t dueAt, std::int64_t now) {
    if (dueAt < now) return Signal::Red;
    if (dueAt < now + kYellowWindowMs) return Signal::Yellow;
    return Signal::Green;
}

std::string_view signalName(Signal signal) {
    switch (signal) {
        case Signal::Green: return "green";
        case Signal::Yellow: return "yellow";
        case Signal::Red: return "red";
    }
    return "red";
}

ExpectationState stateOf(const storage::Expectation& e, std::int64_t now) {
    if (e.filedAt) return *e.filedAt > e.dueAt ? ExpectationState::FiledLate : ExpectationState::Filed;
    if (e.waivedAt) return ExpectationState::Waived;
    switch (signalOf(e.dueAt, now)) {
        case Signal::Green: return ExpectationState::Green;
        case Signal::Yellow: return ExpectationState::Yellow;
        case Signal::Red: return ExpectationState::Red;
    }
    return ExpectationState::Red;
}

std::string_view stateName(ExpectationState state) {
    switch (state) {
        case ExpectationState::Filed: return "filed";
        case ExpectationState::FiledLate: return "filed_late";
        case ExpectationState::Waived: return "waived";
        case ExpectationState::Green: return "green";
        case ExpectationState::Yellow: return "yellow";
        case ExpectationState::Red: return "red";
    }
    return "red";
}

namespace {

std::vector<ShownExpectation> shown(std::vector<storage::Expectation> list, std::int64_t now) {
    std::vector<ShownExpectation> out;
    out.reserve(list.size());
    for (auto& e : list) {
        auto state = stateOf(e, now);
        out.push_back({std::move(e), state});
    }
    return out;
}

}  // namespace

const std::vector<std::string>& contractTypes() {
    static const std::vector<std::string> kTypes{"低压供用电合同", "高压供用电合同"};
    return kTypes;
}

ContractWatch watchContract(const storage::ContractTerms& terms, const std::string& today) {
    ContractWatch watch{terms, "unrecorded", "", std::nullopt};
    if (!isDate(terms.expiresOn)) return watch;
    std::string expiry = terms.expiresOn;
    if (terms.autoRenew && isDate(terms.signedOn)) {
        int term = std::max(1, daysBetween(terms.signedOn, terms.expiresOn));
        while (expiry < today) expiry = addDays(expiry, term);
    }
    watch.effectiveExpiry = expiry;
    int left = daysBetween(today, expiry);
    watch.daysLeft = left;
    watch.status = left < 0 ? "expired" : left <= 7 ? "warn" : left <= 30 ? "remind" : "valid";
    return watch;
}

namespace {

Outcome<std::string> required(const std::string& value, const char* name, std::size_t longest) {
    if (value.empty()) return fail(ProblemCode::BadRequest, std::string("field ") + name + " is required");
    if (value.size() > longest)
        return fail(ProblemCode::BadRequest, std::string("field ") + name + " is longer than " + std::to_string(longest) + " bytes");
    return value;
}

}  // namespace

Outcome<RecordedStep> CompletenessDesk::record(const StepReport& r, const storage::Actor& actor) {
    for (auto [value, name, longest] : {std::tuple{&r.eventId, "event_id", 128}, {&r.accountNo, "account_no", 32},
                                        {&r.processId, "process_id", 64}, {&r.process, "process", 64},
                                        {&r.step, "step", 64}, {&r.completedAt, "completed_at", 40},
                                        {&r.staff, "staff", 64}})
        if (auto ok = required(*value, name, static_cast<std::size_t>(longest)); !ok) return std::unexpected(ok.error());
    if (auto p = ocr::checkAccountNumber(r.accountNo)) return fail(ProblemCode::BadRequest, p->message);
    if (!processByName(r.process))
        return fail(ProblemCode::BadRequest, "unknown process '" + r.process + "' (GET /api/processes lists the known ones)");
    auto completedAt = storage::parseInstant(r.completedAt);
    if (!completedAt || r.completedAt.find('T') == std::string::npos)
        return fail(ProblemCode::BadRequest, "completed_at must be an ISO 8601 instant such as 2026-11-23T09:30:00+08:00");
    if (*completedAt > stores_.clock->nowMillis() + kDayMs)
        return fail(ProblemCode::BadRequest, "completed_at " + r.completedAt + " is in the future");
    auto customer = stores_.customers->findByAccountNo(r.accountNo);
    if (!customer) return fail(ProblemCode::Unprocessable, "no customer with account_no " + r.accountNo);

    storage::StepCompletion event{r.eventId, customer->id, customer->fields.unit, r.process, r.processId,
                                  r.step, *completedAt, r.staff, isCancellingStep(r.step)};
    auto needs = [&](int version) {
        std::vector<storage::RequiredAtStep> out;
        auto rules = rules_.version(version);
        const StepRule* step = rules ? rules->step(r.process, r.step) : nullptr;
        if (step)
            for (const auto& d : step->documents) out.push_back({d.docType, d.mandatory, step->deadlineHours});
        return out;
    };
    auto clocks = [&](int version) { return clocksStartedBy(version, r.process, r.step, *completedAt); };
    auto recorded = stores_.completeness->recordEvent(event, needs, clocks, actor);
    if (recorded.outcome == storage::EventOutcome::ProcessOfAnotherCustomer)
        return fail(ProblemCode::Conflict, "process_id " + r.processId + " belongs to another customer");
    return RecordedStep{recorded.outcome == storage::EventOutcome::Duplicate, recorded.rulesVersion,
                        shown(std::move(recorded.expectations), stores_.clock->nowMillis())};
}

Reminders CompletenessDesk::reminders(const std::string& staff, std::int64_t now, int limit) {
    Reminders out;
    out.staff = staff;
    out.asOf = now;
    storage::ExpectationQuery open;
    open.staff = staff;
    open.openOnly = true;
    open.limit = limit;
    out.toAdd = shown(stores_.completeness->expectations(open), now);
    out.deadlines = stores_.completeness->openClocks({.staff = staff, .yellowBy = now, .limit = limit});
    if (auto user = stores_.users->findByUsername(staff)) {
        out.toSend = stores_.office->atGate("self", user->id, limit);
        out.toHandOver = stores_.office->paperToHandOver(user->id, limit);
    }
    out.filesToHandOver = stores_.office->filesToHandOver(staff, limit);
    for (auto& watch : contracts(chinaDate(now), "", true))
        if (watch.terms.staff == staff && watch.status != "valid" && out.contracts.size() < static_cast<std::size_t>(limit))
            out.contracts.push_back(std::move(watch));
    return out;
}

std::vector<ContractWatch> CompletenessDesk::contracts(const std::string& today, const std::string& status,
                                                       bool recordedOnly) {
    std::vector<ContractWatch> out;
    for (const auto& terms : stores_.office->contracts(contractTypes(), recordedOnly)) {
        auto watch = watchContract(terms, today);
        if (status.empty() ? watch.status != "valid" : watch.status == status) out.push_back(std::move(watch));
    }
    std::sort(out.begin(), out.end(), [](const ContractWatch& a, const ContractWatch& b) {
        return a.daysLeft.value_or(-100000) < b.daysLeft.value_or(-100000);
    });
    return out;
}

Outcome<ExpectationList> CompletenessDesk::expectations(const ExpectationFilter& filter) {
    storage::ExpectationQuery q;
    if (!filter.accountNo.empty()) {
        auto customer = stores_.customers->findByAccountNo(filter.accountNo);
        if (!customer) return fail(ProblemCode::NotFound, "no customer with account_no " + filter.accountNo);
        q.customerId = customer->id;
    }
    q.applicationNo = filter.processId;
    q.unit = filter.unit;
    q.processType = filter.process;
    q.staff = filter.staff;
    std::int64_t now = stores_.clock->nowMillis();
    const auto& signal = filter.signal;
    if (!signal.empty()) {
        if (signal != "open" && signal != "red" && signal != "yellow" && signal != "green")
            return fail(ProblemCode::BadRequest, "signal must be open, red, yellow or green");
        q.openOnly = true;
        if (signal == "red") q.dueBefore = now;
        if (signal == "yellow") q.dueBefore = now + kYellowWindowMs;
    }
    if (filter.limit < 1 || filter.limit > 5000) return fail(ProblemCode::BadRequest, "limit must be from 1 to 5000");
    q.limit = filter.limit;
    auto list = shown(stores_.completeness->expectations(q), now);
    if (signal == "yellow" || signal == "green")
        std::erase_if(list, [&](const ShownExpectation& e) { return stateName(e.state) != signal; });
    return ExpectationList{now, std::move(list)};
}

Dashboard CompletenessDesk::dashboard() {
    Dashboard board;
    board.asOf = stores_.clock->nowMillis();
    for (auto& c : stores_.completeness->signalCounts(board.asOf, kYellowWindowMs)) {
        for (auto* sum : {&board.byUnit[c.unit], &board.byProcess[c.processType], &board.totals}) {
            sum->green += c.green;
            sum->yellow += c.yellow;
            sum->red += c.red;
        }
        board.cells.push_back(std::move(c));
    }
    return board;
}

Outcome<Reminders> CompletenessDesk::remindersFor(const std::string& staff, const storage::User& viewer) {
    if (staff != viewer.username && !allows(viewer, Permission::RunAudits))
        return fail(ProblemCode::Forbidden, "only auditors see another person's reminders");
    return reminders(staff, stores_.clock->nowMillis(), 200);
}

Outcome<ContractList> CompletenessDesk::contractList(const std::string& status) {
    static const std::set<std::string> kStatuses{"", "valid", "remind", "warn", "expired", "unrecorded"};
    if (!kStatuses.contains(status)) return fail(ProblemCode::BadRequest, "status must be valid, remind, warn, expired or unrecorded");
    std::int64_t now = stores_.clock->nowMillis();
    ContractList list;
    list.today = chinaDate(now);
    list.contracts = contracts(list.today, status);
    list.missing = shown(stores_.office->missingContracts(contractTypes(), now), now);
    return list;
}

Outcome<StepGate> CompletenessDesk::gate(const std::string& processId, const std::string& step, const storage::Actor& asker) {
    if (processId.empty() || processId.size() > 64) return fail(ProblemCode::BadRequest, "process_id is required (at most 64 bytes)");
    if (step.empty() || step.size() > 64) return fail(ProblemCode::BadRequest, "query parameter step is required");
    storage::ExpectationQuery q;
    q.applicationNo = processId;
    q.limit = 5000;
    auto expected = stores_.completeness->expectations(q);
    if (expected.empty()) return fail(ProblemCode::NotFound, "no process " + processId + " (no step of it has been reported)");
    StepGate gate{processId, step, false, {}};
    bool stepReported = false;
    for (const auto& e : expected) {
        if (e.step != step) continue;
        stepReported = true;
        if (!e.mandatory || e.waivedAt) continue;  // a waived document no longer holds the step
        if (!e.filedAt || !e.lineageId) {
            gate.missing.push_back({e.docType, "not_filed"});
            continue;
        }
        auto quality = stores_.office->quality(*e.lineageId);
        if (!quality || quality->gate == "self") gate.missing.push_back({e.docType, "not_checked"});
    }
    if (!stepReported) {
        const auto& processType = expected.front().processType;
        auto rules = rules_.current();
        const StepRule* rule = rules ? rules->step(processType, step) : nullptr;
        if (!rule) return fail(ProblemCode::BadRequest, "the rules give " + processType + " no step '" + step + "'");
        for (const auto& d : rule->documents)
            if (d.mandatory) gate.missing.push_back({d.docType, "not_filed"});
    }
    gate.ready = gate.missing.empty();
    if (!gate.ready) {
        std::string missing;
        for (const auto& m : gate.missing) missing += (missing.empty() ? "" : "、") + m.docType + "(" + m.state + ")";
        stores_.audit->append({{asker, "process.gate.refused", "process", processId,
                                storage::textFieldsJson({{"step", step}, {"missing", missing}})}});
    }
    return gate;
}

}  // namespace dangan::server

namespace dangan::server {

bool isCancellingStep(std::string_view step) { return step == "撤销" || step == "作废"; }

ClockState clockStateOf(const storage::ProcessClock& k, std::int64_t now) {
    if (k.outcome == "cancelled") return ClockState::Cancelled;
    if (k.closedAt) return *k.closedAt > k.dueAt ? ClockState::Late : ClockState::Done;
    if (k.dueAt < now) return ClockState::Red;
    if (k.yellowAt <= now) return ClockState::Yellow;
    return ClockState::Green;
}

std::string_view clockStateName(ClockState state) {
    switch (state) {
        case ClockState::Done: return "done";
        case ClockState::Late: return "late";
        case ClockState::Cancelled: return "cancelled";
        case ClockState::Green: return "green";
        case ClockState::Yellow: return "yellow";
        case ClockState::Red: return "red";
    }
    return "red";
}

std::vector<storage::ClockStart> CompletenessDesk::clocksStartedBy(int rulesVersion, const std::string& process,
                                                                   const std::string& step, std::int64_t at) {
    std::vector<storage::ClockStart> out;
    auto rules = rules_.version(rulesVersion);
    if (!rules) return out;
    auto calendar = calendar_.current();
    for (const auto& limit : rules->limitsStartedBy(process, step)) {
        auto times = calendar->limit(at, limit.workingDays, limit.yellowDays);
        out.push_back({limit.step, limit.fromStep, limit.workingDays, limit.yellowDays, times.yellowAt, times.dueAt});
    }
    return out;
}

Outcome<ProcessView> CompletenessDesk::process(const std::string& processId) {
    if (processId.empty() || processId.size() > 64) return fail(ProblemCode::BadRequest, "process_id is required (at most 64 bytes)");
    auto record = stores_.completeness->process(processId);
    if (!record) return fail(ProblemCode::NotFound, "no process " + processId + " (no step of it has been reported)");
    std::int64_t now = stores_.clock->nowMillis();
    ProcessView view;
    view.record = std::move(*record);
    const auto& r = view.record;
    auto stepView = [&](const std::string& name) -> ProcessStepView& {
        for (auto& s : view.steps)
            if (s.step == name) return s;
        view.steps.push_back({name, std::nullopt, std::nullopt, std::nullopt, {}});
        return view.steps.back();
    };
    // The rules' order first: document steps and timed steps as the rules give them.
    if (auto rules = rules_.version(r.rulesVersion))
        if (const ProcessRule* rule = rules->process(r.processType)) {
            for (const auto& s : rule->steps) (void)stepView(s.step);
            for (const auto& l : rule->limits) {
                (void)stepView(l.fromStep);
                (void)stepView(l.step);
            }
        }
    for (const auto& e : r.events)
        if (!stepView(e.step).completed) stepView(e.step).completed = e;
    for (const auto& e : r.expectations) stepView(e.step).documents.push_back({e, stateOf(e, now)});
    std::optional<ClockState> worst;
    for (const auto& k : r.clocks) {
        auto& s = stepView(k.step);
        s.limit = k;
        s.limitState = clockStateOf(k, now);
        if (*s.limitState == ClockState::Red || (*s.limitState == ClockState::Yellow && worst != ClockState::Red) ||
            (*s.limitState == ClockState::Green && !worst))
            worst = *s.limitState;
    }
    if (r.cancelledAt) {
        view.state = "cancelled";
    } else if (worst) {
        view.state = "in_flight";
        view.signal = *worst == ClockState::Red ? Signal::Red : *worst == ClockState::Yellow ? Signal::Yellow : Signal::Green;
    } else {
        bool open = std::any_of(r.expectations.begin(), r.expectations.end(), [](const storage::Expectation& e) {
            return e.mandatory && !e.filedAt && !e.waivedAt;
        });
        view.state = open ? "in_flight" : "completed";
    }
    return view;
}

ProcessBoard CompletenessDesk::processBoard() {
    ProcessBoard board;
    board.asOf = stores_.clock->nowMillis();
    for (auto& c : stores_.completeness->flightCounts(board.asOf)) {
        std::string team = c.team.empty() ? c.unit + "/（未分班组）" : c.unit + "/" + c.team;
        for (auto* sum : {&board.byUnit[c.unit], &board.byProcess[c.processType], &board.byTeam[team], &board.totals}) {
            sum->green += c.green;
            sum->yellow += c.yellow;
            sum->red += c.red;
        }
        board.cells.push_back(std::move(c));
    }
    for (auto& [name, sum] : board.byUnit) sum.unit = name;
    for (auto& [name, sum] : board.byProcess) sum.processType = name;
    for (auto& [name, sum] : board.byTeam) sum.team = name;
    return board;
}

Outcome<std::vector<storage::ProcessClock>> CompletenessDesk::timeLimits(storage::ClockQuery query, const std::string& signal) {
    std::int64_t now = stores_.clock->nowMillis();
    if (!signal.empty() && signal != "red" && signal != "yellow" && signal != "green")
        return fail(ProblemCode::BadRequest, "signal must be red, yellow or green");
    if (query.limit < 1 || query.limit > 5000) return fail(ProblemCode::BadRequest, "limit must be from 1 to 5000");
    // Each signal exactly, in the store, so that a long red list never crowds out the others.
    if (signal == "red") query.dueBefore = now;
    if (signal == "yellow") {
        query.yellowBy = now;
        query.dueFrom = now;
    }
    if (signal == "green") query.greenAt = now;
    return stores_.completeness->openClocks(query);
}

Outcome<int> CompletenessDesk::cancel(const std::string& processId, const std::string& reason, const storage::Actor& actor) {
    if (reason.empty() || reason.size() > 500) return fail(ProblemCode::BadRequest, "a cancellation needs a reason (at most 500 bytes)");
    auto existing = stores_.completeness->process(processId);
    if (!existing) return fail(ProblemCode::NotFound, "no process " + processId);
    if (existing->cancelledAt) return fail(ProblemCode::Conflict, "process " + processId + " is already cancelled");
    auto waived = stores_.completeness->cancelProcess(processId, "流程撤销：" + reason, actor);
    if (!waived) return fail(ProblemCode::NotFound, "no process " + processId);
    return *waived;
}

namespace {

Problem waiverProblem(storage::WaiverRefusal refusal, std::int64_t id) {
    using enum storage::WaiverRefusal;
    switch (refusal) {
        case NoSuchExpectation: return {ProblemCode::NotFound, "no expected document " + std::to_string(id), {}};
        case AlreadyFiled: return {ProblemCode::Conflict, "the document is filed already; a filed document is not waived", {}};
        case AlreadyWaived: return {ProblemCode::Conflict, "the document is waived already", {}};
        case NotProposed: return {ProblemCode::Conflict, "no waiver of this document has been proposed", {}};
        case AlreadyProposed: return {ProblemCode::Conflict, "a waiver of this document is already waiting for an auditor", {}};
        case OwnProposal:
            return {ProblemCode::Forbidden, "a waiver is confirmed by another person than the one who proposed it", {}};
    }
    return {ProblemCode::Conflict, "waiver refused", {}};
}

}  // namespace

Outcome<ShownExpectation> CompletenessDesk::proposeWaiver(std::int64_t id, const std::string& reason,
                                                          const storage::Actor& actor) {
    if (reason.empty() || reason.size() > 500) return fail(ProblemCode::BadRequest, "a waiver needs a reason (at most 500 bytes)");
    auto e = stores_.completeness->proposeWaiver(id, reason, actor);
    if (!e) return std::unexpected(waiverProblem(e.error(), id));
    return ShownExpectation{*e, stateOf(*e, stores_.clock->nowMillis())};
}

Outcome<ShownExpectation> CompletenessDesk::decideWaiver(std::int64_t id, bool confirmed, const std::string& note,
                                                         const storage::Actor& actor) {
    if (!confirmed && note.empty()) return fail(ProblemCode::BadRequest, "turning a waiver down needs a reason");
    if (note.size() > 500) return fail(ProblemCode::BadRequest, "note is longer than 500 bytes");
    auto e = stores_.completeness->decideWaiver(id, confirmed, note, actor);
    if (!e) return std::unexpected(waiverProblem(e.error(), id));
    return ShownExpectation{*e, stateOf(*e, stores_.clock->nowMillis())};
}

WaiverList CompletenessDesk::waivers() {
    std::int64_t now = stores_.clock->nowMillis();
    return {now, shown(stores_.completeness->proposedWaivers(500), now)};
}

Outcome<storage::CalendarVersion> CompletenessDesk::installCalendar(int year, const std::string& text,
                                                                    const storage::Actor& actor) {
    auto installed = calendar_.install(year, text, actor);
    if (!installed) return installed;
    auto calendar = calendar_.current();
    auto clocks = stores_.completeness->allOpenClocks();
    for (auto& k : clocks) {
        auto times = calendar->limit(k.startedAt, k.workingDays, k.yellowDays);
        k.yellowAt = times.yellowAt;
        k.dueAt = times.dueAt;
    }
    stores_.completeness->retimeClocks(clocks);
    return installed;
}

}  // namespace dangan::server
