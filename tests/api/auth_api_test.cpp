// Sign-in, sessions, roles and users, through HTTP against the real server.
#include "api_test_fixture.h"

#include <fstream>

namespace dangan::testing {
namespace {

TEST_F(ApiTest, HealthNeedsNoSignIn) {
    HttpClient anonymous(server_->port());
    auto reply = anonymous.get("/api/health");
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(parseObject(reply.body)->getValue<std::string>("status"), "ok");
}

TEST_F(ApiTest, EveryOtherEndpointAnswers401WithoutAValidToken) {
    const std::vector<std::pair<std::string, std::string>> endpoints{
        {"GET", "/api/me"},           {"POST", "/api/logout"},
        {"GET", "/api/processes"},    {"POST", "/api/customers"},
        {"GET", "/api/customers/3350100065"}, {"GET", "/api/customers/3350100065/efile"},
        {"GET", "/api/search?q=abc"}, {"POST", "/api/scans"},
        {"GET", "/api/documents/1"},  {"GET", "/api/pages/1/image"},
        {"GET", "/api/pages/1/thumbnail"}, {"GET", "/api/pages/1/preview"},
        {"GET", "/api/users"},        {"POST", "/api/users"},
        {"PATCH", "/api/users/1"},    {"GET", "/api/audit"}};
    HttpClient anonymous(server_->port());
    HttpClient forged(server_->port());
    forged.setToken(std::string(64, 'a'));
    for (const auto& [method, path] : endpoints) {
        for (const auto* client : {&anonymous, &forged}) {
            auto reply = method == "GET" ? client->get(path) : client->send(method, path, "{}", "application/json");
            EXPECT_EQ(reply.status, 401) << method << " " << path;
            EXPECT_TRUE(parseObject(reply.body)->has("error")) << reply.body;
        }
    }
}

TEST_F(ApiTest, LoginErrorsAreClearAndAudited) {
    HttpClient client(server_->port());
    auto wrong = client.postJson("/api/login", R"({"username":"admin","password":"nope"})");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_NE(parseObject(wrong.body)->getValue<std::string>("error").find("wrong username or password"), std::string::npos);
    // Beside the English for programs, the same in Chinese for the person at the screen.
    EXPECT_EQ(parseObject(wrong.body)->getValue<std::string>("message"),
              "用户名或密码错误，或账号已停用、因多次输错暂被锁定（15 分钟后再试，或请管理员解锁）");
    EXPECT_EQ(client.postJson("/api/login", R"({"username":"admin"})").status, 400);
    EXPECT_EQ(client.postJson("/api/login", "not json").status, 400);
    EXPECT_EQ(client.postJson("/api/login", R"({"username":{"a":1},"password":"x"})").status, 400);
    auto audit = admin_->get("/api/audit?object_type=user&object_id=admin");
    ASSERT_EQ(audit.status, 200);
    EXPECT_NE(audit.body.find("login.failed"), std::string::npos);
}

// Five wrong passwords in a row lock the account (the right one is then refused too, with the same
// words as for a wrong one or an unknown name); both are audited; an admin unlocks it.
TEST_F(ApiTest, WrongPasswordsInARowLockTheAccountUntilAnAdminUnlocksIt) {
    auto clerk = signedInAs("guitai", {"staff"});
    HttpClient client(server_->port());
    auto attempt = [&](const std::string& password) {
        return client.postJson("/api/login", R"({"username":"guitai","password":")" + password + R"("})");
    };
    for (int i = 0; i < 5; ++i) EXPECT_EQ(attempt("wrong-" + std::to_string(i)).status, 401);
    auto locked = attempt("Desk-Pass-2026");
    EXPECT_EQ(locked.status, 401) << "locked: the right password is refused too";
    auto unknown = client.postJson("/api/login", R"({"username":"nobody-here","password":"x"})");
    EXPECT_EQ(parseObject(locked.body)->getValue<std::string>("error"), parseObject(unknown.body)->getValue<std::string>("error"))
        << "the answer never tells a locked account from a name that does not exist";
    auto log = parseObject(admin_->get("/api/audit?object_type=user&object_id=guitai").body)->getArray("entries");
    std::set<std::string> actions;
    for (std::size_t i = 0; i < log->size(); ++i) actions.insert(log->getObject(static_cast<unsigned>(i))->getValue<std::string>("action"));
    EXPECT_TRUE(actions.contains("login.locked"));
    EXPECT_TRUE(actions.contains("login.failed"));

    auto users = parseObject(admin_->get("/api/users").body)->getArray("users");
    std::int64_t id = 0;
    for (std::size_t i = 0; i < users->size(); ++i)
        if (users->getObject(static_cast<unsigned>(i))->getValue<std::string>("username") == "guitai") {
            id = users->getObject(static_cast<unsigned>(i))->getValue<std::int64_t>("id");
            EXPECT_FALSE(users->getObject(static_cast<unsigned>(i))->isNull("locked_until"));
        }
    EXPECT_EQ(clerk.send("PATCH", "/api/users/" + std::to_string(id), R"({"unlock":true})", "application/json").status, 403);
    auto unlocked = admin_->send("PATCH", "/api/users/" + std::to_string(id), R"({"unlock":true})", "application/json");
    ASSERT_EQ(unlocked.status, 200) << unlocked.body;
    EXPECT_EQ(attempt("Desk-Pass-2026").status, 200) << "unlocked, the right password signs in";
}

TEST_F(ApiTest, LogoutEndsTheSession) {
    HttpClient client(server_->port());
    client.login("admin", kAdminPassword);
    EXPECT_EQ(client.get("/api/me").status, 200);
    EXPECT_EQ(client.send("POST", "/api/logout", "", "application/json").status, 204);
    EXPECT_EQ(client.get("/api/me").status, 401);
}

TEST_F(ApiTest, RolesDecideWhatAUserMayDo) {
    auto staff = signedInAs("staff1", {"staff"});
    auto auditor = signedInAs("auditor1", {"auditor"});
    auto archivist = signedInAs("archivist1", {"archivist"});
    const std::string customers = R"([{"account_no":"3350100065","name":"张伟"}])";

    EXPECT_EQ(staff.postJson("/api/customers", customers).status, 403);
    EXPECT_EQ(auditor.postJson("/api/customers", customers).status, 403);
    EXPECT_EQ(archivist.postJson("/api/customers", customers).status, 200);

    // Approvers only read; business staff file the papers of their steps, as archivists do.
    auto approver = signedInAs("approver1", {"approver"});
    auto refused = approver.postMultipart("/api/scans", {{"account_no", "3350100065"}, {"process", "增容"}, {"doc_type", "变更用电申请书"}},
                                          {jpegPart("a.jpg", 1)});
    EXPECT_EQ(refused.status, 403);
    EXPECT_TRUE(parseObject(refused.body)->has("error"));
    EXPECT_EQ(staff.postMultipart("/api/scans", {{"account_no", "3350100065"}, {"process", "增容"}, {"doc_type", "变更用电申请书"}},
                                  {jpegPart("a.jpg", 2)}).status, 201);
    EXPECT_EQ(archivist.postMultipart("/api/scans", {{"account_no", "3350100065"}, {"process", "增容"}, {"doc_type", "变更用电申请书"}},
                                      {jpegPart("a.jpg", 1)}).status, 201);

    for (auto* reader : {&staff, &auditor, &archivist}) {
        EXPECT_EQ(reader->get("/api/customers/3350100065/efile").status, 200);
        EXPECT_EQ(reader->get("/api/search?q=" + urlEncode("张伟")).status, 200);
    }
    EXPECT_EQ(staff.get("/api/audit").status, 403);
    EXPECT_EQ(archivist.get("/api/audit").status, 403);
    EXPECT_EQ(auditor.get("/api/audit").status, 200);
    for (auto* user : {&staff, &auditor, &archivist}) {
        EXPECT_EQ(user->get("/api/users").status, 403);
        EXPECT_EQ(user->postJson("/api/users", R"({"username":"x1","password":"password1","roles":["admin"]})").status, 403);
    }
}

TEST_F(ApiTest, AdminsManageUsers) {
    auto created = admin_->postJson("/api/users", R"({"username":"clerk","password":"Counter-Pass-26","roles":["staff","approver"],"display_name":"柜台一","must_change_password":false})");
    ASSERT_EQ(created.status, 201) << created.body;
    auto user = parseObject(created.body);
    EXPECT_EQ(user->getValue<std::string>("display_name"), "柜台一");
    EXPECT_FALSE(user->has("password_hash"));
    EXPECT_EQ(created.body.find("pbkdf2"), std::string::npos);
    int id = user->getValue<int>("id");

    EXPECT_EQ(admin_->postJson("/api/users", R"({"username":"clerk","password":"Another-Pass-26","roles":["staff"]})").status, 409);
    EXPECT_EQ(admin_->postJson("/api/users", R"({"username":"c2","password":"short","roles":["staff"]})").status, 400);
    EXPECT_EQ(admin_->postJson("/api/users", R"({"username":"c3","password":"Long-Enough-26","roles":["boss"]})").status, 400);
    EXPECT_EQ(admin_->postJson("/api/users", R"({"username":"C 4","password":"Long-Enough-26","roles":["staff"]})").status, 400);
    EXPECT_EQ(admin_->postJson("/api/users", R"({"username":"c5","password":"Long-Enough-26","roles":[]})").status, 400);

    // The password policy, said in Chinese: kinds of character, the username, the most used ones,
    // CrackLib's dictionary; a reset password is held to it too.
    for (auto [password, said] : {std::pair{"lowercase-only", "密码须含有小写字母、大写字母、数字、其他符号中的至少 3 类"},
                                  {"Clerk6-2026", "密码不能包含用户名"},
                                  {"P@ssw0rd", "这是最常用的密码之一，请换一个"},
                                  {"Password123", "密码太容易被猜到（常见单词、键盘或数字序列、重复字符等），请换一个"}}) {
        auto refused = admin_->postJson("/api/users", std::string(R"({"username":"clerk6","roles":["staff"],"password":")") + password + "\"}");
        EXPECT_EQ(refused.status, 400) << password;
        EXPECT_EQ(parseObject(refused.body)->getValue<std::string>("message"), said) << password;
    }
    EXPECT_EQ(admin_->send("PATCH", "/api/users/" + std::to_string(id), R"({"password":"Clerk-2026"})", "application/json").status, 400)
        << "a reset password may not contain the username either";

    auto list = admin_->get("/api/users");
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(parseObject(list.body)->getArray("users")->size(), 2u);

    HttpClient clerk(server_->port());
    clerk.login("clerk", "Counter-Pass-26");
    EXPECT_EQ(clerk.get("/api/me").status, 200);
    auto changed = admin_->send("PATCH", "/api/users/" + std::to_string(id), R"({"roles":["auditor"]})", "application/json");
    ASSERT_EQ(changed.status, 200) << changed.body;
    EXPECT_EQ(clerk.get("/api/audit").status, 200);  // the new role applies at once

    EXPECT_EQ(admin_->send("PATCH", "/api/users/" + std::to_string(id), R"({"disabled":true})", "application/json").status, 200);
    EXPECT_EQ(clerk.get("/api/me").status, 401);
    HttpClient again(server_->port());
    EXPECT_EQ(again.postJson("/api/login", R"({"username":"clerk","password":"Counter-Pass-26"})").status, 401);

    EXPECT_EQ(admin_->send("PATCH", "/api/users/" + std::to_string(id), R"({"display_name":["x"]})", "application/json").status, 400);
    EXPECT_EQ(admin_->send("PATCH", "/api/users/" + std::to_string(id), R"({"disabled":"yes"})", "application/json").status, 400);
    EXPECT_EQ(admin_->postJson("/api/users", R"({"username":["c6"],"password":"Long-Enough-26","roles":["staff"]})").status, 400);
    EXPECT_EQ(admin_->send("PATCH", "/api/users/999", R"({"disabled":true})", "application/json").status, 404);
    EXPECT_EQ(admin_->send("PATCH", "/api/users/1", R"({"disabled":true})", "application/json").status, 409);
    EXPECT_EQ(admin_->send("PATCH", "/api/users/1", R"({"roles":["staff"]})", "application/json").status, 409);
    EXPECT_EQ(admin_->send("PATCH", "/api/users/x", R"({})", "application/json").status, 400);
}

TEST_F(ApiTest, ProcessCatalogListsEveryProcessWithItsCategory) {
    auto staff = signedInAs("counter2", {"staff"});
    auto reply = staff.get("/api/processes");
    ASSERT_EQ(reply.status, 200);
    auto catalog = parseObject(reply.body);
    EXPECT_EQ(catalog->getArray("categories")->size(), 5u);
    auto processes = catalog->getArray("processes");
    std::map<std::string, std::string> categoryOf;
    for (unsigned i = 0; i < processes->size(); ++i)
        categoryOf[processes->getObject(i)->getValue<std::string>("name")] = processes->getObject(i)->getValue<std::string>("category");
    EXPECT_EQ(categoryOf.at("高压新装"), "业扩档案");
    EXPECT_EQ(categoryOf.at("用电检查"), "用检档案");
    EXPECT_EQ(categoryOf.at("电能表轮换"), "计量档案");
}

TEST_F(ApiTest, AuditLogQueriesAreCheckedAndPaged) {
    EXPECT_EQ(admin_->get("/api/audit?limit=0").status, 400);
    EXPECT_EQ(admin_->get("/api/audit?limit=abc").status, 400);
    EXPECT_EQ(admin_->get("/api/audit?before=-1").status, 400);
    auto page = parseObject(admin_->get("/api/audit?limit=1").body)->getArray("entries");
    ASSERT_EQ(page->size(), 1u);
    int newest = page->getObject(0)->getValue<int>("id");
    auto older = parseObject(admin_->get("/api/audit?limit=1000&before=" + std::to_string(newest)).body)->getArray("entries");
    for (unsigned i = 0; i < older->size(); ++i) EXPECT_LT(older->getObject(i)->getValue<int>("id"), newest);
    EXPECT_GE(older->size(), 1u);  // the admin's creation precedes the login
}

TEST_F(ApiTest, UnknownPathsAndMethodsAnswerWithJsonErrors) {
    auto unknown = admin_->get("/api/nothing-here");
    EXPECT_EQ(unknown.status, 404);
    EXPECT_TRUE(parseObject(unknown.body)->has("error"));
    auto method = admin_->send("DELETE", "/api/customers/3350100065", "", "application/json");
    EXPECT_EQ(method.status, 405);
    EXPECT_TRUE(parseObject(method.body)->has("error"));
}

TEST_F(ApiTest, ASecondServerOnTheSamePortFailsInsteadOfSharingIt) {
    auto second = runCommand({danganBinary(), "serve", "--data", (dir_.path() / "other").string(), "--host", "127.0.0.1",
                              "--port", std::to_string(server_->port())},
                             15);
    EXPECT_NE(second.status, 0);
    EXPECT_NE(second.status, -1) << "the second server kept running";
    EXPECT_EQ(admin_->get("/api/me").status, 200);  // the first one is unharmed
}

TEST_F(ApiTest, CommandLineErrorsAreOneLineAndNonZero) {
    EXPECT_NE(runCommand({danganBinary()}, 15).status, 0);
    EXPECT_NE(runCommand({danganBinary(), "bogus"}, 15).status, 0);
    EXPECT_NE(runCommand({danganBinary(), "serve", "--port", "99999"}, 15).status, 0);
    EXPECT_NE(runCommand({danganBinary(), "serve", "--no-such-option"}, 15).status, 0);
    // The database's password never on the command line (usage, 64); a worker only beside a
    // PostgreSQL archive (64); a database server that is not there (1).
    EXPECT_EQ(runCommand({danganBinary(), "serve", "--database", "postgresql://dangan:secret@127.0.0.1:1/dangan"}, 15).status, 64);
    EXPECT_EQ(runCommand({danganBinary(), "worker", "--data", (dir_.path() / "w").string()}, 15).status, 64);
    EXPECT_EQ(runCommand({danganBinary(), "verify", "--database", "postgresql://dangan@127.0.0.1:1/dangan"}, 15).status, 1);
}

TEST_F(ApiTest, ServesTheWebApplicationAndNothingOutsideIt) {
    HttpClient anonymous(server_->port());
    auto index = anonymous.get("/");
    EXPECT_EQ(index.status, 200);
    EXPECT_NE(index.contentType.find("text/html"), std::string::npos);
    EXPECT_NE(index.body.find("档案"), std::string::npos);
    EXPECT_EQ(anonymous.get("/../CMakeLists.txt").status, 404);
    EXPECT_EQ(anonymous.get("/%2e%2e/CMakeLists.txt").status, 404);
    EXPECT_EQ(anonymous.get("/no-such-file.js").status, 404);
}

}  // namespace
}  // namespace dangan::testing

