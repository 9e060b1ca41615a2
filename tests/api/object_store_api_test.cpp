// Page images in an S3-compatible object store: a real one, OpenStack Swift with its s3api
// middleware from Debian's packages, started on loopback by tests/support/s3_loopback.sh. The
// server keeps its images there (`--images s3://…`), serves them back byte for byte, keeps none on
// its disk, and `dangan verify --images` checks every object; the store itself refuses an object
// whose bytes do not match the SHA-256 it is sent with.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <sstream>

#include "api_test_fixture.h"
#include "s3_loopback.h"
#include "test_database.h"
#include "dangan/storage/object_image_store.h"

namespace dangan::testing {
namespace {
namespace fs = std::filesystem;

class ObjectStoreApi : public ApiTest {
protected:
    void SetUp() override {
        s3_ = std::make_unique<S3Loopback>(dir_.path() / "s3");
        S3Loopback::exportCredentials();
        ApiTest::SetUp();
    }
    void TearDown() override {
        if (HasFailure() && s3_) std::cerr << s3_->logs();
        ApiTest::TearDown();
        s3_.reset();
    }
    std::string imagesUrl() const { return s3_->imagesUrl(); }
    std::vector<std::string> serverOptions() const override { return {"--ocr-workers", "-1", "--images", imagesUrl()}; }

