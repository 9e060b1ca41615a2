#pragma once
// An embedded archive's database moved up into PostgreSQL (`dangan migrate --from DIR --to URL`):
// every table copied row for row into a PostgreSQL database, the search indexes rebuilt from the
// same bigrams, and the copy proved (each table's rows counted on both sides, the audit log's
// hash chain checked on the copy). A run that was stopped goes on where it was: rows already there
// are left. The server on DIR must be stopped first (its database is read as one snapshot a table).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace dangan::storage {

struct TableCopy {
    std::string table;
    std::int64_t rows = 0;          // in the source (and, proved, in the copy)
    std::int64_t alreadyThere = 0;  // found in the copy from an earlier run
};

struct DatabaseMigrationReport {
    std::vector<TableCopy> tables;
    std::int64_t auditEntries = 0;
    std::optional<std::int64_t> firstBrokenAuditEntry;  // in the copy; nothing when the chain holds
};

// Copies the SQLite archive `sqliteFile` into the PostgreSQL database `url` (made to the current
// schema when new). `progress` hears each table as it is done. Throws StorageError when it cannot
// (a table the copy does not know, a count that differs afterwards, the server away).
[[nodiscard]] DatabaseMigrationReport migrateDatabase(const std::filesystem::path& sqliteFile, const std::string& url,
                                                      const std::function<void(const TableCopy&)>& progress = {});

}  // namespace dangan::storage
