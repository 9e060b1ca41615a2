#pragma once
// Sign-in with username and password, bearer-token sessions, and the first admin.

#include <chrono>
#include <map>
#include <mutex>
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

// How many wrong passwords in a row lock an account, and for how long (等保: 登录失败处理).
struct LockoutPolicy {
    int maxFailures = 5;
    std::chrono::minutes lockFor{15};
};

// How long a session lasts: at most `lifetime` from sign-in, and no longer than `idle` without a
// request (等保: 登录连接超时自动退出; an unattended counter does not stay signed in).
struct SessionPolicy {
    std::chrono::minutes lifetime{12 * 60};
    std::chrono::minutes idle{30};
};

class Authenticator {
public:
    // `passwordMaxAge`: a password older than this must be changed at the next sign-in (等保:
    // 定期更换); zero, the default, lets passwords live until changed.
    Authenticator(storage::UserStore& users, storage::AuditLog& audit, const storage::Clock& clock,
                  SessionPolicy sessions = {}, LockoutPolicy lockout = {}, std::chrono::days passwordMaxAge = std::chrono::days(0))
        : users_(users), audit_(audit), clock_(clock), sessions_(sessions), lockout_(lockout), passwordMaxAge_(passwordMaxAge) {}

    // Records the sign-in (or the failed attempt) in the audit log. After lockout.maxFailures
    // wrong passwords in a row an account is locked for lockout.lockFor (an admin may unlock it);
    // a source that keeps failing is made to wait before each answer. Every refusal says the same,
    // so that no answer tells whether a username exists or is locked.
    [[nodiscard]] Outcome<SignedIn> login(const std::string& username, const std::string& password,
                                          const std::string& clientAddress);
    // Whether `password` is `user`'s, before a change that asks for it again (one's own new
    // password): a wrong one counts toward the lock as a failed sign-in does, and is audited.
    [[nodiscard]] Outcome<void> confirmPassword(const storage::User& user, const std::string& password,
                                                const std::string& clientAddress);
    // The user behind a bearer token, when the session is valid (neither past its lifetime nor
    // left idle) and the user enabled.
    [[nodiscard]] std::optional<storage::User> authenticate(std::string_view token);
    void logout(std::string_view token, const storage::User& user);
    // Ends every session of `user` (a lost phone, a shared counter PC; or an admin's decision),
    // audited as by `by`. How many were open.
    int signOutEverywhere(const storage::User& user, const storage::Actor& by);

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
    SessionPolicy sessions_;
    LockoutPolicy lockout_;
    std::chrono::days passwordMaxAge_;
    // Recent failures per client address: (failures, last failure), for the delay.
    std::mutex sourcesMutex_;
    std::map<std::string, std::pair<int, std::int64_t>> failingSources_;
    [[nodiscard]] std::chrono::milliseconds delayFor(const std::string& clientAddress, bool failed);
};

}  // namespace dangan::server
