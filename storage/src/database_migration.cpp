#include "dangan/storage/database_migration.h"

#include <set>

#include "dangan/storage/database.h"
#include "dangan/storage/stores.h"
#include "search_sql.h"

namespace dangan::storage {
namespace {

// Every table of the schema at version 17, parents before children (foreign keys). The search
// indexes (FTS5 tables) are not here: they are rebuilt from their bigrams.
const std::vector<std::string>& copiedTables() {
    static const std::vector<std::string> kTables{
        "customers", "users", "processes", "documents", "blobs", "pages", "sessions", "audit_log", "archive_sequences",
        "scan_sheets", "batches", "batch_files", "batch_pages", "shelves", "containers", "paper_items", "paper_movements",
        "loans", "loan_items", "stocktakes", "stocktake_reads", "rule_versions", "business_events", "expectations",
        "audits", "audit_findings", "quality_states", "quality_reviews", "contract_terms", "spot_checks",
        "spot_check_items", "rectifications", "rectification_evidence", "page_readings", "reading_fields",
        "field_corrections", "link_decisions", "process_clocks", "calendar_years", "notification_runs", "notifications",
        "notified_items", "deliveries", "units"};
    return kTables;
}

// Tables the copy's triggers fill as the rows above go in, by rules that do not replay history (a
// waived expectation was counted open when it came in): replaced by the source's rows at the end.
const std::vector<std::string>& derivedTables() {
    static const std::vector<std::string> kTables{"open_due_days", "process_flight"};
    return kTables;
}

struct Column {
    std::string name;
    bool blob = false;
};

std::vector<Column> columnsOf(Database& source, const std::string& table) {
    return source.read([&](Connection& c) {
        std::vector<Column> columns;
        auto info = c.prepare("SELECT name, upper(type) FROM pragma_table_info(?)");
        info.bind(1, table);
        while (info.step()) columns.push_back({info.text(0), info.text(1) == "BLOB"});
        if (columns.empty()) throw StorageError("the archive has no table " + table);
        return columns;
    });
}

std::int64_t countRows(Database& db, const std::string& table) {
    return db.read([&](Connection& c) {
        auto s = c.prepare("SELECT count(*) FROM " + table);
        return s.step() ? s.int64(0) : 0;
    });
}

// Copies `table`'s rows in chunks of one write transaction each; with `replace`, the copy's rows
// are deleted first, in the first chunk's transaction.
void copyRows(Database& source, Database& target, const std::string& table, bool replace) {
    auto columns = columnsOf(source, table);
    std::string names, marks;
    for (const auto& column : columns) {
        names += (names.empty() ? "" : ", ") + column.name;
        marks += marks.empty() ? "?" : ", ?";
    }
    const std::string insert = "INSERT INTO " + table + "(" + names + ") VALUES(" + marks + ") ON CONFLICT DO NOTHING";
    constexpr int kChunk = 2000;
    source.read([&](Connection& from) {
        auto rows = from.prepare("SELECT " + names + " FROM " + table);
        bool more = rows.step();
        bool first = true;
        while (more || (first && replace)) {
            target.write([&](Connection& to) {
                if (first && replace) to.exec("DELETE FROM " + table);
                for (int n = 0; more && n < kChunk; ++n) {
                    auto put = to.prepare(insert);
                    for (std::size_t i = 0; i < columns.size(); ++i) {
                        int at = static_cast<int>(i);
                        if (rows.isNull(at)) {
                            put.bindNull(at + 1);
                        } else if (columns[i].blob) {
                            // Every BLOB of the schema is a SHA-256: anything else is refused, not cut to size.
                            if (rows.text(at).size() != Digest{}.size())
                                throw StorageError(table + "." + columns[i].name + " holds a value that is no SHA-256");
                            put.bind(at + 1, rows.digest(at));
                        } else {
                            put.bind(at + 1, rows.text(at));
                        }
                    }
                    put.run();
                    more = rows.step();
                }
            });
            first = false;
        }
    });
}

// The search indexes again, from the bigrams SQLite's FTS5 tables hold.
void rebuildSearch(Database& source, Database& target) {
    for (const auto& [table, page] : {std::pair{"customer_search", false}, std::pair{"page_text", true}}) {
        source.read([&, table = std::string(table), page = page](Connection& from) {
            auto rows = from.prepare("SELECT rowid, grams FROM " + table);
            bool more = rows.step();
            while (more) {
                target.write([&](Connection& to) {
                    for (int n = 0; more && n < 2000; ++n) {
                        if (page) {
                            unindexPage(to, rows.int64(0));
                            indexPage(to, rows.int64(0), rows.text(1));
                        } else {
                            indexCustomer(to, rows.int64(0), rows.text(1));
                        }
                        more = rows.step();
                    }
                });
            }
        });
    }
}

}  // namespace

DatabaseMigrationReport migrateDatabase(const std::filesystem::path& sqliteFile, const std::string& url,
                                        const std::function<void(const TableCopy&)>& progress) {
    if (!std::filesystem::exists(sqliteFile)) throw StorageError("no archive database at " + sqliteFile.string());
    // Opening brings an older embedded archive to the current schema first, the one PostgreSQL's begins at.
    auto source = Database::open({.path = sqliteFile, .readers = 2});
    auto target = Database::open({.url = url, .readers = 2});
    if (source->schemaVersion() != target->schemaVersion())
        throw StorageError("the archive's schema (version " + std::to_string(source->schemaVersion()) +
                           ") is not the PostgreSQL database's (version " + std::to_string(target->schemaVersion()) + ")");

    // A table this copy does not know would be left behind: refused before anything is copied.
    std::set<std::string> known(copiedTables().begin(), copiedTables().end());
    known.insert(derivedTables().begin(), derivedTables().end());
    source->read([&](Connection& c) {
        auto tables = c.prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name NOT LIKE 'customer_search%' AND name NOT LIKE 'page_text%'");
        while (tables.step())
            if (!known.contains(tables.text(0)))
                throw StorageError("the archive has a table the migration does not know: " + tables.text(0));
    });

    DatabaseMigrationReport report;
    auto copy = [&](const std::string& table, bool replace) {
        TableCopy done{table, countRows(*source, table), replace ? 0 : countRows(*target, table)};
        if (replace || done.alreadyThere < done.rows) copyRows(*source, *target, table, replace);
        std::int64_t copied = countRows(*target, table);
        if (copied != done.rows)
            throw StorageError(table + ": " + std::to_string(done.rows) + " rows in the archive, " + std::to_string(copied) +
                               " in the copy");
        report.tables.push_back(done);
        if (progress) progress(done);
    };
    for (const auto& table : copiedTables()) copy(table, false);
    for (const auto& table : derivedTables()) copy(table, true);
    rebuildSearch(*source, *target);

    // The keys PostgreSQL gives out next follow the copied ones.
    target->write([](Connection& c) {
        std::vector<std::pair<std::string, std::string>> identities;
        auto columns = c.prepare(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE is_identity = 'YES' AND table_schema = current_schema()");
        while (columns.step()) identities.emplace_back(columns.text(0), columns.text(1));
        for (const auto& [table, column] : identities)
            c.exec("SELECT setval(pg_get_serial_sequence('" + table + "', '" + column + "'), (SELECT COALESCE(max(" + column +
                   "), 0) + 1 FROM " + table + "), false)");
    });

    auto chain = makeSqlStores(*target).audit->verifyChain();
    report.auditEntries = chain.entries;
    report.firstBrokenAuditEntry = chain.firstBrokenId;
    return report;
}

}  // namespace dangan::storage
