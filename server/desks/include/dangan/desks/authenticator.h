#pragma once
// Sign-in with username and password, bearer-token sessions, and the first admin.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "dangan/desks/problem.h"
#include "dangan/storage/stores.h"

namespace dangan::server {

struct SignedIn {
    std::string token;
    std::int64_t expiresAt = 0;
    storage::User user;
};

class Authenticator {
public:
    Authenticator(storage::UserStore& users, storage::AuditLog& audit, const storage::Clock& clock,
                  std::chrono::hours sessionLifetime)
        : users_(users), audit_(audit), clock_(clock), lifetime_(sessionLifetime) {}

    // Records the sign-in (or the failed attempt) in the audit log.
    [[nodiscard]] Outcome<SignedIn> login(const std::string& username, const std::string& password,
                                          const std::string& clientAddress);
    // The user behind a bearer token, when the session is valid and the user enabled.
    [[nodiscard]] std::optional<storage::User> authenticate(std::string_view token);
    void logout(std::string_view token, const storage::User& user);

    // On an archive without users, creates `admin` with `password` (or a generated one, which is
    // returned so it can be shown once). Returns nullopt when users exist already.
    std::optional<std::string> createFirstAdmin(std::optional<std::string> password);

    // The account a machine works under (the hot folder): found, or created disabled with an
    // unusable password, so its work is attributed in the audit log but nobody can sign in as it.
    [[nodiscard]] storage::User serviceAccount(const std::string& username, const std::string& displayName,
                                               const std::vector<std::string>& roles);

private:
    storage::UserStore& users_;
    storage::AuditLog& audit_;
    const storage::Clock& clock_;
    std::chrono::hours lifetime_;
};

}  // namespace dangan::server
