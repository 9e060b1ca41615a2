#pragma once
// How the archive's records look in the API's JSON.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "dangan/desks/customer_file.h"
#include "dangan/desks/problem.h"
#include "dangan/storage/paper_stores.h"
#include "dangan/storage/records.h"

namespace dangan::server::json {

[[nodiscard]] std::string isoTime(std::int64_t millis);
// A resident ID with its middle hidden (330102********1234), for lists.
[[nodiscard]] std::string maskedIdNumber(const std::string& idNumber);

[[nodiscard]] Poco::JSON::Object::Ptr customer(const storage::Customer& c, bool maskIdNumber);
[[nodiscard]] Poco::JSON::Object::Ptr page(const storage::Page& p);
[[nodiscard]] Poco::JSON::Object::Ptr document(const storage::Document& d);
[[nodiscard]] Poco::JSON::Object::Ptr customerFile(const CustomerFile& file);
[[nodiscard]] Poco::JSON::Object::Ptr user(const storage::User& u);
[[nodiscard]] Poco::JSON::Object::Ptr auditEntry(const storage::AuditEntry& e);
[[nodiscard]] Poco::JSON::Object::Ptr problem(const Problem& p);
[[nodiscard]] Poco::JSON::Object::Ptr batchPage(const storage::BatchPage& p);
[[nodiscard]] Poco::JSON::Object::Ptr batch(const storage::Batch& b, bool withPages);
// Paper out on loan: which loan, who has it, since when, until when.
// A document at the quality gates: where it waits, who filed it, its rejections.
[[nodiscard]] Poco::JSON::Object::Ptr quality(const storage::QualityState& q);
[[nodiscard]] Poco::JSON::Object::Ptr itemOut(const storage::ItemOut& out);

}  // namespace dangan::server::json