    std::unique_ptr<S3Loopback> s3_;
};

TEST_F(ObjectStoreApi, PagesAreKeptInTheObjectStoreServedBackWholeAndVerified) {
    importCustomers(R"([{"account_no":"3300000001","name":"张伟"}])");
    auto jpeg = jpegPart("page.jpg", 7);
    auto filed = fileScan("3300000001", "低压居民新装", "用电申请书", {jpeg, jpegPart("page2.jpg", 8)});
    ASSERT_EQ(filed.status, 201) << filed.body;
    auto pages = parseObject(filed.body)->getArray("pages");
    auto image = admin_->get("/api/pages/" + std::to_string(pages->getObject(0)->getValue<int>("id")) + "/image");
    ASSERT_EQ(image.status, 200);
    EXPECT_EQ(image.body, jpeg.bytes);
    EXPECT_EQ(admin_->get("/api/pages/" + std::to_string(pages->getObject(1)->getValue<int>("id")) + "/thumbnail").status, 200);
    // None of them on the server's disk: the staging folder is empty and there is no image folder.
    EXPECT_FALSE(fs::exists(dataDir() / "images" / "objects"));
    EXPECT_TRUE(fs::is_empty(dataDir() / "images-staging"));

    auto verify = runCommand(verifyCommand(dataDir(), {"--images", imagesUrl()}));
    EXPECT_EQ(verify.status, 0) << verify.output;
    EXPECT_NE(verify.output.find("images: 2 checked, 0 problem(s)"), std::string::npos) << verify.output;
    // A backup of such an archive copies the database and says where the images are (an archive
    // on PostgreSQL is backed up by PostgreSQL's own means: README, Several nodes).
    if (onPostgresql()) return;
    auto backup = runCommand({danganBinary(), "backup", "--data", dataDir().string(), "--to", (dir_.path() / "backup").string()});
    EXPECT_EQ(backup.status, 0) << backup.output;
    EXPECT_NE(backup.output.find("images: kept in an object store"), std::string::npos) << backup.output;
}

TEST_F(ObjectStoreApi, TheStoreRefusesBytesThatDoNotMatchTheirDigestAndKeepsNothing) {
    storage::ObjectImageStore store(storage::parseObjectStoreUrl(imagesUrl()), {"test:tester", "testing"}, dir_.path() / "staging");
    auto stage = [&](const std::string& bytes) {
        storage::ImageStaging staging(store.stagingDirectory());
        staging.write(bytes);
        return staging.finish();
    };
    auto good = stage("the bytes of a page");
    auto digest = good.digest();
    ASSERT_TRUE(store.commit(good));
    EXPECT_EQ(store.size(digest), std::uint64_t{19});
    EXPECT_FALSE(store.commit(good = stage("the bytes of a page")));  // the same bytes again: stored once

    // Other bytes sent under a digest that is not theirs: refused by the store, nothing kept.
    auto other = stage("other bytes");
    storage::Digest claimed{};
    claimed[0] = 1;
    storage::StagedImage lying(other.file(), claimed, other.size());
    other.release();
    EXPECT_THROW(store.commit(lying), storage::StorageError);
    EXPECT_FALSE(store.contains(claimed));
}

// A store on the company's network that speaks only HTTPS: its certificate must chain to the
// authorities given (ca=) and name its host; an untrusted one is refused before anything is sent.
class ObjectStoreTlsApi : public ObjectStoreApi {
protected:
    void SetUp() override {
        auto made = runCommand({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", (dir_.path() / "key.pem").string(),
                                "-out", certificate().string(), "-subj", "/CN=127.0.0.1", "-days", "2", "-addext",
                                "subjectAltName=IP:127.0.0.1"});
        ASSERT_EQ(made.status, 0) << "openssl could not make the test's certificate";
        s3_ = std::make_unique<S3Loopback>(dir_.path() / "s3", certificate(), dir_.path() / "key.pem");
        ::setenv("DANGAN_S3_ACCESS_KEY", "test:tester", 1);
        ::setenv("DANGAN_S3_SECRET_KEY", "testing", 1);
        ApiTest::SetUp();
    }
    fs::path certificate() const { return dir_.path() / "cert.pem"; }
    std::string trustedUrl() const { return "s3://dangan-images?endpoint=" + s3_->endpoint() + "&ca=" + certificate().string(); }
    std::vector<std::string> serverOptions() const override { return {"--ocr-workers", "-1", "--images", trustedUrl()}; }
};

TEST_F(ObjectStoreTlsApi, PagesGoOverHttpsToAStoreWhoseCertificateIsTrustedAndNoOther) {
    ASSERT_EQ(s3_->endpoint().rfind("https://", 0), 0u) << s3_->endpoint();
    importCustomers(R"([{"account_no":"3300000001","name":"张伟"}])");
    auto jpeg = jpegPart("page.jpg", 9);
    auto filed = fileScan("3300000001", "低压居民新装", "用电申请书", {jpeg});
    ASSERT_EQ(filed.status, 201) << filed.body;
    auto id = parseObject(filed.body)->getArray("pages")->getObject(0)->getValue<int>("id");
    EXPECT_EQ(admin_->get("/api/pages/" + std::to_string(id) + "/image").body, jpeg.bytes);
    // Without the authority that signed it, the store is not trusted: nothing is sent to it.
    auto untrusted = "s3://dangan-images?endpoint=" + s3_->endpoint();
    EXPECT_THROW(storage::ObjectImageStore(storage::parseObjectStoreUrl(untrusted), {"test:tester", "testing"}, dir_.path() / "st"),
                 storage::StorageError);
    auto refused = runCommand(verifyCommand(dataDir(), {"--images", untrusted}));
    EXPECT_EQ(refused.status, 1);
}

// An embedded archive moves its images up into the store: `dangan migrate --images` copies them,
// checked (a second run finds them there), and a server on the same folder with --images serves
// them from the store.
class ImageMigrationApi : public ObjectStoreApi {
protected:
    std::vector<std::string> serverOptions() const override { return {"--ocr-workers", "-1"}; }
};

TEST_F(ImageMigrationApi, AnArchivesImagesMoveUpIntoTheStoreAndAreServedFromIt) {
    importCustomers(R"([{"account_no":"3300000001","name":"张伟"}])");
    auto jpeg = jpegPart("page.jpg", 11);
    auto filed = fileScan("3300000001", "低压居民新装", "用电申请书", {jpeg, jpegPart("page2.jpg", 12)});
    ASSERT_EQ(filed.status, 201) << filed.body;
    auto id = parseObject(filed.body)->getArray("pages")->getObject(0)->getValue<int>("id");
    ASSERT_EQ(server_->terminate(), 0);

    auto migrate = [&] { return runCommand({danganBinary(), "migrate", "--from", dataDir().string(), "--images", imagesUrl()}); };
    auto first = migrate();
    ASSERT_EQ(first.status, 0) << first.output;
    EXPECT_NE(first.output.find("images: 2 copied"), std::string::npos) << first.output;
    auto again = migrate();
    ASSERT_EQ(again.status, 0) << again.output;
    EXPECT_NE(again.output.find("images: 0 copied (0 bytes), 2 already there"), std::string::npos) << again.output;
    // A database password on the command line is refused before anything is read.
    EXPECT_EQ(runCommand({danganBinary(), "migrate", "--from", dataDir().string(), "--to", "postgresql://dangan:secret@127.0.0.1/dangan"}).status, 64);

    ServerProcess moved(dataDir(), {"--ocr-workers", "-1", "--images", imagesUrl()});
    moved.start();
    HttpClient admin(moved.port());
    admin.login("admin", kAdminPassword);
    EXPECT_EQ(admin.get("/api/pages/" + std::to_string(id) + "/image").body, jpeg.bytes);
    auto verify = runCommand(verifyCommand(dataDir(), {"--images", imagesUrl()}));
    EXPECT_EQ(verify.status, 0) << verify.output;
    EXPECT_NE(verify.output.find("images: 2 checked, 0 problem(s)"), std::string::npos) << verify.output;
}

TEST(ObjectStoreUrl, NamesWhatIsWrongWithIt) {
    EXPECT_EQ(storage::parseObjectStoreUrl("s3://b?endpoint=http://127.0.0.1:9000").port, 9000);
    EXPECT_THROW((void)storage::parseObjectStoreUrl("http://b"), storage::StorageError);
    EXPECT_THROW((void)storage::parseObjectStoreUrl("s3://b"), storage::StorageError);
    EXPECT_EQ(storage::parseObjectStoreUrl("s3://b?endpoint=https://h:1&ca=/etc/ca.pem").caFile, "/etc/ca.pem");
    EXPECT_THROW((void)storage::parseObjectStoreUrl("s3://b?endpoint=ftp://h:1"), storage::StorageError);
    EXPECT_THROW((void)storage::parseObjectStoreUrl("s3://b?endpoint=http://h:1&ca=/etc/ca.pem"), storage::StorageError);
    EXPECT_THROW((void)storage::parseObjectStoreUrl("s3://b?endpoint=http://h:1&secret=x"), storage::StorageError);
}

}  // namespace
}  // namespace dangan::testing
