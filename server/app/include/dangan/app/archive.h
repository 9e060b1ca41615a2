#pragma once
// The archive in a data folder, wired: the database (archive.db), the image store (images/),
// cached renderings (cache/), and every desk over them. Opening a new folder creates all of it.
// The one place where stores, clock and desks are put together.

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "dangan/desks/desks.h"
#include "dangan/desks/view_recorder.h"
#include "dangan/print/printed_sheets.h"
#include "dangan/scanner/page_image.h"
#include "dangan/storage/object_image_store.h"
#include "dangan/storage/clock.h"
#include "dangan/storage/database.h"
#include "dangan/storage/image_store.h"
#include "dangan/storage/stores.h"

namespace dangan::server {

struct ArchiveOptions {
    std::filesystem::path dataDir = "data";
    // Empty: the embedded SQLite database, dataDir/archive.db. Else a PostgreSQL server,
    // "postgresql://USER@HOST:PORT/DB", that several nodes share; dataDir then holds only this
    // node's caches and staging (and the image folder, when imagesUrl is empty).
    std::string databaseUrl;
    // Empty: the images are files under dataDir/images. Else an object store,
    // "s3://BUCKET?endpoint=http://HOST:PORT", with its credentials (from the environment or the
    // configuration, never the command line).
    std::string imagesUrl;
    storage::ObjectStoreCredentials objectCredentials;
    int readerConnections = 20;                 // at least the number of HTTP worker threads
    std::shared_ptr<const storage::Clock> clock;  // null: the system clock
    scanner::ImageLimits imageLimits;
    barcode::ArchiveNumberRule numbering;       // 档号: the one place the numbering is configured
    std::chrono::milliseconds viewFlushInterval{200};
    scanner::CleanupOptions cleanup;
    int batchWorkers = 0;                       // page cleaners; 0: one per core
    // false for a command that opens the archive beside a running server (`dangan verify`): no
    // batch is resumed, no reminder sent, nothing a crash left is cleared away.
    bool backgroundWork = true;
    // With several nodes on one PostgreSQL database, the node holding the lead runs the work that
    // must run once (see Database::tryLead); the others try to take the lead this often, and the
    // leader checks this often that it still holds it.
    std::chrono::milliseconds leadRetry{5000};
    // A batch or an audit is leased to the node doing it for this long, renewed every third of
    // it; the work of a node that died is taken over by another once the lease runs out.
    std::chrono::milliseconds workLease{60000};
    // Called (from a background thread) when this node lost the lead it held, its database
    // session gone: the node must stop, or two would do the same work. Null: only logged.
    std::function<void()> onLeadLost;
    std::chrono::milliseconds fullDiskRetry{30000};  // a batch that met a full disk tries again after this
    std::uint64_t diskReserveBytes = 64ull << 20;    // uploads refused when they would leave less free
    print::PrintOptions printing;
    // The process rules: this file seeds an archive without rules; with installRules it is put
    // in force as a new version when it differs from the rules in force.
    std::filesystem::path rulesFile = DANGAN_DEFAULT_RULES;
    // The working-day calendar's years shipped with dangan (a year the archive lacks is taken from here).
    std::filesystem::path calendarDir = DANGAN_DEFAULT_CALENDAR;
    bool installRules = false;
    ReadingDeskOptions reading;                 // OCR: engines (0: one per core, -1: off), account form
    SessionPolicy sessions;                     // a session's lifetime and idle timeout
    PasswordPolicy passwords;                   // what a new password must be
    std::chrono::days passwordMaxAge{0};        // 0: passwords do not expire
    // Reminders beyond the web: the daily run's hour, a mail relay and a webhook (each optional).
    struct Notify {
        int hour = 8, minute = 0;
        std::string smtpHost;                   // empty: no e-mail
        int smtpPort = 25;
        std::string mailFrom = "dangan@localhost";
        std::string webhookUrl;                 // empty: no webhook
        std::string webhookSecret;
        std::chrono::milliseconds tick{1000};
    } notify;
};

class Archive {
public:
    // Throws storage::StorageError when the folder cannot be used, RulesFileError when the
    // rules file is bad.
    [[nodiscard]] static std::unique_ptr<Archive> open(const ArchiveOptions& options);
    ~Archive();

