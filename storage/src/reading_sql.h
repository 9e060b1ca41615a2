#pragma once
// SQL shared by the document store (filing) and the reading store: queueing a page image for
// OCR and putting a filed page's text into the full-text index.

#include <string>

#include "dangan/storage/database.h"
#include "dangan/storage/search_text.h"

namespace dangan::storage {

inline void enqueueReading(Connection& c, const Digest& image, bool urgent, std::int64_t now) {
    c.prepare(
         "INSERT INTO page_readings(image, state, urgent, queued_at) VALUES(?, 'queued', ?, ?)"
         " ON CONFLICT(image) DO UPDATE SET urgent = MAX(urgent, excluded.urgent) WHERE state = 'queued'")
        .bind(1, toHex(image))
        .bind(2, std::int64_t{urgent ? 1 : 0})
        .bind(3, now)
        .run();
}

inline void indexPageText(Connection& c, std::int64_t pageId, const std::string& text) {
    c.prepare("DELETE FROM page_text WHERE rowid = ?").bind(1, pageId).run();
    auto grams = bigramText(text, 't');
    if (grams.empty()) return;
    c.prepare("INSERT INTO page_text(rowid, grams) VALUES(?, ?)").bind(1, pageId).bind(2, grams).run();
}

// A filed page's text, when its image has been read: indexed at once.
inline void indexFiledPage(Connection& c, std::int64_t pageId, const Digest& image) {
    auto read = c.prepare("SELECT text FROM page_readings WHERE image = ? AND state = 'done'");
    read.bind(1, toHex(image));
    if (read.step()) indexPageText(c, pageId, read.text(0));
}

}  // namespace dangan::storage
