#pragma once
// Background work that one node does at a time (a batch to clean and file, a completeness audit),
// held by a lease in the database. The node doing the work renews its lease while it works; when
// a node dies its leases run out and another node claims the work and finishes it. On one SQLite
// archive the one server holds every lease; the leases matter there only for work a node of
// another name left (an archive restored into another folder).

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace dangan::storage {

// The kinds of leased work: the table each lives in, with its `node` and `lease_until` columns and
// its unfinished states ('queued', 'running').
enum class LeasedWork { Batch, Audit };

// Who takes a new piece of work, and for how long before renewal.
struct WorkClaim {
    std::string node;
    std::chrono::milliseconds lease{60000};
};

class WorkLeaseStore {
public:
    virtual ~WorkLeaseStore() = default;
    // Extends every lease `node` holds on unfinished work of `kind`; returns the work it holds.
    virtual std::vector<std::int64_t> renew(LeasedWork kind, const std::string& node, std::chrono::milliseconds lease) = 0;
    // Claims for `node`, oldest first, at most `limit` unfinished pieces of work whose lease ran
    // out (their node died or went away); a piece another node claimed meanwhile is not taken.
    virtual std::vector<std::int64_t> claimAbandoned(LeasedWork kind, const std::string& node,
                                                     std::chrono::milliseconds lease, int limit) = 0;
    // Whether `node` still holds the lease on `id` (false once another node took it over).
    [[nodiscard]] virtual bool holds(LeasedWork kind, std::int64_t id, const std::string& node) = 0;
};

}  // namespace dangan::storage