    // What the HTTP layer is handed.
    [[nodiscard]] Desks& desks() { return *desks_; }
    // For the commands and background services of the application (verify, the hot folder).
    [[nodiscard]] storage::Stores& stores() { return stores_; }
    [[nodiscard]] storage::ImageStore& images() { return *images_; }
    [[nodiscard]] const storage::Clock& clock() const { return database_->clock(); }
    // What the database's check finds wrong (Database::integrityProblems); empty when it is whole.
    [[nodiscard]] std::vector<std::string> databaseProblems();
    [[nodiscard]] const ArchiveOptions& options() const { return options_; }
    // Appends the views still queued (before a shutdown).
    void flushViews() { views_->flush(); }
    // Runs `work` once this node leads the background work: now, if it does (always, on SQLite),
    // else from a background thread when it takes the lead. The hot folder starts this way.
    void whenLeading(std::function<void()> work);
    [[nodiscard]] bool leading();
    // Stops seeking (or checking) the lead: the first step of a shutdown.
    void stopSeekingLead() { leadership_ = {}; }

private:
    explicit Archive(ArchiveOptions options) : options_(std::move(options)) {}
    // Takes the lead now if no node holds it, else keeps trying in the background.
    void seekLead();
    void lead();

    ArchiveOptions options_;
    // This node's slot in its data folder (see Archive::open), held while the archive is open.
    std::shared_ptr<void> slot_;
    std::unique_ptr<storage::Database> database_;
    storage::Stores stores_;
    std::unique_ptr<storage::ImageStore> images_;
    std::unique_ptr<ViewRecorder> views_;
    std::unique_ptr<AuditTrail> trail_;
    std::unique_ptr<Authenticator> authenticator_;
    std::unique_ptr<UserDesk> users_;
    std::unique_ptr<FilingDesk> filingDesk_;
    std::unique_ptr<CustomerFiles> customerFiles_;
    std::unique_ptr<PageRenderings> renderings_;
    std::unique_ptr<PaperDesk> paperDesk_;
    std::unique_ptr<StocktakeDesk> stocktakes_;
    std::unique_ptr<LendingDesk> lendingDesk_;
    std::unique_ptr<RulesBook> rules_;
    std::unique_ptr<CalendarBook> calendar_;
    std::unique_ptr<PrintingDesk> printing_;
    std::unique_ptr<CompletenessDesk> completenessDesk_;
    std::unique_ptr<OfficeDesk> officeDesk_;
    std::unique_ptr<AuditRunner> audits_;
    std::unique_ptr<ReadingDesk> readingDesk_;
    std::unique_ptr<BatchDesk> batchDesk_;  // its workers stop before what they use goes
    std::unique_ptr<DeliveryChannel> mail_, webhook_;
    std::unique_ptr<NotificationDesk> notifications_;
    std::unique_ptr<Desks> desks_;
    std::mutex leadMutex_;
    bool leading_ = false;
    std::vector<std::function<void()>> onLead_;  // waiting for the lead
    std::jthread leadership_;                    // seeks, then keeps, the lead; stops first
};

// `dangan verify`: checks the audit chain and every stored image against its hash.
// The object store's credentials from the environment: DANGAN_S3_ACCESS_KEY and
// DANGAN_S3_SECRET_KEY, else AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
[[nodiscard]] storage::ObjectStoreCredentials objectStoreCredentialsFromEnvironment();

// Why `url` cannot be given as --database (not postgresql://…, or a password in it, where the
// command line would show it to every user of the machine); nothing when it can, or is empty.
[[nodiscard]] std::optional<std::string> databaseUrlProblem(const std::string& url);

struct VerifyReport {
    std::int64_t auditEntries = 0;
    std::optional<std::int64_t> firstBrokenAuditEntry;
    std::int64_t images = 0;
    std::vector<std::string> imageProblems;  // "<sha256>: missing" / "<sha256>: content changed"
    std::vector<std::string> databaseProblems;  // Archive::databaseProblems()
    [[nodiscard]] bool ok() const { return !firstBrokenAuditEntry && imageProblems.empty() && databaseProblems.empty(); }
};
[[nodiscard]] VerifyReport verifyArchive(Archive& archive);

}  // namespace dangan::server
