#include "dangan/storage/database_migration.h"

#include <set>

#include "dangan/storage/database.h"
#include "dangan/storage/stores.h"
#include "dangan/storage/search_text.h"

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

// Copies `table`'s rows in chunks of one write transaction each: each chunk goes by COPY into a
// temporary table and from there into the table, leaving rows already there (a resumed copy). With
// `replace`, the copy's rows are deleted first, in the first chunk's transaction.
void copyRows(Database& source, Database& target, const std::string& table, bool replace) {
    auto columns = columnsOf(source, table);
    std::vector<std::string> columnNames;
    std::string names;
    for (const auto& column : columns) {
        columnNames.push_back(column.name);
        names += (names.empty() ? "" : ", ") + column.name;
    }
    constexpr int kChunk = 50000;
    source.read([&](Connection& from) {
        auto rows = from.prepare("SELECT " + names + " FROM " + table);
        bool more = rows.step();
        bool first = true;
        while (more || (first && replace)) {
            target.write([&](Connection& to) {
                if (first && replace) to.exec("DELETE FROM " + table);
                to.exec("CREATE TEMP TABLE migration_rows (LIKE " + table + ") ON COMMIT DROP");
                int n = 0;
                to.copyIn("migration_rows", columnNames, [&](Connection::CopyRow& row) {
                    if (!more || n == kChunk) return false;
                    for (std::size_t i = 0; i < columns.size(); ++i) {
                        int at = static_cast<int>(i);
                        if (rows.isNull(at)) continue;
                        if (columns[i].blob) {
                            // Every BLOB of the schema is a SHA-256: anything else is refused, not cut to size.
                            if (rows.text(at).size() != Digest{}.size())
                                throw StorageError(table + "." + columns[i].name + " holds a value that is no SHA-256");
                            row[i] = "\\x" + toHex(rows.digest(at));
                        } else {
                            row[i] = rows.text(at);
                        }
                    }
                    ++n;
                    more = rows.step();
                    return true;
                });
                to.exec("INSERT INTO " + table + "(" + names + ") SELECT " + names + " FROM migration_rows ON CONFLICT DO NOTHING");
            });
            first = false;
        }
    });
}

// The search indexes again, from the bigrams SQLite's FTS5 tables hold: each chunk by COPY into a
// temporary table and from there into the index, and every bigram the customers' index holds into
// its vocabulary.
void rebuildSearch(Database& source, Database& target) {
    struct Index {
        const char* table;
        const char* key;
        bool vocabulary;
    };
    for (const auto& index : {Index{"customer_search", "customer_id", true}, Index{"page_text", "page_id", false}}) {
        const std::string table = index.table, key = index.key;
        std::set<std::string> terms;
        source.read([&](Connection& from) {
            auto rows = from.prepare("SELECT rowid, grams FROM " + table);
            bool more = rows.step();
            while (more) {
                target.write([&](Connection& to) {
                    to.exec("CREATE TEMP TABLE migration_rows (LIKE " + table + ") ON COMMIT DROP");
                    int n = 0;
                    to.copyIn("migration_rows", {key, "grams"}, [&](Connection::CopyRow& row) {
                        if (!more || n == 20000) return false;
                        auto grams = rows.text(1);
                        row[0] = std::to_string(rows.int64(0));
                        row[1] = tsvectorText(grams);
                        if (index.vocabulary)
                            for (auto token : searchTokens(grams)) terms.emplace(token);
                        ++n;
                        more = rows.step();
                        return true;
                    });
                    to.exec("INSERT INTO " + table + "(" + key + ", grams) SELECT " + key + ", grams FROM migration_rows ON CONFLICT(" +
                            key + ") DO UPDATE SET grams = excluded.grams");
                });
            }
        });
        if (terms.empty()) continue;
        target.write([&](Connection& to) {
            to.exec("CREATE TEMP TABLE migration_terms (term TEXT) ON COMMIT DROP");
            auto term = terms.begin();
            to.copyIn("migration_terms", {"term"}, [&](Connection::CopyRow& row) {
                if (term == terms.end()) return false;
                row[0] = *term++;
                return true;
            });
            to.exec("INSERT INTO customer_search_terms(term) SELECT term FROM migration_terms ON CONFLICT DO NOTHING");
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
