// Filing, the counter's e-file, the reading shown with pages and people's corrections, and the
// scanning desk's printed papers, without HTTP.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "dangan/desks/batch_desk.h"
#include "dangan/desks/customer_file.h"
#include "dangan/desks/page_facts.h"
#include "dangan/desks/printing_desk.h"
#include "dangan/desks/reading_desk.h"
#include "desk_fixture.h"

namespace dangan::server {
namespace {

class FilingDesks : public DeskTest {
protected:
    FilingDesks() { addCustomer("3300000001", "张伟"); }

    std::size_t stagedFiles() {
        std::size_t n = 0;
        for ([[maybe_unused]] const auto& f : std::filesystem::directory_iterator(images_->stagingDirectory())) ++n;
        return n;
    }

    PaperDesk paper_{stores_};
    CustomerFiles files_{stores_, *images_, paper_};
};

TEST_F(FilingDesks, AFiledDocumentIsNumberedAndShownInItsCategoryNewestFirst) {
    auto first = file("3300000001", "低压居民新装", "用电申请书", admin_, 1);
    EXPECT_TRUE(first.archiveNo.starts_with("J001-YK·2026-D30-YXB-")) << first.archiveNo;
    clock_->advance(kHour);
    auto second = file("3300000001", "低压居民新装", "居民身份证复印件", admin_, 2);
    auto meter = file("3300000001", "电能表轮换", "电能计量装置装拆记录", admin_, 3);

    auto efile = files_.open("3300000001");
    ASSERT_TRUE(efile) << efile.error().message;
    const auto& connection = efile->categories.at(static_cast<std::size_t>(Category::Connection));
    ASSERT_EQ(connection.documents.size(), 2u);
    EXPECT_EQ(connection.documents[0].id, second.id) << "newest first";
    EXPECT_EQ(efile->categories.at(static_cast<std::size_t>(Category::Metering)).documents.size(), 1u);
    EXPECT_EQ(efile->shown.at(meter.id).paperCode.substr(0, 4), "DGD-");
    EXPECT_EQ(efile->shown.at(meter.id).paperPlace, "尚未装盒") << "the original is not in the store room yet";
    ASSERT_EQ(efile->shown.at(first.id).pages.size(), 1u);
    ASSERT_TRUE(efile->shown.at(first.id).pages[0].reading);
    EXPECT_EQ(efile->shown.at(first.id).pages[0].reading->state, "queued") << "filed pages wait for OCR";
    EXPECT_EQ(files_.open("9999999999").error().code, ProblemCode::NotFound);

    auto image = files_.pageImage(first.pages.at(0), true);
    ASSERT_TRUE(image);
    EXPECT_EQ(image->digest, first.pages[0].sha256);
    EXPECT_EQ(files_.page(987654).error().code, ProblemCode::NotFound);
}

TEST_F(FilingDesks, ACorrectionAddsAVersionAndAFailedFilingLeavesNothing) {
    auto original = file("3300000001", "低压居民新装", "用电申请书", admin_, 1);
    auto corrected = file("3300000001", "低压居民新装", "用电申请书", admin_, 2, std::to_string(original.id));
    auto view = files_.document(corrected.id);
    ASSERT_TRUE(view);
    ASSERT_EQ(view->versions.size(), 2u);
    EXPECT_EQ(view->versions[0].id, original.id);
    EXPECT_TRUE(files_.document(original.id)) << "the version it replaced stays";

    auto before = stores_.documents->currentDocuments(stores_.customers->findByAccountNo("3300000001")->id).size();
    std::vector<Upload> uploads;
    uploads.push_back(upload(3));
    auto refused = filing_->file({"3300000001", "没有这种业务", "", "用电申请书", "", "", std::move(uploads)}, actorOf(admin_));
    ASSERT_FALSE(refused);
    std::vector<Upload> more;
    more.push_back(upload(4));
    auto stranger = filing_->file({"9999999999", "低压居民新装", "", "用电申请书", "", "", std::move(more)}, actorOf(admin_));
    ASSERT_FALSE(stranger);
    EXPECT_EQ(stores_.documents->currentDocuments(stores_.customers->findByAccountNo("3300000001")->id).size(), before);
    EXPECT_EQ(stagedFiles(), 0u) << "refused uploads leave nothing staged";
}

TEST_F(FilingDesks, APersonsCorrectionOfAFieldIsCheckedAndShownAsTheirs) {
    ReadingDesk reading(stores_, *images_, {.workers = -1}, nullptr);
    auto doc = file("3300000001", "低压居民新装", "用电申请书", admin_, 1);
    auto pageId = doc.pages.at(0).id;
    auto facts = reading.facts(pageId);
    ASSERT_TRUE(facts);
    EXPECT_TRUE(facts->fields.empty());

    EXPECT_EQ(reading.correct(pageId, {}, actorOf(admin_)).error().code, ProblemCode::BadRequest);
    EXPECT_EQ(reading.correct(pageId, {{"account_no", "33A"}}, actorOf(admin_)).error().code, ProblemCode::BadRequest);
    EXPECT_EQ(reading.correct(424242, {{"account_no", "3300000001"}}, actorOf(admin_)).error().code, ProblemCode::NotFound);
    auto corrected = reading.correct(pageId, {{"account_no", "3300000001"}, {"name", "张伟"}}, actorOf(admin_));
    ASSERT_TRUE(corrected) << corrected.error().message;
    ASSERT_EQ(corrected->fields.size(), 2u);
    EXPECT_EQ(corrected->fields[0].name, "account_no");
    EXPECT_EQ(corrected->fields[0].basis, ShownField::Basis::Person);
    EXPECT_EQ(corrected->fields[0].confidence, 1.0);
    EXPECT_EQ(corrected->fields[0].correctedBy, "admin");
    EXPECT_EQ(corrected->confidence, 1.0);
    EXPECT_EQ(corrected->corrections.size(), 2u);
}

TEST_F(FilingDesks, ACoverSheetIsRegisteredWithTheRulesChecklistAndLabelsNameOneKind) {
    PrintingDesk printing(stores_, rules(), *clock_, {});
    EXPECT_EQ(printing.coverSheet("3300000001", "不存在的业务", "", admin_).error().code, ProblemCode::BadRequest);
    EXPECT_EQ(printing.coverSheet("9999999999", "低压居民新装", "", admin_).error().code, ProblemCode::NotFound);
    auto sheet = printing.coverSheet("3300000001", "低压居民新装", "SQ2026110001", admin_);
    ASSERT_TRUE(sheet) << sheet.error().message;
    EXPECT_TRUE(sheet->pdf.starts_with("%PDF"));
    EXPECT_TRUE(sheet->filename.starts_with("cover-3300000001-")) << sheet->filename;
    auto registered = stores_.batches->coverSheet(std::stoll(sheet->filename.substr(17)));
    ASSERT_TRUE(registered);
    EXPECT_EQ(registered->processType, "低压居民新装");
    EXPECT_EQ(registered->applicationNo, "SQ2026110001");

    EXPECT_TRUE(printing.separators("all"));
    EXPECT_EQ(printing.separators("没有这种文件").error().code, ProblemCode::BadRequest);
    auto doc = file("3300000001", "低压居民新装", "用电申请书", admin_, 1);
    EXPECT_TRUE(printing.labels({.documents = {std::to_string(doc.id)}}));
    EXPECT_EQ(printing.labels({.documents = {std::to_string(doc.id)}, .volumes = {"3300000001"}}).error().code, ProblemCode::BadRequest);
    EXPECT_EQ(printing.labels({.volumes = {"9999999999"}}).error().code, ProblemCode::NotFound);
    EXPECT_EQ(printing.labels({.shelves = {"1"}, .skip = 24}).error().code, ProblemCode::BadRequest);
}

TEST_F(FilingDesks, ABatchWithoutCoverSheetWaitsInReviewUntilAPersonFilesOrDiscardsEachPage) {
    BatchDesk batches(stores_, *images_, {.workers = 1, .reading = nullptr,
                                          .processRequires = [](const std::string&, const std::string&) { return false; }});
    std::vector<Upload> uploads;
    uploads.push_back(upload(11));
    uploads.push_back(upload(12));
    auto seen = batches.finishedCount();
    auto id = batches.receive("upload", "morning", "", std::move(uploads), actorOf(admin_));
    ASSERT_TRUE(id) << id.error().message;
    batches.waitForFinish(seen, std::chrono::seconds(60));
    auto batch = batches.batch(*id);
    ASSERT_TRUE(batch);
    EXPECT_EQ(batch->state, "done") << batch->error;
    auto queue = batches.reviewQueue(10);
    ASSERT_EQ(queue.size(), 2u);
    EXPECT_FALSE(queue[0].suggestion.reading) << "no OCR here: nothing was read";

    ReviewDecision decision;
    decision.accountNo = "3300000001";
    decision.processType = "低压居民新装";
    decision.docType = "用电申请书";
    auto filed = batches.resolve(queue[0].page.id, decision, actorOf(admin_));
    ASSERT_TRUE(filed) << filed.error().message;
    EXPECT_EQ(filed->pages.size(), 1u);
    EXPECT_EQ(batches.resolve(queue[0].page.id, decision, actorOf(admin_)).error().code, ProblemCode::Conflict) << "filed once";
    EXPECT_EQ(batches.discard(queue[1].page.id, "", actorOf(admin_)).error().code, ProblemCode::BadRequest);
    ASSERT_TRUE(batches.discard(queue[1].page.id, "空白页", actorOf(admin_)));
    EXPECT_TRUE(batches.reviewQueue(10).empty());
    EXPECT_EQ(batches.recent("fax", 10).error().code, ProblemCode::BadRequest);
    EXPECT_EQ(batches.recent("upload", 10)->size(), 1u);
}

}  // namespace
}  // namespace dangan::server

