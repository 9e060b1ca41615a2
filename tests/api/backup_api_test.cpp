// A restore drill: `dangan backup` copies an archive while its server runs and files (a second run
// copies only the new images), `dangan restore` makes an archive again in a new folder,
// `dangan verify` passes on it, and a server started on it shows what was filed before the backup.
#include <gtest/gtest.h>

#include <fstream>

#include "api_test_fixture.h"

namespace dangan::testing {
namespace {
namespace fs = std::filesystem;

class BackupApi : public ApiTest {
protected:
    std::vector<std::string> serverOptions() const override { return {"--ocr-workers", "-1"}; }

    std::size_t documents(HttpClient& client) {
        auto reply = client.get("/api/customers/3300000001/efile");
        EXPECT_EQ(reply.status, 200) << reply.body;
        std::size_t n = 0;
        auto categories = parseObject(reply.body)->getArray("categories");
        for (std::size_t i = 0; i < categories->size(); ++i)
            n += categories->getObject(static_cast<unsigned>(i))->getArray("documents")->size();
        return n;
    }
    void fileOne(unsigned seed) {
        ASSERT_EQ(fileScan("3300000001", "低压居民新装", "用电申请书", {jpegPart("p.jpg", seed)}).status, 201);
    }
};

TEST_F(BackupApi, ABackupTakenWhileTheServerFilesIsRestoredWholeAndVerified) {
    importCustomers(R"([{"account_no":"3300000001","name":"张伟"}])");
    fileOne(1);
    fileOne(2);
    const fs::path backup = dir_.path() / "backup";

    auto first = runCommand({danganBinary(), "backup", "--data", dataDir().string(), "--to", backup.string()});
    ASSERT_EQ(first.status, 0) << first.output;
    EXPECT_NE(first.output.find("images: 2 copied"), std::string::npos) << first.output;
    EXPECT_NE(first.output.find("0 already there"), std::string::npos) << first.output;

    // The next run, after more filing, copies only what is new.
    fileOne(3);
    auto second = runCommand({danganBinary(), "backup", "--data", dataDir().string(), "--to", backup.string()});
    ASSERT_EQ(second.status, 0) << second.output;
    EXPECT_NE(second.output.find("images: 1 copied"), std::string::npos) << second.output;
    EXPECT_NE(second.output.find("2 already there"), std::string::npos) << second.output;
    fileOne(4);  // after the backup: not in it
    ASSERT_EQ(server_->terminate(), 0);

    const fs::path restored = dir_.path() / "restored";
    auto restore = runCommand({danganBinary(), "restore", "--from", backup.string(), "--data", restored.string()});
    ASSERT_EQ(restore.status, 0) << restore.output;
    EXPECT_NE(restore.output.find("images: 3 restored"), std::string::npos) << restore.output;
    EXPECT_EQ(fs::status(restored).permissions() & fs::perms::all, fs::perms::owner_all);
    auto verify = runCommand({danganBinary(), "verify", "--data", restored.string()});
    EXPECT_EQ(verify.status, 0) << verify.output;
    EXPECT_NE(verify.output.find("database: whole (integrity check ok)"), std::string::npos) << verify.output;
    EXPECT_NE(verify.output.find("chain intact"), std::string::npos) << verify.output;
    EXPECT_NE(verify.output.find("images: 3 checked, 0 problem(s)"), std::string::npos) << verify.output;

    // A server on the restored folder: the same people sign in, and the file is as it was backed up.
    ServerProcess again(restored, {"--ocr-workers", "-1"});
    again.start();
    HttpClient admin(again.port());
    admin.login("admin", kAdminPassword);
    EXPECT_EQ(documents(admin), 3u);

    // A restore never writes over an archive.
    auto over = runCommand({danganBinary(), "restore", "--from", backup.string(), "--data", restored.string()});
    EXPECT_EQ(over.status, 1);
}

TEST_F(BackupApi, ABackupRefusesADamagedImageAndBadArguments) {
    importCustomers(R"([{"account_no":"3300000001","name":"张伟"}])");
    fileOne(5);
    for (const auto& entry : fs::recursive_directory_iterator(dataDir() / "images" / "objects"))
        if (entry.is_regular_file()) std::ofstream(entry.path(), std::ios::binary | std::ios::app) << "x";
    auto damaged = runCommand({danganBinary(), "backup", "--data", dataDir().string(), "--to", (dir_.path() / "b").string()});
    EXPECT_EQ(damaged.status, 1);
    EXPECT_EQ(runCommand({danganBinary(), "backup", "--data", dataDir().string()}).status, 64);
    EXPECT_EQ(runCommand({danganBinary(), "restore", "--from", (dir_.path() / "nothing").string(), "--data",
                          (dir_.path() / "r").string()}).status, 1);
}

}  // namespace
}  // namespace dangan::testing
