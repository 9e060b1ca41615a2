#pragma once
// The two search indexes (customers by name, address and phone; filed pages by their text) in each
// engine's form: SQLite's FTS5 tables keyed by rowid, PostgreSQL's tsvector columns under GIN
// indexes. The tokens are the same field-marked bigrams (search_text.h) in both.

#include <cstdint>
#include <string>

#include "dangan/storage/database.h"
#include "dangan/storage/search_text.h"

namespace dangan::storage {

// Replaces customer `id`'s row of the customer index with `document` (searchDocument's tokens).
inline void indexCustomer(Connection& c, std::int64_t id, const std::string& document) {
    if (c.dialect() == Dialect::Sqlite) {
        c.prepare("INSERT OR REPLACE INTO customer_search(rowid, grams) VALUES(?,?)").bind(1, id).bind(2, document).run();
        return;
    }
    c.prepare("INSERT INTO customer_search(customer_id, grams) VALUES(?, CAST(? AS tsvector))"
              " ON CONFLICT(customer_id) DO UPDATE SET grams = excluded.grams")
        .bind(1, id)
        .bind(2, tsvectorText(document))
        .run();
    // FTS5 keeps its vocabulary itself; here every bigram the index has held is kept in a table.
    for (auto token : searchTokens(document))
        c.prepare("INSERT INTO customer_search_terms(term) VALUES(?) ON CONFLICT DO NOTHING").bind(1, token).run();
}

// The SELECT of `columns` (over customers c) for the customers whose index matches parameter 1
// (customerMatch's text), at most parameter 2 of them.
inline std::string customerMatchSql(const Connection& c, const std::string& columns) {
    if (c.dialect() == Dialect::Sqlite)
        return "SELECT " + columns +
               " FROM customer_search JOIN customers c ON c.id = customer_search.rowid WHERE customer_search MATCH ? LIMIT ?";
    return "SELECT " + columns +
           " FROM customer_search s JOIN customers c ON c.id = s.customer_id WHERE s.grams @@ CAST(? AS tsquery) LIMIT ?";
}

// The condition customerMatchSql's and pageTextMatch's parameter takes, for `query` in `fields`.
inline std::optional<std::string> searchCondition(const Connection& c, std::string_view query, std::string_view fields) {
    return c.dialect() == Dialect::Sqlite ? searchExpression(query, fields) : tsqueryText(query, fields);
}

// Takes page `pageId` out of the page text index.
inline void unindexPage(Connection& c, std::int64_t pageId) {
    c.prepare(c.dialect() == Dialect::Sqlite ? "DELETE FROM page_text WHERE rowid = ?" : "DELETE FROM page_text WHERE page_id = ?")
        .bind(1, pageId)
        .run();
}

// Puts page `pageId` into the page text index with `grams` (bigramText's tokens).
inline void indexPage(Connection& c, std::int64_t pageId, const std::string& grams) {
    if (c.dialect() == Dialect::Sqlite)
        c.prepare("INSERT INTO page_text(rowid, grams) VALUES(?, ?)").bind(1, pageId).bind(2, grams).run();
    else
        c.prepare("INSERT INTO page_text(page_id, grams) VALUES(?, CAST(? AS tsvector))"
                  " ON CONFLICT(page_id) DO UPDATE SET grams = excluded.grams")
            .bind(1, pageId)
            .bind(2, tsvectorText(grams))
            .run();
}

// The FROM and WHERE of a page text search: pages p joined to the index rows matching parameter 1.
inline std::string pageTextMatchSql(const Connection& c) {
    if (c.dialect() == Dialect::Sqlite) return " FROM page_text JOIN pages p ON p.id = page_text.rowid";
    return " FROM page_text JOIN pages p ON p.id = page_text.page_id";
}
inline std::string pageTextCondition(const Connection& c) {
    return c.dialect() == Dialect::Sqlite ? "page_text MATCH ?" : "page_text.grams @@ CAST(? AS tsquery)";
}

}  // namespace dangan::storage
