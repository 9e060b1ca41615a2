#pragma once
// The embedded SQLite database: one serialized writer connection and a pool of readers over a
// WAL-mode file, so readers never wait for writers and writers never see "database is locked".
//
// Error policy: SQL and I/O failures are unexpected and throw StorageError; absent rows are
// expressed by the repositories as std::optional.

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "dangan/storage/clock.h"
#include "dangan/storage/sha256.h"

struct sqlite3;
struct sqlite3_stmt;

namespace dangan::storage {

class StorageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The disk that holds the data folder is full (ENOSPC, EDQUOT, SQLITE_FULL): nothing of the write
// that met it was kept (the image's staged file is removed, the transaction rolled back), and the
// same write succeeds once space is freed. Answered 507 over HTTP; a batch meeting it waits.
class StorageFullError : public StorageError {
public:
    using StorageError::StorageError;
};

// A prepared statement borrowed from its connection's cache. Resets itself (ending any read it
// holds open) when it goes out of scope. Not thread-safe: used by the thread holding the
// connection.
class Statement {
public:
    Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
    ~Statement();
    Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement& operator=(Statement&&) = delete;

    // Parameters are 1-based, as in SQLite.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const Digest& value);
    Statement& bindNull(int index);
    Statement& bind(int index, const std::optional<std::int64_t>& value) {
        return value ? bind(index, *value) : bindNull(index);
    }

    // Advances to the next row; false when there are no more.
    [[nodiscard]] bool step();
    // Runs a statement that returns no rows.
    void run();

    // Columns are 0-based.
    [[nodiscard]] std::int64_t int64(int column) const;
    [[nodiscard]] std::optional<std::int64_t> optionalInt64(int column) const;
    [[nodiscard]] std::string text(int column) const;
    [[nodiscard]] Digest digest(int column) const;
    [[nodiscard]] bool isNull(int column) const;

private:
    void check(int rc, const char* what) const;
    sqlite3* db_;
    sqlite3_stmt* stmt_;
};

// One SQLite connection with a cache of prepared statements.
class Connection {
public:
    Connection(const std::filesystem::path& path, bool writer, int busyTimeoutMs, int cacheKib, const Clock& clock);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Executes one or more statements with no parameters.
    void exec(std::string_view sql);
    // Returns a cached prepared statement for `sql`.
    [[nodiscard]] Statement prepare(std::string_view sql);
    [[nodiscard]] std::int64_t lastInsertRowId() const;
    [[nodiscard]] int changes() const;
    // The archive's clock, for instants recorded inside a transaction.
    [[nodiscard]] const Clock& clock() const { return clock_; }

private:
    const Clock& clock_;
    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

struct DatabaseOptions {
    std::filesystem::path path;   // the database file; created when missing
    int readers = 16;             // size of the reader pool (about the number of HTTP threads)
    int busyTimeoutMs = 30000;    // how long a connection waits for a lock held by another process
    int cacheKib = 16384;         // page cache per connection
    std::shared_ptr<const Clock> clock;  // the archive's clock; null: the system clock
};

class Database {
public:
    // Opens or creates the database and applies pending migrations. Throws StorageError.
    [[nodiscard]] static std::unique_ptr<Database> open(const DatabaseOptions& options);
    ~Database();

    // Runs `fn(Connection&)` inside one read transaction (a consistent snapshot).
    template <class Fn>
    auto read(Fn&& fn) -> std::invoke_result_t<Fn, Connection&> {
        Lease lease(*this);
        lease.connection->exec("BEGIN");
        struct End {
            Connection* c;
            ~End() {
                try {
                    c->exec("COMMIT");
                } catch (...) {
                }
            }
        } end{lease.connection};
        return fn(*lease.connection);
    }

    // Runs `fn(Connection&)` inside one write transaction, serialized with every other write of
    // this process. Commits (durably: synchronous=FULL) when fn returns, rolls back if it throws.
    template <class Fn>
    auto write(Fn&& fn) -> std::invoke_result_t<Fn, Connection&> {
        std::lock_guard lock(writeMutex_);
        writer_->exec("BEGIN IMMEDIATE");
        try {
            if constexpr (std::is_void_v<std::invoke_result_t<Fn, Connection&>>) {
                fn(*writer_);
                writer_->exec("COMMIT");
            } else {
                auto result = fn(*writer_);
                writer_->exec("COMMIT");
                return result;
            }
        } catch (...) {
            try {
                writer_->exec("ROLLBACK");
            } catch (...) {
            }
            throw;
        }
    }

    // Like write(), for a change that may be refused part-way: fn's result says whether to keep
    // it. Commits when `keep(result)` holds; otherwise rolls back what fn did before it refused,
    // and returns the result (the refusal) all the same. A refusal is a value, not an exception.
    template <class Fn, class Keep>
    auto writeIf(Fn&& fn, Keep keep) -> std::invoke_result_t<Fn, Connection&> {
        std::lock_guard lock(writeMutex_);
        writer_->exec("BEGIN IMMEDIATE");
        try {
            auto result = fn(*writer_);
            writer_->exec(keep(result) ? "COMMIT" : "ROLLBACK");
            return result;
        } catch (...) {
            try {
                writer_->exec("ROLLBACK");
            } catch (...) {
                // The connection lost its transaction already; the first error is the one to report.
            }
            throw;
        }
    }

    [[nodiscard]] int schemaVersion();
    [[nodiscard]] const std::filesystem::path& path() const { return options_.path; }
    // The clock every recorded instant is read from.
    [[nodiscard]] const Clock& clock() const { return *options_.clock; }
    [[nodiscard]] std::shared_ptr<const Clock> sharedClock() const { return options_.clock; }

private:
    explicit Database(DatabaseOptions options);
    struct Lease {
        explicit Lease(Database& db);
        ~Lease();
        Database& db;
        Connection* connection;
    };
    void migrate();

    DatabaseOptions options_;
    std::mutex writeMutex_;
    std::unique_ptr<Connection> writer_;
    std::mutex poolMutex_;
    std::condition_variable poolAvailable_;
    std::vector<std::unique_ptr<Connection>> readers_;
    std::vector<Connection*> idle_;
};

}  // namespace dangan::storage
