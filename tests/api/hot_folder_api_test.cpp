// The hot folder (`dangan serve --watch DIR`) as a network scanner uses it: files written slowly,
// under a temporary name and renamed, by SANE's scanimage; a corrupt file, a file that is not a
// scan, the same scan twice; and a restart between taking a file and moving it away.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "api_test_fixture.h"
#include "scanned_forms.h"

namespace dangan::testing {
namespace {

namespace fs = std::filesystem;

class HotFolderApi : public ApiTest {
protected:
    std::vector<std::string> serverOptions() const override {
        // A file must stay unchanged 600 ms; the folder is looked at every 300 ms.
        return {"--watch", folder().string(), "--watch-settle", "600"};
    }

    void SetUp() override {
        ApiTest::SetUp();
        importCustomers(R"([{"account_no":"3300000001","name":"张伟","address":"福州市鼓楼区五四路158号"}])");
    }

    fs::path folder() const { return dir_.path() / "scans"; }

    static void write(const fs::path& file, const std::string& bytes) {
        std::ofstream out(file, std::ios::binary);
        out << bytes;
    }

    static std::string read(const fs::path& file) {
        std::ifstream in(file, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), {}};
    }

    // The folder's batches, newest first.
    Poco::JSON::Array::Ptr watchBatches() {
        auto reply = admin_->get("/api/batches?source=watch&limit=100");
        EXPECT_EQ(reply.status, 200) << reply.body;
        return parseObject(reply.body)->getArray("batches");
    }

    std::int64_t batchOf(const std::string& name) {
        auto list = watchBatches();
        for (std::size_t i = 0; i < list->size(); ++i) {
            auto b = list->getObject(static_cast<unsigned>(i));
            if (b->getValue<std::string>("name") == name) return b->getValue<std::int64_t>("id");
        }
        return 0;
    }

