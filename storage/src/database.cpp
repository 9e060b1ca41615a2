#include "dangan/storage/database.h"

#include <sqlite3.h>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>

#include <chrono>
#include <fstream>
#include <cstring>

#include "schema.h"

namespace dangan::storage {
namespace {

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
    std::string message = what + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
    if (db && (sqlite3_extended_errcode(db) & 0xff) == SQLITE_FULL) throw StorageFullError(message);
    throw StorageError(message);
}

}  // namespace

// ---- Statement ----

Statement::~Statement() {
    if (stmt_) {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }
}

void Statement::check(int rc, const char* what) const {
    if (rc != SQLITE_OK) fail(db_, what);
}

Statement& Statement::bind(int index, std::int64_t value) {
    check(sqlite3_bind_int64(stmt_, index, value), "bind integer");
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    check(sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                            SQLITE_TRANSIENT),
          "bind text");
    return *this;
}

Statement& Statement::bind(int index, const Digest& value) {
    check(sqlite3_bind_blob(stmt_, index, value.data(), static_cast<int>(value.size()),
                            SQLITE_TRANSIENT),
          "bind digest");
    return *this;
}

Statement& Statement::bindNull(int index) {
    check(sqlite3_bind_null(stmt_, index), "bind null");
    return *this;
}

bool Statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(db_, std::string("step \"") + sqlite3_sql(stmt_) + "\"");
}

void Statement::run() {
    while (step()) {
    }
}

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::optional<std::int64_t> Statement::optionalInt64(int column) const {
    if (isNull(column)) return std::nullopt;
    return int64(column);
}

std::string Statement::text(int column) const {
    const auto* p = sqlite3_column_text(stmt_, column);
    int n = sqlite3_column_bytes(stmt_, column);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n))
             : std::string();
}

Digest Statement::digest(int column) const {
    Digest d{};
    const void* p = sqlite3_column_blob(stmt_, column);
    if (p && sqlite3_column_bytes(stmt_, column) == static_cast<int>(d.size()))
        std::memcpy(d.data(), p, d.size());
    return d;
}

bool Statement::isNull(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

// ---- Connection ----

Connection::Connection(const std::filesystem::path& path, bool writer, int busyTimeoutMs,
                       int cacheKib, const Clock& clock)
    : clock_(clock) {
    int flags = SQLITE_OPEN_NOMUTEX | (writer ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                              : SQLITE_OPEN_READWRITE);
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
        std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw StorageError("cannot open database " + path.string() + ": " + message);
    }
    sqlite3_busy_timeout(db_, busyTimeoutMs);
    sqlite3_extended_result_codes(db_, 1);
    exec("PRAGMA foreign_keys=ON");
    exec("PRAGMA cache_size=-" + std::to_string(cacheKib));
    exec("PRAGMA temp_store=MEMORY");
    if (writer) {
        exec("PRAGMA journal_mode=WAL");
        // Every acknowledged change survives power loss, not only a crash of the process.
        exec("PRAGMA synchronous=FULL");
    }
}

Connection::~Connection() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
}

void Connection::exec(std::string_view sql) {
    char* error = nullptr;
    std::string text(sql);
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        std::string message = error ? error : sqlite3_errmsg(db_);
        sqlite3_free(error);
        message = "SQL failed (" + text.substr(0, 60) + "): " + message;
        if ((sqlite3_extended_errcode(db_) & 0xff) == SQLITE_FULL) throw StorageFullError(message);
        throw StorageError(message);
    }
}

Statement Connection::prepare(std::string_view sql) {
    std::string key(sql);
    auto it = cache_.find(key);
    if (it == cache_.end()) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v3(db_, key.c_str(), static_cast<int>(key.size()),
                               SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK)
            fail(db_, "prepare \"" + key + "\"");
        it = cache_.emplace(std::move(key), stmt).first;
    }
    return Statement(db_, it->second);
}

std::int64_t Connection::lastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }
int Connection::changes() const { return sqlite3_changes(db_); }

// ---- Database ----

Database::Database(DatabaseOptions options) : options_(std::move(options)) {
    if (!options_.clock) options_.clock = systemClock();
}

Database::~Database() = default;

std::unique_ptr<Database> Database::open(const DatabaseOptions& options) {
    std::unique_ptr<Database> db(new Database(options));
    db->writer_ = std::make_unique<Connection>(options.path, true, options.busyTimeoutMs,
                                               options.cacheKib, db->clock());
    db->migrate();
    for (int i = 0; i < options.readers; ++i) {
        db->readers_.push_back(std::make_unique<Connection>(options.path, false,
                                                            options.busyTimeoutMs, options.cacheKib, db->clock()));
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

int Database::schemaVersion() {
    std::lock_guard lock(writeMutex_);
    auto stmt = writer_->prepare("PRAGMA user_version");
    return stmt.step() ? static_cast<int>(stmt.int64(0)) : 0;
}

void Database::migrate() {
    int current = schemaVersion();
    const auto& migrations = schemaMigrations();
    for (const auto& migration : migrations) {
        if (migration.version <= current) continue;
        write([&](Connection& c) {
            c.exec(migration.sql);
            c.exec("PRAGMA user_version=" + std::to_string(migration.version));
        });
    }
    int latest = migrations.empty() ? 0 : migrations.back().version;
    if (current > latest)
        throw StorageError("database schema version " + std::to_string(current) +
                           " is newer than this program (" + std::to_string(latest) + ")");
}

}  // namespace dangan::storage
