// Users and sign-in without HTTP: the user desk's rules and the authenticator's sessions.
#include <gtest/gtest.h>

#include "dangan/desks/access.h"
#include "dangan/desks/authenticator.h"
#include "dangan/desks/user_desk.h"
#include "desk_fixture.h"

namespace dangan::server {
namespace {

class PeopleDesks : public DeskTest {
protected:
    UserDesk users_{*stores_.users};
    Authenticator authenticator_{*stores_.users, *stores_.audit, *clock_, {std::chrono::hours(12), std::chrono::minutes(30)}};
};

TEST_F(PeopleDesks, ANewUserNeedsAUsernameOfItsFormAKnownRoleAndAStrongPassword) {
    auto created = users_.create({"zhang.wei", "张伟", "Counter-2026", {"staff", "staff"}}, actorOf(admin_));
    ASSERT_TRUE(created) << created.error().message;
    EXPECT_EQ(created->roles, std::vector<std::string>{"staff"}) << "a role named twice is held once";
    EXPECT_EQ(users_.create({"zhang.wei", "", "Counter-2026", {"staff"}}, actorOf(admin_)).error().code, ProblemCode::Conflict);
    EXPECT_EQ(users_.create({"Zhang Wei", "", "Counter-2026", {"staff"}}, actorOf(admin_)).error().code, ProblemCode::BadRequest);
    EXPECT_EQ(users_.create({"li.na", "", "short", {"staff"}}, actorOf(admin_)).error().code, ProblemCode::BadRequest);
    auto unknown = users_.create({"li.na", "", "Counter-2026", {"boss"}}, actorOf(admin_));
    ASSERT_FALSE(unknown);
    EXPECT_NE(unknown.error().message.find("marketing"), std::string::npos) << "the known roles are listed: " << unknown.error().message;
    EXPECT_EQ(users_.create({"li.na", "", "Counter-2026", {}}, actorOf(admin_)).error().code, ProblemCode::BadRequest);
    EXPECT_EQ(users_.list().size(), 2u);
}

TEST_F(PeopleDesks, AnAdministratorCannotLockThemselvesOut) {
    EXPECT_EQ(users_.change(admin_.id, {.disabled = true}, admin_).error().code, ProblemCode::Conflict);
    EXPECT_EQ(users_.change(admin_.id, {.roles = std::vector<std::string>{"auditor"}}, admin_).error().code, ProblemCode::Conflict);
    auto other = users_.create({"admin2", "", "Another-2026", {"admin"}}, actorOf(admin_));
    ASSERT_TRUE(other);
    auto demoted = users_.change(admin_.id, {.roles = std::vector<std::string>{"auditor"}}, *other);
    ASSERT_TRUE(demoted) << "another administrator may";
    EXPECT_EQ(demoted->roles, std::vector<std::string>{"auditor"});
    EXPECT_EQ(users_.change(other->id, {.password = std::string("weak")}, *other).error().code, ProblemCode::BadRequest);
    EXPECT_EQ(users_.change(999, {.displayName = std::string("x")}, *other).error().code, ProblemCode::NotFound);
}

TEST_F(PeopleDesks, ASessionLastsItsLifetimeByTheArchivesClock) {
    EXPECT_EQ(authenticator_.login("admin", "wrong", "127.0.0.1").error().code, ProblemCode::Unauthenticated);
    auto in = authenticator_.login("admin", "Secret-2026", "127.0.0.1");
    ASSERT_TRUE(in) << in.error().message;
    EXPECT_EQ(in->expiresAt, kStart + 12 * kHour);
    EXPECT_TRUE(authenticator_.authenticate(in->token));
    // Used every twenty minutes it lasts its twelve hours, and not a minute longer.
    for (int i = 0; i < 35; ++i) {
        clock_->advance(20 * kMinute);
        ASSERT_TRUE(authenticator_.authenticate(in->token)) << "in use after " << (i + 1) * 20 << " minutes";
    }
    clock_->advance(20 * kMinute);
    EXPECT_FALSE(authenticator_.authenticate(in->token)) << "expired";

    auto again = authenticator_.login("admin", "Secret-2026", "127.0.0.1");
    ASSERT_TRUE(again);
    authenticator_.logout(again->token, admin_);
    EXPECT_FALSE(authenticator_.authenticate(again->token));
    storage::AuditQuery q;
    q.username = "admin";
    auto log = stores_.audit->list(q);
    EXPECT_TRUE(std::any_of(log.begin(), log.end(), [](const storage::AuditEntry& e) { return e.action == "login.failed"; }));
}

// A counter left unattended: thirty minutes without a request end the session, and using it
// again does not bring it back.
TEST_F(PeopleDesks, ASessionLeftIdleEnds) {
    auto in = authenticator_.login("admin", "Secret-2026", "127.0.0.1");
    ASSERT_TRUE(in);
    clock_->advance(29 * kMinute);
    EXPECT_TRUE(authenticator_.authenticate(in->token));
    clock_->advance(29 * kMinute);
    EXPECT_TRUE(authenticator_.authenticate(in->token)) << "each use starts the thirty minutes again";
    clock_->advance(31 * kMinute);
    EXPECT_FALSE(authenticator_.authenticate(in->token)) << "idle";
    clock_->advance(kMinute);
    EXPECT_FALSE(authenticator_.authenticate(in->token)) << "an idle session stays ended";
}

// Signing out everywhere ends every session of the user, audited; a new password or a disabled
// account does the same.
TEST_F(PeopleDesks, SigningOutEverywhereEndsEverySession) {
    auto counter = authenticator_.login("admin", "Secret-2026", "10.0.0.5");
    auto phone = authenticator_.login("admin", "Secret-2026", "10.0.0.6");
    ASSERT_TRUE(counter && phone);
    EXPECT_EQ(authenticator_.signOutEverywhere(admin_, actorOf(admin_)), 2);
    EXPECT_FALSE(authenticator_.authenticate(counter->token));
    EXPECT_FALSE(authenticator_.authenticate(phone->token));
    storage::AuditQuery q;
    q.username = "admin";
    auto log = stores_.audit->list(q);
    EXPECT_TRUE(std::any_of(log.begin(), log.end(), [](const storage::AuditEntry& e) { return e.action == "logout.everywhere"; }));

    auto clerk = users_.create({"zhang.wei", "张伟", "Counter-2026", {"staff"}}, actorOf(admin_));
    ASSERT_TRUE(clerk);
    auto before = authenticator_.login("zhang.wei", "Counter-2026", "10.0.0.7");
    ASSERT_TRUE(before);
    ASSERT_TRUE(users_.change(clerk->id, {.password = std::string("Counter-2027")}, admin_));
    EXPECT_FALSE(authenticator_.authenticate(before->token)) << "a new password signs the old sessions out";
}

// Passwords may be given an age (等保: 定期更换): past it, the next sign-in must change it first.
TEST_F(PeopleDesks, APasswordPastItsAgeIsChangedAtTheNextSignIn) {
    Authenticator ageing{*stores_.users, *stores_.audit, *clock_, {}, {}, std::chrono::days(90)};
    auto clerk = users_.create({.username = "li.na", .password = "Counter-2026", .roles = {"staff"}, .mustChangePassword = false},
                               actorOf(admin_));
    ASSERT_TRUE(clerk);
    clock_->advance(89 * 24 * kHour);
    auto young = ageing.login("li.na", "Counter-2026", "10.0.0.8");
    ASSERT_TRUE(young);
    EXPECT_FALSE(young->user.mustChangePassword);
    clock_->advance(2 * 24 * kHour);
    auto old = ageing.login("li.na", "Counter-2026", "10.0.0.8");
    ASSERT_TRUE(old);
    EXPECT_TRUE(old->user.mustChangePassword) << "ninety-one days old";
    auto changed = users_.changeOwnPassword(old->user, "Counter-2026", "Window-2027", tokenDigest(old->token));
    ASSERT_TRUE(changed) << changed.error().message;
    EXPECT_FALSE(ageing.login("li.na", "Window-2027", "10.0.0.8")->user.mustChangePassword) << "a new password starts its age";
}

// Confirming one's password before changing it counts wrong ones toward the lock, as signing in
// does: a stolen session cannot be used to guess the password.
TEST_F(PeopleDesks, WrongPasswordsGivenToConfirmLockTheAccount) {
    auto clerk = users_.create({.username = "li.na", .password = "Counter-2026", .roles = {"staff"}}, actorOf(admin_));
    ASSERT_TRUE(clerk);
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(authenticator_.confirmPassword(*clerk, "Guess-" + std::to_string(i), "10.0.0.9").error().code, ProblemCode::Forbidden);
    EXPECT_FALSE(authenticator_.confirmPassword(*clerk, "Counter-2026", "10.0.0.9")) << "locked: the right one is refused too";
    EXPECT_FALSE(authenticator_.login("li.na", "Counter-2026", "10.0.0.9")) << "and so is signing in";
    clock_->advance(16 * kMinute);
    EXPECT_TRUE(authenticator_.confirmPassword(*clerk, "Counter-2026", "10.0.0.9"));
}

}  // namespace
}  // namespace dangan::server