namespace dangan::server {
namespace {

// A name or place read on a page that the archive's own gazetteer does not know is never shown as
// sure: 上城区 misread as 上域区 (a pair of characters no customer's address holds) is doubted,
// whatever the reader's confidence; what the archive knows keeps its confidence.
TEST_F(FilingDesks, ANameOrPlaceTheArchiveDoesNotKnowIsShownAsUnsure) {
    addCustomer("3300000001", "张伟");
    addCustomer("3300000002", "金桥机械制造有限公司");
    storage::StoredReading reading;
    reading.fields = {{"name", "张伟", 96}, {"address", "杭州市上城区解放路", 97}, {"phone", "13800000000", 99}};
    doubtUnknownText(reading, *stores_.customers);
    EXPECT_EQ(reading.fields[0].confidence, 96) << "a name the archive holds";
    EXPECT_EQ(reading.fields[1].confidence, 97) << "a place the archive holds";
    EXPECT_EQ(reading.fields[2].confidence, 99) << "numbers are judged by their own checks";
    reading.fields = {{"name", "张玮", 95}, {"address", "杭州市上域区解放路", 97}, {"name", "金桥机械", 90}};
    doubtUnknownText(reading, *stores_.customers);
    EXPECT_EQ(reading.fields[0].confidence, kDoubtedConfidence) << "张玮: a pair no customer's name holds";
    EXPECT_EQ(reading.fields[1].confidence, kDoubtedConfidence) << "上域: a place the archive does not know";
    EXPECT_EQ(reading.fields[2].confidence, 90) << "part of a name the archive holds";
}

}  // namespace
}  // namespace dangan::server

