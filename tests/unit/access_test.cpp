#include "dangan/desks/access.h"

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

TEST(Passwords, WeaknessRules) {
    EXPECT_TRUE(passwordWeakness("short"));
    EXPECT_FALSE(passwordWeakness("long enough"));
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
