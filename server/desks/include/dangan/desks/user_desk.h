#pragma once
// The users of the archive, as the administrator keeps them: a username's form, known roles only,
// a password strong enough, and no administrator locking themselves out (disabling themselves or
// dropping their own admin role).

#include <optional>
#include <string>
#include <vector>

#include "dangan/desks/password_policy.h"
#include "dangan/desks/problem.h"
#include "dangan/storage/stores.h"

namespace dangan::server {

struct NewUser {
    std::string username;
    std::string displayName;
    std::string password;
    std::vector<std::string> roles;
    std::string unit;     // the supply unit and team (班组) the person works in
    std::string team;
    std::string email;    // where reminders are mailed (optional)
    // The password is the administrator's: the user changes it at first sign-in.
    bool mustChangePassword = true;
};

struct UserEdit {
    std::optional<std::string> displayName;
    std::optional<std::string> password;
    std::optional<std::vector<std::string>> roles;
    std::optional<bool> disabled;
    std::optional<std::string> unit, team, email;
    bool unlock = false;   // lift a lock after failed sign-ins
    // With a new password: whether the user must change it at the next sign-in (default yes: the
    // administrator knows it).
    std::optional<bool> mustChangePassword;
};

// An e-mail address in its plain form (local@domain), at most 254 bytes; nullopt when acceptable.
[[nodiscard]] std::optional<std::string> emailProblem(const std::string& email);

// 2-32 characters: lower-case letters, digits, '_', '.', '-'; nullopt when acceptable.
[[nodiscard]] std::optional<std::string> usernameProblem(const std::string& name);
// Known roles, each once; at least one.
[[nodiscard]] Outcome<std::vector<std::string>> checkedRoles(const std::vector<std::string>& roles);

class UserDesk {
public:
    explicit UserDesk(storage::UserStore& users, PasswordPolicy passwords = {}) : users_(users), passwords_(passwords) {}

    [[nodiscard]] Outcome<storage::User> create(const NewUser& user, const storage::Actor& actor);
    [[nodiscard]] std::vector<storage::User> list();
    // Whether the separation of duties (三员分立) is in force: an enabled security administrator
    // exists. From then on `admin` keeps only the rules and the calendar (see allows()).
    [[nodiscard]] bool dutiesSeparated();
    [[nodiscard]] Outcome<storage::User> find(std::int64_t id);
    // `by` is the administrator making the change.
    [[nodiscard]] Outcome<storage::User> change(std::int64_t id, const UserEdit& edit, const storage::User& by);
    // A user's own new password, the current one given again: held to the policy, it ends the
    // user's other sessions (not `session`, this one) and lifts a must-change.
    [[nodiscard]] Outcome<storage::User> changeOwnPassword(const storage::User& user, const std::string& current,
                                                           const std::string& next, const storage::Digest& session);

private:
    storage::UserStore& users_;
    PasswordPolicy passwords_;
};

}  // namespace dangan::server
