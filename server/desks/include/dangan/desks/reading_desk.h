#pragma once
// The reading desk: the archive's OCR pool. One Tesseract engine per worker thread, as many
// workers as cores; the work queue is the table of page readings, so a restart resumes it.


#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "dangan/desks/page_facts.h"
#include "dangan/desks/problem.h"
#include "dangan/desks/worker_loop.h"
#include "dangan/ocr/page_reader.h"
#include "dangan/storage/image_store.h"
#include "dangan/storage/stores.h"

namespace dangan::server {

// The account numbers this archive issues: exactly `length` digits, beginning with one of
// `prefixes` (empty: any).
struct AccountForm {
    int length = 10;
    std::string prefixes;
};

// The document types and business types the archive knows, for the reader to match against.
[[nodiscard]] ocr::ReaderVocabulary readerVocabulary(const AccountForm& form);

// A stored reading as the reader's result (confidences back to 0..1).
[[nodiscard]] ocr::PageReading pageReadingOf(const storage::StoredReading& reading);

struct ReadingDeskOptions {
    int workers = 0;           // engines reading at once; 0: one per core; -1: none (no OCR)
    AccountForm account;
    std::string tessdataPath;  // empty: Tesseract's default
    std::chrono::milliseconds idlePoll{1000};  // how often an idle worker looks for queued work
    // How long a page this node took to read stays its own: the nodes reading one archive take
    // different pages, and a page of a node that died is read by another after this.
    std::chrono::milliseconds claimLease{std::chrono::minutes(5)};
    // This node's name in its claims: the same across its restarts (the archive gives host and
    // data folder), so that a node started again after a crash reads at once what it had claimed.
    // Empty for a desk alone with its database (a benchmark, a desk test).
    std::string node;
};

class ReadingDesk {
public:
    // `afterReading` is called (on a worker thread) with each reading recorded, e.g. to feed
    // contract terms.
    ReadingDesk(storage::Stores& stores, storage::ImageStore& images, ReadingDeskOptions options,
                std::function<void(const storage::StoredReading&)> afterReading);
    ~ReadingDesk();  // finishes the pages in hand; the queue stays in the database
    ReadingDesk(const ReadingDesk&) = delete;
    ReadingDesk& operator=(const ReadingDesk&) = delete;

    [[nodiscard]] bool enabled() const { return options_.workers > 0; }
    // Reads the image ahead of background work and waits for it; a reading made before is
    // returned at once. nullopt when OCR is off or the desk is stopping.
    [[nodiscard]] std::optional<storage::StoredReading> readNow(const storage::Digest& image);

    // What is known of a filed page: its reading, its corrections and its fields as shown.
    [[nodiscard]] Outcome<PageFacts> facts(std::int64_t pageId);
    // A person's corrections of a page's fields (name → value); each value is checked for its
    // field's form, and the value it replaces is kept beside it.
    [[nodiscard]] Outcome<PageFacts> correct(std::int64_t pageId, const std::vector<std::pair<std::string, std::string>>& values,
                                             const storage::Actor& actor);
    [[nodiscard]] storage::ReadingCounts counts() { return stores_.readings->counts(); }

    // What follows a reading once its page is filed (a page read before filing, to link it, is
    // filed only afterwards): the same as after a background reading.
    void readingFiled(const storage::StoredReading& reading) {
        if (afterReading_) afterReading_(reading);
    }

private:
    void work();
    [[nodiscard]] std::optional<storage::Digest> nextImage();
    void readOne(ocr::TesseractEngine& engine, const ocr::PageReader& reader, const storage::Digest& image);

    storage::Stores& stores_;
    storage::ImageStore& images_;
    ReadingDeskOptions options_;
    std::function<void(const storage::StoredReading&)> afterReading_;
    std::mutex mutex_;
    std::condition_variable readSignal_;
    std::deque<storage::Digest> urgent_;
    std::deque<storage::Digest> background_;
    std::set<storage::Digest> inHand_;
    const std::string node_;  // this node's name in its claims
    std::string engineProblem_;
    WorkerLoop loop_{mutex_};  // last: the engines stop before the rest goes
};

}  // namespace dangan::server
