#pragma once
// The audit log's hash chain, shared by every store that appends records inside its transaction.

#include <Poco/JSON/Object.h>

#include <sstream>
#include <string>
#include <vector>

#include "dangan/storage/database.h"
#include "dangan/storage/records.h"

namespace dangan::storage {

// An audit record's detail (or any JSON object) as text.
inline std::string toJson(const Poco::JSON::Object& object) {
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

// Appends one record after the current last one. REQUIRES: inside a write transaction.
void appendAudit(Connection& connection, const AuditDraft& draft);
// Appends records in their order after the current last one, chained as if one by one, in a few
// statements. REQUIRES: inside a write transaction.
void appendAudits(Connection& connection, const std::vector<AuditDraft>& drafts);

// The hash that `entry` must carry, given its fields and prevHash.
[[nodiscard]] Digest chainHash(const AuditEntry& entry);

}  // namespace dangan::storage