namespace dangan::server {
namespace {

// Page search finds a filed page by its customer's place even where OCR misread two characters of
// it (邱蔓 for 岳麓), but never turns another real place (开福) into the customer's.
TEST_F(FilingDesks, APageIsFoundByItsCustomersPlaceThoughTwoCharactersWereMisread) {
    (void)stores_.customers->upsert({{"3300000001", "张伟", "长沙市岳麓区桐梓坡路88号", "13807310001", "", "0.4kV", "岳麓供电所"},
                                     {"3300000002", "陈静", "长沙市开福区湘江北路56号", "13807310005", "", "0.4kV", "城区供电所"}},
                                    {std::nullopt, "system"});
    auto misread = file("3300000001", "低压居民新装", "用电申请书", admin_, 1);
    auto elsewhere = file("3300000001", "低压居民新装", "房屋产权证明", admin_, 2);
    auto read = [&](const storage::Document& d, const std::string& text) {
        storage::StoredReading reading;
        reading.image = d.pages.at(0).sha256;
        reading.state = "done";
        reading.text = text;
        stores_.readings->record(reading);
    };
    read(misread, "用电申请书 用电地址 长沙市邱蔓区桐梓坡路88号");
    read(elsewhere, "房屋产权证明 坐落 长沙市开福区桐梓坡路88号");
    std::set<std::int64_t> found;
    for (const auto& hit : stores_.readings->searchText("岳麓区", 10)) found.insert(hit.documentId);
    EXPECT_EQ(found, (std::set<std::int64_t>{misread.id})) << "the misread place, not the other district";
    EXPECT_EQ(stores_.readings->searchText("邱蔓区", 10).size(), 1u) << "what was read is found too";
}

}  // namespace
}  // namespace dangan::server
