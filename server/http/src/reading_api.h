#pragma once
// OCR in the API (reading_api.cpp). Internal to server/.

#include "http_call.h"

namespace dangan::server {

// A filed page's fields: what was read, with people's corrections over it, by API name.
[[nodiscard]] Object::Ptr pageFieldsJson(storage::Stores& stores, const storage::Page& page);
// The same, from a reading and corrections already fetched. Each field's `confidence` is its
// standing (see standingOf) against `customer`'s record when the page is in a customer's file,
// with `basis` (record, check_character, reads, person), `read_confidence` (OCR's own) and, when
// the record differs, `recorded`; a name or address the record corrects (see recordedValueFor)
// has the record's value and what was read as `read`.
[[nodiscard]] Object::Ptr fieldsJson(const std::optional<storage::StoredReading>& reading,
                                     const std::vector<storage::FieldCorrection>& corrections,
                                     const storage::Customer* customer = nullptr);
// Adds reading_state, doc_type_read, fields and the page's `confidence` (its least sure field) to
// each page of a document's JSON.
void addReadings(storage::Stores& stores, const storage::Document& document, Object& documentJson);
// Filed pages found by words on them.
[[nodiscard]] Array::Ptr pageHitsJson(storage::Stores& stores, const std::string& query, int limit);
// Adds reading and ranked candidates to a review page's JSON.
void addSuggestion(const ReviewSuggestion& suggestion, Object& pageJson);

[[nodiscard]] std::vector<RouteSpec> readingRoutes();

}  // namespace dangan::server
