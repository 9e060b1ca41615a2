#pragma once
// The archive's records as stored: plain values, no behaviour. Times are milliseconds since the
// Unix epoch (UTC).

#include <cstdint>
#include <map>
#include <initializer_list>
#include <utility>
#include <optional>
#include <string>
#include <vector>

#include "dangan/storage/sha256.h"

namespace dangan::storage {

// What an import supplies for one customer (户).
struct CustomerFields {
    std::string accountNo;  // 户号
    std::string name;       // 户名
    std::string address;
    std::string phone;
    std::string idNumber;   // 证件号码
    std::string voltage;
    std::string unit;       // the supply unit (供电单位) that serves the customer

    bool operator==(const CustomerFields&) const = default;
};

struct Customer {
    std::int64_t id = 0;
    CustomerFields fields;
    std::int64_t createdAt = 0;
    std::int64_t updatedAt = 0;
};

struct Page {
    std::int64_t id = 0;
    std::int64_t documentId = 0;
    int seq = 0;                 // 1-based order within the document
    Digest sha256{};             // of the bytes as uploaded
    int frame = 0;               // page index within a multi-page file
    int width = 0;
    int height = 0;
    std::optional<std::int64_t> dpi;
    std::optional<Digest> cleanedSha256;  // the page turned upright and deskewed, when it needed it
};

// One item (件) of a customer's file, in one version.
struct Document {
    std::int64_t id = 0;
    std::string archiveNo;       // 档号, shared by every version of the item
    std::int64_t customerId = 0;
    std::int64_t processId = 0;
    std::string processType;     // e.g. 高压新装
    std::string applicationNo;   // the process instance's number in the marketing system, if known
    std::string docType;         // e.g. 用电申请书
    std::int64_t lineageId = 0;  // id of the first version
    int version = 1;
    std::optional<std::int64_t> supersededBy;
    std::string note;
    std::int64_t archivedAt = 0;
    std::int64_t archivedBy = 0;
    std::string archivedByName;
    std::vector<Page> pages;
};

struct User {
    std::int64_t id = 0;
    std::string username;
    std::string displayName;
    std::string passwordHash;
    std::vector<std::string> roles;
    bool disabled = false;
    std::string unit;           // the supply unit the person works in
    std::string team;           // their team (班组) within it
    std::string email;          // where reminders are mailed; empty: the web only
    int failedLogins = 0;       // sign-in failures since the last success
    std::optional<std::int64_t> lockedUntil;  // no sign-in before this instant
    bool mustChangePassword = false;  // set by someone else (created, reset): changed at first sign-in
    std::int64_t passwordSetAt = 0;   // when the password was last set
    std::int64_t createdAt = 0;
    std::int64_t updatedAt = 0;
};

// Who performs a change or a view; userId is empty for the system itself.
struct Actor {
    std::optional<std::int64_t> userId;
    std::string username;
};

// An audit record before it is chained.
// Text fields as a JSON object, as a row keeps them (an audit entry's detail, a spot check's filter).
[[nodiscard]] std::string textFieldsJson(std::initializer_list<std::pair<std::string, std::string>> fields);

struct AuditDraft {
    Actor actor;
    std::string action;      // e.g. customer.update, page.view, login
    std::string objectType;  // e.g. customer, document, page, user
    std::string objectId;
    std::string detail;      // JSON
    std::int64_t at = 0;     // 0: now
};

struct AuditEntry {
    std::int64_t id = 0;
    std::int64_t at = 0;
    std::optional<std::int64_t> userId;
    std::string username;
    std::string action;
    std::string objectType;
    std::string objectId;
    std::string detail;
    Digest prevHash{};
    Digest hash{};
};

// A printed scan cover sheet.
struct CoverSheetRecord {
    std::int64_t id = 0;
    std::int64_t customerId = 0;
    std::string processType;
    std::string applicationNo;
    std::int64_t printedAt = 0;
};

struct BatchFile {
    std::int64_t id = 0;
    int seq = 0;
    std::string filename;
    Digest sha256{};
    std::string outcome;  // pending, read, failed
    std::string message;
};

// One page of a scan batch: what clean-up found and where the page went.
// What clean-up found on a batch page, kept with it (as JSON in its row).
struct PageCleanup {
    struct Code {
        std::string symbology;  // e.g. QRCode, Code128
        std::string text;
        bool own = false;       // one of the archive's own codes
        int x = 0, y = 0;       // its top-left corner on the page as scanned
    };
    bool blank = false;
    double ink = 0;             // share of the page that is ink
    int rotation = 0;           // degrees turned clockwise to make it upright
    double skew = 0;            // degrees of skew corrected
    std::vector<std::string> flags;
    std::vector<Code> barcodes;
};

struct BatchPage {
    std::int64_t id = 0;
    std::int64_t batchId = 0;
    int seq = 0;  // 1-based order within the batch
    std::int64_t fileId = 0;
    int frame = 0;
    std::string outcome;  // cleaned, cover, separator, blank, filed, review, failed, discarded
    std::string message;
    PageCleanup cleanup;  // empty for a page that failed
    std::optional<Digest> cleanedSha256;
    int width = 0;
    int height = 0;
    std::optional<std::int64_t> dpi;
    std::optional<std::int64_t> documentId;
    bool inReview = false;
    // Of its file:
    Digest fileSha256{};
    std::string filename;
};

struct Batch {
    std::int64_t id = 0;
    std::string state;   // queued, running, done, failed
    std::string source;  // upload, watch
    std::string sourceName;
    std::int64_t createdAt = 0;
    std::int64_t createdBy = 0;
    std::string createdByName;
    std::string processId;  // the marketing system's process instance, if the batch names one
    std::optional<std::int64_t> finishedAt;
    int pagesTotal = 0;
    int pagesDone = 0;
    std::string error;
    std::vector<BatchFile> files;
    std::vector<BatchPage> pages;               // when asked for
    std::map<std::string, int> pageOutcomes;    // outcome -> pages, always
};

}  // namespace dangan::storage
