#include "dangan/desks/user_desk.h"

#include <algorithm>
#include <regex>

#include "dangan/desks/access.h"

namespace dangan::server {

std::optional<std::string> usernameProblem(const std::string& name) {
    static const std::regex kPattern("[a-z0-9][a-z0-9_.-]{1,31}");
    if (!std::regex_match(name, kPattern)) return "username must be 2-32 characters: lower-case letters, digits, '_', '.', '-'";
    return std::nullopt;
}

std::optional<std::string> emailProblem(const std::string& email) {
    static const std::regex kPattern("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    if (email.size() > 254 || !std::regex_match(email, kPattern)) return "email must be an address such as name@example.com";
    return std::nullopt;
}

namespace {

// Unit, team and e-mail as given: short, and a team only within a unit.
std::optional<std::string> placeProblem(const std::optional<std::string>& unit, const std::optional<std::string>& team,
                                        const std::optional<std::string>& email) {
    for (const auto* v : {&unit, &team})
        if (*v && (*v)->size() > 64) return "unit and team are at most 64 bytes";
    if (team && !team->empty() && unit && unit->empty()) return "a team belongs to a unit: give the unit too";
    if (email && !email->empty()) return emailProblem(*email);
    return std::nullopt;
}

}  // namespace

Outcome<std::vector<std::string>> checkedRoles(const std::vector<std::string>& given) {
    std::vector<std::string> roles;
    for (const auto& role : given) {
        if (!isKnownRole(role)) {
            std::string known;
            for (const auto& r : knownRoles()) known += (known.empty() ? "" : ", ") + r;
            return fail(ProblemCode::BadRequest, "unknown role '" + role + "' (known: " + known + ")");
        }
        if (std::find(roles.begin(), roles.end(), role) == roles.end()) roles.push_back(role);
    }
    if (roles.empty()) return fail(ProblemCode::BadRequest, "a user needs at least one role");
    return roles;
}

Outcome<storage::User> UserDesk::create(const NewUser& given, const storage::Actor& actor) {
    if (auto p = usernameProblem(given.username)) return fail(ProblemCode::BadRequest, *p);
    if (auto p = passwordWeakness(given.password, given.username, passwords_)) return fail(ProblemCode::BadRequest, *p);
    if (auto p = placeProblem(given.unit, given.team, given.email)) return fail(ProblemCode::BadRequest, *p);
    auto roles = checkedRoles(given.roles);
    if (!roles) return std::unexpected(roles.error());
    storage::User user;
    user.username = given.username;
    user.displayName = given.displayName;
    user.roles = *roles;
    user.passwordHash = hashPassword(given.password);
    user.mustChangePassword = given.mustChangePassword;
    user.unit = given.unit;
    user.team = given.team;
    user.email = given.email;
    auto created = users_.create(user, actor);
    if (!created) return fail(ProblemCode::Conflict, "username '" + user.username + "' is taken");
    return *created;
}

std::vector<storage::User> UserDesk::list() { return users_.list(); }

bool UserDesk::dutiesSeparated() {
    auto users = users_.list();
    return std::any_of(users.begin(), users.end(), [](const storage::User& u) {
        return !u.disabled && hasRole(u, "security_admin");
    });
}

Outcome<storage::User> UserDesk::changeOwnPassword(const storage::User& user, const std::string& current,
                                                   const std::string& next, const storage::Digest& session) {
    if (!verifyPassword(current, user.passwordHash)) return fail(ProblemCode::Forbidden, "the current password is wrong");
    if (next == current) return fail(ProblemCode::BadRequest, "the new password must differ from the current one");
    if (auto p = passwordWeakness(next, user.username, passwords_)) return fail(ProblemCode::BadRequest, *p);
    storage::UserChange change;
    change.passwordHash = hashPassword(next);
    change.mustChangePassword = false;
    change.keepSession = session;
    auto changed = users_.change(user.id, change, {user.id, user.username});
    if (!changed) return fail(ProblemCode::NotFound, "no user " + std::to_string(user.id));
    return *changed;
}

Outcome<storage::User> UserDesk::find(std::int64_t id) {
    if (auto user = users_.findById(id)) return *user;
    return fail(ProblemCode::NotFound, "no user " + std::to_string(id));
}

Outcome<storage::User> UserDesk::change(std::int64_t id, const UserEdit& edit, const storage::User& by) {
    storage::UserChange change;
    change.displayName = edit.displayName;
    if (edit.password) {
        auto user = users_.findById(id);
        if (!user) return fail(ProblemCode::NotFound, "no user " + std::to_string(id));
        if (auto p = passwordWeakness(*edit.password, user->username, passwords_)) return fail(ProblemCode::BadRequest, *p);
        change.passwordHash = hashPassword(*edit.password);
        change.mustChangePassword = edit.mustChangePassword.value_or(true);
    }
    if (edit.roles) {
        auto roles = checkedRoles(*edit.roles);
        if (!roles) return std::unexpected(roles.error());
        change.roles = *roles;
    }
    change.disabled = edit.disabled;
    if (auto p = placeProblem(edit.unit, edit.team, edit.email)) return fail(ProblemCode::BadRequest, *p);
    change.unit = edit.unit;
    change.team = edit.team;
    change.email = edit.email;
    change.unlock = edit.unlock;
    // Nobody disables themselves or changes their own roles (a security administrator making
    // themselves an auditor would end the separation of duties): another administrator does.
    if (id == by.id && ((change.disabled && *change.disabled) || change.roles))
        return fail(ProblemCode::Conflict, "you cannot disable yourself or change your own roles");
    auto changed = users_.change(id, change, {by.id, by.username});
    if (!changed) return fail(ProblemCode::NotFound, "no user " + std::to_string(id));
    return *changed;
}

}  // namespace dangan::server
