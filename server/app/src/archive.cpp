#include "dangan/app/archive.h"

#include "dangan/notify/channels.h"

#include <Poco/Logger.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <tuple>

namespace dangan::server {
namespace fs = std::filesystem;

namespace {

// Several nodes on one machine may share a data folder (and so its image folder). Each running
// node holds the lock of one slot of the folder, the lowest free: its name among the nodes and its
// staging folder are its slot's, so two live nodes never take each other for one (and never
// resume each other's batches or empty each other's staging), and a node started again takes
// the slot it had. Returns the slot's number (1 for the first) and the lock, released when it goes.
std::pair<int, std::shared_ptr<void>> takeNodeSlot(const fs::path& dataDir) {
    for (int slot = 1; slot <= 64; ++slot) {
        fs::path lock = dataDir / ("node-" + std::to_string(slot) + ".lock");
        int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) throw storage::StorageError("cannot open " + lock.string() + ": " + std::strerror(errno));
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return {slot, std::shared_ptr<void>(nullptr, [fd](void*) { ::close(fd); })};
        ::close(fd);
    }
    throw storage::StorageError("64 nodes already run on the data folder " + dataDir.string());
}

}  // namespace

std::unique_ptr<Archive> Archive::open(const ArchiveOptions& options) {
    std::error_code ec;
    fs::create_directories(options.dataDir, ec);
    if (ec) throw storage::StorageError("cannot create data folder " + options.dataDir.string() + ": " + ec.message());
    // The folder is its owner's alone, also when it was made before (by hand, or by an older dangan).
    fs::permissions(options.dataDir, fs::perms::owner_all, fs::perm_options::replace, ec);
    if (ec) throw storage::StorageError("cannot restrict the data folder " + options.dataDir.string() + ": " + ec.message());
    std::unique_ptr<Archive> a(new Archive(options));
    // A command opening the archive beside a running node (verify) takes no slot: it claims no work.
    int slot = 1;
    if (options.backgroundWork) std::tie(slot, a->slot_) = takeNodeSlot(options.dataDir);
    const std::string slotSuffix = slot == 1 ? "" : "-" + std::to_string(slot);
    storage::DatabaseOptions db;
    db.path = options.dataDir / "archive.db";
    db.url = options.databaseUrl;
    db.readers = options.readerConnections;
    db.clock = options.clock ? options.clock : storage::systemClock();
    a->database_ = storage::Database::open(db);
    a->stores_ = storage::makeSqlStores(*a->database_);
    auto& stores = a->stores_;
    const auto& clock = a->database_->clock();
    if (options.imagesUrl.empty())
        a->images_ = std::make_unique<storage::FileImageStore>(options.dataDir / "images", options.backgroundWork, "tmp" + slotSuffix);
    else
        a->images_ = std::make_unique<storage::ObjectImageStore>(storage::parseObjectStoreUrl(options.imagesUrl),
                                                                 options.objectCredentials, options.dataDir / ("images-staging" + slotSuffix),
                                                                 options.backgroundWork);
    a->views_ = std::make_unique<ViewRecorder>(*stores.audit, clock, options.viewFlushInterval, 1000);
    a->trail_ = std::make_unique<AuditTrail>(*stores.audit, *a->views_);
    a->authenticator_ = std::make_unique<Authenticator>(*stores.users, *stores.audit, clock, options.sessions, LockoutPolicy{},
                                                       options.passwordMaxAge);
    a->users_ = std::make_unique<UserDesk>(*stores.users, options.passwords);
    a->rules_ = std::make_unique<RulesBook>(*stores.completeness);
    a->rules_->load(options.rulesFile, options.installRules);
    a->calendar_ = std::make_unique<CalendarBook>(*stores.completeness);
    a->calendar_->load(options.calendarDir);
    a->filingDesk_ = std::make_unique<FilingDesk>(*stores.customers, *stores.documents, *a->images_, clock, options.imageLimits,
                                                  options.numbering, std::bind_front(&RulesBook::retentionOf, a->rules_.get()));
    a->paperDesk_ = std::make_unique<PaperDesk>(stores);
    a->customerFiles_ = std::make_unique<CustomerFiles>(stores, *a->images_, *a->paperDesk_);
    a->renderings_ = std::make_unique<PageRenderings>(*a->images_, options.dataDir / "cache");
    a->stocktakes_ = std::make_unique<StocktakeDesk>(stores);
    a->lendingDesk_ = std::make_unique<LendingDesk>(stores, *a->paperDesk_, a->options_.printing);
    a->printing_ = std::make_unique<PrintingDesk>(stores, *a->rules_, clock, options.printing);
    a->completenessDesk_ = std::make_unique<CompletenessDesk>(stores, *a->rules_, *a->calendar_);
    a->officeDesk_ = std::make_unique<OfficeDesk>(stores, *a->images_);
    // This node's name among the nodes of one archive: its host, data folder and slot in it, the
    // same across its restarts, so that it takes up again the pages, batches and audits it had in hand.
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    const std::string node = std::string(host) + ":" + fs::absolute(options.dataDir).lexically_normal().string() +
                             (slot == 1 ? "" : "#" + std::to_string(slot));
    const storage::WorkClaim claim{node, options.workLease};
    a->audits_ = std::make_unique<AuditRunner>(*stores.completeness, *stores.leases, claim, clock, a->options_.printing);
    ReadingDeskOptions reading = options.reading;
    if (reading.node.empty()) reading.node = node;
    a->readingDesk_ = std::make_unique<ReadingDesk>(stores, *a->images_, reading,
                                                    std::bind_front(&OfficeDesk::recordReadTerms, a->officeDesk_.get()));
    a->batchDesk_ = std::make_unique<BatchDesk>(
        stores, *a->images_,
        BatchDeskOptions{options.batchWorkers, options.imageLimits, options.cleanup, options.numbering, a->readingDesk_.get(),
                         std::bind_front(&RulesBook::requiresDocument, a->rules_.get()),
                         std::bind_front(&RulesBook::retentionOf, a->rules_.get()), options.fullDiskRetry, claim});
    NotificationOptions notify;
    notify.hour = options.notify.hour;
    notify.minute = options.notify.minute;
    notify.tick = options.notify.tick;
    if (!options.notify.smtpHost.empty()) {
        a->mail_ = std::make_unique<notify::MailRelay>(
            notify::MailRelayOptions{options.notify.smtpHost, options.notify.smtpPort, options.notify.mailFrom});
        notify.email = a->mail_.get();
    }
    if (!options.notify.webhookUrl.empty()) {
        a->webhook_ = std::make_unique<notify::Webhook>(
            notify::WebhookOptions{options.notify.webhookUrl, options.notify.webhookSecret});
        notify.webhook = a->webhook_.get();
    }
    a->notifications_ = std::make_unique<NotificationDesk>(stores, *a->completenessDesk_, notify);
    a->desks_.reset(new Desks{*a->authenticator_, *a->users_, *a->trail_, *a->customerFiles_, *a->renderings_, *a->filingDesk_,
                              *a->batchDesk_, *a->printing_, *a->readingDesk_, *a->paperDesk_, *a->stocktakes_,
                              *a->lendingDesk_, *a->rules_, *a->completenessDesk_, *a->officeDesk_, *a->audits_,
                              *a->notifications_, UploadRoom{a->images_->stagingDirectory(), options.imageLimits.maxBytes, options.diskReserveBytes},
                              [db = a->database_.get()] { return db->schemaVersion(); }});
    if (options.backgroundWork) {
        // This node's batches and audits that a stop cut off, and those of nodes that died (their
        // leases run out); then the work that runs on one node at a time: the reminders.
        a->batchDesk_->takeUpWork();
        a->audits_->takeUpWork();
        a->onLead_.push_back([n = a->notifications_.get()] { n->start(); });
        a->seekLead();
    }
    return a;
}

