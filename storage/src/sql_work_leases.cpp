// Leases on background work, in the work's own table (batches, audits): `node` holds it until
// `lease_until` (milliseconds since the epoch).
#include "dangan/storage/database.h"
#include "dangan/storage/work_leases.h"

namespace dangan::storage {
namespace {

const char* tableOf(LeasedWork kind) { return kind == LeasedWork::Batch ? "batches" : "audits"; }

class SqlWorkLeaseStore final : public WorkLeaseStore {
public:
    explicit SqlWorkLeaseStore(Database& db) : db_(db) {}

    std::vector<std::int64_t> renew(LeasedWork kind, const std::string& node, std::chrono::milliseconds lease) override {
        const std::string table = tableOf(kind);
        return db_.write([&](Connection& c) {
            c.prepare("UPDATE " + table + " SET lease_until = ? WHERE node = ? AND state IN ('queued', 'running')")
                .bind(1, db_.clock().nowMillis() + lease.count())
                .bind(2, node)
                .run();
            auto s = c.prepare("SELECT id FROM " + table + " WHERE node = ? AND state IN ('queued', 'running') ORDER BY id");
            s.bind(1, node);
            std::vector<std::int64_t> held;
            while (s.step()) held.push_back(s.int64(0));
            return held;
        });
    }

    std::vector<std::int64_t> claimAbandoned(LeasedWork kind, const std::string& node, std::chrono::milliseconds lease,
                                             int limit) override {
        const std::string table = tableOf(kind);
        const std::string abandoned = " state IN ('queued', 'running') AND lease_until < ?";
        // Looked for in a read, so that a sweep that finds nothing writes nothing.
        auto candidates = db_.read([&](Connection& c) {
            auto s = c.prepare("SELECT id FROM " + table + " WHERE" + abandoned + " ORDER BY id LIMIT ?");
            s.bind(1, db_.clock().nowMillis()).bind(2, std::int64_t{limit});
            std::vector<std::int64_t> ids;
            while (s.step()) ids.push_back(s.int64(0));
            return ids;
        });
        if (candidates.empty()) return {};
        return db_.write([&](Connection& c) {
            const std::int64_t now = db_.clock().nowMillis();
            std::vector<std::int64_t> claimed;
            for (auto id : candidates) {
                c.prepare("UPDATE " + table + " SET node = ?, lease_until = ? WHERE id = ? AND" + abandoned)
                    .bind(1, node)
                    .bind(2, now + lease.count())
                    .bind(3, id)
                    .bind(4, now)
                    .run();
                if (c.changes() == 1) claimed.push_back(id);
            }
            return claimed;
        });
    }

    bool holds(LeasedWork kind, std::int64_t id, const std::string& node) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare(std::string("SELECT 1 FROM ") + tableOf(kind) + " WHERE id = ? AND node = ?");
            s.bind(1, id).bind(2, node);
            return s.step();
        });
    }

private:
    Database& db_;
};

}  // namespace

std::unique_ptr<WorkLeaseStore> makeSqlWorkLeaseStore(Database& database) {
    return std::make_unique<SqlWorkLeaseStore>(database);
}

}  // namespace dangan::storage
