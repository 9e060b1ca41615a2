#pragma once
// Records views (e-file opened, page viewed) in the audit log without putting a durable commit
// on every read: records are queued and appended in one transaction every `interval` or every
// `batch` records, whichever comes first, and on destruction. A crash of the process can lose at
// most the views of the last interval; changes are never recorded this way (they are appended in
// their own transaction).

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "dangan/desks/worker_loop.h"
#include "dangan/storage/stores.h"

namespace dangan::server {

class ViewRecorder {
public:
    ViewRecorder(storage::AuditLog& log, const storage::Clock& clock, std::chrono::milliseconds interval,
                 std::size_t batch);
    ~ViewRecorder();  // flushes what is queued
    ViewRecorder(const ViewRecorder&) = delete;
    ViewRecorder& operator=(const ViewRecorder&) = delete;

    void record(storage::AuditDraft draft);
    // Appends everything queued so far before returning (waits 5 s at most).
    void flush();

private:
    void run();
    void appendQueued(std::unique_lock<std::mutex>& lock);

    storage::AuditLog& log_;
    const storage::Clock& clock_;
    std::chrono::milliseconds interval_;
    std::size_t batch_;
    std::mutex mutex_;
    std::condition_variable flushed_;
    std::vector<storage::AuditDraft> queue_;
    std::uint64_t queuedCount_ = 0;   // records ever queued
    std::uint64_t writtenCount_ = 0;  // records ever appended
    bool flushRequested_ = false;
    WorkerLoop loop_{mutex_};  // last: the writer stops (having written what it could) first
};

}  // namespace dangan::server
