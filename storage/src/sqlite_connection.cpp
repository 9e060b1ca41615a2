// The embedded engine: one SQLite connection with its cache of prepared statements.

#include <sqlite3.h>

#include <cstring>
#include <unordered_map>

#include "sql_driver.h"

namespace dangan::storage {
namespace {

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
    std::string message = what + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
    if (db && (sqlite3_extended_errcode(db) & 0xff) == SQLITE_FULL) throw StorageFullError(message);
    throw StorageError(message);
}

class SqliteCursor final : public StatementCursor {
public:
    SqliteCursor(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
    ~SqliteCursor() override { sqlite3_finalize(stmt_); }
    SqliteCursor(const SqliteCursor&) = delete;
    SqliteCursor& operator=(const SqliteCursor&) = delete;

    void bind(int index, std::int64_t value) override { check(sqlite3_bind_int64(stmt_, index, value), "bind integer"); }
    void bind(int index, std::string_view value) override {
        check(sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT), "bind text");
    }
    void bind(int index, const Digest& value) override {
        check(sqlite3_bind_blob(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT), "bind digest");
    }
    void bindNull(int index) override { check(sqlite3_bind_null(stmt_, index), "bind null"); }

    bool step() override {
        int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        fail(db_, std::string("step \"") + sqlite3_sql(stmt_) + "\"");
    }

    std::int64_t int64(int column) const override { return sqlite3_column_int64(stmt_, column); }
    std::string text(int column) const override {
        const auto* p = sqlite3_column_text(stmt_, column);
        int n = sqlite3_column_bytes(stmt_, column);
        return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
    }
    Digest digest(int column) const override {
        Digest d{};
        const void* p = sqlite3_column_blob(stmt_, column);
        if (p && sqlite3_column_bytes(stmt_, column) == static_cast<int>(d.size())) std::memcpy(d.data(), p, d.size());
        return d;
    }
    bool isNull(int column) const override { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
    void reset() override {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }

private:
    void check(int rc, const char* what) const {
        if (rc != SQLITE_OK) fail(db_, what);
    }
    sqlite3* db_;
    sqlite3_stmt* stmt_;
};

class SqliteConnection final : public Connection {
public:
    SqliteConnection(const std::filesystem::path& path, bool writer, int busyTimeoutMs, int cacheKib, const Clock& clock)
        : Connection(clock) {
        int flags = SQLITE_OPEN_NOMUTEX | (writer ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READWRITE);
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

    ~SqliteConnection() override {
        cache_.clear();
        sqlite3_close(db_);
    }

    void exec(std::string_view sql) override {
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

    Statement prepare(std::string_view sql) override {
        std::string key(sql);
        auto it = cache_.find(key);
        if (it == cache_.end()) {
            sqlite3_stmt* stmt = nullptr;
            if (sqlite3_prepare_v3(db_, key.c_str(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                                   nullptr) != SQLITE_OK)
                fail(db_, "prepare \"" + key + "\"");
            auto cursor = std::make_unique<SqliteCursor>(db_, stmt);
            it = cache_.emplace(std::move(key), std::move(cursor)).first;
        }
        return Statement(it->second.get());
    }

    std::int64_t lastInsertRowId() override { return sqlite3_last_insert_rowid(db_); }
    int changes() const override { return sqlite3_changes(db_); }
    Dialect dialect() const override { return Dialect::Sqlite; }

private:
    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, std::unique_ptr<SqliteCursor>> cache_;
};

}  // namespace

std::unique_ptr<Connection> openSqliteConnection(const std::filesystem::path& path, bool writer, int busyTimeoutMs,
                                                 int cacheKib, const Clock& clock) {
    return std::make_unique<SqliteConnection>(path, writer, busyTimeoutMs, cacheKib, clock);
}

}  // namespace dangan::storage
