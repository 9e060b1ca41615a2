#include "dangan/storage/database.h"

#include "schema.h"
#include "sql_driver.h"

namespace dangan::storage {
namespace {

// The key of the advisory lock every writing transaction of every node holds on PostgreSQL.
constexpr const char* kPostgresWriteLock = "SELECT pg_advisory_xact_lock(7401530001)";
// The key of the session advisory lock the node leading the background work holds.
constexpr std::int64_t kLeadLock = 7401530002;

}  // namespace

// ---- Statement ----

Statement::~Statement() {
    if (cursor_) cursor_->reset();
}

Statement& Statement::bind(int index, std::int64_t value) {
    cursor_->bind(index, value);
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    cursor_->bind(index, value);
    return *this;
}

Statement& Statement::bind(int index, const Digest& value) {
    cursor_->bind(index, value);
    return *this;
}

Statement& Statement::bindNull(int index) {
    cursor_->bindNull(index);
    return *this;
}

Statement& Statement::send() {
    cursor_->send();
    return *this;
}

bool Statement::step() { return cursor_->step(); }

void Statement::run() {
    while (step()) {
    }
}

std::int64_t Statement::int64(int column) const { return cursor_->int64(column); }

std::optional<std::int64_t> Statement::optionalInt64(int column) const {
    if (isNull(column)) return std::nullopt;
    return int64(column);
}

std::string Statement::text(int column) const { return cursor_->text(column); }
Digest Statement::digest(int column) const { return cursor_->digest(column); }
bool Statement::isNull(int column) const { return cursor_->isNull(column); }

void Connection::copyIn(std::string_view table, const std::vector<std::string>&, const std::function<bool(CopyRow&)>&) {
    throw StorageError("a bulk copy into " + std::string(table) + " is PostgreSQL's; this database has none");
}

// ---- Database ----

Database::Database(DatabaseOptions options)
    : options_(std::move(options)), dialect_(options_.url.empty() ? Dialect::Sqlite : Dialect::Postgresql) {
    if (!options_.clock) options_.clock = systemClock();
    if (dialect_ == Dialect::Sqlite) {
        beginRead_ = "BEGIN";
        beginWrite_ = "BEGIN IMMEDIATE";
    } else {
        if (!isPostgresUrl(options_.url))
            throw StorageError("the database must be named postgresql://USER@HOST:PORT/DB, not " + options_.url);
        // A read sees one snapshot of every node's committed writes, as SQLite's read transaction does.
        beginRead_ = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
        beginWrite_ = std::string("BEGIN; ") + kPostgresWriteLock;
    }
}

Database::~Database() = default;

std::unique_ptr<Connection> Database::connect(bool writer) {
    if (dialect_ == Dialect::Postgresql) return openPostgresConnection(options_.url, clock());
    return openSqliteConnection(options_.path, writer, options_.busyTimeoutMs, options_.cacheKib, clock());
}

std::unique_ptr<Database> Database::open(const DatabaseOptions& options) {
    std::unique_ptr<Database> db(new Database(options));
    db->writer_ = db->connect(true);
    db->migrate();
    for (int i = 0; i < options.readers; ++i) {
        db->readers_.push_back(db->connect(false));
        db->idle_.push_back(db->readers_.back().get());
    }
    return db;
}

Database::Lease::Lease(Database& d) : db(d) {
    std::unique_lock lock(db.poolMutex_);
    db.poolAvailable_.wait(lock, [this] { return !db.idle_.empty(); });
    connection = db.idle_.back();
    db.idle_.pop_back();
}

Database::Lease::~Lease() {
    {
        std::lock_guard lock(db.poolMutex_);
        db.idle_.push_back(connection);
    }
    db.poolAvailable_.notify_one();
}

namespace {
// The SharedReads open on this thread, innermost last.
thread_local std::vector<std::pair<const Database*, Connection*>> tSharedReads;
}  // namespace

Connection* Database::sharedReadConnection() const {
    for (auto it = tSharedReads.rbegin(); it != tSharedReads.rend(); ++it)
        if (it->first == this) return it->second;
    return nullptr;
}

SharedRead::SharedRead(Database& db) : db_(db) {
    if (db.sharedReadConnection()) return;
    lease_.emplace(db);
    lease_->connection->beginRead(db.beginRead_);
    tSharedReads.emplace_back(&db, lease_->connection);
}

SharedRead::~SharedRead() {
    if (!lease_) return;
    std::erase_if(tSharedReads, [&](const auto& open) { return open.first == &db_; });
    try {
        lease_->connection->endRead();
    } catch (...) {
        // A read transaction has nothing to keep; the connection's next BEGIN starts afresh.
    }
}

bool Database::tryLead() {
    std::lock_guard lock(leaseMutex_);
    if (dialect_ == Dialect::Sqlite) return leading_ = true;
    if (leading_) return true;
    try {
        if (!lease_) lease_ = openPostgresConnection(options_.url, clock());
        auto take = lease_->prepare("SELECT pg_try_advisory_lock(?)");
        take.bind(1, kLeadLock);
        leading_ = take.step() && take.int64(0) == 1;
    } catch (const StorageError&) {
        lease_.reset();  // the server is away: try again with a new connection next time
        leading_ = false;
    }
    return leading_;
}

bool Database::stillLeading() {
    std::lock_guard lock(leaseMutex_);
    if (dialect_ == Dialect::Sqlite || !leading_) return leading_;
    try {
        // The lock lives as long as the connection's session: a session the server ended (a
        // restart, a network cut) holds nothing, even if the connection could be opened again.
        auto held = lease_->prepare(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted"
            " AND (classid::bigint << 32 | objid::bigint) = ?");
        held.bind(1, kLeadLock);
        leading_ = held.step() && held.int64(0) > 0;
    } catch (const StorageError&) {
        leading_ = false;
    }
    if (!leading_) lease_.reset();
    return leading_;
}

namespace {

// The schema version recorded in the database: SQLite's user_version, PostgreSQL's schema_version
// row (0 for a new database).
int recordedVersion(Connection& c) {
    if (c.dialect() == Dialect::Sqlite) {
        auto stmt = c.prepare("PRAGMA user_version");
        return stmt.step() ? static_cast<int>(stmt.int64(0)) : 0;
    }
    auto stmt = c.prepare("SELECT max(version) FROM schema_version");
    return stmt.step() && !stmt.isNull(0) ? static_cast<int>(stmt.int64(0)) : 0;
}

void recordVersion(Connection& c, int version) {
    if (c.dialect() == Dialect::Sqlite) {
        c.exec("PRAGMA user_version=" + std::to_string(version));
        return;
    }
    c.exec("DELETE FROM schema_version");
    c.prepare("INSERT INTO schema_version(version) VALUES(?)").bind(1, std::int64_t{version}).run();
}

}  // namespace

std::vector<std::string> Database::integrityProblems() {
    return read([](Connection& c) {
        std::vector<std::string> problems;
        if (c.dialect() == Dialect::Sqlite) {
            auto check = c.prepare("PRAGMA integrity_check");
            while (check.step())
                if (auto line = check.text(0); line != "ok") problems.push_back(line);
            return problems;
        }
        auto empty = c.prepare("SELECT d.id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM pages p WHERE p.document_id = d.id)");
        while (empty.step()) problems.push_back("document " + std::to_string(empty.int64(0)) + " has no pages");
        return problems;
    });
}

int Database::schemaVersion() {
    return read([](Connection& c) { return recordedVersion(c); });
}

void Database::migrate() {
    const auto& migrations = dialect_ == Dialect::Sqlite ? schemaMigrations() : postgresMigrations();
    int latest = migrations.empty() ? 0 : migrations.back().version;
    if (dialect_ == Dialect::Postgresql)
        write([](Connection& c) { c.exec("CREATE TABLE IF NOT EXISTS schema_version(version BIGINT NOT NULL)"); });
    // (The readers are not open yet: the writer reads the version.)
    int current = write([](Connection& c) { return recordedVersion(c); });
    for (const auto& migration : migrations) {
        if (migration.version <= current) continue;
        // Read again inside the migration's own write transaction: two nodes starting together on
        // one PostgreSQL database apply every migration once.
        current = write([&](Connection& c) {
            if (recordedVersion(c) < migration.version) {
                c.exec(migration.sql);
                recordVersion(c, migration.version);
            }
            return recordedVersion(c);
        });
    }
    if (current > latest)
        throw StorageError("database schema version " + std::to_string(current) + " is newer than this program (" +
                           std::to_string(latest) + ")");
}

}  // namespace dangan::storage
