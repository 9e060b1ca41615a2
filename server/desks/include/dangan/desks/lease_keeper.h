#pragma once
// A node's hold on one kind of leased background work (batches, audits): a thread that, every
// third of the lease, renews the leases this node holds and, when the desk has room for more,
// claims work whose node died (its lease ran out) and hands it to the desk. The desk asks
// `holds()` before each step that must happen once (filing a document, finishing an audit), so
// that a node that was cut off past its lease leaves the work to the node that took it over.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "dangan/storage/work_leases.h"

namespace dangan::server {

class LeaseKeeper {
public:
    // `hungry` says whether the desk takes more work now; `found` receives the work claimed.
    LeaseKeeper(storage::WorkLeaseStore& leases, storage::LeasedWork kind, storage::WorkClaim claim,
                std::function<bool()> hungry, std::function<void(const std::vector<std::int64_t>&)> found);
    ~LeaseKeeper();  // stops renewing: the leases run out unless the node starts again
    LeaseKeeper(const LeaseKeeper&) = delete;
    LeaseKeeper& operator=(const LeaseKeeper&) = delete;

    // Whether this node still holds `id` (asked of the database).
    [[nodiscard]] bool holds(std::int64_t id);

private:
    void keep(std::stop_token stop);

    storage::WorkLeaseStore& leases_;
    const storage::LeasedWork kind_;
    const storage::WorkClaim claim_;
    std::function<bool()> hungry_;
    std::function<void(const std::vector<std::int64_t>&)> found_;
    std::mutex mutex_;
    std::condition_variable_any wake_;
    std::jthread thread_;  // last: stops before the rest goes
};

}  // namespace dangan::server
