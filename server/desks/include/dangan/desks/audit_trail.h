#pragma once
// The audit log as the archive's desks and its readers meet it: every view of personal data is
// recorded (in batches, by the ViewRecorder), and the log is read back newest first, views
// recorded a moment ago included.

#include <functional>
#include <string>
#include <vector>

#include "dangan/desks/view_recorder.h"
#include "dangan/storage/stores.h"

namespace dangan::server {

class AuditTrail {
public:
    AuditTrail(storage::AuditLog& log, ViewRecorder& views) : log_(log), views_(views) {}

    // One view: who (`actor`) saw what (`action` on `objectType` `objectId`).
    void recordView(const storage::Actor& actor, std::string action, std::string objectType, std::string objectId) {
        views_.record({actor, std::move(action), std::move(objectType), std::move(objectId), "{}"});
    }
    [[nodiscard]] std::vector<storage::AuditEntry> entries(const storage::AuditQuery& query) {
        views_.flush();
        return log_.list(query);
    }
    // The whole chain checked (等保: 审计记录的完整性), as at every start; `keepGoing` may stop it.
    // A break is recorded as an entry of its own, `audit.chain_broken` by `system` on the first
    // broken entry, for the auditors to see.
    storage::ChainCheck checkChain(const std::function<bool()>& keepGoing) {
        auto check = log_.verifyChain(keepGoing);
        if (check.complete && check.firstBrokenId)
            log_.append({{{std::nullopt, "system"}, "audit.chain_broken", "audit_log", std::to_string(*check.firstBrokenId),
                          storage::textFieldsJson({{"entries", std::to_string(check.entries)}})}});
        return check;
    }

private:
    storage::AuditLog& log_;
    ViewRecorder& views_;
};

}  // namespace dangan::server
