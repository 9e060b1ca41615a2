#pragma once
// The embedded SQLite database: one serialized writer connection and a pool of readers over a
// WAL-mode file, so readers never wait for writers and writers never see "database is locked".
//
// Error policy: SQL and I/O failures are unexpected and throw StorageError; absent rows are
// expressed by the repositories as std::optional.

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
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

#include "dangan/storage/answer_ahead.h"
#include "dangan/storage/clock.h"
#include "dangan/storage/sha256.h"

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

// Which SQL a connection speaks. The repositories write SQL both engines accept; where the two
// differ (the search index above all) they ask the connection.
enum class Dialect { Sqlite, Postgresql };

class StatementCursor;

// A prepared statement borrowed from its connection's cache. Resets itself (ending any read it
// holds open) when it goes out of scope. Not thread-safe: used by the thread holding the
// connection. Placeholders are `?` or `?N`, whatever the engine.
class Statement {
public:
    explicit Statement(StatementCursor* cursor) : cursor_(cursor) {}
    ~Statement();
    Statement(Statement&& other) noexcept : cursor_(other.cursor_) { other.cursor_ = nullptr; }
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

    // Sends the statement with its parameters bound, without waiting for its answer: on
    // PostgreSQL the statements a thread sends one after another go to the server together, in one
    // pipeline, and come back together at the first step of any of them (one round trip for
    // several independent reads). SQLite, in process, runs it at its first step as ever. A failure
    // is reported at the statement's first step.
    Statement& send();
    // Advances to the next row; false when there are no more.
    [[nodiscard]] bool step();
    // Runs a statement that returns no rows.
    void run();

    // Columns are 0-based. A boolean column reads as 0 or 1.
    [[nodiscard]] std::int64_t int64(int column) const;
    [[nodiscard]] std::optional<std::int64_t> optionalInt64(int column) const;
    [[nodiscard]] std::string text(int column) const;
    [[nodiscard]] Digest digest(int column) const;
    [[nodiscard]] bool isNull(int column) const;

private:
    StatementCursor* cursor_;
};

// One connection to the archive's database, with a cache of prepared statements: SQLite's
// embedded file or a PostgreSQL server.
class Connection {
public:
    virtual ~Connection() = default;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Executes one or more statements with no parameters.
    virtual void exec(std::string_view sql) = 0;
    // Begins a read transaction with `sql`. PostgreSQL's connection sends it together with the
    // transaction's first statement (one round trip to the server instead of two).
    virtual void beginRead(std::string_view sql) { exec(sql); }
    // Ends a read transaction. A read-only transaction has nothing to keep, so PostgreSQL's
    // connection sends its COMMIT without waiting for the answer, and reads the answer before
    // its next statement (the server ends the transaction at once; the caller saves a round trip).
    virtual void endRead() { exec("COMMIT"); }
    // The next statement runs alone, outside any transaction (one statement sees one snapshot by
    // itself on both engines): no BEGIN or COMMIT to pay for.
    virtual void beginAlone() {}
    // Returns a cached prepared statement for `sql`.
    [[nodiscard]] virtual Statement prepare(std::string_view sql) = 0;
    // The key given to the row the last INSERT made (its INTEGER PRIMARY KEY / identity column).
    [[nodiscard]] virtual std::int64_t lastInsertRowId() = 0;
    // Rows changed by the last INSERT, UPDATE or DELETE.
    [[nodiscard]] virtual int changes() const = 0;
    [[nodiscard]] virtual Dialect dialect() const = 0;
    // Loads rows into `table`'s `columns` in bulk, as PostgreSQL's COPY … FROM STDIN: `next` fills
    // one row (each value in PostgreSQL's text input form, nullopt for NULL) and returns false
    // after the last. Used by the migration of an archive; SQLite has no such path and throws.
    using CopyRow = std::vector<std::optional<std::string>>;
    virtual void copyIn(std::string_view table, const std::vector<std::string>& columns,
                        const std::function<bool(CopyRow&)>& next);
    // The archive's clock, for instants recorded inside a transaction.
    [[nodiscard]] const Clock& clock() const { return clock_; }

protected:
    explicit Connection(const Clock& clock) : clock_(clock) {}

private:
    const Clock& clock_;
};

struct DatabaseOptions {
    std::filesystem::path path;   // the SQLite database file; created when missing
    // A PostgreSQL server instead of the file: postgresql://USER@HOST:PORT/DB (libpq's URI; the
    // password comes from PGPASSWORD or a password file, never the URL). Empty: SQLite at path.
    std::string url;
    int readers = 16;             // size of the reader pool (about the number of HTTP threads)
    int busyTimeoutMs = 30000;    // how long a connection waits for a lock held by another process
    int cacheKib = 16384;         // page cache per connection (SQLite)
    std::shared_ptr<const Clock> clock;  // the archive's clock; null: the system clock
};

class Database {
public:
    // Opens or creates the database and applies pending migrations. Throws StorageError.
    [[nodiscard]] static std::unique_ptr<Database> open(const DatabaseOptions& options);
    ~Database();

