#pragma once
// The archive in a data folder: the database (archive.db), the image store (images/), cached
// renderings (cache/), and the services over them. Opening a new folder creates all of it.

#include <filesystem>
#include <memory>

#include "dangan/scanner/page_image.h"
#include "dangan/print/printed_sheets.h"
#include "dangan/desks/audit_runner.h"
#include "dangan/desks/authenticator.h"
#include "dangan/desks/batch_desk.h"
#include "dangan/desks/reading_desk.h"
#include "dangan/desks/completeness_desk.h"
#include "dangan/desks/customer_file.h"
#include "dangan/desks/filing_desk.h"
#include "dangan/desks/lending_desk.h"
#include "dangan/desks/office_desk.h"
#include "dangan/desks/paper_desk.h"
#include "dangan/desks/page_renderings.h"
#include "dangan/desks/rules_book.h"
#include "dangan/desks/view_recorder.h"
#include "dangan/storage/database.h"
#include "dangan/storage/image_store.h"
#include "dangan/storage/stores.h"

#ifndef DANGAN_DEFAULT_RULES
#define DANGAN_DEFAULT_RULES "server/rules/process_rules.csv"
#endif

namespace dangan::server {

struct ArchiveOptions {
    std::filesystem::path dataDir = "data";
    int readerConnections = 20;                 // at least the number of HTTP worker threads
    scanner::ImageLimits imageLimits;
    barcode::ArchiveNumberRule numbering;       // 档号: the one place the numbering is configured
    std::chrono::milliseconds viewFlushInterval{200};
    scanner::CleanupOptions cleanup;
    int batchWorkers = 0;                       // page cleaners; 0: one per core
    barcode::PrintOptions printing;
    // The process rules: this file seeds an archive without rules; with installRules it is put
    // in force as a new version when it differs from the rules in force.
    std::filesystem::path rulesFile = DANGAN_DEFAULT_RULES;
    bool installRules = false;
    ReadingDeskOptions reading;                 // OCR: engines (0: one per core, -1: off), account form
};

class Archive {
public:
    // Throws storage::StorageError when the folder cannot be used, RulesFileError when the
    // rules file is bad.
    [[nodiscard]] static std::unique_ptr<Archive> open(const ArchiveOptions& options);

    [[nodiscard]] storage::Database& database() { return *database_; }
    [[nodiscard]] storage::Stores& stores() { return stores_; }
    [[nodiscard]] storage::ImageStore& images() { return *images_; }
    [[nodiscard]] ViewRecorder& views() { return *views_; }
    [[nodiscard]] Authenticator& authenticator() { return *authenticator_; }
    [[nodiscard]] FilingDesk& filingDesk() { return *filingDesk_; }
    [[nodiscard]] CustomerFiles& customerFiles() { return *customerFiles_; }
    [[nodiscard]] PageRenderings& renderings() { return *renderings_; }
    [[nodiscard]] BatchDesk& batchDesk() { return *batchDesk_; }
    [[nodiscard]] PaperDesk& paperDesk() { return *paperDesk_; }
    [[nodiscard]] LendingDesk& lendingDesk() { return *lendingDesk_; }
    [[nodiscard]] RulesBook& rules() { return *rules_; }
    [[nodiscard]] CompletenessDesk& completenessDesk() { return *completenessDesk_; }
    [[nodiscard]] OfficeDesk& officeDesk() { return *officeDesk_; }
    [[nodiscard]] AuditRunner& audits() { return *audits_; }
    [[nodiscard]] ReadingDesk& readingDesk() { return *readingDesk_; }
    [[nodiscard]] const ArchiveOptions& options() const { return options_; }

private:
    explicit Archive(ArchiveOptions options) : options_(std::move(options)) {}

    ArchiveOptions options_;
    std::unique_ptr<storage::Database> database_;
    storage::Stores stores_;
    std::unique_ptr<storage::ImageStore> images_;
    std::unique_ptr<ViewRecorder> views_;
    std::unique_ptr<Authenticator> authenticator_;
    std::unique_ptr<FilingDesk> filingDesk_;
    std::unique_ptr<CustomerFiles> customerFiles_;
    std::unique_ptr<PageRenderings> renderings_;
    std::unique_ptr<PaperDesk> paperDesk_;
    std::unique_ptr<LendingDesk> lendingDesk_;
    std::unique_ptr<RulesBook> rules_;
    std::unique_ptr<CompletenessDesk> completenessDesk_;
    std::unique_ptr<OfficeDesk> officeDesk_;
    std::unique_ptr<AuditRunner> audits_;
    std::unique_ptr<ReadingDesk> readingDesk_;
    std::unique_ptr<BatchDesk> batchDesk_;  // last: its workers stop before what they use goes
};

// `dangan verify`: checks the audit chain and every stored image against its hash.
struct VerifyReport {
    std::int64_t auditEntries = 0;
    std::optional<std::int64_t> firstBrokenAuditEntry;
    std::int64_t images = 0;
    std::vector<std::string> imageProblems;  // "<sha256>: missing" / "<sha256>: content changed"
    [[nodiscard]] bool ok() const { return !firstBrokenAuditEntry && imageProblems.empty(); }
};
[[nodiscard]] VerifyReport verifyArchive(Archive& archive);

// Contract terms read by OCR (contract number, signing and expiry dates) are recorded, with
// source "ocr", on the current contract documents showing the page, unless terms were recorded
// there already.
void feedContractTerms(const storage::StoredReading& reading, storage::Stores& stores, OfficeDesk& office);

}  // namespace dangan::server
