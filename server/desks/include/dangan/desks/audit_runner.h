#pragma once
// Completeness audits (档案完整性稽查): judge every expectation in scope at one instant — a
// mandatory document never filed past its deadline is missing, one filed after it is late — in
// the background, one audit at a time, resumed from scratch after a restart.


#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>

#include "dangan/desks/lease_keeper.h"
#include "dangan/desks/printing_desk.h"
#include "dangan/desks/problem.h"
#include "dangan/desks/worker_loop.h"
#include "dangan/storage/clock.h"
#include "dangan/storage/completeness_stores.h"

namespace dangan::server {

// What an expectation is at `asOf`: "missing", "late", "waived" (no longer expected: shown in
// the audit, never silently dropped), or nullopt (on time, pending, optional).
[[nodiscard]] std::optional<std::string_view> judge(const storage::ExpectationRow& row, std::int64_t asOf);

// {"unit", "process", "voltage", "from", "to"} (dates YYYY-MM-DD in China, both inclusive, of the
// steps' completion), each optional.
using storage::AuditFilter;
[[nodiscard]] Outcome<storage::AuditScope> auditScopeFrom(const AuditFilter& filter);
// The scope in words, for the report: "供电单位 城东供电所，起 2026-11-01", or "全部客户档案".
[[nodiscard]] std::string scopeInWords(const AuditFilter& filter);

using storage::AuditTotals;

class AuditRunner {
public:
    // Starts the worker. An audit is leased to the node that runs it (`claim`), as a batch is.
    AuditRunner(storage::CompletenessStore& store, storage::WorkLeaseStore& leases, storage::WorkClaim claim,
                const storage::Clock& clock, const print::PrintOptions& printing);
    ~AuditRunner();
    AuditRunner(const AuditRunner&) = delete;
    AuditRunner& operator=(const AuditRunner&) = delete;

    // Records and queues an audit of `filter` as of `asOf`.
    [[nodiscard]] Outcome<std::int64_t> request(const AuditFilter& filter, std::int64_t asOf,
                                                const storage::Actor& actor);
    // As of now.
    [[nodiscard]] Outcome<std::int64_t> request(const AuditFilter& filter, const storage::Actor& actor) {
        return request(filter, clock_.nowMillis(), actor);
    }
    [[nodiscard]] Outcome<storage::AuditRecord> audit(std::int64_t id);
    [[nodiscard]] std::vector<storage::AuditRecord> audits(int limit);
    // Findings after number `after`, at most `limit`, of a finished audit.
    [[nodiscard]] Outcome<std::vector<storage::AuditFinding>> findings(std::int64_t id, std::int64_t after, int limit);
    // The audit's report as PDF: totals, findings by unit and process, the first 300 findings.
    [[nodiscard]] Outcome<PrintedPaper> report(std::int64_t id, const storage::User& by);
    // The share of a running audit read so far (0 to 1); nullopt when it is not running.
    [[nodiscard]] std::optional<double> progress(std::int64_t id) const;
    // Queues the audits a stop of this node interrupted, then keeps this node's leases and takes
    // over the audits of nodes that died.
    void takeUpWork();
    // Blocks until no audit is queued or running (tests, benchmarks).
    void waitUntilIdle();

private:
    void work();
    // False when stopped part-way.
    bool run(std::int64_t id);

    // Whether this node still holds the audit (another took it over when this one was cut off).
    [[nodiscard]] bool held(std::int64_t id);
    void enqueue(const std::vector<std::int64_t>& ids);

    storage::CompletenessStore& store_;
    storage::WorkLeaseStore& leases_;
    const storage::WorkClaim claim_;
    std::unique_ptr<LeaseKeeper> keeper_;
    const storage::Clock& clock_;
    const print::PrintOptions& printing_;
    mutable std::mutex mutex_;
    std::condition_variable idle_;
    std::deque<std::int64_t> queue_;
    std::optional<std::int64_t> running_;
    std::atomic<std::int64_t> read_{0};
    std::atomic<std::int64_t> ceiling_{1};
    WorkerLoop loop_{mutex_};  // last: the worker stops before the rest goes
};

}  // namespace dangan::server
