#pragma once
// The two engines behind Connection and Statement: what a statement of each must do, and how a
// connection to each is opened. Internal to the storage module.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "dangan/storage/database.h"

namespace dangan::storage {

// One prepared statement of one engine, owned by its connection's cache.
class StatementCursor {
public:
    virtual ~StatementCursor() = default;
    virtual void bind(int index, std::int64_t value) = 0;
    virtual void bind(int index, std::string_view value) = 0;
    virtual void bind(int index, const Digest& value) = 0;
    virtual void bindNull(int index) = 0;
    [[nodiscard]] virtual bool step() = 0;
    // Sends the statement without waiting for its answer, when the engine can (Statement::send).
    virtual void send() {}
    [[nodiscard]] virtual std::int64_t int64(int column) const = 0;
    [[nodiscard]] virtual std::string text(int column) const = 0;
    [[nodiscard]] virtual Digest digest(int column) const = 0;
    [[nodiscard]] virtual bool isNull(int column) const = 0;
    // Ends the statement's read and forgets its parameters, ready for the next use.
    virtual void reset() = 0;
};

// A connection to the SQLite file at `path`; the writer creates it when missing and sets WAL mode.
[[nodiscard]] std::unique_ptr<Connection> openSqliteConnection(const std::filesystem::path& path, bool writer,
                                                               int busyTimeoutMs, int cacheKib, const Clock& clock);

// A connection to the PostgreSQL server named by `url` (postgresql://USER@HOST:PORT/DB).
[[nodiscard]] std::unique_ptr<Connection> openPostgresConnection(const std::string& url, const Clock& clock);

// Whether `url` names a PostgreSQL server (postgresql:// or postgres://).
[[nodiscard]] bool isPostgresUrl(std::string_view url);

}  // namespace dangan::storage
