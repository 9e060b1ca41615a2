#include "dangan/app/archive.h"

#include <algorithm>
#include <array>

namespace dangan::server {
namespace fs = std::filesystem;

std::unique_ptr<Archive> Archive::open(const ArchiveOptions& options) {
    std::error_code ec;
    fs::create_directories(options.dataDir, ec);
    if (ec) throw storage::StorageError("cannot create data folder " + options.dataDir.string() + ": " + ec.message());
    std::unique_ptr<Archive> archive(new Archive(options));
    storage::DatabaseOptions db;
    db.path = options.dataDir / "archive.db";
    db.readers = options.readerConnections;
    archive->database_ = storage::Database::open(db);
    archive->stores_ = storage::makeSqliteStores(*archive->database_);
    archive->images_ = std::make_unique<storage::FileImageStore>(options.dataDir / "images");
    archive->views_ = std::make_unique<ViewRecorder>(*archive->stores_.audit, options.viewFlushInterval, 1000);
    archive->authenticator_ = std::make_unique<Authenticator>(*archive->stores_.users, *archive->stores_.audit,
                                                              std::chrono::hours(12));
    archive->filingDesk_ = std::make_unique<FilingDesk>(*archive->stores_.customers, *archive->stores_.documents,
                                                        *archive->images_, options.imageLimits, options.numbering);
    archive->customerFiles_ = std::make_unique<CustomerFiles>(*archive->stores_.customers, *archive->stores_.documents);
    archive->renderings_ = std::make_unique<PageRenderings>(*archive->images_, options.dataDir / "cache");
    archive->paperDesk_ = std::make_unique<PaperDesk>(archive->stores_);
    archive->lendingDesk_ = std::make_unique<LendingDesk>(archive->stores_, *archive->paperDesk_);
    archive->rules_ = std::make_unique<RulesBook>(*archive->stores_.completeness);
    archive->rules_->load(options.rulesFile, options.installRules);
    archive->completenessDesk_ = std::make_unique<CompletenessDesk>(archive->stores_, *archive->rules_);
    archive->officeDesk_ = std::make_unique<OfficeDesk>(archive->stores_);
    archive->audits_ = std::make_unique<AuditRunner>(*archive->stores_.completeness);
    archive->readingDesk_ = std::make_unique<ReadingDesk>(
        archive->stores_, *archive->images_, options.reading,
        [office = archive->officeDesk_.get(), &stores = archive->stores_](const storage::StoredReading& reading) {
            feedContractTerms(reading, stores, *office);
        });
    auto* rules = archive->rules_.get();
    archive->batchDesk_ = std::make_unique<BatchDesk>(
        archive->stores_, *archive->images_,
        BatchDeskOptions{options.batchWorkers, options.imageLimits, options.cleanup, options.numbering,
                         archive->readingDesk_.get(), [rules](const std::string& process, const std::string& docType) {
                             return rules->current()->requiresDocument(process, docType);
                         }});
    archive->batchDesk_->resumeUnfinished();
    return archive;
}

void feedContractTerms(const storage::StoredReading& reading, storage::Stores& stores, OfficeDesk& office) {
    if (reading.state != "done") return;
    auto field = [&](const char* name) {
        for (const auto& f : reading.fields)
            if (f.name == name) return f.value;
        return std::string();
    };
    if (field("contract_no").empty() || field("signed_on").empty() || field("expires_on").empty()) return;
    const auto& types = contractTypes();
    for (const auto& shown : stores.readings->documentsShowing(reading.image)) {
        if (shown.hasContractTerms || std::find(types.begin(), types.end(), shown.docType) == types.end()) continue;
        // Terms that fail their checks (an expiry before signing) are left for a person to enter.
        (void)office.recordContract(shown.documentId, {field("contract_no"), field("signed_on"), field("expires_on"), false, "ocr"},
                                    {std::nullopt, "ocr"});
    }
}

VerifyReport verifyArchive(Archive& archive) {
    VerifyReport report;
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
