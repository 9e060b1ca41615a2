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
                                  r.step, *completedAt, r.staff};
    auto needs = [&](int version) {
        std::vector<storage::RequiredAtStep> out;
        auto rules = rules_.version(version);
        const StepRule* step = rules ? rules->step(r.process, r.step) : nullptr;
        if (step)
            for (const auto& d : step->documents) out.push_back({d.docType, d.mandatory, step->deadlineHours});
        return out;
    };
    auto recorded = stores_.completeness->recordEvent(event, needs, actor);
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
    for (const auto& e : out.toAdd)
        if (e.state != ExpectationState::Green && categoryOf(e.expectation.processType) == Category::Connection)
            out.deadlines.push_back(e);
    if (auto user = stores_.users->findByUsername(staff)) {
        out.toSend = stores_.office->atGate("self", user->id, limit);
        out.toHandOver = stores_.office->paperToHandOver(user->id, limit);
    }
    out.filesToHandOver = stores_.office->filesToHandOver(staff, limit);
    for (auto& watch : contracts(chinaDate(now), ""))
        if (watch.terms.staff == staff && watch.status != "valid" && out.contracts.size() < static_cast<std::size_t>(limit))
            out.contracts.push_back(std::move(watch));
    return out;
}

std::vector<ContractWatch> CompletenessDesk::contracts(const std::string& today, const std::string& status) {
    std::vector<ContractWatch> out;
    for (const auto& terms : stores_.office->contracts(contractTypes())) {
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
        if (!e.mandatory) continue;
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
