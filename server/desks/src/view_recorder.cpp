#include "dangan/desks/view_recorder.h"

#include <Poco/Logger.h>

#include "dangan/storage/database.h"

namespace dangan::server {

ViewRecorder::ViewRecorder(storage::AuditLog& log, const storage::Clock& clock, std::chrono::milliseconds interval,
                           std::size_t batch)
    : log_(log), clock_(clock), interval_(interval), batch_(batch) {
    loop_.start(1, [this] { run(); });
}

ViewRecorder::~ViewRecorder() { loop_.stop(); }

void ViewRecorder::record(storage::AuditDraft draft) {
    if (!draft.at) draft.at = clock_.nowMillis();
    std::size_t size;
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(draft));
        ++queuedCount_;
        size = queue_.size();
    }
    if (size >= batch_) loop_.wakeAll();
}

void ViewRecorder::flush() {
    std::unique_lock lock(mutex_);
    std::uint64_t target = queuedCount_;
    flushRequested_ = true;
    loop_.wakeAll();
    // Bounded: while the database refuses writes, a reader of the log gets what is there.
    flushed_.wait_for(lock, std::chrono::seconds(5), [&] { return writtenCount_ >= target || loop_.stopping(); });
}

void ViewRecorder::appendQueued(std::unique_lock<std::mutex>& lock) {
    std::vector<storage::AuditDraft> batch;
    batch.swap(queue_);
    lock.unlock();
    try {
        log_.append(batch);
    } catch (const std::exception& e) {
        Poco::Logger::get("dangan.audit").error("cannot record %z views: %s", batch.size(), std::string(e.what()));
        lock.lock();
        // Put them back in front so nothing is lost while the database recovers.
        queue_.insert(queue_.begin(), std::make_move_iterator(batch.begin()),
                      std::make_move_iterator(batch.end()));
        return;
    }
    lock.lock();
    writtenCount_ += batch.size();
    flushed_.notify_all();
}

void ViewRecorder::run() {
    std::unique_lock lock(mutex_);
    int failedAtStop = 0;
    while (true) {
        loop_.waitFor(lock, interval_, [&] { return flushRequested_ || queue_.size() >= batch_; });
        flushRequested_ = false;
        if (!queue_.empty()) appendQueued(lock);
        // At shutdown, give a failing database a few tries, then give up (and say so).
        if (loop_.stopping() && (queue_.empty() || ++failedAtStop > 3)) break;
    }
    if (!queue_.empty())
        Poco::Logger::get("dangan.audit").error("%z view records could not be written", queue_.size());
    flushed_.notify_all();
}

}  // namespace dangan::server
