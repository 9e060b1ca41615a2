#pragma once
// What filing a document does for completeness, inside the filing's transaction (internal).

#include <cstdint>
#include <string>

#include "dangan/storage/completeness_stores.h"
#include "dangan/storage/database.h"

namespace dangan::storage {

struct FiledItem {
    std::int64_t customerId = 0;
    std::int64_t processId = 0;
    std::string processType;
    std::string applicationNo;   // empty: filed for the process type, not for one instance
    std::string docType;
    std::int64_t lineageId = 0;
    std::int64_t filedAt = 0;
    std::int64_t filerId = 0;
};

// An expectation's columns, read by readExpectation from column `at` on, over `expectations e`
// joined by kExpectationJoins.
inline constexpr const char* kExpectationColumns =
    "e.id, e.process_id, p.application_no, e.customer_id, c.account_no, c.name, e.process_type, e.unit,"
    " e.step, e.doc_type, e.mandatory, e.staff, e.step_completed_at, e.due_at, e.lineage_id, e.filed_at,"
    " e.waiver_reason, e.waiver_proposed_by, e.waiver_proposed_at, e.waived_by, e.waived_at";
inline constexpr const char* kExpectationJoins =
    " JOIN processes p ON p.id = e.process_id JOIN customers c ON c.id = e.customer_id ";
[[nodiscard]] Expectation readExpectation(const Statement& s, int at = 0);

// Meets the oldest open expectation the new item can meet: of its own process when it names one,
// else of any of the customer's processes of its type. Opens its quality state at self-check.
void settleFiledItem(Connection& c, const FiledItem& item);

}  // namespace dangan::storage
