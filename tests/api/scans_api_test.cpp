// Filing scanned pages and reading the e-file, through HTTP against the real server.
#include <fstream>
#include <set>
#include <thread>

#include "api_test_fixture.h"

namespace dangan::testing {
namespace {

class ScansTest : public ApiTest {
protected:
    void SetUp() override {
        ApiTest::SetUp();
        importCustomers(R"([{"account_no":"3350100065","name":"张伟","id_number":"11010519491231002X"},
                           {"account_no":"3362979298","name":"杭州明远电子有限公司"}])");
    }
    Poco::JSON::Array::Ptr documentsIn(const Poco::JSON::Object::Ptr& file, std::size_t category) {
        return file->getArray("categories")->getObject(static_cast<unsigned>(category))->getArray("documents");
    }
    // Every refused upload must leave the archive exactly as it was.
    void expectNothingFiled() {
        EXPECT_EQ(storedImages(), 0u);
        auto file = efile("3350100065");
        for (unsigned c = 0; c < 5; ++c) EXPECT_EQ(documentsIn(file, c)->size(), 0u);
        std::size_t staging = 0;
        for (const auto& e : std::filesystem::directory_iterator(dataDir() / "images" / "tmp")) staging += e.is_regular_file();
        EXPECT_EQ(staging, 0u);
    }
};

TEST_F(ScansTest, FilesJpegPngAndMultiPageTiffAndShowsThemInTheEfile) {
    auto jpeg = jpegPart("p1.jpg", 1);
    FilePart png{"files", "p2.png", "image/png", pngPage({.width = 500, .height = 700, .dpi = 100, .seed = 2})};
    FilePart tiff{"files", "p3.tif", "image/tiff",
                  tiffPages({{.width = 400, .height = 560, .dpi = 200, .seed = 3}, {.width = 400, .height = 560, .dpi = 200, .seed = 4}}, true)};
    auto reply = fileScan("3350100065", "高压新装", "用电申请书", {jpeg, png, tiff}, {{"application_no", "SQ2026001"}});
    ASSERT_EQ(reply.status, 201) << reply.body;
    auto doc = parseObject(reply.body);
    EXPECT_EQ(doc->getValue<std::string>("category"), "业扩档案");
    EXPECT_EQ(doc->getValue<int>("version"), 1);
    auto archiveNo = doc->getValue<std::string>("archive_no");
    EXPECT_TRUE(archiveNo.starts_with("J001-YK·")) << archiveNo;
    // The rules keep a 高压新装's application 永久, so its retention is Y (its category alone says D30).
    EXPECT_TRUE(archiveNo.ends_with("-Y-YXB-0001")) << archiveNo;

    auto file = efile("3350100065");
    EXPECT_EQ(file->getObject("customer")->getValue<std::string>("name"), "张伟");
    auto docs = documentsIn(file, 0);
    ASSERT_EQ(docs->size(), 1u);
    auto filed = docs->getObject(0);
    EXPECT_EQ(filed->getValue<std::string>("archive_no"), archiveNo);
    EXPECT_EQ(filed->getValue<std::string>("doc_type"), "用电申请书");
    EXPECT_EQ(filed->getValue<std::string>("process"), "高压新装");
    EXPECT_EQ(filed->getValue<std::string>("application_no"), "SQ2026001");
    auto pages = filed->getArray("pages");
    ASSERT_EQ(pages->size(), 4u);  // one JPEG, one PNG, two TIFF frames
    EXPECT_EQ(pages->getObject(0)->getValue<std::string>("sha256"), sha256Hex(jpeg.bytes));
    EXPECT_EQ(pages->getObject(0)->getValue<int>("width"), 620);
    EXPECT_EQ(pages->getObject(0)->getValue<int>("dpi"), 75);
    EXPECT_EQ(pages->getObject(1)->getValue<std::string>("sha256"), sha256Hex(png.bytes));
    EXPECT_EQ(pages->getObject(2)->getValue<std::string>("sha256"), sha256Hex(tiff.bytes));
    EXPECT_EQ(pages->getObject(3)->getValue<int>("frame"), 1);
    EXPECT_EQ(pages->getObject(3)->getValue<int>("dpi"), 200);
    EXPECT_EQ(storedImages(), 3u);

    // The stored bytes come back exactly; thumbnails and previews are JPEGs of the right frame.
    auto image = admin_->get("/api/pages/" + std::to_string(pages->getObject(0)->getValue<int>("id")) + "/image");
    ASSERT_EQ(image.status, 200);
    EXPECT_EQ(image.contentType, "image/jpeg");
    EXPECT_EQ(image.body, jpeg.bytes);
    auto tiffImage = admin_->get("/api/pages/" + std::to_string(pages->getObject(3)->getValue<int>("id")) + "/image");
    EXPECT_EQ(tiffImage.contentType, "image/tiff");
    EXPECT_EQ(sha256Hex(tiffImage.body), sha256Hex(tiff.bytes));
    auto thumb = admin_->get("/api/pages/" + std::to_string(pages->getObject(3)->getValue<int>("id")) + "/thumbnail");
    ASSERT_EQ(thumb.status, 200);
    EXPECT_EQ(thumb.contentType, "image/jpeg");
    EXPECT_EQ(thumb.body.substr(0, 2), "\xFF\xD8");
    EXPECT_LT(thumb.body.size(), 40000u);
    auto cached = admin_->get("/api/pages/" + std::to_string(pages->getObject(3)->getValue<int>("id")) + "/thumbnail");
    EXPECT_EQ(cached.body, thumb.body);
    EXPECT_EQ(admin_->get("/api/pages/" + std::to_string(pages->getObject(1)->getValue<int>("id")) + "/preview").status, 200);
    EXPECT_EQ(admin_->get("/api/pages/999/image").status, 404);
    EXPECT_EQ(admin_->get("/api/pages/abc/image").status, 400);
}

TEST_F(ScansTest, IdenticalImagesAreStoredOnce) {
    auto page = jpegPart("same.jpg", 7);
    ASSERT_EQ(fileScan("3350100065", "增容", "变更用电申请书", {page}).status, 201);
    ASSERT_EQ(fileScan("3362979298", "增容", "变更用电申请书", {page}).status, 201);
    EXPECT_EQ(storedImages(), 1u);
}

TEST_F(ScansTest, CategoriesInOrderAndNewestFirst) {
    ASSERT_EQ(fileScan("3350100065", "电能表轮换", "电能计量装置装拆记录", {jpegPart("m.jpg", 1)}).status, 201);
    ASSERT_EQ(fileScan("3350100065", "高压新装", "用电申请书", {jpegPart("a.jpg", 2)}).status, 201);
    ASSERT_EQ(fileScan("3350100065", "用电检查", "用电检查结果通知书", {jpegPart("i.jpg", 3)}).status, 201);
    ASSERT_EQ(fileScan("3350100065", "电费缴纳", "电费缴费凭证", {jpegPart("b.jpg", 4)}).status, 201);
    ASSERT_EQ(fileScan("3350100065", "照片", "照片", {jpegPart("o.jpg", 5)}).status, 201);
    ASSERT_EQ(fileScan("3350100065", "过户", "过户申请书", {jpegPart("t.jpg", 6)}).status, 201);
    auto file = efile("3350100065");
    auto categories = file->getArray("categories");
    std::vector<std::string> order;
    for (unsigned i = 0; i < categories->size(); ++i) order.push_back(categories->getObject(i)->getValue<std::string>("name"));
    EXPECT_EQ(order, (std::vector<std::string>{"业扩档案", "用检档案", "计量档案", "电费档案", "其他档案"}));
    auto connection = documentsIn(file, 0);
    ASSERT_EQ(connection->size(), 2u);
    EXPECT_EQ(connection->getObject(0)->getValue<std::string>("doc_type"), "过户申请书");  // newest first
    EXPECT_EQ(connection->getObject(1)->getValue<std::string>("doc_type"), "用电申请书");
    EXPECT_EQ(documentsIn(file, 1)->getObject(0)->getValue<std::string>("doc_type"), "用电检查结果通知书");
    EXPECT_EQ(documentsIn(file, 2)->getObject(0)->getValue<std::string>("doc_type"), "电能计量装置装拆记录");
    EXPECT_EQ(documentsIn(file, 3)->getObject(0)->getValue<std::string>("doc_type"), "电费缴费凭证");
    EXPECT_EQ(documentsIn(file, 4)->getObject(0)->getValue<std::string>("doc_type"), "照片");
    EXPECT_EQ(documentsIn(efile("3362979298"), 0)->size(), 0u);
}

TEST_F(ScansTest, BadFieldsAreRefusedAndLeaveNothing) {
    struct Case {
        std::map<std::string, std::string> fields;
        int status;
        std::string says;
    };
    const std::vector<Case> cases{
        {{{"process", "增容"}, {"doc_type", "x"}}, 400, "account_no"},
        {{{"account_no", "12ab"}, {"process", "增容"}, {"doc_type", "x"}}, 400, "digits"},
        {{{"account_no", "9999999999"}, {"process", "增容"}, {"doc_type", "x"}}, 422, "no customer"},
        {{{"account_no", "3350100065"}, {"doc_type", "x"}}, 400, "process"},
        {{{"account_no", "3350100065"}, {"process", "新状"}, {"doc_type", "x"}}, 400, "unknown process"},
        {{{"account_no", "3350100065"}, {"process", "增容"}}, 400, "doc_type"},
        {{{"account_no", "3350100065"}, {"process", "增容"}, {"doc_type", "x"}, {"supersedes", "abc"}}, 400, "supersedes"},
    };
    for (const auto& c : cases) {
        auto reply = admin_->postMultipart("/api/scans", c.fields, {jpegPart("a.jpg", 1)});
        EXPECT_EQ(reply.status, c.status) << reply.body;
        EXPECT_NE(parseObject(reply.body)->getValue<std::string>("error").find(c.says), std::string::npos) << reply.body;
    }
    auto noFiles = admin_->postMultipart("/api/scans", {{"account_no", "3350100065"}, {"process", "增容"}, {"doc_type", "x"}}, {});
    EXPECT_EQ(noFiles.status, 400);
    EXPECT_EQ(admin_->postJson("/api/scans", "{}").status, 415);
    expectNothingFiled();
}

TEST_F(ScansTest, ABadImageAnywhereInTheUploadFilesNothing) {
    auto good = jpegPart("good.jpg", 1);
    FilePart truncated{"files", "cut.jpg", "image/jpeg", good.bytes.substr(0, good.bytes.size() / 2)};
    auto reply = fileScan("3350100065", "增容", "变更用电申请书", {good, truncated});
    EXPECT_EQ(reply.status, 422);
    EXPECT_NE(parseObject(reply.body)->getValue<std::string>("error").find("file 2 (cut.jpg)"), std::string::npos);

    FilePart text{"files", "notes.txt", "text/plain", "this is not a scanned page at all"};
    EXPECT_EQ(fileScan("3350100065", "增容", "变更用电申请书", {good, text}).status, 415);

    FilePart huge{"files", "huge.png", "image/png", pngPage({.width = 20001, .height = 20, .dpi = 300})};
    auto tooBig = fileScan("3350100065", "增容", "变更用电申请书", {huge});
    EXPECT_EQ(tooBig.status, 413);
    EXPECT_NE(parseObject(tooBig.body)->getValue<std::string>("error").find("20001x20"), std::string::npos);

    FilePart wrongName = good;
    wrongName.name = "attachment";
    EXPECT_EQ(fileScan("3350100065", "增容", "变更用电申请书", {wrongName}).status, 400);
    expectNothingFiled();
}

TEST_F(ScansTest, AnUploadOfMoreThanAThousandFilesIsRefusedWhole) {
    FilePart tiny{"files", "tiny.png", "image/png", pngPage({.width = 40, .height = 40, .dpi = 300})};
    std::vector<FilePart> files(1001, tiny);
    auto reply = fileScan("3350100065", "照片", "照片", files);
    EXPECT_EQ(reply.status, 413);
    EXPECT_NE(parseObject(reply.body)->getValue<std::string>("error").find("file 1001"), std::string::npos) << reply.body;
    expectNothingFiled();
}

TEST_F(ScansTest, CorrectionsAddVersionsAndKeepTheOld) {
    auto first = fileScan("3350100065", "高压新装", "高压供用电合同", {jpegPart("c1.jpg", 1), jpegPart("c2.jpg", 2)});
    ASSERT_EQ(first.status, 201);
    int v1 = parseObject(first.body)->getValue<int>("id");
    auto second = fileScan("3350100065", "高压新装", "高压供用电合同", {jpegPart("c1-fixed.jpg", 3), jpegPart("c2.jpg", 2)},
                           {{"supersedes", std::to_string(v1)}, {"note", "第1页重新扫描"}});
    ASSERT_EQ(second.status, 201) << second.body;
    auto v2 = parseObject(second.body);
    EXPECT_EQ(v2->getValue<int>("version"), 2);
    EXPECT_EQ(v2->getValue<std::string>("archive_no"), parseObject(first.body)->getValue<std::string>("archive_no"));

    auto docs = documentsIn(efile("3350100065"), 0);
    ASSERT_EQ(docs->size(), 1u);
    EXPECT_EQ(docs->getObject(0)->getValue<int>("version"), 2);
    auto old = admin_->get("/api/documents/" + std::to_string(v1));
    ASSERT_EQ(old.status, 200);
    auto oldDoc = parseObject(old.body);
    EXPECT_EQ(oldDoc->getArray("pages")->size(), 2u);
    EXPECT_EQ(oldDoc->getValue<int>("superseded_by"), v2->getValue<int>("id"));
    EXPECT_EQ(oldDoc->getArray("versions")->size(), 2u);
    int oldPage = oldDoc->getArray("pages")->getObject(0)->getValue<int>("id");
    EXPECT_EQ(admin_->get("/api/pages/" + std::to_string(oldPage) + "/image").status, 200);

    auto stale = fileScan("3350100065", "高压新装", "高压供用电合同", {jpegPart("c3.jpg", 4)}, {{"supersedes", std::to_string(v1)}});
    EXPECT_EQ(stale.status, 409);
    auto foreign = fileScan("3362979298", "高压新装", "高压供用电合同", {jpegPart("c4.jpg", 5)}, {{"supersedes", std::to_string(v1)}});
    EXPECT_EQ(foreign.status, 422);
    auto missing = fileScan("3350100065", "高压新装", "高压供用电合同", {jpegPart("c5.jpg", 6)}, {{"supersedes", "999"}});
    EXPECT_EQ(missing.status, 422);
    EXPECT_EQ(storedImages(), 3u);  // the refused uploads left no images behind
}

TEST_F(ScansTest, ViewsAndChangesLandInTheAuditLog) {
    auto staff = signedInAs("counter1", {"staff"});
    auto filed = parseObject(fileScan("3350100065", "过户", "过户申请书", {jpegPart("a.jpg", 1)}).body);
    int page = filed->getArray("pages")->getObject(0)->getValue<int>("id");
    ASSERT_EQ(staff.get("/api/customers/3350100065/efile").status, 200);
    ASSERT_EQ(staff.get("/api/pages/" + std::to_string(page) + "/image").status, 200);
    auto audit = admin_->get("/api/audit?username=counter1");
    ASSERT_EQ(audit.status, 200);
    auto entries = parseObject(audit.body)->getArray("entries");
    std::vector<std::string> actions;
    for (unsigned i = 0; i < entries->size(); ++i) actions.push_back(entries->getObject(i)->getValue<std::string>("action"));
    EXPECT_EQ(actions, (std::vector<std::string>{"page.view", "efile.view", "login"}));
    auto filing = admin_->get("/api/audit?object_type=document");
    EXPECT_NE(filing.body.find("document.file"), std::string::npos);
}

TEST_F(ScansTest, VerifyChecksTheChainAndEveryImage) {
    ASSERT_EQ(fileScan("3350100065", "增容", "变更用电申请书", {jpegPart("a.jpg", 1), jpegPart("b.jpg", 2)}).status, 201);
    ASSERT_EQ(server_->terminate(), 0);
    auto ok = runCommand(verifyCommand(dataDir()));
    EXPECT_EQ(ok.status, 0) << ok.output;
    EXPECT_NE(ok.output.find("chain intact"), std::string::npos);
    EXPECT_NE(ok.output.find("images: 2 checked, 0 problem(s)"), std::string::npos);

    // Flip one byte of one stored image.
    std::filesystem::path victim;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dataDir() / "images" / "objects"))
        if (e.is_regular_file()) victim = e.path();
    {
        std::fstream f(victim, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(100);
        f.put('\x55');
    }
    auto bad = runCommand(verifyCommand(dataDir()));
    EXPECT_EQ(bad.status, 1);
    EXPECT_NE(bad.output.find(victim.filename().string() + ": content changed"), std::string::npos) << bad.output;
    EXPECT_NE(runCommand({danganBinary(), "verify", "--data", (dir_.path() / "nothing").string()}).status, 0);
}

