#pragma once
// SQL shared by the document store (filing) and the reading store: queueing a page image for
// OCR and putting a filed page's text (and its fields' values) into the full-text index.

#include <string>

#include "dangan/storage/database.h"
#include "dangan/storage/search_text.h"
#include "search_sql.h"

namespace dangan::storage {

inline void enqueueReading(Connection& c, const Digest& image, bool urgent, std::int64_t now) {
    c.prepare(
         "INSERT INTO page_readings(image, state, urgent, queued_at) VALUES(?, 'queued', ?, ?)"
         " ON CONFLICT(image) DO UPDATE SET urgent = CASE WHEN excluded.urgent > page_readings.urgent THEN excluded.urgent ELSE page_readings.urgent END"
         " WHERE page_readings.state = 'queued'")
        .bind(1, toHex(image))
        .bind(2, std::int64_t{urgent ? 1 : 0})
        .bind(3, now)
        .run();
}

// A page is found by the words on it, and by its fields' values as checked: a value the field
// rereads got right (HT-2094-6866) where the page pass misread it (HIT-2094-6866).
inline void indexPageText(Connection& c, std::int64_t pageId, const std::string& text, const std::string& fieldValues) {
    unindexPage(c, pageId);
    // The page's customer's name, address and unit correct single misread characters for search
    // (a filed page was linked by its anchors, or by a person): both the text as read and as
    // corrected are found.
    auto customer = c.prepare(
        "SELECT c.name, c.address, c.unit FROM pages p JOIN documents d ON d.id = p.document_id"
        " JOIN customers c ON c.id = d.customer_id WHERE p.id = ?");
    customer.bind(1, pageId);
    std::optional<std::string> corrected;
    // A pair of characters the archive's names and places hold is a real word, not a misread.
    auto known = [&c](const std::string& pair) {
        auto s = c.prepare("SELECT 1 FROM customer_search_terms WHERE term IN (?1, ?2)");
        s.bind(1, "a" + pair).bind(2, "n" + pair);
        return s.step();
    };
    if (customer.step()) corrected = correctedByTerms(text, {customer.text(0), customer.text(1), customer.text(2)}, known);
    std::string all = fieldValues.empty() ? text : text + '\n' + fieldValues;
    if (corrected) all += '\n' + *corrected;
    auto grams = bigramText(all, 't');
    if (grams.empty()) return;
    indexPage(c, pageId, grams);
}

// A filed page's text, when its image has been read: indexed at once.
inline void indexFiledPage(Connection& c, std::int64_t pageId, const Digest& image) {
    auto read = c.prepare(
        "SELECT text, COALESCE((SELECT group_concat(value, ' ') FROM reading_fields f WHERE f.image = r.image), '')"
        " FROM page_readings r WHERE image = ? AND state = 'done'");
    read.bind(1, toHex(image));
    if (read.step()) indexPageText(c, pageId, read.text(0), read.text(1));
}

}  // namespace dangan::storage
