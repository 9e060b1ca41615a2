#pragma once
// What OCR read on the archive's page images, the reading desk's queue, people's corrections of
// read fields, and the full-text index of filed pages. A reading belongs to an image (its
// SHA-256): a batch page and the filed page made from it share one reading.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dangan/storage/records.h"

namespace dangan::storage {

struct ReadField {
    std::string name;   // account_no, name, id_number, ...
    std::string value;
    int confidence = 0;  // percent
};

struct StoredReading {
    Digest image{};
    std::string state;  // queued, done, failed
    std::string docType;
    int docTypeConfidence = 0;
    std::vector<ReadField> fields;
    std::vector<std::string> unreadable;
    std::string text;
    std::int64_t cpuMs = 0;
    std::string message;  // why it failed
    std::optional<std::int64_t> readAt;
    // Whether `text` is the page's full text; false while only the lines read with the key fields
    // are in it and the prose is still to be read.
    bool fullText = true;
    int quarterTurns = 0;  // quarter turns clockwise that make the image read upright
    std::string docTypeSecond;  // the second guess at the document type, when there is one
    int docTypeSecondConfidence = 0;
    bool continues = false;  // the page goes on from an earlier one (a contract's later page)
};

struct FieldCorrection {
    std::int64_t id = 0;
    std::int64_t pageId = 0;
    std::string field;
    std::string value;
    std::string original;  // what was read (or the previous correction)
    std::int64_t correctedAt = 0;
    std::string correctedBy;
};

// A filed page found by the words on it.
struct PageTextHit {
    std::int64_t pageId = 0;
    std::int64_t documentId = 0;
    int seq = 0;
    std::string docType;
    std::int64_t customerId = 0;
    std::string accountNo;
    std::string customerName;
    std::string text;  // the page's full text
};

// A current document with a page showing an image.
struct ImageShownIn {
    std::int64_t documentId = 0;
    std::string docType;
    bool hasContractTerms = false;
};

struct ReadingCounts {
    std::int64_t queued = 0;
    std::int64_t done = 0;
    std::int64_t failed = 0;
    std::int64_t textToRead = 0;  // done, their full text still to be read
};

class ReadingStore {
public:
    virtual ~ReadingStore() = default;
    // Queues images not read or queued yet; `urgent` moves queued ones ahead (a batch waits).
    virtual void enqueue(const std::vector<Digest>& images, bool urgent) = 0;
    // Claims up to `limit` queued images (urgent first, then oldest first) for `node` for `lease`,
    // leaving those another node's claim still covers: the nodes reading one archive (servers
    // and workers) each take other pages, and a dead node's claims run out.
    [[nodiscard]] virtual std::vector<Digest> claimQueued(int limit, const std::string& node, std::chrono::milliseconds lease) = 0;
    // The same for images whose key fields are recorded and whose full text is still to be read,
    // oldest first.
    [[nodiscard]] virtual std::vector<Digest> claimTextToRead(int limit, const std::string& node,
                                                              std::chrono::milliseconds lease) = 0;
    // Claims one image (queued, or its text still to read) for `node` for `lease`; false when
    // another node's claim covers it, or there is nothing to read.
    [[nodiscard]] virtual bool claim(const Digest& image, const std::string& node, std::chrono::milliseconds lease) = 0;
    // Records a reading (state done or failed) and indexes its text for every filed page that
    // shows the image.
    virtual void record(const StoredReading& reading) = 0;
    [[nodiscard]] virtual std::optional<StoredReading> reading(const Digest& image) = 0;
    // The readings of many images at once (a customer's e-file): those there are, by image.
    [[nodiscard]] virtual std::map<Digest, StoredReading> readings(const std::vector<Digest>& images) = 0;
    // Corrections of a page's fields, oldest first.
    [[nodiscard]] virtual std::vector<FieldCorrection> corrections(std::int64_t pageId) = 0;
    // The corrections of many pages at once, by page (pages without any left out).
    [[nodiscard]] virtual std::map<std::int64_t, std::vector<FieldCorrection>> corrections(
        const std::vector<std::int64_t>& pageIds) = 0;
    // What was read on many filed pages and what people corrected on them, asked together (one
    // round trip to PostgreSQL for up to 16 pages): `images[i]` is the image read of page
    // `pageIds[i]`. As readings(images) and corrections(pageIds).
    struct PagesRead {
        std::map<Digest, StoredReading> readings;
        std::map<std::int64_t, std::vector<FieldCorrection>> corrections;
    };
    [[nodiscard]] virtual PagesRead pagesRead(const std::vector<Digest>& images, const std::vector<std::int64_t>& pageIds) = 0;
    // Records a correction, audited with what it replaces.
    virtual FieldCorrection correct(std::int64_t pageId, const std::string& field, const std::string& value,
                                    const std::string& original, const Actor& actor) = 0;
    // Current filed pages whose text contains every whitespace-separated term of `query`.
    [[nodiscard]] virtual std::vector<PageTextHit> searchText(std::string_view query, int limit) = 0;
    [[nodiscard]] virtual ReadingCounts counts() = 0;
    [[nodiscard]] virtual std::vector<ImageShownIn> documentsShowing(const Digest& image) = 0;
    // Records which candidates a reviewer was offered for a batch page and which one was chosen.
    virtual void recordLinkDecision(std::int64_t batchPageId, const std::vector<std::string>& candidates,
                                    const std::string& chosen, const Actor& actor) = 0;
};

}  // namespace dangan::storage
