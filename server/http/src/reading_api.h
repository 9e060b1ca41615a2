#pragma once
// OCR's endpoints, and the reading shown with filed pages, review pages and search results.

#include "http_call.h"

namespace dangan::server {

// {name: {value, confidence, basis, read_confidence?, recorded?, read?, corrected_by?}}
[[nodiscard]] Object::Ptr fieldsJson(const std::vector<ShownField>& fields);

// Adds to each page of a document's JSON what was read on it and how sure the archive is.
void addReadings(const DocumentShown& shown, Object& documentJson);

// Pages found by their words, each with a snippet around the first term of `query`.
[[nodiscard]] Array::Ptr pageHitsJson(const std::vector<storage::PageTextHit>& hits, const std::string& query);

// What was read on a page in review and the customers it could belong to.
void addSuggestion(const ReviewSuggestion& suggestion, Object& pageJson);

[[nodiscard]] std::vector<RouteSpec> readingRoutes();

}  // namespace dangan::server
