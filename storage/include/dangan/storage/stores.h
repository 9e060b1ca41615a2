#pragma once
// The archive's repositories. Each change appends its audit record in the same transaction, so a
// change without its record (or the reverse) cannot exist. Implementations are thread-safe.

#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dangan/storage/answer_ahead.h"
#include "dangan/storage/clock.h"
#include "dangan/storage/completeness_stores.h"
#include "dangan/storage/notification_stores.h"
#include "dangan/storage/paper_stores.h"
#include "dangan/storage/reading_stores.h"
#include "dangan/storage/records.h"
#include "dangan/storage/work_leases.h"

namespace dangan::storage {

class Database;

struct UpsertOutcome {
    int created = 0;
    int updated = 0;
    int unchanged = 0;
};

class CustomerStore {
public:
    virtual ~CustomerStore() = default;
    // Inserts or updates every row (keyed by account number) in one transaction.
    // REQUIRES: rows are validated and their account numbers distinct.
    virtual UpsertOutcome upsert(const std::vector<CustomerFields>& rows, const Actor& actor) = 0;
    [[nodiscard]] virtual std::optional<Customer> findByAccountNo(std::string_view accountNo) = 0;
    [[nodiscard]] virtual std::optional<Customer> findById(std::int64_t id) = 0;
    // Customers whose account number, ID number or name is exactly one of these (empty ones are
    // ignored): the candidates for a page whose fields were read. At most `limit`.
    [[nodiscard]] virtual std::vector<Customer> findByKeys(std::string_view accountNo, std::string_view idNumber,
                                                           std::string_view name, int limit) = 0;
    // Customers whose account number starts with, or whose name, address or phone contains, every
    // whitespace-separated term of `query`. At most `limit`, best matches first.
    [[nodiscard]] virtual std::vector<Customer> search(std::string_view query, int limit) = 0;
    // Whether every pair of neighbouring characters of `text` occurs in some customer's `field`
    // ('n' name, 'a' address) in the archive: the archive's gazetteer of its names and places.
    [[nodiscard]] virtual bool knowsText(char field, std::string_view text) = 0;
    // The same for many texts (field marker, text) at once, asked together: one answer each.
    [[nodiscard]] virtual std::vector<bool> knowTexts(const std::vector<std::pair<char, std::string>>& texts) = 0;
    // The supply units the archive knows, its customers' and its users', by name.
    [[nodiscard]] virtual std::vector<std::string> units() = 0;
    // Customers holding a current document of `docType`: of `among` (in its order) when given,
    // else those whose newest such document is newest first.
    [[nodiscard]] virtual std::vector<Customer> holdingDocument(const std::string& docType,
                                                                const std::optional<std::vector<std::int64_t>>& among,
                                                                int limit) = 0;
};

// One page to file: where its bytes are (already durable in the image store) and what it is.
struct NewPage {
    Digest sha256{};
    std::uint64_t byteSize = 0;
    std::string mediaType;
    int frame = 0;
    int width = 0;
    int height = 0;
    std::optional<std::int64_t> dpi;
    std::optional<Digest> cleanedSha256;  // already durable in the image store
    std::uint64_t cleanedByteSize = 0;
};

struct NewDocument {
    std::int64_t customerId = 0;
    std::string processType;
    std::string applicationNo;
    std::string docType;
    std::optional<std::int64_t> supersedes;  // the document this one corrects or supplements
    std::string note;
    std::vector<NewPage> pages;
    // A new item's archive number: the prefix within which item numbers count, and how to write
    // the number given the next item number. A new version keeps its item's number instead.
    std::string archiveNumberPrefix;
    std::function<std::string(std::int64_t item)> archiveNumber;
    // Batch pages this document is filed from, one per page in order: marked filed in the same
    // transaction, so that a batch resumed after a crash never files them twice.
    std::vector<std::int64_t> batchPageIds;
};

enum class FilingRefusal { SupersededDocumentMissing, SupersededDocumentNotCurrent, WrongCustomer, BatchPageTaken };

class DocumentStore {
public:
    virtual ~DocumentStore() = default;
    // Files a document and its pages (finding or opening the customer's process of that type) in
    // one transaction. A superseded document stays as it is, marked as replaced.
    virtual std::expected<Document, FilingRefusal> file(const NewDocument& document,
                                                        const Actor& actor) = 0;
    // The customer's current documents (latest version of each), newest archive date first, with
    // their pages.
    [[nodiscard]] virtual std::vector<Document> currentDocuments(std::int64_t customerId) = 0;
    // The same for the customer with that account number (none when there is no such customer),
    // asked ahead (see answer_ahead.h): inside a SharedRead on PostgreSQL it goes to the server in
    // one round trip with the customer's own record, read next.
    [[nodiscard]] virtual AnswerAhead<std::vector<Document>> currentDocumentsAhead(std::string accountNo) = 0;
    [[nodiscard]] virtual std::optional<Document> document(std::int64_t id) = 0;
    // Every version of the document's lineage, oldest first.
    [[nodiscard]] virtual std::vector<Document> versions(std::int64_t lineageId) = 0;
    [[nodiscard]] virtual std::optional<Page> page(std::int64_t id) = 0;
    // Every digest in the image catalogue, with its recorded size (for verification).
    virtual void forEachBlob(
        const std::function<void(const Digest&, std::uint64_t)>& visit) = 0;
    [[nodiscard]] virtual bool blobReferenced(const Digest& digest) = 0;
};

struct UserChange {
    std::optional<std::string> displayName;
    std::optional<std::string> passwordHash;
    std::optional<std::vector<std::string>> roles;
    std::optional<bool> disabled;
    std::optional<std::string> unit;
    std::optional<std::string> team;
    std::optional<std::string> email;
    bool unlock = false;        // forget the sign-in failures and any lock
    std::optional<bool> mustChangePassword;
    // A new password ends the user's sessions, all but this one (the user's own, changing it).
    std::optional<Digest> keepSession;
};

class UserStore {
public:
    virtual ~UserStore() = default;
    // Returns nullopt when the username is taken.
    virtual std::optional<User> create(const User& user, const Actor& actor) = 0;
    // Returns nullopt when there is no such user.
    virtual std::optional<User> change(std::int64_t id, const UserChange& change,
                                       const Actor& actor) = 0;
    [[nodiscard]] virtual std::vector<User> list() = 0;
    [[nodiscard]] virtual std::optional<User> findByUsername(std::string_view username) = 0;
    [[nodiscard]] virtual std::optional<User> findById(std::int64_t id) = 0;
    [[nodiscard]] virtual std::int64_t count() = 0;

