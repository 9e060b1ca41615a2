#include "dangan/desks/authenticator.h"

#include "dangan/desks/access.h"

#include <algorithm>
#include <thread>
#include "dangan/storage/database.h"

namespace dangan::server {
namespace {

std::string detail(const std::string& client, const char* reason = nullptr) {
    if (!reason) return storage::textFieldsJson({{"client", client}});
    return storage::textFieldsJson({{"client", client}, {"reason", reason}});
}

}  // namespace

std::chrono::milliseconds Authenticator::delayFor(const std::string& clientAddress, bool failed) {
    constexpr std::int64_t kForgetMs = 15LL * 60 * 1000;
    std::lock_guard lock(sourcesMutex_);
    std::int64_t now = clock_.nowMillis();
    std::erase_if(failingSources_, [&](const auto& s) { return now - s.second.second > kForgetMs; });
    if (!failed) {
        failingSources_.erase(clientAddress);
        return std::chrono::milliseconds(0);
    }
    auto& [failures, last] = failingSources_[clientAddress];
    ++failures;
    last = now;
    // Three tries are free; then a quarter second more each time, up to three seconds.
    return std::chrono::milliseconds(std::clamp(failures - 3, 0, 12) * 250);
}

Outcome<SignedIn> Authenticator::login(const std::string& username, const std::string& password,
                                       const std::string& clientAddress) {
    auto user = users_.findByUsername(username);
    // Hash even for an unknown user, so the answer takes as long either way.
    static const std::string kDummy = hashPassword("no such user");
    bool good = verifyPassword(password, user ? user->passwordHash : kDummy);
    std::int64_t now = clock_.nowMillis();
    bool locked = user && user->lockedUntil && *user->lockedUntil > now;
    if (!user || !good || user->disabled || locked) {
        // Failed attempts are kept too: they are what an auditor looks for.
        const char* reason = !user || !good ? "bad credentials" : locked ? "locked" : "disabled";
        storage::AuditDraft failure{{user ? std::optional(user->id) : std::nullopt, username}, "login.failed", "user",
                                    username, detail(clientAddress, reason)};
        if (user && !good && !locked)
            (void)users_.recordFailedLogin(user->id, lockout_.maxFailures,
                                           now + std::chrono::milliseconds(lockout_.lockFor).count(), failure);
        else
            audit_.append({failure});
        std::this_thread::sleep_for(delayFor(clientAddress, true));
        return fail(ProblemCode::Unauthenticated,
                    "wrong username or password, or the account is disabled or locked for a while");
    }
    (void)delayFor(clientAddress, false);
    // A password past its age is changed before anything else opens, as an initial one is.
    if (passwordMaxAge_.count() > 0 && !user->mustChangePassword &&
        now - user->passwordSetAt > std::chrono::duration_cast<std::chrono::milliseconds>(passwordMaxAge_).count()) {
        storage::UserChange expired;
        expired.mustChangePassword = true;
        if (auto changed = users_.change(user->id, expired, {std::nullopt, "system"})) user = changed;
    }
    SignedIn in{newToken(), clock_.nowMillis() + std::chrono::milliseconds(sessions_.lifetime).count(), *user};
    users_.openSession(tokenDigest(in.token), *user, in.expiresAt,
                       {{user->id, user->username}, "login", "user", std::to_string(user->id),
                        detail(clientAddress)});
    return in;
}

Outcome<void> Authenticator::confirmPassword(const storage::User& user, const std::string& password,
                                             const std::string& clientAddress) {
    std::int64_t now = clock_.nowMillis();
    auto current = users_.findById(user.id);  // its password and lock as they are now
    bool locked = current && current->lockedUntil && *current->lockedUntil > now;
    if (current && !locked && verifyPassword(password, current->passwordHash)) return {};
    storage::AuditDraft failure{{user.id, user.username}, "password.confirm_failed", "user", std::to_string(user.id),
                                detail(clientAddress, locked ? "locked" : "bad credentials")};
    if (current && !locked)
        (void)users_.recordFailedLogin(user.id, lockout_.maxFailures,
                                       now + std::chrono::milliseconds(lockout_.lockFor).count(), failure);
    else
        audit_.append({failure});
    std::this_thread::sleep_for(delayFor(clientAddress, true));
    return fail(ProblemCode::Forbidden, "the current password is wrong, or the account is locked for a while");
}

std::optional<storage::User> Authenticator::authenticate(std::string_view token) {
    if (token.size() != 64) return std::nullopt;
    std::int64_t now = clock_.nowMillis();
    return users_.sessionUser(tokenDigest(token), now, now - std::chrono::milliseconds(sessions_.idle).count());
}

int Authenticator::signOutEverywhere(const storage::User& user, const storage::Actor& by) {
    return users_.closeSessionsOf(user.id, {by, "logout.everywhere", "user", std::to_string(user.id), "{}"});
}

void Authenticator::logout(std::string_view token, const storage::User& user) {
    users_.closeSession(tokenDigest(token),
                        {{user.id, user.username}, "logout", "user", std::to_string(user.id), "{}"});
}

std::optional<std::string> Authenticator::createFirstAdmin(std::optional<std::string> password) {
    if (users_.count() > 0) return std::nullopt;
    std::string chosen = password.value_or(newPassword(16));
    storage::User admin;
    admin.username = "admin";
    admin.displayName = "系统管理员";
    admin.passwordHash = hashPassword(chosen);
    admin.roles = {"admin"};
    if (!users_.create(admin, {std::nullopt, "system"})) return std::nullopt;
    return chosen;
}

storage::User Authenticator::serviceAccount(const std::string& username, const std::string& displayName,
                                           const std::vector<std::string>& roles) {
    if (auto found = users_.findByUsername(username)) return *found;
    storage::User account;
    account.username = username;
    account.displayName = displayName;
    account.passwordHash = hashPassword(newPassword(32));
    account.roles = roles;
    account.disabled = true;
    if (auto created = users_.create(account, {std::nullopt, "system"})) return *created;
    if (auto found = users_.findByUsername(username)) return *found;  // created meanwhile
    throw std::runtime_error("cannot create the service account " + username);
}

}  // namespace dangan::server