    // Runs `fn(Connection&)` inside one read transaction (a consistent snapshot): the one of a
    // SharedRead open on this thread, if there is one, else its own.
    template <class Fn>
    auto read(Fn&& fn) -> std::invoke_result_t<Fn, Connection&> {
        if (Connection* shared = sharedReadConnection()) return fn(*shared);
        Lease lease(*this);
        lease.connection->beginRead(beginRead_);
        struct End {
            Connection* c;
            ~End() {
                try {
                    c->endRead();
                } catch (...) {
                    // A read transaction has nothing to keep; the next BEGIN starts afresh.
                }
            }
        } end{lease.connection};
        return fn(*lease.connection);
    }

    // Runs `fn(Connection&)`, which must make exactly one statement, with no transaction of its
    // own: a single statement reads one consistent snapshot by itself, so a read of one statement
    // (the session behind every request) needs no BEGIN and COMMIT. Inside a SharedRead it joins
    // that transaction, as `read` does.
    template <class Fn>
    auto readAlone(Fn&& fn) -> std::invoke_result_t<Fn, Connection&> {
        if (Connection* shared = sharedReadConnection()) return fn(*shared);
        Lease lease(*this);
        lease.connection->beginAlone();
        return fn(*lease.connection);
    }

    // Runs `fn(Connection&)` inside one write transaction, serialized with every other write of
    // this process and, on PostgreSQL, of every node on the database (a transaction-scoped advisory
    // lock): the repositories' read-then-write steps (the audit chain's head, the next archive
    // number, an item's open loan) need no lock of their own. Commits (durably) when fn returns,
    // rolls back if it throws.
    template <class Fn>
    auto write(Fn&& fn) -> std::invoke_result_t<Fn, Connection&> {
        std::lock_guard lock(writeMutex_);
        writer_->exec(beginWrite_);
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
        writer_->exec(beginWrite_);
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

    // The background work that must run on one node at a time (resuming batches, the hot folder,
    // the daily reminders) is led by the node holding this lease. SQLite's archive has one
    // server: it always holds it. On PostgreSQL it is a session advisory lock on a connection of
    // its own, which the server releases when the node's connection goes (the node dies, or is
    // cut off), so that another node can take it. tryLead() takes it if no node holds it;
    // stillLeading() says whether this node still does.
    [[nodiscard]] bool tryLead();
    [[nodiscard]] bool stillLeading();

    [[nodiscard]] int schemaVersion();
    // What the database's own check finds wrong: SQLite's integrity check of the file; on
    // PostgreSQL (whose files the server guards: checksums, pg_amcheck) a document without its
    // pages. Empty when it is whole.
    [[nodiscard]] std::vector<std::string> integrityProblems();
    [[nodiscard]] const std::filesystem::path& path() const { return options_.path; }
    [[nodiscard]] Dialect dialect() const { return dialect_; }
    // Whether a SharedRead is open on this thread on this database (reads asked ahead wait there).
    [[nodiscard]] bool sharesReads() const { return sharedReadConnection() != nullptr; }
    // The clock every recorded instant is read from.
    [[nodiscard]] const Clock& clock() const { return *options_.clock; }
    [[nodiscard]] std::shared_ptr<const Clock> sharedClock() const { return options_.clock; }

private:
    friend class SharedRead;
    explicit Database(DatabaseOptions options);
    // The connection of the SharedRead open on this thread on this database; null when none is.
    [[nodiscard]] Connection* sharedReadConnection() const;
    struct Lease {
        explicit Lease(Database& db);
        ~Lease();
        Database& db;
        Connection* connection;
    };
    void migrate();

    [[nodiscard]] std::unique_ptr<Connection> connect(bool writer);

    DatabaseOptions options_;
    Dialect dialect_;
    std::string beginRead_;
    std::string beginWrite_;
    std::mutex writeMutex_;
    std::unique_ptr<Connection> writer_;
    std::mutex poolMutex_;
    std::condition_variable poolAvailable_;
    std::vector<std::unique_ptr<Connection>> readers_;
    std::vector<Connection*> idle_;
    std::mutex leaseMutex_;
    std::unique_ptr<Connection> lease_;  // PostgreSQL: the connection holding the lead
    bool leading_ = false;
};

// While it lives, the reads this thread makes on `db` share one read transaction, one snapshot
// and one connection: a screen built of many repositories' reads (a customer's e-file) pays for
// one transaction instead of one a read, which on PostgreSQL is two round trips to the server
// fewer each. Reads of other threads, and writes, are not affected.
class SharedRead {
public:
    explicit SharedRead(Database& db);
    ~SharedRead();
    SharedRead(const SharedRead&) = delete;
    SharedRead& operator=(const SharedRead&) = delete;

private:
    Database& db_;
    std::optional<Database::Lease> lease_;  // none for a SharedRead inside another on the same database
};

}  // namespace dangan::storage