    // A scan job: cover sheet, separator, a form and the blank back of the form, as one TIFF.
    std::string scanJob() {
        auto cover = printed("/api/print/cover-sheet?account_no=3300000001&process=" + urlEncode("更名")).at(0);
        auto separator = printed("/api/print/separator?doc_type=" + urlEncode("更名申请书")).at(0);
        auto form = renderPdfPages(formPdf({{"更名申请书", {{"户号", "3300000001"}, {"户名", "张伟"}}, 3}}), 200).at(0);
        return multiPageTiff({damagedScan(cover, {2, 1.0, false, 0.0005, 80, 1}), damagedScan(separator, {}),
                              damagedScan(form, {0, -1.5, false, 0.0005, 80, 2}), blankBack(1654, 2339, 200, 3)});
    }
};

TEST_F(HotFolderApi, TakesAFileOnlyOnceItIsCompleteAndFilesItsPages) {
    auto job = scanJob();
    // The scanner writes the file in three pieces, pausing less than the settle time between them:
    // a folder that took it when first seen would read a third of a TIFF.
    fs::path file = folder() / "job-0001.tif";
    {
        std::ofstream out(file, std::ios::binary);
        std::size_t third = job.size() / 3;
        out.write(job.data(), static_cast<std::streamsize>(third));
        out.flush();
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
        out.write(job.data() + third, static_cast<std::streamsize>(third));
        out.flush();
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
        out.write(job.data() + 2 * third, static_cast<std::streamsize>(job.size() - 2 * third));
    }
    ASSERT_TRUE(appears(folder() / "done" / "job-0001.tif")) << server_->log();
    EXPECT_FALSE(fs::exists(file));
    EXPECT_EQ(read(folder() / "done" / "job-0001.tif"), job);  // moved untouched

    auto id = batchOf("job-0001.tif");
    ASSERT_GT(id, 0);
    auto batch = waitForBatch(id);
    ASSERT_TRUE(batch);
    EXPECT_EQ(batch->getValue<std::string>("state"), "done");
    EXPECT_EQ(batch->getValue<std::string>("source"), "watch");
    EXPECT_EQ(batch->getValue<std::string>("created_by"), "hotfolder");
    EXPECT_EQ(batch->getValue<int>("pages_total"), 4);
    std::vector<std::string> outcomes;
    auto pages = batch->getArray("pages");
    for (std::size_t i = 0; i < pages->size(); ++i) outcomes.push_back(pages->getObject(static_cast<unsigned>(i))->getValue<std::string>("outcome"));
    EXPECT_EQ(outcomes, (std::vector<std::string>{"cover", "separator", "filed", "blank"}));
    EXPECT_EQ(filedPages("3300000001"), (std::map<std::string, int>{{"更名申请书", 1}}));

    // The same bytes dropped again under another name are not filed twice.
    write(folder() / "job-0001-again.tif", job);
    ASSERT_TRUE(appears(folder() / "failed" / "job-0001-again.tif.reason.txt"));
    EXPECT_NE(read(folder() / "failed" / "job-0001-again.tif.reason.txt").find("came in before (batch " + std::to_string(id)),
              std::string::npos);
    EXPECT_EQ(filedPages("3300000001"), (std::map<std::string, int>{{"更名申请书", 1}}));
    EXPECT_EQ(watchBatches()->size(), 1u);
}

TEST_F(HotFolderApi, MovesWhatItCannotUseToFailedWithTheReason) {
    // Not a scan at all.
    write(folder() / "notes.txt", "scanner settings, not a scan");
    // A JPEG whose end the network lost.
    auto jpeg = damagedScan(renderPdfPages(formPdf({{"用电申请书", {{"户号", "3300000001"}}, 1}}), 200).at(0), {});
    write(folder() / "broken.jpg", jpeg.substr(0, 600));

    ASSERT_TRUE(appears(folder() / "failed" / "notes.txt.reason.txt"));
    EXPECT_NE(read(folder() / "failed" / "notes.txt.reason.txt").find("not a scan"), std::string::npos);
    ASSERT_TRUE(appears(folder() / "failed" / "broken.jpg.reason.txt")) << server_->log();
    auto reason = read(folder() / "failed" / "broken.jpg.reason.txt");
    EXPECT_NE(reason.find("broken.jpg"), std::string::npos) << reason;
    EXPECT_EQ(read(folder() / "failed" / "broken.jpg"), jpeg.substr(0, 600));
    EXPECT_FALSE(fs::exists(folder() / "notes.txt"));
    EXPECT_FALSE(fs::exists(folder() / "broken.jpg"));
    EXPECT_FALSE(fs::exists(folder() / "done" / "broken.jpg"));
    // Nothing of either was filed.
    EXPECT_TRUE(filedPages("3300000001").empty());
}

TEST_F(HotFolderApi, IngestsWhatScanimageWrites) {
    // SANE's test backend stands in for a scanner; scanimage writes NAME.part and renames it.
    auto scan = runCommand({"scanimage", "-d", "test", "--format=tiff", "--mode", "Gray", "--resolution", "200",
                            "-x", "120", "-y", "160", "-o", (folder() / "sane-0001.tiff").string()});
    ASSERT_EQ(scan.status, 0) << "scanimage failed (sane-utils is installed by scripts/setup.sh)";
    ASSERT_TRUE(appears(folder() / "done" / "sane-0001.tiff")) << server_->log();
    auto id = batchOf("sane-0001.tiff");
    ASSERT_GT(id, 0);
    auto batch = waitForBatch(id);
    ASSERT_TRUE(batch);
    EXPECT_EQ(batch->getValue<std::string>("state"), "done");
    ASSERT_EQ(batch->getArray("pages")->size(), 1u);
    auto page = batch->getArray("pages")->getObject(0);
    EXPECT_EQ(page->getValue<int>("dpi"), 200);
    // No cover sheet: the page waits for a person.
    EXPECT_EQ(page->getValue<std::string>("outcome"), "review");
}

TEST_F(HotFolderApi, ARestartFinishesAFileTakenButNotMovedWithoutFilingItTwice) {
    auto job = scanJob();
    write(folder() / "job-0002.tif", job);
    ASSERT_TRUE(appears(folder() / "done" / "job-0002.tif"));
    auto id = batchOf("job-0002.tif");
    ASSERT_GT(id, 0);
    ASSERT_TRUE(waitForBatch(id));

    // A crash after the batch was recorded but before the file moved leaves the file where the
    // scanner put it: put it back, and start the server again on the same data and folder.
    server_->kill();
    fs::rename(folder() / "done" / "job-0002.tif", folder() / "job-0002.tif");
    server_ = std::make_unique<ServerProcess>(dataDir(), serverOptions());
    server_->start();
    admin_ = std::make_unique<HttpClient>(server_->port());
    admin_->login("admin", kAdminPassword);

    ASSERT_TRUE(appears(folder() / "done" / "job-0002.tif")) << server_->log();
    EXPECT_FALSE(fs::exists(folder() / "failed" / "job-0002.tif"));
    EXPECT_EQ(watchBatches()->size(), 1u);
    EXPECT_EQ(filedPages("3300000001"), (std::map<std::string, int>{{"更名申请书", 1}}));
}

}  // namespace
}  // namespace dangan::testing