void Archive::seekLead() {
    if (database_->tryLead()) {
        lead();
        // One SQLite file has one server: its lead is never contested, never lost.
        if (database_->dialect() == storage::Dialect::Sqlite) return;
    }
    leadership_ = std::jthread([this](std::stop_token stop) {
        auto& log = Poco::Logger::get("dangan");
        std::mutex m;
        std::condition_variable_any wake;
        auto pause = [&] {
            std::unique_lock lock(m);
            return !wake.wait_for(lock, stop, options_.leadRetry, [] { return false; });
        };
        while (!stop.stop_requested()) {
            if (!leading()) {
                if (database_->tryLead()) {
                    log.information("this node now leads the background work (the hot folder, the reminders)");
                    lead();
                }
            } else if (!database_->stillLeading()) {
                log.error("this node lost the lead of the background work (its database session ended); it stops");
                if (options_.onLeadLost) options_.onLeadLost();
                return;
            }
            if (!pause()) return;
        }
    });
}

void Archive::lead() {
    std::vector<std::function<void()>> work;
    {
        std::lock_guard lock(leadMutex_);
        leading_ = true;
        work.swap(onLead_);
    }
    for (auto& w : work) w();
}

bool Archive::leading() {
    std::lock_guard lock(leadMutex_);
    return leading_;
}

