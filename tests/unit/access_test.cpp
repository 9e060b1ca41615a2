#include "dangan/desks/access.h"
#include "dangan/desks/password_policy.h"

#include <gtest/gtest.h>

namespace dangan::server {
namespace {

storage::User withRoles(std::vector<std::string> roles) {
    storage::User u;
    u.roles = std::move(roles);
    return u;
}

TEST(Passwords, HashVerifiesOnlyTheRightPassword) {
    std::string stored = hashPassword("correct horse");
    EXPECT_TRUE(stored.starts_with("pbkdf2-sha256$"));
    EXPECT_TRUE(verifyPassword("correct horse", stored));
    EXPECT_FALSE(verifyPassword("correct horse ", stored));
    EXPECT_FALSE(verifyPassword("", stored));
}

TEST(Passwords, SaltMakesEveryHashDifferent) {
    EXPECT_NE(hashPassword("same"), hashPassword("same"));
}

TEST(Passwords, MalformedStoredHashNeverVerifies) {
    EXPECT_FALSE(verifyPassword("x", ""));
    EXPECT_FALSE(verifyPassword("x", "pbkdf2-sha256$abc$00$00"));
    EXPECT_FALSE(verifyPassword("x", "md5$1$00$00"));
}

// The password policy (等保: 口令复杂度): each rule refuses what it is for, and a password that
// keeps them all is taken; the length and the kinds of character are configurable.
TEST(Passwords, APasswordIsLongMixedNotTheUsernameAndNotWhatAGuesserTriesFirst) {
    auto why = [](std::string_view password, std::string_view username = "zhang.wei", PasswordPolicy policy = {}) {
        return passwordWeakness(password, username, policy).value_or("");
    };
    EXPECT_EQ(why("Ab-1"), "password must have at least 8 characters");
    EXPECT_NE(why("lowercase-only").find("must mix at least 3 of"), std::string::npos) << "two kinds";
    EXPECT_NE(why("12345678").find("must mix"), std::string::npos);
    EXPECT_EQ(why("aaaaaaaa", "x", {8, 1}).substr(0, 32), "password is too easy to guess: i") << "repeated characters";
    EXPECT_NE(why("Abcd1234").find("too easy to guess"), std::string::npos) << "a sequence";
    EXPECT_NE(why("Password1").find("too easy to guess"), std::string::npos) << "a dictionary word";
    EXPECT_EQ(why("Zhang.Wei-2026"), "password must not contain the username");
    EXPECT_EQ(why("iew.gnahz-2026"), "password must not contain the username") << "nor turned about";
    EXPECT_EQ(why("P@ssw0rd"), "password is one of the most used passwords");
    EXPECT_EQ(why("Admin@123"), "password is one of the most used passwords");
    EXPECT_EQ(why("Counter-2026"), "");
    EXPECT_EQ(why("柜台counter88"), "") << "a Chinese character is a kind of its own";
    EXPECT_EQ(why("Counter-2026", "zhang.wei", {14, 3}), "password must have at least 14 characters");
    EXPECT_EQ(why("counter-desk-2026", "zhang.wei", {8, 4}).substr(0, 31), "password must mix at least 4 of");
}

TEST(Tokens, RandomAndHexadecimal) {
    auto a = newToken(), b = newToken();
    EXPECT_EQ(a.size(), 64u);
    EXPECT_NE(a, b);
    EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
    EXPECT_EQ(tokenDigest(a), tokenDigest(a));
    EXPECT_NE(tokenDigest(a), tokenDigest(b));
}

TEST(Permissions, TableOfRights) {
    using enum Permission;
    auto admin = withRoles({"admin"});
    for (auto p : {ReadArchive, ImportCustomers, FileDocuments, ManageUsers, ReadAuditLog}) EXPECT_TRUE(allows(admin, p));
    auto archivist = withRoles({"archivist"});
    EXPECT_TRUE(allows(archivist, FileDocuments));
    EXPECT_TRUE(allows(archivist, ImportCustomers));
    EXPECT_FALSE(allows(archivist, ManageUsers));
    EXPECT_FALSE(allows(archivist, ReadAuditLog));
    auto staff = withRoles({"staff"});
    EXPECT_TRUE(allows(staff, ReadArchive));
    EXPECT_TRUE(allows(staff, FileDocuments));
    EXPECT_TRUE(allows(staff, SeeReminders));
    EXPECT_FALSE(allows(staff, CurateArchive));
    EXPECT_FALSE(allows(staff, KeepPaper));
    EXPECT_FALSE(allows(staff, ImportCustomers));
    EXPECT_FALSE(allows(staff, RunAudits));
    EXPECT_TRUE(allows(archivist, CurateArchive));
    EXPECT_FALSE(allows(withRoles({"approver"}), FileDocuments));
    auto auditor = withRoles({"auditor"});
    EXPECT_TRUE(allows(auditor, ReadAuditLog));
    EXPECT_FALSE(allows(auditor, ImportCustomers));
    auto both = withRoles({"staff", "auditor"});
    EXPECT_TRUE(allows(both, ReadAuditLog));
    EXPECT_FALSE(allows(withRoles({}), ReadArchive));
    auto disabled = withRoles({"admin"});
    disabled.disabled = true;
    EXPECT_FALSE(allows(disabled, ReadArchive));
}

}  // namespace
}  // namespace dangan::server
