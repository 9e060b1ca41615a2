#pragma once
// What OCR read on a page, as the API (and `dangan read`) shows it.

#include <Poco/JSON/Object.h>

#include "dangan/ocr/page_reader.h"
#include "dangan/storage/reading_stores.h"

namespace dangan::server {

// {"doc_type", "doc_type_confidence", "doc_type_guesses", "continues_document", "fields":
// {name: {value, confidence}}, "unreadable", "text", "quarter_turns"}
[[nodiscard]] Poco::JSON::Object::Ptr readingJson(const ocr::PageReading& reading);
// A stored reading: the same shape, with its state and `full_text` (false while only the key
// fields' lines have been read).
[[nodiscard]] Poco::JSON::Object::Ptr readingJson(const storage::StoredReading& reading);

}  // namespace dangan::server
