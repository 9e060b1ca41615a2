// The audit log's protection (issue 26): its chain is checked at every start and a break is
// logged and recorded as an entry of its own; the log is exported for an external collector,
// oldest first from the last id it has.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "api_test_fixture.h"

namespace dangan::testing {
namespace {

TEST(AuditLogApi, ABrokenChainIsFoundAtStartLoggedAndRecorded) {
    TempDir dir;
    auto data = dir.path() / "data";
    {
        ServerProcess first(data, {"--ocr-workers", "-1"});
        first.start();
        HttpClient admin(first.port());
        for (int i = 0; i < 3; ++i) admin.login("admin", kAdminPassword);  // entries to tamper with
        EXPECT_EQ(first.terminate(), 0);
        EXPECT_NE(first.log().find("the chain is intact"), std::string::npos) << first.log();
    }
    // Someone with the database file rewrites an entry behind the server's back.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((data / "archive.db").c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail='{}' WHERE id=2;", nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);

    ServerProcess again(data, {"--ocr-workers", "-1"});
    again.start();
    HttpClient admin(again.port());
    admin.login("admin", kAdminPassword);
    Poco::JSON::Object::Ptr alert;
    for (int i = 0; i < 100 && !alert; ++i) {
        auto answer = parseObject(admin.get("/api/audit?object_type=audit_log").body);
        auto entries = answer->getArray("entries");
        for (std::size_t k = 0; k < entries->size(); ++k)
            if (entries->getObject(static_cast<unsigned>(k))->getValue<std::string>("action") == "audit.chain_broken")
                alert = entries->getObject(static_cast<unsigned>(k));
        if (!alert) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_TRUE(alert) << "no alert entry; server log:\n" << again.log();
    EXPECT_EQ(alert->getValue<std::string>("object_id"), "2");
    EXPECT_EQ(alert->getValue<std::string>("username"), "system");
    EXPECT_NE(again.log().find("the chain is broken at entry 2"), std::string::npos) << again.log();
}

TEST_F(ApiTest, TheAuditLogIsExportedOldestFirstFromTheLastIdACollectorHas) {
    for (int i = 0; i < 3; ++i) admin_->login("admin", kAdminPassword);
    auto lines = [](const std::string& body) {
        std::vector<Poco::JSON::Object::Ptr> out;
        std::istringstream in(body);
        for (std::string line; std::getline(in, line);) out.push_back(parseObject(line));
        return out;
    };
    auto first = admin_->get("/api/audit/export?after=0&limit=3");
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_EQ(first.contentType, "application/x-ndjson; charset=utf-8");
    auto batch = lines(first.body);
    ASSERT_EQ(batch.size(), 3u);
    EXPECT_EQ(batch[0]->getValue<std::int64_t>("id"), 1);
    EXPECT_EQ(batch[2]->getValue<std::int64_t>("id"), 3);
    EXPECT_EQ(batch[0]->getValue<std::string>("hash").size(), 64u) << "the hashes go along, for the collector to check";
    auto next = lines(admin_->get("/api/audit/export?after=3&limit=2").body);
    ASSERT_EQ(next.size(), 2u);
    EXPECT_EQ(next[0]->getValue<std::int64_t>("id"), 4);
    EXPECT_EQ(admin_->get("/api/audit/export?after=x").status, 400);
    // Each export is in the log itself, under its own action (not an audit run's export).
    bool recorded = false;
    for (int i = 0; i < 50 && !recorded; ++i) {
        auto entries = parseObject(admin_->get("/api/audit?object_type=audit_log").body)->getArray("entries");
        for (std::size_t k = 0; k < entries->size(); ++k)
            recorded = recorded || entries->getObject(static_cast<unsigned>(k))->getValue<std::string>("action") == "audit_log.export";
        if (!recorded) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_TRUE(recorded);
    auto clerk = signedInAs("guitai", {"staff"});
    EXPECT_EQ(clerk.get("/api/audit/export").status, 403);
}

}  // namespace
}  // namespace dangan::testing
