// The scanning desk end to end: the server prints cover and separator sheets, Poppler renders
// them, the test damages them as a scanner would and interleaves them with rendered forms, blank
// backs and a page carrying a foreign barcode; the batch must file every page where it belongs.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "api_test_fixture.h"
#include "dangan/barcode/barcodes.h"
#include "dangan/scanner/page_image.h"
#include "scanned_forms.h"

namespace dangan::testing {
namespace {

class BatchesApi : public ApiTest {
protected:
    void SetUp() override {
        ApiTest::SetUp();
        importCustomers(R"([{"account_no":"3300000001","name":"张伟","address":"福州市鼓楼区五四路158号"},
                            {"account_no":"3300000002","name":"福州市闽江建材有限公司"}])");
    }
};

std::string form(const std::string& title, unsigned seed) {
    return renderPdfPages(formPdf({{title, {{"户号", "3300000001"}, {"户名", "张伟"}}, seed}}), 200).at(0);
}

// A meter label's foreign QR code on a form: read, reported, and ignored.
std::string withForeignCode(const std::string& png) {
    auto page = scanner::decodeGray(png, 0).value();
    auto code = barcode::renderBarcode(barcode::Symbology::QRCode, "METER:5100123456789:1.5(6)A", 160, 160).value();
    for (int y = 0; y < code.height; ++y)
        for (int x = 0; x < code.width; ++x)
            page.pixels[static_cast<std::size_t>(y + 1300) * page.width + x + 1200] = code.pixels[static_cast<std::size_t>(y) * code.width + x];
    return grayPng(page.pixels, page.width, page.height);
}

TEST_F(BatchesApi, PrintedSheetsSplitAMixedPileIntoTheRightFiles) {
    auto coverA = printed("/api/print/cover-sheet?account_no=3300000001&process=" + urlEncode("低压居民新装")).at(0);
    auto coverB = printed("/api/print/cover-sheet?account_no=3300000002&process=" + urlEncode("高压新装")).at(0);
    auto sepApplication = printed("/api/print/separator?doc_type=" + urlEncode("用电申请书")).at(0);
    auto sepId = printed("/api/print/separator?doc_type=" + urlEncode("居民身份证复印件")).at(0);
    auto sepSurvey = printed("/api/print/separator?doc_type=" + urlEncode("现场勘查记录")).at(0);

    // The pile, as it goes through the scanner: damage differs page by page.
    std::vector<std::pair<std::string, std::string>> pile{  // name, JPEG
        {"stray", damagedScan(form("授权委托书", 9), {0, 0.8, false, 0.0005, 80, 1})},  // before any cover
        {"coverA", damagedScan(coverA, {2, 1.5, false, 0.0005, 75, 2})},
        {"sepApplication", damagedScan(sepApplication, {1, -2.0, true, 0.0005, 80, 3})},
        {"application1", damagedScan(form("用电申请书", 1), {0, 1.2, false, 0.0005, 80, 4})},
        {"blank1", blankBack(1654, 2339, 200, 5)},
        {"application2", damagedScan(withForeignCode(form("用电申请书", 2)), {2, -0.7, false, 0.0005, 80, 6})},
        {"sepId", damagedScan(sepId, {3, 3.0, false, 0.001, 70, 7})},
        {"idCopy", damagedScan(form("居民身份证复印件", 3), {0, 0, true, 0.0005, 80, 8})},
        {"blank2", blankBack(1654, 2339, 200, 9)},
        {"coverB", damagedScan(coverB, {0, -4.5, false, 0.0005, 80, 10})},
        {"unlabelled", damagedScan(form("用电设备清单", 4), {0, 0.5, false, 0.0005, 80, 11})},
        {"sepSurvey", damagedScan(sepSurvey, {0, 0, false, 0.0005, 80, 12})},
        {"survey", damagedScan(form("现场勘查记录", 5), {1, 0, false, 0.0005, 80, 13})},
    };
    std::vector<FilePart> parts;
    for (const auto& [name, jpeg] : pile) parts.push_back({"files", name + ".jpg", "image/jpeg", jpeg});
    auto reply = admin_->postMultipart("/api/batches", {{"name", "窗口扫描 2026-11-23"}}, parts);
    ASSERT_EQ(reply.status, 202) << reply.body;
    auto id = parseObject(reply.body)->getValue<std::int64_t>("id");

    auto batch = waitForBatch(id);
    ASSERT_TRUE(batch);
    EXPECT_EQ(batch->getValue<std::string>("state"), "done");
    EXPECT_EQ(batch->getValue<int>("pages_total"), 13);
    EXPECT_EQ(batch->getValue<int>("pages_done"), 13);
    std::vector<std::string> outcomes;
    auto pages = batch->getArray("pages");
    for (std::size_t i = 0; i < pages->size(); ++i) outcomes.push_back(pages->getObject(static_cast<unsigned>(i))->getValue<std::string>("outcome"));
    EXPECT_EQ(outcomes, (std::vector<std::string>{"review", "cover", "separator", "filed", "blank", "filed", "separator",
                                                  "filed", "blank", "cover", "filed", "separator", "filed"}));
    // The foreign code was read and reported, and changed nothing.
    auto application2 = pages->getObject(5);
    auto codes = application2->getArray("barcodes");
    ASSERT_EQ(codes->size(), 1u);
    EXPECT_EQ(codes->getObject(0)->getValue<std::string>("text"), "METER:5100123456789:1.5(6)A");
    EXPECT_FALSE(codes->getObject(0)->getValue<bool>("own"));
    EXPECT_EQ(application2->getValue<int>("rotation"), 180);

    EXPECT_EQ(filedPages("3300000001"), (std::map<std::string, int>{{"用电申请书", 2}, {"居民身份证复印件", 1}}));
    EXPECT_EQ(filedPages("3300000002"), (std::map<std::string, int>{{"未分类资料", 1}, {"现场勘查记录", 1}}));

    // The stray page waits in review with its reason, and is filed by a person's choice.
    auto review = parseObject(admin_->get("/api/review").body)->getArray("pages");
    ASSERT_EQ(review->size(), 1u);
    auto stray = review->getObject(0);
    // OCR found its customer, but not which business it belongs to.
    EXPECT_EQ(stray->getValue<std::string>("message"), "customer 3300000001 found, but the business type could not be read");
    EXPECT_EQ(stray->getArray("candidates")->getObject(0)->getValue<std::string>("account_no"), "3300000001");
    auto strayId = std::to_string(stray->getValue<std::int64_t>("id"));
    auto preview = admin_->get("/api/review/" + strayId + "/preview");
    EXPECT_EQ(preview.status, 200);
    EXPECT_EQ(preview.contentType, "image/jpeg");
    auto bad = admin_->postJson("/api/review/" + strayId, R"({"account_no":"3300000001","process":"不存在","doc_type":"授权委托书"})");
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(bad.body.find("unknown process"), std::string::npos);
    auto resolved = admin_->postJson("/api/review/" + strayId,
                                     R"({"account_no":"3300000001","process":"低压居民新装","doc_type":"授权委托书"})");
    ASSERT_EQ(resolved.status, 201) << resolved.body;
    EXPECT_FALSE(parseObject(resolved.body)->getValue<std::string>("archive_no").empty());
    EXPECT_EQ(admin_->postJson("/api/review/" + strayId, R"({"account_no":"3300000001","process":"低压居民新装","doc_type":"x"})").status, 409);
    EXPECT_EQ(parseObject(admin_->get("/api/review").body)->getArray("pages")->size(), 0u);
    EXPECT_EQ(filedPages("3300000001").at("授权委托书"), 1);
}

TEST_F(BatchesApi, RefusesWhatIsNotAScanAndHoldsBackOnlyTheBrokenDocument) {
    auto reply = admin_->postMultipart("/api/batches", {}, {{"files", "notes.txt", "text/plain", "just some text, not a scan"}});
    EXPECT_EQ(reply.status, 415);
    EXPECT_NE(parseObject(reply.body)->getValue<std::string>("error").find("notes.txt"), std::string::npos);
    EXPECT_EQ(admin_->postMultipart("/api/batches", {}, {}).status, 400);

    auto cover = printed("/api/print/cover-sheet?account_no=3300000001&process=" + urlEncode("更名")).at(0);
    auto sep = printed("/api/print/separator?doc_type=" + urlEncode("更名申请书")).at(0);
    auto sepId = printed("/api/print/separator?doc_type=" + urlEncode("居民身份证复印件")).at(0);
    auto good = damagedScan(form("更名申请书", 1), {});
    auto broken = damagedScan(form("居民身份证复印件", 2), {});
    broken.resize(broken.size() / 4);  // the scanner lost the end of the file
    std::vector<FilePart> parts{{"files", "cover.jpg", "image/jpeg", damagedScan(cover, {})},
                                {"files", "sep1.jpg", "image/jpeg", damagedScan(sep, {})},
                                {"files", "rename.jpg", "image/jpeg", good},
                                {"files", "sep2.jpg", "image/jpeg", damagedScan(sepId, {})},
                                {"files", "broken.jpg", "image/jpeg", broken}};
    reply = admin_->postMultipart("/api/batches", {}, parts);
    ASSERT_EQ(reply.status, 202) << reply.body;
    auto batch = waitForBatch(parseObject(reply.body)->getValue<std::int64_t>("id"));
    ASSERT_TRUE(batch);
    EXPECT_EQ(batch->getValue<std::string>("state"), "done");
    // The good neighbour is filed; the broken document is held back.
    EXPECT_EQ(filedPages("3300000001"), (std::map<std::string, int>{{"更名申请书", 1}}));
    auto pages = batch->getArray("pages");
    auto last = pages->getObject(static_cast<unsigned>(pages->size() - 1));
    EXPECT_TRUE(last->getValue<std::string>("outcome") == "failed" || last->getValue<std::string>("outcome") == "review")
        << last->getValue<std::string>("outcome");
}

TEST_F(BatchesApi, PrintingNeedsAFilerAndKnownNames) {
    auto approver = signedInAs("approver1", {"approver"});
    EXPECT_EQ(approver.get("/api/print/separator?doc_type=" + urlEncode("用电申请书")).status, 403);
    EXPECT_EQ(approver.postMultipart("/api/batches", {}, {jpegPart("a.jpg", 1)}).status, 403);
    // Business staff print their cover and separator sheets and scan batches; the review queue
    // and the store room's labels are the collector's.
    auto staff = signedInAs("counter1", {"staff"});
    EXPECT_EQ(staff.get("/api/print/separator?doc_type=" + urlEncode("用电申请书")).status, 200);
    EXPECT_EQ(staff.get("/api/review").status, 403);
    EXPECT_EQ(staff.get("/api/print/labels?volumes=3300000001").status, 403);
    EXPECT_EQ(admin_->get("/api/print/cover-sheet?account_no=3300000009&process=" + urlEncode("更名")).status, 404);
    EXPECT_EQ(admin_->get("/api/print/cover-sheet?account_no=3300000001&process=x").status, 400);
    EXPECT_EQ(admin_->get("/api/print/separator?doc_type=x").status, 400);
    auto labels = admin_->get("/api/print/labels?volumes=3300000001,3300000002&skip=5");
    EXPECT_EQ(labels.status, 200);
    EXPECT_TRUE(labels.body.starts_with("%PDF-"));
    EXPECT_EQ(admin_->get("/api/print/labels?volumes=3300000001&skip=24").status, 400);
    // Printing a cover sheet is recorded.
    EXPECT_EQ(admin_->get("/api/print/cover-sheet?account_no=3300000001&process=" + urlEncode("更名")).status, 200);
    auto audit = admin_->get("/api/audit?object_type=cover_sheet");
    EXPECT_NE(audit.body.find("cover_sheet.print"), std::string::npos) << audit.body;
}

}  // namespace
}  // namespace dangan::testing