namespace dangan::testing {
namespace {

// The data folder holds ID numbers and contracts: everything in it is its owner's alone.
TEST_F(ApiTest, TheDataFolderAndEverythingInItAreTheOwnersAlone) {
    importCustomers(R"([{"account_no":"3300000001","name":"张伟"}])");
    ASSERT_EQ(fileScan("3300000001", "低压居民新装", "用电申请书", {jpegPart("p.jpg", 5)}).status, 201);
    namespace fs = std::filesystem;
    auto mode = [](const fs::path& p) { return fs::status(p).permissions() & fs::perms::all; };
    EXPECT_EQ(mode(dataDir()), fs::perms::owner_all);
    EXPECT_EQ(mode(dataDir() / "archive.db"), fs::perms::owner_read | fs::perms::owner_write);
    int files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dataDir())) {
        auto m = mode(entry.path());
        EXPECT_EQ(m & (fs::perms::group_all | fs::perms::others_all), fs::perms::none) << entry.path();
        files += entry.is_regular_file() ? 1 : 0;
    }
    EXPECT_GT(files, 2) << "the database and the stored image were looked at";
}


// 三员分立: the security administrator manages users and rules and nothing else; the audit
// administrator reads the audit log and nothing else; neither changes their own roles; and once
// a security administrator exists, the first set-up's admin keeps the rules and the calendar only.
TEST_F(ApiTest, TheSecurityAndAuditAdministratorsAreRefusedEachOthersWork) {
    importCustomers(R"([{"account_no":"3350100065","name":"张伟"}])");
    EXPECT_FALSE(parseObject(admin_->get("/api/me").body)->getValue<bool>("duties_separated"));
    auto audit = signedInAs("shenji", {"audit_admin"});
    auto security = signedInAs("anquan", {"security_admin"});
    // The admin of the first set-up is now the system administrator.
    EXPECT_TRUE(parseObject(admin_->get("/api/me").body)->getValue<bool>("duties_separated"));
    EXPECT_EQ(admin_->get("/api/rules").status, 200);
    EXPECT_EQ(admin_->get("/api/calendar").status, 200);
    for (const auto& path : {"/api/users", "/api/customers/3350100065", "/api/search?q=3350100065", "/api/audit", "/api/loans"})
        EXPECT_EQ(admin_->get(path).status, 403) << "system administrator: " << path;
    EXPECT_EQ(admin_->postJson("/api/users", R"({"username":"another","password":"Desk-Pass-2026","roles":["admin"]})").status, 403);
    // The security administrator: users and rules.
    EXPECT_EQ(security.postJson("/api/users", R"({"username":"newclerk","password":"Desk-Pass-2026","roles":["staff"]})").status, 201);
    EXPECT_EQ(security.get("/api/users").status, 200);
    auto rules = security.get("/api/rules");
    EXPECT_EQ(rules.status, 200);
    EXPECT_EQ(security.get("/api/calendar").status, 200);
    // … and nothing of the archive, the paper, the audits or the log.
    for (const auto& path : {"/api/customers/3350100065", "/api/search?q=3350100065", "/api/audit", "/api/audit/export",
                             "/api/dashboard", "/api/loans"})
        EXPECT_EQ(security.get(path).status, 403) << "security administrator: " << path;
    auto me = parseObject(security.get("/api/me").body);
    auto own = security.send("PATCH", "/api/users/" + std::to_string(me->getValue<std::int64_t>("id")),
                             R"({"roles":["security_admin","audit_admin"]})", "application/json");
    EXPECT_EQ(own.status, 409) << "no one changes their own roles";
    EXPECT_EQ(parseObject(own.body)->getValue<std::string>("message"), "不能停用自己，也不能改自己的角色（请另一位管理员操作）");
    // The audit administrator: the log and its export.
    EXPECT_EQ(audit.get("/api/audit").status, 200);
    EXPECT_EQ(audit.get("/api/audit/export").status, 200);
    for (const auto& path : {"/api/users", "/api/rules", "/api/customers/3350100065", "/api/search?q=3350100065", "/api/dashboard"})
        EXPECT_EQ(audit.get(path).status, 403) << "audit administrator: " << path;
    EXPECT_EQ(audit.postJson("/api/users", R"({"username":"other","password":"Desk-Pass-2026","roles":["staff"]})").status, 403);
    EXPECT_EQ(audit.send("PUT", "/api/rules", "weight,40,40,20\n", "text/plain").status, 403);
}

