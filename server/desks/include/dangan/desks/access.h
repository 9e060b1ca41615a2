#pragma once
// Who may do what: roles, the permission table, password hashing and bearer tokens.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dangan/storage/records.h"
#include "dangan/storage/sha256.h"

namespace dangan::server {

// admin (the first set-up's), archivist, auditor, staff, approver, marketing (the marketing
// system's account), security_admin and audit_admin (三员分立: users and rules; the audit log)
[[nodiscard]] const std::vector<std::string>& knownRoles();
[[nodiscard]] bool isKnownRole(std::string_view role);
// Whether `user` holds `role` (whatever else they hold, and whether or not they are disabled).
[[nodiscard]] bool hasRole(const storage::User& user, std::string_view role);

enum class Permission {
    ReadArchive,      // look up customers, open e-files and pages
    ImportCustomers,  // create and update customer records
    FileDocuments,    // upload scans into a customer's file (single and batch), print cover and separator sheets
    CurateArchive,    // the collector's work on what was filed: the review queue, corrections of read fields, contract terms
    SeeReminders,     // one's own 我的待办 (auditors: anyone's)
    ManageUsers,      // create, change and disable users
    ReadAuditLog,     // read the audit log
    RequestLoan,      // ask to borrow paper originals
    KeepPaper,        // shelve paper, lend it out and take it back, run stocktakes
    ApproveLoan,      // approve or reject others' loan requests (never one's own)
    ReadCompleteness, // see expectations, the dashboard, reminders, contracts and the rules
    RunAudits,        // run audits and spot checks, raise and verify rectification orders, rates and scores
    ReportEvents,     // report completed process steps (the marketing system)
    CancelProcesses,  // cancel a process by hand, waiving what it still expects (the marketing system, auditors)
    ManageRules,      // change the process rules and the holiday calendar
    ReadRules,        // read the process rules, their versions and the calendar
};

// The one table of rights: admin holds every permission; archivists (the archive collectors)
// read, import, file, curate and keep the paper; business staff (counter and marketing staff,
// who complete the steps) read the archive and file and self-check the papers of their steps;
// auditors read the archive and the audit log and run audits; archivists and auditors see
// completeness; archivists, staff and auditors see their reminders; every reader may ask to
// borrow paper, approvers approve loans; the marketing system's account reports steps and asks
// whether a step's papers are ready; it and auditors may cancel a process by hand. Separation of
// duties (三员分立): the security administrator manages users and rules and nothing else (no
// archive, no approving, no audit); the audit administrator reads the audit log and nothing else;
// `admin` is the first set-up's account: it holds every permission only until the duties are
// separated (`dutiesSeparated`: an enabled security administrator exists, see
// UserDesk::dutiesSeparated), and from then on is the system administrator (系统管理员), who keeps
// the process rules and the calendar and nothing else.
[[nodiscard]] bool allows(const storage::User& user, Permission permission, bool dutiesSeparated = false);

// PBKDF2-HMAC-SHA256 through OpenSSL with a random 16-byte salt, stored as
// "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>".
[[nodiscard]] std::string hashPassword(std::string_view password);
[[nodiscard]] bool verifyPassword(std::string_view password, std::string_view stored);

// A new random bearer token (64 hex characters) and the digest under which it is stored.
[[nodiscard]] std::string newToken();
[[nodiscard]] storage::Digest tokenDigest(std::string_view token);
// A random password of letters and digits, for the first admin.
[[nodiscard]] std::string newPassword(int length);

}  // namespace dangan::server
