#include "dangan/desks/lease_keeper.h"

#include <Poco/Logger.h>

#include <algorithm>

namespace dangan::server {

LeaseKeeper::LeaseKeeper(storage::WorkLeaseStore& leases, storage::LeasedWork kind, storage::WorkClaim claim,
                         std::function<bool()> hungry, std::function<void(const std::vector<std::int64_t>&)> found)
    : leases_(leases), kind_(kind), claim_(std::move(claim)), hungry_(std::move(hungry)), found_(std::move(found)),
      thread_([this](std::stop_token stop) { keep(stop); }) {}

LeaseKeeper::~LeaseKeeper() {
    thread_.request_stop();
    wake_.notify_all();
}

bool LeaseKeeper::holds(std::int64_t id) { return leases_.holds(kind_, id, claim_.node); }

void LeaseKeeper::keep(std::stop_token stop) {
    const auto tick = std::max(std::chrono::milliseconds(100), claim_.lease / 3);
    const char* what = kind_ == storage::LeasedWork::Batch ? "batches" : "audits";
    while (!stop.stop_requested()) {
        try {
            (void)leases_.renew(kind_, claim_.node, claim_.lease);
            if (hungry_()) {
                auto claimed = leases_.claimAbandoned(kind_, claim_.node, claim_.lease, 1);
                if (!claimed.empty()) {
                    Poco::Logger::get("dangan").information("this node takes over %s %s, whose node stopped renewing its lease",
                                                            std::string(what), std::to_string(claimed.front()));
                    found_(claimed);
                }
            }
        } catch (const std::exception& e) {
            // The database away for a moment: the next tick tries again (the lease lasts three).
            Poco::Logger::get("dangan").warning("the leases on %s could not be renewed: %s", std::string(what), std::string(e.what()));
        }
        std::unique_lock lock(mutex_);
        (void)wake_.wait_for(lock, stop, tick, [] { return false; });
    }
}

}  // namespace dangan::server
