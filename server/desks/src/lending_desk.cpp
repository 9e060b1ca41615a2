#include "dangan/desks/lending_desk.h"

#include <algorithm>

#include <map>
#include <set>

#include "dangan/barcode/own_code.h"
#include "dangan/desks/access.h"
#include "dangan/print/loan_papers.h"

namespace dangan::server {

const std::vector<LoanPurpose>& loanPurposes() {
    static const std::vector<LoanPurpose> kPurposes{
        {"judicial", "司法纠纷", 90, 2},
        {"audit", "审计检查", 30, 1},
        {"business", "业务变更", 15, 1},
        {"other", "其他", 15, 1},
    };
    return kPurposes;
}

const LoanPurpose* loanPurpose(std::string_view code) {
    for (const auto& p : loanPurposes())
        if (p.code == code) return &p;
    return nullptr;
}

int reminderLevel(int daysOverdue) { return daysOverdue >= 14 ? 3 : daysOverdue >= 7 ? 2 : 1; }

Outcome<std::int64_t> LendingDesk::request(const std::vector<std::string>& codes, const std::string& purpose,
                                           const std::string& until, const std::string& note,
                                           const storage::Actor& actor) {
    const auto* rule = loanPurpose(purpose);
    if (!rule) return fail(ProblemCode::BadRequest, "purpose must be judicial, audit, business or other");
    if (!isDate(until)) return fail(ProblemCode::BadRequest, "until must be a date (YYYY-MM-DD)");
    std::string now = today(*stores_.clock);
    if (until < now) return fail(ProblemCode::BadRequest, "until " + until + " is in the past");
    if (daysBetween(now, until) > 365) return fail(ProblemCode::BadRequest, "until is more than a year away");
    if (codes.empty() || codes.size() > 50) return fail(ProblemCode::BadRequest, "items must name 1 to 50 barcodes");
    if (note.size() > 1000) return fail(ProblemCode::BadRequest, "note is longer than 1000 bytes");
    std::vector<storage::NewLoanItem> items;
    std::set<std::string> seen;
    for (const auto& scanned : codes) {
        auto thing = paper_.resolve(scanned);
        if (!thing) return std::unexpected(thing.error());
        if (thing->kind != PaperKind::Item && thing->kind != PaperKind::Volume)
            return fail(ProblemCode::BadRequest, thing->code + " is a " + std::string(paperKindName(thing->kind)) +
                                                     ": only items and volumes are lent");
        if (!seen.insert(thing->code).second) return fail(ProblemCode::BadRequest, thing->code + " is named twice");
        // The loan names whose paper it is: an item's label is its archive number and type alone.
        std::string label = thing->kind == PaperKind::Item && thing->customer
                                ? thing->customer->fields.name + "（" + thing->customer->fields.accountNo + "）" + thing->label
                                : thing->label;
        items.push_back({thing->code, std::string(paperKindName(thing->kind)), label, thing->pages});
    }
    return stores_.loans->request(purpose, until, note, items, actor);
}

Outcome<storage::Loan> LendingDesk::loanOrFail(std::int64_t id) {
    auto loan = stores_.loans->loan(id);
    if (!loan) return fail(ProblemCode::NotFound, "no loan " + std::to_string(id));
    return *loan;
}

Outcome<storage::Loan> LendingDesk::after(std::int64_t id, const storage::LoanChange& change) {
    using storage::LoanRefusal;
    if (!change.refusal) return loanOrFail(id);
    switch (*change.refusal) {
        case LoanRefusal::NotFound:
            return fail(ProblemCode::NotFound, "no loan " + std::to_string(id));
        case LoanRefusal::WrongState: {
            auto loan = stores_.loans->loan(id);
            return fail(ProblemCode::Conflict, "loan " + std::to_string(id) + " is " + (loan ? loan->state : "gone") +
                                                   ": that cannot be done now");
        }
        case LoanRefusal::ItemNotInLoan:
            return fail(ProblemCode::Conflict, change.code + " is not waiting to be lent on loan " + std::to_string(id));
        case LoanRefusal::ItemNotLent:
            return fail(ProblemCode::Conflict, change.code + " is not out on loan " + std::to_string(id));
        case LoanRefusal::AlreadyOut:
            return fail(ProblemCode::Conflict, change.code + " is already out on loan " +
                                                   std::to_string(change.otherLoan.value_or(0)) + ": it cannot be lent twice");
    }
    return fail(ProblemCode::Conflict, "refused");
}

Outcome<storage::Loan> LendingDesk::decide(std::int64_t id, bool approve, const std::string& reason,
                                           const storage::Actor& actor) {
    auto loan = loanOrFail(id);
    if (!loan) return loan;
    if (actor.userId && loan->requestedBy == *actor.userId)
        return fail(ProblemCode::Forbidden, "you requested loan " + std::to_string(id) +
                                                ": another approver must decide it (separation of duties)");
    if (!approve && reason.empty()) return fail(ProblemCode::BadRequest, "a reason is required to reject a loan");
    return after(id, stores_.loans->decide(id, approve, reason, actor));
}

Outcome<storage::Loan> LendingDesk::lend(std::int64_t id, const std::vector<std::string>& codes,
                                         const storage::Actor& actor) {
    auto loan = loanOrFail(id);
    if (!loan) return loan;
    if (codes.empty()) return fail(ProblemCode::BadRequest, "items must name the barcodes scanned at the desk");
    const auto* rule = loanPurpose(loan->purpose);
    std::string due = std::min(loan->wantedUntil, addDays(today(*stores_.clock), rule ? rule->days : 15));
    std::vector<std::string> trimmed;
    for (const auto& code : codes) {
        auto thing = paper_.resolve(code);
        if (!thing) return std::unexpected(thing.error());
        // Paper bound together goes out together: an item of a volume that is out, or a volume
        // with one of its items out, is not in the archive's hands to lend.
        if (auto out = heldElsewhere(*thing))
            return fail(ProblemCode::Conflict, thing->code + " cannot be lent: " + *out);
        trimmed.push_back(thing->code);
    }
    return after(id, stores_.loans->lend(id, trimmed, due, actor));
}

std::optional<std::string> LendingDesk::heldElsewhere(const PaperThing& thing) {
    if (thing.kind == PaperKind::Item) {
        auto item = stores_.paper->item(thing.lineageId);
        auto container = item ? stores_.paper->container(item->containerId) : std::nullopt;
        if (container && container->kind == "volume")
            if (auto out = stores_.loans->out(containerCode(*container)))
                return "its volume " + containerCode(*container) + " is out on loan " + std::to_string(out->loanId);
    } else if (thing.kind == PaperKind::Volume && thing.container) {
        std::vector<std::string> codes;
        for (const auto& item : stores_.paper->itemsIn(thing.container->id))
            codes.push_back(barcode::ownCodeText(barcode::OwnCodeKind::Document, std::to_string(item.lineageId)));
        auto out = stores_.loans->outAmong(codes);
        if (!out.empty())
            return "its item " + out.begin()->first + " is out on loan " + std::to_string(out.begin()->second.loanId);
    }
    return std::nullopt;
}

Outcome<storage::Loan> LendingDesk::renew(std::int64_t id, const storage::Actor& actor) {
    auto loan = loanOrFail(id);
    if (!loan) return loan;
    if (loan->state != "lent") return fail(ProblemCode::Conflict, "loan " + std::to_string(id) + " is " + loan->state + ", not lent");
    const auto* rule = loanPurpose(loan->purpose);
    int allowed = rule ? rule->renewals : 0;
    if (loan->renewals >= allowed)
        return fail(ProblemCode::Conflict, "loan " + std::to_string(id) + " has been renewed " + std::to_string(loan->renewals) +
                                               " time(s), the most its purpose allows (" + std::to_string(allowed) + ")");
    std::string from = std::max(loan->dueOn, today(*stores_.clock));
    return after(id, stores_.loans->renew(id, addDays(from, rule ? rule->days : 15), actor));
}

Outcome<storage::Loan> LendingDesk::takeBack(std::int64_t id, const std::vector<ReturnedItem>& items,
                                             const storage::Actor& actor) {
    auto loan = loanOrFail(id);
    if (!loan) return loan;
    if (items.empty()) return fail(ProblemCode::BadRequest, "items must name the barcodes scanned at the desk");
    std::vector<storage::LoanStore::Returned> returned;
    for (const auto& r : items) {
        auto thing = paper_.resolve(r.code);
        if (!thing) return std::unexpected(thing.error());
        auto item = std::find_if(loan->items.begin(), loan->items.end(), [&](const auto& i) { return i.code == thing->code; });
        if (item == loan->items.end()) return fail(ProblemCode::Conflict, thing->code + " is not on loan " + std::to_string(id));
        int pages = r.pages.value_or(item->pages);
        if (pages != item->pages)
            return fail(ProblemCode::Conflict, thing->code + " (" + item->label + ") comes back with " + std::to_string(pages) +
                                                   " of its " + std::to_string(item->pages) +
                                                   " pages: it stays on loan until it is complete, or is reported lost");
        if (r.damage.size() > 500) return fail(ProblemCode::BadRequest, "damage is longer than 500 bytes");
        returned.push_back({thing->code, pages, r.damage});
    }
    return after(id, stores_.loans->takeBack(id, returned, actor));
}

Outcome<storage::Loan> LendingDesk::reportLost(std::int64_t id, const std::vector<std::string>& codes,
                                               const std::string& note, const storage::Actor& actor) {
    if (codes.empty()) return fail(ProblemCode::BadRequest, "items must name the lost barcodes");
    if (note.empty() || note.size() > 500) return fail(ProblemCode::BadRequest, "a note (at most 500 bytes) must say what happened");
    std::vector<std::string> trimmed;
    for (const auto& code : codes) {
        auto thing = paper_.resolve(code);
        if (!thing) return std::unexpected(thing.error());
        trimmed.push_back(thing->code);
    }
    return after(id, stores_.loans->reportLost(id, trimmed, note, actor));
}

// ---- what readers see ----

std::optional<LoanFilter> loanFilterNamed(std::string_view name) {
    static const std::map<std::string_view, LoanFilter> kFilters{
        {"", LoanFilter::All},         {"requested", LoanFilter::Requested}, {"approved", LoanFilter::Approved},
        {"rejected", LoanFilter::Rejected}, {"lent", LoanFilter::Lent},     {"closed", LoanFilter::Closed},
        {"overdue", LoanFilter::Overdue}};
    auto found = kFilters.find(name);
    if (found == kFilters.end()) return std::nullopt;
    return found->second;
}

namespace {

bool seesEveryLoan(const storage::User& user) {
    return allows(user, Permission::KeepPaper) || allows(user, Permission::ApproveLoan);
}

std::string stateFilter(LoanFilter filter) {
    switch (filter) {
        case LoanFilter::Requested: return "requested";
        case LoanFilter::Approved: return "approved";
        case LoanFilter::Rejected: return "rejected";
        case LoanFilter::Lent: return "lent";
        case LoanFilter::Closed: return "closed";
        case LoanFilter::All:
        case LoanFilter::Overdue: break;
    }
    return "";
}

}  // namespace

LoanView LendingDesk::view(storage::Loan loan) { return viewOf(std::move(loan), today(*stores_.clock)); }

LoanView LendingDesk::viewOf(storage::Loan loan, const std::string& now) {
    LoanView view;
    const auto* rule = loanPurpose(loan.purpose);
    view.purposeName = rule ? std::string(rule->name) : loan.purpose;
    view.renewalsAllowed = rule ? rule->renewals : 0;
    if (loan.state == "lent" && loan.dueOn < now) {
        view.overdueDays = daysBetween(loan.dueOn, now);
        view.reminderLevel = reminderLevel(view.overdueDays);
    }
    view.loan = std::move(loan);
    return view;
}

std::vector<LoanView> LendingDesk::loans(LoanFilter filter, int limit, const storage::User& viewer) {
    // One day for the whole list: the clock is read once.
    std::string now = today(*stores_.clock);
    auto loans = filter == LoanFilter::Overdue ? stores_.loans->overdue(now) : stores_.loans->loans(stateFilter(filter), limit);
    bool all = seesEveryLoan(viewer);
    std::vector<LoanView> views;
    for (auto& l : loans)
        if (all || l.requestedBy == viewer.id) views.push_back(viewOf(std::move(l), now));
    return views;
}

Outcome<LoanView> LendingDesk::loan(std::int64_t id, const storage::User& viewer) {
    auto loan = stores_.loans->loan(id);
    if (!loan || (!seesEveryLoan(viewer) && loan->requestedBy != viewer.id)) return fail(ProblemCode::NotFound, "no loan " + std::to_string(id));
    return view(std::move(*loan));
}

print::LoanPaper LendingDesk::paperOf(const storage::Loan& l, const storage::User& by) {
    static const std::map<std::string, std::string> kItemStates{
        {"requested", "待借出"}, {"lent", "借出中"}, {"returned", "已归还"}, {"lost", "遗失"}};
    print::LoanPaper paper;
    paper.loanNo = std::to_string(l.id);
    paper.borrower = l.requestedByName;
    const auto* rule = loanPurpose(l.purpose);
    paper.purpose = rule ? std::string(rule->name) : l.purpose;
    paper.wantedUntil = l.wantedUntil;
    paper.approvedBy = l.approvedByName;
    paper.lentOn = l.lentAt ? chinaDate(*l.lentAt) : "";
    paper.dueOn = l.dueOn;
    paper.renewals = l.renewals;
    paper.note = l.note;
    for (const auto& i : l.items) paper.items.push_back({i.code, i.label, i.pages, kItemStates.contains(i.state) ? kItemStates.at(i.state) : i.state});
    paper.printedBy = printerName(by);
    paper.printedAt = chinaMinute(stores_.clock->nowMillis());
    return paper;
}

Outcome<PrintedPaper> LendingDesk::slip(std::int64_t id, const storage::User& by) {
    auto loan = this->loan(id, by);
    if (!loan) return std::unexpected(loan.error());
    const auto& l = loan->loan;
    if (l.state == "requested" || l.state == "rejected")
        return fail(ProblemCode::Conflict, "loan " + std::to_string(l.id) + " is " + l.state + ": a slip is printed once it is approved");
    return printed(print::loanSlipPdf(paperOf(l, by), printing_), "loan-" + std::to_string(l.id) + ".pdf");
}

Outcome<PrintedPaper> LendingDesk::overdueNotice(std::int64_t id, const storage::User& by) {
    auto loan = this->loan(id, by);
    if (!loan) return std::unexpected(loan.error());
    if (!loan->reminderLevel) return fail(ProblemCode::Conflict, "loan " + std::to_string(id) + " is not overdue");
    auto paper = paperOf(loan->loan, by);
    paper.daysOverdue = loan->overdueDays;
    paper.reminderLevel = *loan->reminderLevel;
    auto notice = printed(print::overdueNoticePdf(paper, printing_), "overdue-" + std::to_string(id) + ".pdf");
    stores_.loans->recordReminder(id, paper.reminderLevel, {by.id, by.username});
    return notice;
}

}  // namespace dangan::server
