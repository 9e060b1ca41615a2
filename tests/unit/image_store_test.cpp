#include "dangan/storage/image_store.h"

#include <gtest/gtest.h>

#include <Poco/StreamCopier.h>

#include <fstream>

#include "server_process.h"

namespace dangan::storage {
namespace {
namespace fs = std::filesystem;

StagedImage stage(ImageStore& store, const std::string& bytes) {
    ImageStaging staging(store.stagingDirectory());
    staging.write(bytes.substr(0, bytes.size() / 2));
    staging.write(bytes.substr(bytes.size() / 2));
    return staging.finish();
}

std::size_t filesUnder(const fs::path& dir) {
    std::size_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) ++n;
    return n;
}

TEST(FileImageStore, StoresUnderTheSha256AndOnlyOnce) {
    testing::TempDir dir;
    FileImageStore store(dir.path());
    auto first = stage(store, "page bytes");
    EXPECT_EQ(toHex(first.digest()), testing::sha256Hex("page bytes"));
    EXPECT_TRUE(store.commit(first));
    auto again = stage(store, "page bytes");
    EXPECT_FALSE(store.commit(again));
    EXPECT_EQ(filesUnder(dir.path() / "objects"), 1u);

    auto path = store.pathOf(first.digest());
    std::string hex = toHex(first.digest());
    EXPECT_EQ(path, dir.path() / "objects" / hex.substr(0, 2) / hex.substr(2, 2) / hex);
    auto in = store.open(first.digest());
    ASSERT_TRUE(in);
    std::string read;
    Poco::StreamCopier::copyToString(*in, read);
    EXPECT_EQ(read, "page bytes");
    EXPECT_EQ(store.size(first.digest()), 10u);
}

TEST(FileImageStore, UncommittedStagingLeavesNothing) {
    testing::TempDir dir;
    FileImageStore store(dir.path());
    {
        auto staged = stage(store, "never filed");
        EXPECT_EQ(filesUnder(store.stagingDirectory()), 1u);
    }
    {
        ImageStaging abandoned(store.stagingDirectory());
        abandoned.write("half");
    }
    EXPECT_EQ(filesUnder(store.stagingDirectory()), 0u);
    EXPECT_EQ(filesUnder(dir.path() / "objects"), 0u);
}

TEST(FileImageStore, StagingLeftByACrashIsClearedAtStart) {
    testing::TempDir dir;
    {
        FileImageStore store(dir.path());
        std::ofstream(store.stagingDirectory() / "upload-crashed") << "partial";
    }
    FileImageStore reopened(dir.path());
    EXPECT_EQ(filesUnder(reopened.stagingDirectory()), 0u);
}

TEST(FileImageStore, MissingImageOpensAsNull) {
    testing::TempDir dir;
    FileImageStore store(dir.path());
    EXPECT_EQ(store.open(Sha256::of("absent")), nullptr);
    EXPECT_FALSE(store.contains(Sha256::of("absent")));
}

}  // namespace
}  // namespace dangan::storage
