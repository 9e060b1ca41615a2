#pragma once
// The audit log as the archive's desks and its readers meet it: every view of personal data is
// recorded (in batches, by the ViewRecorder), and the log is read back newest first, views
// recorded a moment ago included.

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

private:
    storage::AuditLog& log_;
    ViewRecorder& views_;
};

}  // namespace dangan::server
