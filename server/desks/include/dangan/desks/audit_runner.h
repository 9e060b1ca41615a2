#pragma once
// Completeness audits (档案完整性稽查): judge every expectation in scope at one instant — a
// mandatory document never filed past its deadline is missing, one filed after it is late — in
// the background, one audit at a time, resumed from scratch after a restart.

#include <Poco/JSON/Object.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>

#include "dangan/desks/problem.h"
#include "dangan/storage/completeness_stores.h"

namespace dangan::server {

// What an expectation is at `asOf`: "missing", "late", or nullopt (on time, pending, optional).
[[nodiscard]] std::optional<std::string_view> judge(const storage::ExpectationRow& row, std::int64_t asOf);

// {"unit", "process", "voltage", "from", "to"} (dates YYYY-MM-DD in China, both inclusive, of the
// steps' completion), each optional.
[[nodiscard]] Outcome<storage::AuditScope> auditScopeFrom(const Poco::JSON::Object& filter);

struct AuditTotals {
    std::int64_t customers = 0;
    std::int64_t processes = 0;
    std::int64_t expected = 0;   // mandatory documents
    std::int64_t onTime = 0;
    std::int64_t late = 0;
    std::int64_t missing = 0;
    std::int64_t pending = 0;    // not filed, deadline still ahead
    [[nodiscard]] Poco::JSON::Object::Ptr toJson() const;
};

class AuditRunner {
public:
    // Starts the worker and queues the audits a restart interrupted.
    explicit AuditRunner(storage::CompletenessStore& store);
    ~AuditRunner();
    AuditRunner(const AuditRunner&) = delete;
    AuditRunner& operator=(const AuditRunner&) = delete;

    // Records and queues an audit of `filter` as of `asOf`.
    [[nodiscard]] Outcome<std::int64_t> request(const Poco::JSON::Object& filter, std::int64_t asOf,
                                                const storage::Actor& actor);
    // The share of a running audit read so far (0 to 1); nullopt when it is not running.
    [[nodiscard]] std::optional<double> progress(std::int64_t id) const;
    // Blocks until no audit is queued or running (tests, benchmarks).
    void waitUntilIdle();

private:
    void work();
    void run(std::int64_t id);

    storage::CompletenessStore& store_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable idle_;
    std::deque<std::int64_t> queue_;
    std::optional<std::int64_t> running_;
    std::atomic<std::int64_t> read_{0};
    std::atomic<std::int64_t> ceiling_{1};
    bool stopping_ = false;
    std::thread worker_;
};

}  // namespace dangan::server