// A password an administrator set (a new user's, a reset one) opens nothing but changing it; the
// user's own new password ends their other sessions and is held to the policy.
TEST_F(ApiTest, APasswordAnAdministratorSetIsChangedBeforeAnythingElseOpens) {
    auto made = admin_->postJson("/api/users", R"({"username":"luru","password":"Desk-Pass-2026","roles":["staff"]})");
    ASSERT_EQ(made.status, 201) << made.body;
    EXPECT_TRUE(parseObject(made.body)->getValue<bool>("must_change_password"));
    HttpClient desk(server_->port()), phone(server_->port());
    desk.login("luru", "Desk-Pass-2026");
    phone.login("luru", "Desk-Pass-2026");
    EXPECT_EQ(desk.get("/api/me").status, 200);
    auto closed = desk.get("/api/search?q=" + urlEncode("张伟"));
    EXPECT_EQ(closed.status, 403);
    EXPECT_EQ(parseObject(closed.body)->getValue<std::string>("message"), "请先修改管理员设置的初始密码");

    auto said = [&](const std::string& body) {
        auto reply = desk.postJson("/api/me/password", body);
        return std::to_string(reply.status) + " " + parseObject(reply.body)->optValue<std::string>("message", "");
    };
    EXPECT_EQ(said(R"({"current":"wrong-Pass-1","new":"Own-Desk-2027"})"), "403 当前密码不对（多次输错会锁定账号 15 分钟）");
    EXPECT_EQ(said(R"({"current":"Desk-Pass-2026","new":"Desk-Pass-2026"})"), "400 新密码不能与当前密码相同");
    EXPECT_EQ(said(R"({"current":"Desk-Pass-2026","new":"luru-Own-2027"})"), "400 密码不能包含用户名");
    EXPECT_EQ(said(R"({"current":"Desk-Pass-2026"})"), "400 请填写当前密码和新密码");
    auto changed = desk.postJson("/api/me/password", R"({"current":"Desk-Pass-2026","new":"Own-Desk-2027"})");
    ASSERT_EQ(changed.status, 200) << changed.body;
    EXPECT_FALSE(parseObject(changed.body)->getValue<bool>("must_change_password"));
    EXPECT_EQ(desk.get("/api/search?q=" + urlEncode("张伟")).status, 200) << "this session goes on, and opens now";
    EXPECT_EQ(phone.get("/api/me").status, 401) << "the other session ended with the old password";
    HttpClient again(server_->port());
    EXPECT_EQ(again.postJson("/api/login", R"({"username":"luru","password":"Desk-Pass-2026"})").status, 401);
    again.login("luru", "Own-Desk-2027");
    EXPECT_EQ(again.get("/api/search?q=" + urlEncode("张伟")).status, 200);

    // Reset by an administrator: to be changed again.
    auto id = std::to_string(parseObject(made.body)->getValue<std::int64_t>("id"));
    ASSERT_EQ(admin_->send("PATCH", "/api/users/" + id, R"({"password":"Reset-Desk-2027"})", "application/json").status, 200);
    HttpClient reset(server_->port());
    auto in = reset.postJson("/api/login", R"({"username":"luru","password":"Reset-Desk-2027"})");
    ASSERT_EQ(in.status, 200);
    EXPECT_TRUE(parseObject(in.body)->getObject("user")->getValue<bool>("must_change_password"));
}

