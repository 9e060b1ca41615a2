#pragma once
// The background threads of a desk (the batch coordinators, the OCR engines, the audit runner,
// the hot folder's watcher) and how they are stopped: the desk's own mutex guards its queue and
// the stop flag together; stop() raises the flag, wakes every thread and joins them. A desk calls
// stop() first thing in its destructor, so no thread outlives what it works on.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace dangan::server {

class WorkerLoop {
public:
    explicit WorkerLoop(std::mutex& mutex) : mutex_(mutex) {}
    ~WorkerLoop() { stop(); }
    WorkerLoop(const WorkerLoop&) = delete;
    WorkerLoop& operator=(const WorkerLoop&) = delete;

    // Starts `count` threads, each running `body` until it returns.
    void start(int count, const std::function<void()>& body) {
        for (int i = 0; i < count; ++i) threads_.emplace_back(body);
    }

    // Raises the stop flag, wakes every thread and waits for them. Safe to call twice.
    void stop() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        for (auto& t : threads_)
            if (t.joinable()) t.join();
        threads_.clear();
    }

    // Whether stop() was called; read with the desk's mutex held.
    [[nodiscard]] bool stopping() const { return stopping_; }

    // Waits, with `lock` on the desk's mutex, until `ready()` or a stop; false on a stop.
    template <class Ready>
    bool wait(std::unique_lock<std::mutex>& lock, Ready ready) {
        wake_.wait(lock, [&] { return stopping_ || ready(); });
        return !stopping_;
    }
    // The same, waking after `timeout` at the latest; false on a stop.
    template <class Ready>
    bool waitFor(std::unique_lock<std::mutex>& lock, std::chrono::milliseconds timeout, Ready ready) {
        wake_.wait_for(lock, timeout, [&] { return stopping_ || ready(); });
        return !stopping_;
    }

    void wakeOne() { wake_.notify_one(); }
    void wakeAll() { wake_.notify_all(); }

private:
    std::mutex& mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace dangan::server
