#include "dangan/desks/completeness_desk.h"

#include <algorithm>

#include "dangan/ocr/field_validation.h"
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
    if (*completedAt > storage::nowMillis() + kDayMs)
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
                        std::move(recorded.expectations)};
}

Reminders CompletenessDesk::reminders(const std::string& staff, std::int64_t now, int limit) {
    Reminders out;
    out.staff = staff;
    storage::ExpectationQuery open;
    open.staff = staff;
    open.openOnly = true;
    open.limit = limit;
    out.toAdd = stores_.completeness->expectations(open);
    for (const auto& e : out.toAdd)
        if (signalOf(e.dueAt, now) != Signal::Green && categoryOf(e.processType) == Category::Connection)
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

}  // namespace dangan::server