void Archive::whenLeading(std::function<void()> work) {
    {
        std::lock_guard lock(leadMutex_);
        if (!leading_) {
            onLead_.push_back(std::move(work));
            return;
        }
    }
    work();
}

// The background workers (batches, then OCR, then audits) stop before the stores they use go.
Archive::~Archive() {
    leadership_ = {};  // requests the stop and joins
    desks_.reset();
    notifications_.reset();
    batchDesk_.reset();
    readingDesk_.reset();
    audits_.reset();
}

std::vector<std::string> Archive::databaseProblems() {
    return database_->integrityProblems();
}

std::optional<std::string> databaseUrlProblem(const std::string& url) {
    if (url.empty()) return std::nullopt;
    if (!url.starts_with("postgresql://") && !url.starts_with("postgres://"))
        return "--database must name a PostgreSQL server: postgresql://USER@HOST:PORT/DB";
    auto authority = url.substr(url.find("//") + 2);
    authority = authority.substr(0, authority.find_first_of("/?"));
    auto at = authority.rfind('@');
    if ((at != std::string::npos && authority.substr(0, at).find(':') != std::string::npos) ||
        url.find("password=") != std::string::npos)
        return "the database password does not go on the command line: set PGPASSWORD or a ~/.pgpass file";
    return std::nullopt;
}

storage::ObjectStoreCredentials objectStoreCredentialsFromEnvironment() {
    auto first = [](const char* a, const char* b) {
        const char* value = std::getenv(a);
        if (!value || !*value) value = std::getenv(b);
        return std::string(value ? value : "");
    };
    return {first("DANGAN_S3_ACCESS_KEY", "AWS_ACCESS_KEY_ID"), first("DANGAN_S3_SECRET_KEY", "AWS_SECRET_ACCESS_KEY")};
}

VerifyReport verifyArchive(Archive& archive) {
    VerifyReport report;
    report.databaseProblems = archive.databaseProblems();
    auto chain = archive.stores().audit->verifyChain();
    report.auditEntries = chain.entries;
    report.firstBrokenAuditEntry = chain.firstBrokenId;
    archive.stores().documents->forEachBlob([&](const storage::Digest& digest, std::uint64_t size) {
        ++report.images;
        std::string hex = storage::toHex(digest);
        auto in = archive.images().open(digest);
        if (!in) {
            report.imageProblems.push_back(hex + ": missing");
            return;
        }
        storage::Sha256 hash;
        std::array<char, 1 << 16> buffer{};
        std::uint64_t total = 0;
        while (*in) {
            in->read(buffer.data(), buffer.size());
            auto n = in->gcount();
            if (n <= 0) break;
            hash.update(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
            total += static_cast<std::uint64_t>(n);
        }
        if (total != size || hash.finish() != digest) report.imageProblems.push_back(hex + ": content changed");
    });
    return report;
}

}  // namespace dangan::server
