#include "audit_chain.h"

#include <cstdint>

namespace dangan::storage {
namespace {

void putInteger(Sha256& h, std::int64_t v) {
    std::uint8_t bytes[8];
    for (int i = 0; i < 8; ++i) bytes[i] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(v) >> (8 * i));
    h.update(std::span<const std::uint8_t>(bytes, 8));
}

void putText(Sha256& h, const std::string& s) {
    putInteger(h, static_cast<std::int64_t>(s.size()));
    h.update(s);
}

}  // namespace

Digest chainHash(const AuditEntry& e) {
    Sha256 h;
    h.update(std::span<const std::uint8_t>(e.prevHash.data(), e.prevHash.size()));
    putInteger(h, e.id);
    putInteger(h, e.at);
    putInteger(h, e.userId.value_or(-1));
    putText(h, e.username);
    putText(h, e.action);
    putText(h, e.objectType);
    putText(h, e.objectId);
    putText(h, e.detail);
    return h.finish();
}

void appendAudit(Connection& c, const AuditDraft& draft) {
    AuditEntry e;
    {
        auto last = c.prepare("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
        if (last.step()) {
            e.id = last.int64(0) + 1;
            e.prevHash = last.digest(1);
        } else {
            e.id = 1;
        }
    }
    e.at = draft.at ? draft.at : c.clock().nowMillis();
    e.userId = draft.actor.userId;
    e.username = draft.actor.username;
    e.action = draft.action;
    e.objectType = draft.objectType;
    e.objectId = draft.objectId;
    e.detail = draft.detail.empty() ? "{}" : draft.detail;
    e.hash = chainHash(e);
    auto insert = c.prepare(
        "INSERT INTO audit_log(id, at, user_id, username, action, object_type, object_id, detail,"
        " prev_hash, hash) VALUES(?,?,?,?,?,?,?,?,?,?)");
    insert.bind(1, e.id).bind(2, e.at).bind(3, e.userId).bind(4, e.username).bind(5, e.action);
    insert.bind(6, e.objectType).bind(7, e.objectId).bind(8, e.detail).bind(9, e.prevHash);
    insert.bind(10, e.hash).run();
}

std::string textFieldsJson(std::initializer_list<std::pair<std::string, std::string>> fields) {
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [name, value] : fields) o.set(name, value);
    return toJson(o);
}

}  // namespace dangan::storage
