#pragma once
// Lending paper originals (借阅): a request names items and volumes by their codes, a purpose and
// the date wanted until; an approver who is not the requester approves it; the desk lends by
// scanning each item, renews within the purpose's limit, takes items back by scanning (an item
// must come back with every page), or records them lost. An item in one borrower's hands cannot
// be lent to another. Overdue loans are listed with an escalating reminder level.

#include <string>
#include <string_view>
#include <vector>

#include "dangan/desks/calendar.h"
#include "dangan/desks/paper_desk.h"
#include "dangan/desks/printing_desk.h"
#include "dangan/print/loan_papers.h"
#include "dangan/desks/problem.h"
#include "dangan/storage/stores.h"

namespace dangan::server {

struct LoanPurpose {
    std::string_view code;  // judicial, audit, business, other
    std::string_view name;  // 司法纠纷, ...
    int days = 0;           // loan period, and what each renewal adds
    int renewals = 0;       // renewals allowed
};

[[nodiscard]] const std::vector<LoanPurpose>& loanPurposes();
[[nodiscard]] const LoanPurpose* loanPurpose(std::string_view code);

// 1 for up to 6 days overdue, 2 up to 13, 3 from 14 on (escalating notices).
[[nodiscard]] int reminderLevel(int daysOverdue);

struct ReturnedItem {
    std::string code;
    std::optional<int> pages;  // counted at the desk; absent: counted complete
    std::string damage;
};

// A loan as its reader sees it on a given day.
struct LoanView {
    storage::Loan loan;
    std::string purposeName;   // 司法纠纷, ...
    int renewalsAllowed = 0;
    int overdueDays = 0;       // while lent past its due date
    std::optional<int> reminderLevel;
};

// Which loans a list shows; `overdue` means lent and past due.
enum class LoanFilter { All, Requested, Approved, Rejected, Lent, Closed, Overdue };
[[nodiscard]] std::optional<LoanFilter> loanFilterNamed(std::string_view name);  // "" is All

class LendingDesk {
public:
    LendingDesk(storage::Stores& stores, PaperDesk& paper, const print::PrintOptions& printing)
        : stores_(stores), paper_(paper), printing_(printing) {}

    // Keepers and approvers see every loan; everyone else only their own (others' are not found).
    [[nodiscard]] std::vector<LoanView> loans(LoanFilter filter, int limit, const storage::User& viewer);
    [[nodiscard]] Outcome<LoanView> loan(std::int64_t id, const storage::User& viewer);
    // A loan just changed (or read) as it stands today, for one who may see it.
    [[nodiscard]] LoanView view(storage::Loan loan);
    // The borrowing slip (借阅单), once the loan is approved.
    [[nodiscard]] Outcome<PrintedPaper> slip(std::int64_t id, const storage::User& by);
    // The overdue notice (催还通知) at the loan's reminder level; the reminder is recorded.
    [[nodiscard]] Outcome<PrintedPaper> overdueNotice(std::int64_t id, const storage::User& by);

    [[nodiscard]] Outcome<std::int64_t> request(const std::vector<std::string>& codes, const std::string& purpose,
                                                const std::string& until, const std::string& note,
                                                const storage::Actor& actor);
    [[nodiscard]] Outcome<storage::Loan> decide(std::int64_t id, bool approve, const std::string& reason,
                                                const storage::Actor& actor);
    [[nodiscard]] Outcome<storage::Loan> lend(std::int64_t id, const std::vector<std::string>& codes,
                                              const storage::Actor& actor);
    [[nodiscard]] Outcome<storage::Loan> renew(std::int64_t id, const storage::Actor& actor);
    [[nodiscard]] Outcome<storage::Loan> takeBack(std::int64_t id, const std::vector<ReturnedItem>& items,
                                                  const storage::Actor& actor);
    [[nodiscard]] Outcome<storage::Loan> reportLost(std::int64_t id, const std::vector<std::string>& codes,
                                                    const std::string& note, const storage::Actor& actor);

private:
    Outcome<storage::Loan> loanOrFail(std::int64_t id);
    // Why the thing is not in the archive's hands although its own code is not lent, if it is not.
    std::optional<std::string> heldElsewhere(const PaperThing& thing);
    Outcome<storage::Loan> after(std::int64_t id, const storage::LoanChange& change);

    [[nodiscard]] LoanView viewOf(storage::Loan loan, const std::string& today);
    [[nodiscard]] print::LoanPaper paperOf(const storage::Loan& loan, const storage::User& by);

    storage::Stores& stores_;
    PaperDesk& paper_;
    const print::PrintOptions& printing_;
};

}  // namespace dangan::server