// Sessions by the archive's clock (--clock-file): thirty minutes unused end one, and a user or an
// administrator signs a user out everywhere.
class SessionsApi : public ApiTest {
protected:
    std::filesystem::path clockFile() const { return dir_.path() / "clock"; }
    void setClock(const std::string& instant) { std::ofstream(clockFile()) << instant << "\n"; }
    void SetUp() override {
        setClock("2026-11-02T01:00:00Z");
        ApiTest::SetUp();
    }
    std::vector<std::string> serverOptions() const override { return {"--clock-file", clockFile().string()}; }
};

TEST_F(SessionsApi, ThirtyMinutesUnusedEndASession) {
    auto clerk = signedInAs("guitai", {"staff"});
    setClock("2026-11-02T01:29:00Z");
    EXPECT_EQ(clerk.get("/api/me").status, 200);
    setClock("2026-11-02T01:58:00Z");
    EXPECT_EQ(clerk.get("/api/me").status, 200) << "each use starts the thirty minutes again";
    setClock("2026-11-02T02:29:00Z");
    auto idle = clerk.get("/api/me");
    EXPECT_EQ(idle.status, 401);
    EXPECT_EQ(parseObject(idle.body)->getValue<std::string>("message"), "登录已过期，请重新登录");
}

TEST_F(SessionsApi, AUserOrAnAdministratorSignsAUserOutEverywhere) {
    auto counter = signedInAs("guitai", {"staff"});
    HttpClient phone(server_->port());
    phone.login("guitai", "Desk-Pass-2026");
    EXPECT_EQ(counter.send("POST", "/api/logout?everywhere=true", "", "text/plain").status, 204);
    EXPECT_EQ(counter.get("/api/me").status, 401);
    EXPECT_EQ(phone.get("/api/me").status, 401) << "the other device is signed out too";

    phone.login("guitai", "Desk-Pass-2026");
    auto me = parseObject(phone.get("/api/me").body);
    auto id = std::to_string(me->getValue<std::int64_t>("id"));
    EXPECT_EQ(phone.send("DELETE", "/api/users/" + id + "/sessions", "", "text/plain").status, 403);
    auto closed = admin_->send("DELETE", "/api/users/" + id + "/sessions", "", "text/plain");
    ASSERT_EQ(closed.status, 200) << closed.body;
    EXPECT_EQ(parseObject(closed.body)->getValue<int>("closed"), 1);
    EXPECT_EQ(phone.get("/api/me").status, 401);
    EXPECT_EQ(admin_->send("DELETE", "/api/users/9999/sessions", "", "text/plain").status, 404);
    auto log = parseObject(admin_->get("/api/audit?object_type=user&object_id=" + id).body)->getArray("entries");
    int everywhere = 0;
    for (std::size_t i = 0; i < log->size(); ++i)
        everywhere += log->getObject(static_cast<unsigned>(i))->getValue<std::string>("action") == "logout.everywhere";
    EXPECT_EQ(everywhere, 2);
}

}  // namespace
}  // namespace dangan::testing
