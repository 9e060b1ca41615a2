#pragma once
// The scanning desk's back office: takes in batches of scanned files, cleans every page in the
// background (as many workers as cores), splits the pile at cover and separator sheets, files each
// document, and leaves whatever it cannot place in the review queue. A batch's files are durable
// before it is acknowledged; a batch interrupted by a crash resumes at start-up without filing any
// page twice.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <semaphore>
#include <set>
#include <thread>

#include "dangan/desks/lease_keeper.h"
#include "dangan/desks/worker_loop.h"
#include <variant>
#include <vector>

#include "dangan/barcode/archive_number.h"
#include "dangan/barcode/own_code.h"
#include "dangan/scanner/scan_file.h"
#include "dangan/desks/filing_desk.h"
#include "dangan/desks/page_linker.h"
#include "dangan/desks/reading_desk.h"
#include "dangan/desks/problem.h"
#include "dangan/storage/image_store.h"
#include "dangan/storage/stores.h"

namespace dangan::server {

struct BatchDeskOptions {
    int workers = 0;  // pages cleaned at once, over all batches; 0: one per core
    scanner::ImageLimits limits;
    scanner::CleanupOptions cleanup;
    barcode::ArchiveNumberRule numbering;
    // Pages without a cover sheet are read and linked by their fields when there is a reading
    // desk; else they wait in review.
    ReadingDesk* reading = nullptr;
    // Whether the rules in force require a document type in a process (to file a page whose
    // business type was not read, and an ID card copy as the card its process asks for).
    ProcessRequires processRequires;
    // The retention the rules give a document type, for its archive number.
    RetentionByRules retention;
    // A batch that meets a full disk keeps what it recorded and is tried again after this long.
    std::chrono::milliseconds fullDiskRetry{30000};
    // This node's name and the lease it holds its batches by: a batch is leased to the node that
    // received it, resumed by it after a restart, and taken over by another node when its lease
    // runs out.
    storage::WorkClaim claim;
};

// A review page with what OCR read on it and the customers it may belong to, best first.
struct ReviewSuggestion {
    std::optional<storage::StoredReading> reading;
    LinkDecision link;
};

struct ReviewItem {
    storage::BatchPage page;
    ReviewSuggestion suggestion;
};

// A person's decision on a page in review.
struct ReviewDecision {
    bool discard = false;
    std::string reason;          // with discard
    std::string accountNo;       // else: where to file it
    std::string processType;
    std::string docType;
    std::string applicationNo;
    std::vector<std::int64_t> withPages;  // further review pages filed with it, in order
};

class BatchDesk {
public:
    BatchDesk(storage::Stores& stores, storage::ImageStore& images, BatchDeskOptions options);
    ~BatchDesk();  // finishes the page in hand, leaves the rest for the next start
    BatchDesk(const BatchDesk&) = delete;
    BatchDesk& operator=(const BatchDesk&) = delete;

    // Makes the files durable, records the batch and queues it. Refuses (and keeps nothing) when a
    // file did not arrive whole or is not a scan at all. `processId` (may be empty) names the
    // process instance its documents belong to when their cover sheet names none.
    [[nodiscard]] Outcome<std::int64_t> receive(const std::string& source, const std::string& sourceName,
                                                const std::string& processId, std::vector<Upload> uploads,
                                                const storage::Actor& actor);
    // Queues the batches a previous run of this node left unfinished, then keeps this node's
    // leases and takes over the batches of nodes that died.
    void takeUpWork();

    [[nodiscard]] Outcome<storage::Document> resolve(std::int64_t pageId, const ReviewDecision& decision,
                                                     const storage::Actor& actor);
    [[nodiscard]] ReviewSuggestion suggest(const storage::BatchPage& page);
    // The pages waiting for a person, oldest first, each with what was read and the customers
    // it could belong to.
    [[nodiscard]] std::vector<ReviewItem> reviewQueue(int limit);
    [[nodiscard]] Outcome<storage::BatchPage> reviewPage(std::int64_t pageId);
    [[nodiscard]] Outcome<storage::Batch> batch(std::int64_t id);
    // The newest batches, of one source (upload, watch) or of every one (empty).
    [[nodiscard]] Outcome<std::vector<storage::Batch>> recent(const std::string& source, int limit);
    [[nodiscard]] Outcome<std::monostate> discard(std::int64_t pageId, const std::string& reason,
                                                  const storage::Actor& actor);

    // How many batches have finished since start; waitForFinish blocks until that count passes
    // `seen` or the timeout ends, and returns the count (the hot folder's back-pressure).
    [[nodiscard]] std::uint64_t finishedCount();
    std::uint64_t waitForFinish(std::uint64_t seen, std::chrono::milliseconds timeout);

private:
    void run();
    // Queues batches not queued here yet.
    void enqueue(const std::vector<std::int64_t>& ids);
    void process(std::int64_t batchId);
    // Throws BatchTakenOver when another node took the batch over (this one was cut off past its
    // lease): the steps that must happen once are left to that node.
    void ensureHeld(std::int64_t batchId);
    void cleanPages(const storage::Batch& batch, const std::vector<std::pair<std::int64_t, int>>& filePages,
                    const std::vector<int>& firstSeq);
    void fileDocuments(std::int64_t batchId);
    [[nodiscard]] std::string fileOne(const storage::Batch& batch, const std::vector<storage::BatchPage>& pages,
                                      const std::optional<barcode::OwnCode>& cover,
                                      const std::optional<std::string>& docTypeCode);
    // Files pages that came without a cover sheet by what OCR reads on them; returns the pages
    // left for review, each with the reason.
    void fileByReading(const storage::Batch& batch, const std::vector<storage::BatchPage>& pages);
    // The customers sharing an account number, ID number or name with the fields read.
    [[nodiscard]] std::vector<storage::Customer> candidatesFor(const ReadFields& fields);
    [[nodiscard]] Outcome<storage::Document> fileTo(const std::vector<storage::BatchPage>& pages,
                                                    const storage::Customer& customer, const std::string& processType,
                                                    const std::string& applicationNo, const std::string& docType,
                                                    const storage::Actor& actor, const std::string& note = "");

    storage::Stores& stores_;
    storage::ImageStore& images_;
    BatchDeskOptions options_;
    std::mutex mutex_;
    std::condition_variable finishedSignal_;
    std::deque<std::int64_t> queue_;
    std::set<std::int64_t> queued_;  // in queue_ or in hand
    std::unique_ptr<LeaseKeeper> leases_;
    // Batches that met a full disk, each with when it is tried again.
    std::vector<std::pair<std::chrono::steady_clock::time_point, std::int64_t>> waitingForSpace_;
    std::uint64_t finished_ = 0;
    // Cleaning a page takes a slot: several small batches run side by side (a hot folder of
    // one-page files) without cleaning more pages at once than there are workers.
    std::unique_ptr<std::counting_semaphore<>> cleaningSlots_;
    WorkerLoop loop_{mutex_};  // last: the coordinators stop before the rest goes
};

}  // namespace dangan::server
