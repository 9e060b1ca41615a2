#pragma once
// Every desk of the archive, as the HTTP layer is handed them: the archive's rules behind one
// door each, never the stores beneath them.

#include <cstdint>
#include <filesystem>
#include <functional>

#include "dangan/desks/audit_runner.h"
#include "dangan/desks/audit_trail.h"
#include "dangan/desks/authenticator.h"
#include "dangan/desks/batch_desk.h"
#include "dangan/desks/completeness_desk.h"
#include "dangan/desks/customer_file.h"
#include "dangan/desks/filing_desk.h"
#include "dangan/desks/lending_desk.h"
#include "dangan/desks/notification_desk.h"
#include "dangan/desks/office_desk.h"
#include "dangan/desks/page_renderings.h"
#include "dangan/desks/paper_desk.h"
#include "dangan/desks/printing_desk.h"
#include "dangan/desks/reading_desk.h"
#include "dangan/desks/rules_book.h"
#include "dangan/desks/stocktake_desk.h"
#include "dangan/desks/user_desk.h"

namespace dangan::server {

// Where uploads are staged while they arrive, how large one file may be, and the free space kept
// on the data folder's disk: an upload that would leave less is refused before a byte is written
// (507), and health says the disk is full (503).
struct UploadRoom {
    std::filesystem::path staging;
    std::uint64_t maxFileBytes = 0;
    std::uint64_t reserveBytes = 64ull << 20;
};

struct Desks {
    Authenticator& authenticator;
    UserDesk& users;
    AuditTrail& trail;
    CustomerFiles& customerFiles;
    PageRenderings& renderings;
    FilingDesk& filing;
    BatchDesk& batches;
    PrintingDesk& printing;
    ReadingDesk& reading;
    PaperDesk& paper;
    StocktakeDesk& stocktakes;
    LendingDesk& lending;
    RulesBook& rules;
    CompletenessDesk& completeness;
    OfficeDesk& office;
    AuditRunner& audits;
    NotificationDesk& notifications;
    UploadRoom uploads;
    std::function<int()> schemaVersion;  // of the archive's database (health)
};

}  // namespace dangan::server
