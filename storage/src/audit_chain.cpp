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

void appendAudit(Connection& c, const AuditDraft& draft) { appendAudits(c, {draft}); }

void appendAudits(Connection& c, const std::vector<AuditDraft>& drafts) {
    if (drafts.empty()) return;
    AuditEntry previous;  // id 0 and a zero hash before the first record
    {
        auto last = c.prepare("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
        if (last.step()) {
            previous.id = last.int64(0);
            previous.hash = last.digest(1);
        }
    }
    std::vector<AuditEntry> entries;
    entries.reserve(drafts.size());
    for (const auto& draft : drafts) {
        AuditEntry e;
        e.id = previous.id + 1;
        e.prevHash = previous.hash;
        e.at = draft.at ? draft.at : c.clock().nowMillis();
        e.userId = draft.actor.userId;
        e.username = draft.actor.username;
        e.action = draft.action;
        e.objectType = draft.objectType;
        e.objectId = draft.objectId;
        e.detail = draft.detail.empty() ? "{}" : draft.detail;
        e.hash = chainHash(e);
        previous = e;
        entries.push_back(std::move(e));
    }
    // Many rows a statement (a power of two of them, at most kRowsAStatement, so that few texts
    // are ever prepared): a batch of views costs a few round trips to PostgreSQL, not two a view.
    constexpr std::size_t kRowsAStatement = 64;
    constexpr int kColumns = 10;
    for (std::size_t at = 0; at < entries.size();) {
        std::size_t rows = kRowsAStatement;
        while (rows > entries.size() - at) rows /= 2;
        std::string sql =
            "INSERT INTO audit_log(id, at, user_id, username, action, object_type, object_id, detail,"
            " prev_hash, hash) VALUES";
        for (std::size_t r = 0; r < rows; ++r) sql += r == 0 ? "(?,?,?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?,?,?)";
        auto insert = c.prepare(sql);
        for (std::size_t r = 0; r < rows; ++r) {
            const auto& e = entries[at + r];
            const int base = static_cast<int>(r) * kColumns;
            insert.bind(base + 1, e.id).bind(base + 2, e.at).bind(base + 3, e.userId).bind(base + 4, e.username);
            insert.bind(base + 5, e.action).bind(base + 6, e.objectType).bind(base + 7, e.objectId);
            insert.bind(base + 8, e.detail).bind(base + 9, e.prevHash).bind(base + 10, e.hash);
        }
        insert.run();
        at += rows;
    }
}

std::string textFieldsJson(std::initializer_list<std::pair<std::string, std::string>> fields) {
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [name, value] : fields) o.set(name, value);
    return toJson(o);
}

}  // namespace dangan::storage