    // Sessions are keyed by the SHA-256 of their bearer token; the token itself is never stored.
    virtual void openSession(const Digest& tokenHash, const User& user, std::int64_t expiresAt,
                             const AuditDraft& login) = 0;
    // The active user of a session that has neither expired nor been left unused since
    // `idleSince`; nullopt for unknown, expired, idle or disabled. A use is noted (at most once a
    // minute, so that reading stays reading); a session found idle is ended.
    [[nodiscard]] virtual std::optional<User> sessionUser(const Digest& tokenHash, std::int64_t now,
                                                          std::int64_t idleSince) = 0;
    virtual void closeSession(const Digest& tokenHash, const AuditDraft& logout) = 0;
    // Ends every session of a user (sign-out everywhere), with `signOut` appended; how many.
    virtual int closeSessionsOf(std::int64_t userId, const AuditDraft& signOut) = 0;
    // Counts a failed sign-in of an account (with `failure` appended); at `maxFailures` in a row
    // the account is locked until `lockedUntil` (audited as login.locked). Returns the user as now.
    virtual std::optional<User> recordFailedLogin(std::int64_t userId, int maxFailures, std::int64_t lockedUntil,
                                                  const AuditDraft& failure) = 0;
};

struct AuditQuery {
    std::optional<std::string> objectType;
    std::optional<std::string> objectId;
    std::optional<std::string> username;
    std::optional<std::int64_t> beforeId;  // for paging backwards, newest first
    std::optional<std::int64_t> afterId;   // for reading on, oldest first (an export)
    int limit = 100;
};

struct ChainCheck {
    std::int64_t entries = 0;
    std::optional<std::int64_t> firstBrokenId;  // the first entry whose hash does not verify
    bool complete = true;                       // false when stopped before the end
};

class AuditLog {
public:
    virtual ~AuditLog() = default;
    // Appends records that are not part of a change (views, failed logins) in one transaction.
    virtual void append(const std::vector<AuditDraft>& drafts) = 0;
    [[nodiscard]] virtual std::vector<AuditEntry> list(const AuditQuery& query) = 0;
    // Checks every entry's hash and link, in chunks each read on its own (the log may be long, and
    // a long read holds back the database's checkpoints); `keepGoing`, asked between chunks, may
    // stop it early.
    [[nodiscard]] virtual ChainCheck verifyChain(const std::function<bool()>& keepGoing = {}) = 0;
};

struct NewBatchFile {
    std::string filename;
    Digest sha256{};  // already durable in the image store
    std::uint64_t byteSize = 0;
    std::string mediaType;
};

struct NewBatchPage {
    std::int64_t batchId = 0;
    int seq = 0;
    std::int64_t fileId = 0;
    int frame = 0;
    std::string outcome;
    std::string message;
    PageCleanup cleanup;
    std::optional<Digest> cleanedSha256;  // already durable in the image store
    std::uint64_t cleanedByteSize = 0;
    int width = 0;
    int height = 0;
    std::optional<std::int64_t> dpi;
};

// Scan batches, their pages, the review queue and the printed cover sheets.
class BatchStore {
public:
    virtual ~BatchStore() = default;
    [[nodiscard]] virtual std::int64_t registerCoverSheet(std::int64_t customerId, const std::string& processType,
                                                          const std::string& applicationNo, const Actor& actor) = 0;
    [[nodiscard]] virtual std::optional<CoverSheetRecord> coverSheet(std::int64_t id) = 0;

