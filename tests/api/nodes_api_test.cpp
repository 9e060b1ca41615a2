// Several nodes on one PostgreSQL database and one S3 object store (issue 27), all real and on
// loopback: any node answers any request and serves the pages another filed; a batch whose node
// is SIGKILLed part-way is finished by another node with every acknowledged page filed once; two
// nodes filing at once never share an archive number and leave one audit chain `dangan verify`
// accepts; the hot folder is watched by the leader and taken over, by a `dangan worker` too, when
// it dies. Runs under the postgresql. prefix; one SQLite archive has one server.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <set>
#include <thread>

#include "api_test_fixture.h"
#include "s3_loopback.h"
#include "scanned_forms.h"
#include "test_database.h"

extern char** environ;

namespace dangan::testing {
namespace {

namespace fs = std::filesystem;

// A `dangan worker` (no HTTP), stopped with SIGTERM when this goes.
class WorkerProcess {
public:
    explicit WorkerProcess(std::vector<std::string> argv) {
        argv.insert(argv.begin(), {danganBinary(), "worker"});
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        if (::posix_spawn(&pid_, args[0], nullptr, nullptr, args.data(), environ) != 0) pid_ = 0;
    }
    ~WorkerProcess() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
    WorkerProcess(const WorkerProcess&) = delete;
    WorkerProcess& operator=(const WorkerProcess&) = delete;
    [[nodiscard]] bool started() const { return pid_ > 0; }
    [[nodiscard]] bool running() const {
        int status = 0;
        return pid_ > 0 && ::waitpid(pid_, &status, WNOHANG) == 0;
    }

private:
    pid_t pid_ = 0;
};

class NodesApi : public ApiTest {
protected:
    void SetUp() override {
        if (!onPostgresql()) GTEST_SKIP() << "several nodes share a PostgreSQL database; an SQLite archive has one server";
        s3_ = std::make_unique<S3Loopback>(dir_.path() / "s3");
        S3Loopback::exportCredentials();
        ApiTest::SetUp();
        std::ifstream note(dir_.path() / "data.database");
        ASSERT_TRUE(note >> url_) << "the first node's database";
    }
    void TearDown() override {
        if (HasFailure() && s3_) std::cerr << s3_->logs();
        ApiTest::TearDown();
        s3_.reset();
    }

    // What every node of this archive is started with: the one object store, a quick lead and a
    // short lease on batches, so that the tests see a node's death within seconds.
    std::vector<std::string> shared() const {
        return {"--images", s3_->imagesUrl(), "--lead-retry-ms", "300", "--work-lease-ms", "1500", "--ocr-workers", "-1"};
    }
    std::vector<std::string> serverOptions() const override {
        auto options = shared();
        options.insert(options.end(), {"--watch", folder().string(), "--watch-settle", "300"});
        return options;
    }

    fs::path folder() const { return dir_.path() / "scans"; }

    // Another server node on the first one's database, with a data folder of its own.
    std::unique_ptr<ServerProcess> secondNode() {
        std::vector<std::string> args{"--database", url_};
        for (const auto& option : shared()) args.push_back(option);
        auto node = std::make_unique<ServerProcess>(dir_.path() / "node-b", args);
        node->start();
        return node;
    }
    std::unique_ptr<HttpClient> adminOn(const ServerProcess& node) {
        auto client = std::make_unique<HttpClient>(node.port());
        client->setToken(admin_->login("admin", kAdminPassword));
        return client;
    }

