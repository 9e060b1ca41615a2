// Several nodes on one PostgreSQL database (issue 27): any node answers any request, each sees the
// others' work, and the work that runs once (the hot folder among it) is led by one node at a time
// and taken over by another, a `dangan worker` too, when the leader dies. Runs under the
// postgresql. prefix; one SQLite archive has one server.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "api_test_fixture.h"
#include "test_database.h"

extern char** environ;

namespace dangan::testing {
namespace {

namespace fs = std::filesystem;

class NodesApi : public ApiTest {
protected:
    void SetUp() override {
        if (!onPostgresql()) GTEST_SKIP() << "several nodes share a PostgreSQL database; an SQLite archive has one server";
        ApiTest::SetUp();
        std::ifstream note(dir_.path() / "data.database");
        ASSERT_TRUE(note >> url_) << "the first node's database";
    }

    std::vector<std::string> serverOptions() const override {
        return {"--watch", folder().string(), "--watch-settle", "300", "--lead-retry-ms", "300"};
    }

    fs::path folder() const { return dir_.path() / "scans"; }

    // Another server node on the first one's database, with a data folder of its own.
    std::unique_ptr<ServerProcess> secondNode(std::vector<std::string> extra = {}) {
        std::vector<std::string> args{"--database", url_, "--lead-retry-ms", "300"};
        args.insert(args.end(), extra.begin(), extra.end());
        auto node = std::make_unique<ServerProcess>(dir_.path() / "node-b", args);
        node->start();
        return node;
    }

    std::string url_;
};

TEST_F(NodesApi, AnyNodeAnswersAnyRequestAndSeesTheOthersWork) {
    auto b = secondNode();
    importCustomers(R"([{"account_no":"3300000001","name":"张伟","address":"福州市鼓楼区五四路158号"}])");
    // A session opened on the first node is good on the second: sessions are in the database.
    HttpClient onB(b->port());
    onB.setToken(admin_->login("admin", kAdminPassword));
    auto found = onB.get("/api/search?q=" + urlEncode("张伟"));
    ASSERT_EQ(found.status, 200) << found.body;
    EXPECT_NE(found.body.find("3300000001"), std::string::npos);

    // A page filed on the first node is in the e-file the second shows, and the other way round.
    ASSERT_EQ(fileScan("3300000001", "低压居民新装", "用电申请书", {jpegPart("a.jpg", 1)}).status, 201);
    ASSERT_EQ(onB.postMultipart("/api/scans", {{"account_no", "3300000001"}, {"process", "低压居民新装"}, {"doc_type", "居民身份证复印件"}},
                                {jpegPart("b.jpg", 2)})
                  .status,
              201);
    auto onA = filedPages("3300000001");
    EXPECT_EQ(onA["用电申请书"], 1);
    EXPECT_EQ(onA["居民身份证复印件"], 1);
    auto fileOnB = onB.get("/api/customers/3300000001/efile");
    ASSERT_EQ(fileOnB.status, 200);
    EXPECT_NE(fileOnB.body.find("用电申请书"), std::string::npos);
    EXPECT_NE(fileOnB.body.find("居民身份证复印件"), std::string::npos);

    // Signing out on the second node ends the session on the first too (it holds the same token).
    EXPECT_EQ(admin_->get("/api/me").status, 200);
    ASSERT_EQ(onB.send("POST", "/api/logout", "", "application/json").status, 204);
    EXPECT_EQ(admin_->get("/api/me").status, 401);
}

TEST_F(NodesApi, TheHotFolderIsWatchedByTheLeaderAndAWorkerTakesOverWhenItDies) {
    // A worker node (no HTTP) on the same database and folder: it follows while the server leads.
    fs::path workerData = dir_.path() / "worker";
    std::vector<std::string> argv{danganBinary(), "worker", "--data", workerData.string(), "--database", url_,
                                  "--watch", folder().string(), "--watch-settle", "300", "--lead-retry-ms", "300"};
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    pid_t worker = 0;
    ASSERT_EQ(::posix_spawn(&worker, args[0], nullptr, nullptr, args.data(), environ), 0);
    struct Reap {
        pid_t pid;
        ~Reap() {
            ::kill(pid, SIGTERM);
            int status = 0;
            ::waitpid(pid, &status, 0);
        }
    } reap{worker};

    std::ofstream(folder() / "first.txt") << "not a scan";
    ASSERT_TRUE(appears(folder() / "failed" / "first.txt.reason.txt")) << server_->log();

    // The leader dies; within a few of the follower's tries the worker leads and watches.
    server_->kill();
    std::this_thread::sleep_for(std::chrono::seconds(2));
    std::ofstream(folder() / "second.txt") << "not a scan either";
    EXPECT_TRUE(appears(folder() / "failed" / "second.txt.reason.txt"));
    int status = 0;
    EXPECT_EQ(::waitpid(worker, &status, WNOHANG), 0) << "the worker is still running";
    server_.reset();
}

}  // namespace
}  // namespace dangan::testing