    // Records a batch of files (their bytes durable already), queued, leased to `claim`'s node.
    [[nodiscard]] virtual std::int64_t create(const std::string& source, const std::string& sourceName,
                                              const std::string& processId, const std::vector<NewBatchFile>& files,
                                              const Actor& actor, const WorkClaim& claim) = 0;
    virtual void start(std::int64_t batchId, int pagesTotal) = 0;
    virtual void settleFile(std::int64_t fileId, const std::string& outcome, const std::string& message) = 0;
    // Records a cleaned page and counts it done; a page recorded before (a resumed batch) is kept.
    virtual void recordPage(const NewBatchPage& page) = 0;
    // Sets where pages went; `review` puts them into (or takes them out of) the review queue.
    virtual void settlePages(const std::vector<std::int64_t>& pageIds, const std::string& outcome,
                             const std::string& message, bool review) = 0;
    virtual void finish(std::int64_t batchId, const std::string& state, const std::string& error) = 0;
    [[nodiscard]] virtual std::optional<Batch> batch(std::int64_t id, bool withPages) = 0;
    // The batches node `node` holds still queued or running, oldest first.
    [[nodiscard]] virtual std::vector<std::int64_t> unfinished(const std::string& node) = 0;
    // The newest batches first, without their pages, from `source` (empty: every source).
    [[nodiscard]] virtual std::vector<Batch> recent(const std::string& source, int limit) = 0;
    [[nodiscard]] virtual std::optional<BatchPage> page(std::int64_t id) = 0;
    [[nodiscard]] virtual std::vector<BatchPage> reviewQueue(int limit) = 0;
    // Takes a page out of review without filing it (junk, a duplicate); audited.
    [[nodiscard]] virtual bool discard(std::int64_t pageId, const std::string& reason, const Actor& actor) = 0;
    // The newest batch that received a file with exactly these bytes (the hot folder's guard
    // against taking a file twice).
    [[nodiscard]] virtual std::optional<std::int64_t> batchWithFile(const Digest& sha256) = 0;
};

// The SQLite implementations, sharing one Database.
struct Stores {
    std::unique_ptr<CustomerStore> customers;
    std::unique_ptr<DocumentStore> documents;
    std::unique_ptr<UserStore> users;
    std::unique_ptr<AuditLog> audit;
    std::unique_ptr<BatchStore> batches;
    std::unique_ptr<PaperStore> paper;
    std::unique_ptr<LoanStore> loans;
    std::unique_ptr<StocktakeStore> stocktakes;
    std::unique_ptr<CompletenessStore> completeness;
    std::unique_ptr<OfficeStore> office;
    std::unique_ptr<ReadingStore> readings;
    std::unique_ptr<NotificationStore> notifications;
    std::unique_ptr<WorkLeaseStore> leases;
    std::shared_ptr<const Clock> clock;  // the one every store stamps its instants with
    // The database under them, for a SharedRead (database.h) around a screen's many reads.
    Database* database = nullptr;
};

[[nodiscard]] Stores makeSqlStores(Database& database);
[[nodiscard]] std::unique_ptr<PaperStore> makeSqlPaperStore(Database& database);
[[nodiscard]] std::unique_ptr<LoanStore> makeSqlLoanStore(Database& database);
[[nodiscard]] std::unique_ptr<StocktakeStore> makeSqlStocktakeStore(Database& database);
[[nodiscard]] std::unique_ptr<ReadingStore> makeSqlReadingStore(Database& database);
[[nodiscard]] std::unique_ptr<WorkLeaseStore> makeSqlWorkLeaseStore(Database& database);

}  // namespace dangan::storage