    std::unique_ptr<S3Loopback> s3_;
    std::string url_;
};

TEST_F(NodesApi, AnyNodeAnswersAnyRequestAndServesThePagesAnotherFiled) {
    auto b = secondNode();
    importCustomers(R"([{"account_no":"3300000001","name":"张伟","address":"福州市鼓楼区五四路158号"}])");
    // A session opened on the first node is good on the second: sessions are in the database.
    HttpClient onB(b->port());
    onB.setToken(admin_->login("admin", kAdminPassword));
    auto found = onB.get("/api/search?q=" + urlEncode("张伟"));
    ASSERT_EQ(found.status, 200) << found.body;
    EXPECT_NE(found.body.find("3300000001"), std::string::npos);

    // A page uploaded through the first node is read, byte for byte, through the second (the image
    // is in the object store, not on the first node's disk), and the other way round.
    auto onAPart = jpegPart("a.jpg", 1);
    auto filedOnA = fileScan("3300000001", "低压居民新装", "用电申请书", {onAPart});
    ASSERT_EQ(filedOnA.status, 201) << filedOnA.body;
    auto pageOnA = parseObject(filedOnA.body)->getArray("pages")->getObject(0)->getValue<std::int64_t>("id");
    auto image = onB.get("/api/pages/" + std::to_string(pageOnA) + "/image");
    ASSERT_EQ(image.status, 200) << image.body;
    EXPECT_EQ(image.body, onAPart.bytes);
    auto onBPart = jpegPart("b.jpg", 2);
    auto filedOnB = onB.postMultipart("/api/scans", {{"account_no", "3300000001"}, {"process", "低压居民新装"}, {"doc_type", "居民身份证复印件"}},
                                      {onBPart});
    ASSERT_EQ(filedOnB.status, 201) << filedOnB.body;
    auto pageOnB = parseObject(filedOnB.body)->getArray("pages")->getObject(0)->getValue<std::int64_t>("id");
    EXPECT_EQ(admin_->get("/api/pages/" + std::to_string(pageOnB) + "/image").body, onBPart.bytes);
    EXPECT_EQ(filedPages("3300000001"), (std::map<std::string, int>{{"用电申请书", 1}, {"居民身份证复印件", 1}}));
    EXPECT_EQ(filedPages("3300000001", &onB), filedPages("3300000001"));

    // Signing out on the second node ends the session on the first too (it holds the same token).
    EXPECT_EQ(admin_->get("/api/me").status, 200);
    ASSERT_EQ(onB.send("POST", "/api/logout", "", "application/json").status, 204);
    EXPECT_EQ(admin_->get("/api/me").status, 401);
}

// The first node takes a batch and is SIGKILLed while it cleans the pages. Its lease on the batch
// runs out; the second node claims it, cleans what is left and files the document: every page of
// the acknowledged batch is filed, once.
TEST_F(NodesApi, ABatchWhoseNodeDiesIsFinishedByAnotherWithEveryPageFiledOnce) {
    importCustomers(R"([{"account_no":"3300000001","name":"张伟"}])");
    auto b = secondNode();
    auto onB = adminOn(*b);
    auto cover = printed("/api/print/cover-sheet?account_no=3300000001&process=" + urlEncode("低压居民新装")).at(0);
    auto separator = printed("/api/print/separator?doc_type=" + urlEncode("用电申请书")).at(0);
    const auto form = renderPdfPages(formPdf({{"用电申请书", {{"户号", "3300000001"}, {"户名", "张伟"}}, 1}}), 200).at(0);
    constexpr int kForms = 36;
    std::vector<FilePart> parts{{"files", "cover.jpg", "image/jpeg", damagedScan(cover, {0, 0.5, false, 0.0005, 80, 1})},
                                {"files", "separator.jpg", "image/jpeg", damagedScan(separator, {0, -0.5, false, 0.0005, 80, 2})}};
    for (int i = 0; i < kForms; ++i)
        parts.push_back({"files", "form" + std::to_string(i) + ".jpg", "image/jpeg",
                         damagedScan(form, {0, (i % 5) * 0.4 - 0.8, false, 0.0005, 80, static_cast<unsigned>(10 + i)})});
    auto reply = admin_->postMultipart("/api/batches", {{"name", "两个节点"}}, parts);
    ASSERT_EQ(reply.status, 202) << reply.body;
    const auto id = std::to_string(parseObject(reply.body)->getValue<std::int64_t>("id"));

    // Killed once it has cleaned a few pages, long before the last.
    int doneWhenKilled = 0;
    for (int i = 0; i < 600 && doneWhenKilled < 3; ++i) {
        doneWhenKilled = parseObject(onB->get("/api/batches/" + id).body)->getValue<int>("pages_done");
        if (doneWhenKilled < 3) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    server_->kill();
    ASSERT_GE(doneWhenKilled, 3) << server_->log();
    ASSERT_LT(doneWhenKilled, kForms) << "the node died too late to leave anything to the other";

    auto batch = waitForBatch(std::stoll(id), onB.get());
    ASSERT_TRUE(batch) << b->log();
    EXPECT_EQ(batch->getValue<std::string>("state"), "done") << b->log();
    EXPECT_EQ(batch->getValue<int>("pages_total"), kForms + 2);
    EXPECT_EQ(batch->getValue<int>("pages_done"), kForms + 2);
    std::map<std::string, int> outcomes;
    auto pages = batch->getArray("pages");
    for (std::size_t i = 0; i < pages->size(); ++i) ++outcomes[pages->getObject(static_cast<unsigned>(i))->getValue<std::string>("outcome")];
    EXPECT_EQ(outcomes, (std::map<std::string, int>{{"cover", 1}, {"separator", 1}, {"filed", kForms}}));
    EXPECT_EQ(filedPages("3300000001", onB.get()), (std::map<std::string, int>{{"用电申请书", kForms}}))
        << "every page filed, none twice";
    EXPECT_NE(b->log().find("takes over batches " + id), std::string::npos) << b->log();

    auto verify = runCommand(verifyCommand(dataDir(), {"--images", s3_->imagesUrl()}));
    EXPECT_EQ(verify.status, 0) << verify.output;
}

// Two nodes file documents of one process and type, so under one archive-number prefix, at the
// same time: every archive number is given once, and the archive's audit chain stays one chain
// that `dangan verify` accepts, with every image in the store.
TEST_F(NodesApi, TwoNodesFilingAtOnceGiveUniqueArchiveNumbersAndOneAuditChain) {
    importCustomers(R"([{"account_no":"3300000001","name":"张伟"},{"account_no":"3300000002","name":"李娜"}])");
    auto b = secondNode();
    auto onB = adminOn(*b);
    constexpr int kEach = 12;
    std::vector<std::string> numbersA, numbersB;
    auto fileMany = [&](HttpClient& client, const std::string& accountNo, unsigned seed, std::vector<std::string>& numbers) {
        for (int i = 0; i < kEach; ++i) {
            auto filed = client.postMultipart("/api/scans", {{"account_no", accountNo}, {"process", "低压居民新装"}, {"doc_type", "用电申请书"}},
                                              {jpegPart("p.jpg", seed + static_cast<unsigned>(i))});
            if (filed.status != 201) {
                ADD_FAILURE() << filed.body;
                return;
            }
            numbers.push_back(parseObject(filed.body)->getValue<std::string>("archive_no"));
        }
    };
    std::thread onA([&] { fileMany(*admin_, "3300000001", 100, numbersA); });
    fileMany(*onB, "3300000002", 200, numbersB);
    onA.join();
    ASSERT_EQ(numbersA.size() + numbersB.size(), 2u * kEach);
    std::set<std::string> all(numbersA.begin(), numbersA.end());
    all.insert(numbersB.begin(), numbersB.end());
    EXPECT_EQ(all.size(), 2u * kEach) << "an archive number given twice";
    auto verify = runCommand(verifyCommand(dataDir(), {"--images", s3_->imagesUrl()}));
    EXPECT_EQ(verify.status, 0) << verify.output;
    EXPECT_NE(verify.output.find("images: " + std::to_string(2 * kEach) + " checked, 0 problem(s)"), std::string::npos) << verify.output;
}

// Two nodes on one machine sharing one data folder: each takes a slot of its own in it (its name
// among the nodes, its staging folder), the same slot again when it starts again.
TEST_F(NodesApi, TwoNodesSharingADataFolderEachHoldASlotOfTheirOwn) {
    importCustomers(R"([{"account_no":"3300000001","name":"张伟"}])");
    std::vector<std::string> args{"--database", url_};
    for (const auto& option : shared()) args.push_back(option);
    auto b = std::make_unique<ServerProcess>(dataDir(), args);
    b->start();
    EXPECT_TRUE(fs::exists(dataDir() / "images-staging")) << "the first node's";
    EXPECT_TRUE(fs::exists(dataDir() / "images-staging-2")) << "the second node's";
    auto onB = adminOn(*b);
    auto part = jpegPart("b.jpg", 5);
    auto filed = onB->postMultipart("/api/scans", {{"account_no", "3300000001"}, {"process", "低压居民新装"}, {"doc_type", "用电申请书"}}, {part});
    ASSERT_EQ(filed.status, 201) << filed.body;
    auto page = parseObject(filed.body)->getArray("pages")->getObject(0)->getValue<std::int64_t>("id");
    EXPECT_EQ(admin_->get("/api/pages/" + std::to_string(page) + "/image").body, part.bytes);
    // Started again, the second node takes its slot again (the first still holds slot 1), and
    // a third takes slot 3.
    b.reset();
    fs::remove_all(dataDir() / "images-staging-2");
    b = std::make_unique<ServerProcess>(dataDir(), args);
    b->start();
    EXPECT_TRUE(fs::exists(dataDir() / "images-staging-2"));
    ServerProcess c(dataDir(), args);
    c.start();
    EXPECT_TRUE(fs::exists(dataDir() / "images-staging-3"));
}

TEST_F(NodesApi, TheHotFolderIsWatchedByTheLeaderAndAWorkerTakesOverWhenItDies) {
    // A worker node on the same database, store and folder: it follows while the server leads.
    std::vector<std::string> args{"--data", (dir_.path() / "worker").string(), "--database", url_,
                                  "--watch", folder().string(), "--watch-settle", "300"};
    for (const auto& option : shared()) args.push_back(option);
    WorkerProcess worker(args);
    ASSERT_TRUE(worker.started());

    std::ofstream(folder() / "first.txt") << "not a scan";
    ASSERT_TRUE(appears(folder() / "failed" / "first.txt.reason.txt")) << server_->log();

    // The leader dies; within a few of the follower's tries the worker leads and watches.
    server_->kill();
    std::this_thread::sleep_for(std::chrono::seconds(2));
    std::ofstream(folder() / "second.txt") << "not a scan either";
    EXPECT_TRUE(appears(folder() / "failed" / "second.txt.reason.txt"));
    EXPECT_TRUE(worker.running());
    server_.reset();
}

}  // namespace
}  // namespace dangan::testing
