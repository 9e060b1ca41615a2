// A full disk under the data folder: the server runs on a small tmpfs of its own (a mount
// namespace, see ServerProcess::giveDataItsOwnDisk) and the test fills it with a ballast file.
// Uploads that meet the full disk are answered 507 and leave nothing behind; a batch that meets
// it waits instead of failing; once the ballast goes, the same requests succeed, the batch
// finishes with every page recorded once, and the database and `dangan verify` find nothing wrong.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "api_test_fixture.h"
#include "scanned_forms.h"

namespace dangan::testing {
namespace {
namespace fs = std::filesystem;

class DiskFullApi : public ApiTest {
protected:
    void SetUp() override { startOnADiskOf(24 << 20, {"--disk-reserve-mb", "0", "--full-disk-retry-seconds", "1"}); }

    void startOnADiskOf(std::uint64_t bytes, std::vector<std::string> options) {
        server_ = std::make_unique<ServerProcess>(dataDir(), std::move(options));
        server_->giveDataItsOwnDisk(bytes);
        try {
            server_->start();
        } catch (const NoDiskOfItsOwn& e) {
            GTEST_SKIP() << e.what();
        }
        admin_ = std::make_unique<HttpClient>(server_->port());
        admin_->login("admin", kAdminPassword);
        importCustomers(R"([{"account_no":"3300000001","name":"张伟","address":"福州市鼓楼区五四路158号"}])");
    }

    fs::path data() const { return server_->dataOnItsDisk(); }

    // Fills the disk with a ballast file until `leave` bytes are free.
    void fillLeaving(std::uint64_t leave) {
        std::ofstream ballast(data() / "ballast", std::ios::binary | std::ios::app);
        const std::string block(64 << 10, '\0');
        while (fs::space(data()).available > leave + block.size()) ballast.write(block.data(), static_cast<std::streamsize>(block.size()));
        ballast.flush();
        ASSERT_TRUE(ballast) << "the ballast could not be written";
    }
    void freeSpace() { fs::remove(data() / "ballast"); }

