#include "dangan/desks/authenticator.h"

#include "dangan/desks/access.h"
#include "dangan/storage/database.h"

namespace dangan::server {
namespace {

std::string detail(const std::string& client, const char* reason = nullptr) {
    if (!reason) return storage::textFieldsJson({{"client", client}});
    return storage::textFieldsJson({{"client", client}, {"reason", reason}});
}

}  // namespace

Outcome<SignedIn> Authenticator::login(const std::string& username, const std::string& password,
                                       const std::string& clientAddress) {
    auto user = users_.findByUsername(username);
    // Hash even for an unknown user, so the answer takes as long either way.
    static const std::string kDummy = hashPassword("no such user");
    bool good = verifyPassword(password, user ? user->passwordHash : kDummy);
    if (!user || !good || user->disabled) {
        // Failed attempts are kept too: they are what an auditor looks for.
        audit_.append({{{user ? std::optional(user->id) : std::nullopt, username},
                        "login.failed", "user", username,
                        detail(clientAddress, user && good ? "disabled" : "bad credentials")}});
        return fail(ProblemCode::Unauthenticated,
                    "wrong username or password, or the account is disabled");
    }
    SignedIn in{newToken(), clock_.nowMillis() + std::chrono::milliseconds(lifetime_).count(), *user};
    users_.openSession(tokenDigest(in.token), *user, in.expiresAt,
                       {{user->id, user->username}, "login", "user", std::to_string(user->id),
                        detail(clientAddress)});
    return in;
}

std::optional<storage::User> Authenticator::authenticate(std::string_view token) {
    if (token.size() != 64) return std::nullopt;
    return users_.sessionUser(tokenDigest(token), clock_.nowMillis());
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
