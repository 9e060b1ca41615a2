// An embedded archive moved up into PostgreSQL (`dangan migrate --from DIR --to URL`): filed with
// SQLite, copied, the copy proved, a second run finds everything there, and a server on the copy
// serves the same archive and goes on numbering where the embedded one stopped. Runs under the
// postgresql. prefix (it needs the loopback PostgreSQL server).
#include <gtest/gtest.h>

#include "api_test_fixture.h"
#include "test_database.h"

namespace dangan::testing {
namespace {

class DatabaseMigrationApi : public ApiTest {
protected:
    void SetUp() override {
        if (!onPostgresql()) GTEST_SKIP() << "moving up needs the loopback PostgreSQL server (the postgresql. prefix)";
        ApiTest::SetUp();
    }
    // The archive starts embedded: SQLite in the data folder.
    std::vector<std::string> serverOptions() const override { return {"--database", "", "--ocr-workers", "-1"}; }
};

TEST_F(DatabaseMigrationApi, AnEmbeddedArchiveMovesUpProvedAndServesTheSameFromPostgresql) {
    importCustomers(R"([{"account_no":"3300000001","name":"张伟","address":"福州市鼓楼区五四路158号"},
                        {"account_no":"3300000002","name":"李娜","address":"福州市台江区八一七中路1号"},
                        {"account_no":"3300000003","name":"王芳","address":"福州市\"五四路\"\\158号\t2栋"}])");
    auto jpeg = jpegPart("page.jpg", 21);
    auto filed = fileScan("3300000001", "低压居民新装", "用电申请书", {jpeg, jpegPart("page2.jpg", 22)});
    ASSERT_EQ(filed.status, 201) << filed.body;
    auto first = parseObject(filed.body);
    auto pageId = first->getArray("pages")->getObject(0)->getValue<int>("id");
    auto archiveNo = first->getValue<std::string>("archive_no");
    ASSERT_EQ(server_->terminate(), 0);

    const std::string url = freshPostgresDatabase();
    auto migrate = [&] { return runCommand({danganBinary(), "migrate", "--from", dataDir().string(), "--to", url}); };
    auto run = migrate();
    ASSERT_EQ(run.status, 0) << run.output;
    EXPECT_NE(run.output.find("customers: 3 rows"), std::string::npos) << run.output;
    EXPECT_NE(run.output.find("pages: 2 rows"), std::string::npos) << run.output;
    EXPECT_NE(run.output.find("chain intact"), std::string::npos) << run.output;
    // A second run finds every row there already and copies nothing twice.
    auto again = migrate();
    ASSERT_EQ(again.status, 0) << again.output;
    EXPECT_NE(again.output.find("pages: 2 rows (2 there before)"), std::string::npos) << again.output;

    ServerProcess moved(dataDir(), {"--database", url, "--ocr-workers", "-1"});
    moved.start();
    HttpClient admin(moved.port());
    admin.login("admin", kAdminPassword);  // the users came along
    // The same page, the same bytes, from the same image folder.
    EXPECT_EQ(admin.get("/api/pages/" + std::to_string(pageId) + "/image").body, jpeg.bytes);
    // The search index was rebuilt: a two-character name is found.
    auto found = admin.get("/api/search?q=" + urlEncode("李娜"));
    EXPECT_NE(found.body.find("3300000002"), std::string::npos) << found.body;
    // Text that the bulk copy must escape (quotes, a backslash, a tab) arrives as it was.
    auto third = admin.get("/api/customers/3300000003");
    ASSERT_EQ(third.status, 200) << third.body;
    EXPECT_EQ(parseObject(third.body)->getValue<std::string>("address"), "福州市\"五四路\"\\158号\t2栋");
    // New work goes on after the copied keys and numbers.
    auto next = admin.postMultipart("/api/scans", {{"account_no", "3300000002"}, {"process", "低压居民新装"}, {"doc_type", "用电申请书"}},
                                    {jpegPart("page3.jpg", 23)});
    ASSERT_EQ(next.status, 201) << next.body << moved.log();
    auto second = parseObject(next.body);
    EXPECT_GT(second->getArray("pages")->getObject(0)->getValue<int>("id"), pageId + 1);
    EXPECT_NE(second->getValue<std::string>("archive_no"), archiveNo);
    auto verify = runCommand({danganBinary(), "verify", "--data", dataDir().string(), "--database", url});
    EXPECT_EQ(verify.status, 0) << verify.output;
    EXPECT_NE(verify.output.find("chain intact"), std::string::npos) << verify.output;
    EXPECT_NE(verify.output.find("images: 3 checked, 0 problem(s)"), std::string::npos) << verify.output;
}

}  // namespace
}  // namespace dangan::testing