    std::size_t filesIn(const fs::path& folder) const {
        std::size_t n = 0;
        if (fs::exists(folder))
            for (const auto& entry : fs::recursive_directory_iterator(folder)) n += entry.is_regular_file() ? 1 : 0;
        return n;
    }
    std::size_t documents() {
        std::size_t n = 0;
        auto categories = efile("3300000001")->getArray("categories");
        for (std::size_t i = 0; i < categories->size(); ++i)
            n += categories->getObject(static_cast<unsigned>(i))->getArray("documents")->size();
        return n;
    }
    FilePart page(unsigned seed) {
        auto png = renderPdfPages(formPdf({{"用电申请书", {{"户号", "3300000001"}, {"户名", "张伟"}}, seed}}), 200).at(0);
        return {"files", "page-" + std::to_string(seed) + ".jpg", "image/jpeg", damagedScan(png, {.skewDegrees = 0.4, .seed = seed})};
    }
};

TEST_F(DiskFullApi, AnUploadMeetingAFullDiskIsRefusedWithNothingKeptAndTakenOnceSpaceIsFreed) {
    auto first = page(1);
    ASSERT_EQ(fileScan("3300000001", "低压居民新装", "用电申请书", {first}).status, 201);
    const auto imagesBefore = filesIn(data() / "images" / "objects");

    auto second = page(2);
    fillLeaving(second.bytes.size() / 4);
    auto health = HttpClient(server_->port()).get("/api/health");
    EXPECT_EQ(health.status, 200);  // no reserve asked for: full, yet not below a reserve
    EXPECT_LT(parseObject(health.body)->getValue<std::uint64_t>("disk_free_bytes"), second.bytes.size());
    auto refused = fileScan("3300000001", "低压居民新装", "用电申请书", {second});
    EXPECT_EQ(refused.status, 507) << refused.body;
    auto error = parseObject(refused.body);
    // Refused before writing (what is left is less than the upload) or when a write met the full
    // disk: either way the answer names the disk.
    EXPECT_NE(error->getValue<std::string>("error").find("disk"), std::string::npos) << refused.body;
    EXPECT_NE(error->getValue<std::string>("message").find("磁盘"), std::string::npos) << refused.body;
    // Nothing half-written: no staged file, no new image, no document.
    EXPECT_EQ(filesIn(data() / "images" / "tmp"), 0u);
    EXPECT_EQ(filesIn(data() / "images" / "objects"), imagesBefore);

    freeSpace();
    EXPECT_EQ(documents(), 1u);
    auto taken = fileScan("3300000001", "低压居民新装", "用电申请书", {second});
    EXPECT_EQ(taken.status, 201) << taken.body;
    EXPECT_EQ(documents(), 2u);
}

TEST_F(DiskFullApi, ABatchMeetingAFullDiskWaitsAndFinishesOnceSpaceIsFreedWithEveryPageOnce) {
    std::vector<FilePart> pile{page(3), page(4), page(5)};
    std::size_t pileBytes = 0;
    for (const auto& p : pile) pileBytes += p.bytes.size();
    // Room for the upload itself, not for the cleaned pages the batch writes after it.
    fillLeaving(pileBytes + (pileBytes / 3));
    auto accepted = admin_->postMultipart("/api/batches", {{"name", "满盘批次"}}, pile);
    ASSERT_EQ(accepted.status, 202) << accepted.body;
    auto id = std::to_string(parseObject(accepted.body)->getValue<std::int64_t>("id"));

    // It meets the full disk, and waits: neither failed nor done.
    std::this_thread::sleep_for(std::chrono::seconds(4));
    auto waiting = parseObject(admin_->get("/api/batches/" + id).body);
    EXPECT_NE(waiting->getValue<std::string>("state"), "failed");
    EXPECT_NE(waiting->getValue<std::string>("state"), "done") << "the disk did not fill up: the test proves nothing";
    EXPECT_NE(server_->log().find("waits for disk space"), std::string::npos);

    freeSpace();
    auto batch = waitForBatch(std::stoll(id));
    ASSERT_TRUE(batch);
    EXPECT_EQ(batch->getValue<std::string>("state"), "done");
    EXPECT_EQ(batch->getValue<int>("pages_total"), 3);
    EXPECT_EQ(batch->getValue<int>("pages_done"), 3);
    auto pages = batch->getArray("pages");
    ASSERT_EQ(pages->size(), 3u);

    // The database, the audit chain and the image store are whole.
    auto verify = runCommand(server_->besideIt({danganBinary(), "verify", "--data", dataDir().string()}));
    EXPECT_EQ(verify.status, 0) << verify.output;
    EXPECT_NE(verify.output.find("database: whole (integrity check ok)"), std::string::npos) << verify.output;
    EXPECT_NE(verify.output.find("chain intact"), std::string::npos) << verify.output;
    EXPECT_NE(verify.output.find("0 problem(s)"), std::string::npos) << verify.output;
}

// With the default reserve (64 MiB) on a disk smaller than it, the node says so: health answers
// 503, and an upload is refused before a byte of it is written.
class SmallDiskApi : public DiskFullApi {
protected:
    void SetUp() override { startOnADiskOf(24 << 20, {}); }
};

TEST_F(SmallDiskApi, AnswersHealthWith503AndRefusesUploadsBeforeWriting) {
    auto health = HttpClient(server_->port()).get("/api/health");
    EXPECT_EQ(health.status, 503);
    EXPECT_EQ(parseObject(health.body)->getValue<std::string>("status"), "disk_full");
    auto refused = fileScan("3300000001", "低压居民新装", "用电申请书", {page(6)});
    EXPECT_EQ(refused.status, 507) << refused.body;
    EXPECT_NE(refused.body.find("kept in reserve"), std::string::npos) << refused.body;
    EXPECT_EQ(filesIn(data() / "images" / "tmp"), 0u);
    EXPECT_EQ(documents(), 0u);
}

}  // namespace
}  // namespace dangan::testing