TEST_F(ScansTest, ParallelUploadsFromSeveralClientsAllSucceed) {
    std::vector<std::thread> clients;
    std::atomic<int> created{0};
    std::vector<std::string> failures(4);
    for (int t = 0; t < 4; ++t)
        clients.emplace_back([&, t] {
            HttpClient client(server_->port());
            client.login("admin", kAdminPassword);
            for (int i = 0; i < 8; ++i) {
                auto reply = client.postMultipart("/api/scans", {{"account_no", "3350100065"}, {"process", "增容"}, {"doc_type", "变更用电申请书"}},
                                                  {jpegPart("p.jpg", static_cast<unsigned>(100 + t * 10 + i))});
                if (reply.status == 201) ++created;
                else failures[t] = reply.body;
            }
        });
    for (auto& c : clients) c.join();
    EXPECT_EQ(created.load(), 32) << failures[0] << failures[1] << failures[2] << failures[3];
    auto docs = documentsIn(efile("3350100065"), 0);
    ASSERT_EQ(docs->size(), 32u);
    std::set<std::string> numbers;  // every item its own number, 0001 to 0032 without gaps
    for (unsigned i = 0; i < docs->size(); ++i) numbers.insert(docs->getObject(i)->getValue<std::string>("archive_no"));
    ASSERT_EQ(numbers.size(), 32u);
    EXPECT_TRUE(numbers.begin()->ends_with("-0001"));
    EXPECT_TRUE(numbers.rbegin()->ends_with("-0032"));
}

}  // namespace
}  // namespace dangan::testing
