// OCR end to end: generated scanned papers without cover sheets go through a real server's
// scanning desk and reading desk (real Tesseract); each must reach its customer's e-file with its
// document type and fields, or wait in review with ranked candidates when its fields disagree.
#include <gtest/gtest.h>

#include <Poco/URI.h>

#include <chrono>
#include <thread>

#include "api_test_fixture.h"
#include "customer_papers.h"
#include "dangan/ocr/page_reader.h"
#include "dangan/print/specimen_papers.h"
#include "scanned_forms.h"

namespace dangan::testing {
namespace {

class OcrApi : public ApiTest {
protected:
    void SetUp() override {
        ApiTest::SetUp();
        customers_ = paperCustomers(3, 77);
        std::string rows = "[";
        for (const auto& c : customers_)
            rows += std::string(rows.size() > 1 ? "," : "") + R"({"account_no":")" + c.accountNo + R"(","name":")" + c.name +
                    R"(","address":")" + c.address + R"(","phone":")" + c.phone + R"(","id_number":")" + c.idNumber + R"("})";
        importCustomers(rows + "]");
    }

    // The e-file's documents of a doc type, flattened over the categories.
    std::vector<Poco::JSON::Object::Ptr> documentsOf(const std::string& accountNo, const std::string& docType) {
        std::vector<Poco::JSON::Object::Ptr> out;
        auto categories = efile(accountNo)->getArray("categories");
        for (std::size_t c = 0; c < categories->size(); ++c) {
            auto docs = categories->getObject(static_cast<unsigned>(c))->getArray("documents");
            for (std::size_t d = 0; d < docs->size(); ++d)
                if (docs->getObject(static_cast<unsigned>(d))->getValue<std::string>("doc_type") == docType)
                    out.push_back(docs->getObject(static_cast<unsigned>(d)));
        }
        return out;
    }

    std::vector<PaperCustomer> customers_;
};

TEST_F(OcrApi, AnUnlabelledPileFilesItselfAndWhatDisagreesWaitsForAPerson) {
    const auto& a = customers_[0];
    const auto& b = customers_[1];
    const auto& c = customers_[2];
    PaperOptions application{.docType = "用电申请书", .businessType = "低压居民新装", .layout = PaperLayout::Table, .seed = 11};
    PaperOptions meter{.docType = "电能计量装置装拆记录", .businessType = "电能表轮换", .layout = PaperLayout::TwoColumns,
                       .dpi = 200, .damage = {.quarters = 2, .skewDegrees = 0.8, .seed = 5}, .seed = 12};
    PaperOptions contract{.docType = "高压供用电合同", .businessType = "高压新装", .layout = PaperLayout::Inline,
                          .damage = {.skewDegrees = -1.0, .seed = 6}, .seed = 13};
    auto pageA = customerPaper(a, application);
    auto pageB = customerPaper(b, meter);
    auto pageC = customerPaper(c, contract);
    // A's account number under B's name: one customer matches, another field contradicts it.
    PaperCustomer mixed = a;
    mixed.name = b.name;
    auto pageMixed = customerPaper(mixed, PaperOptions{.docType = "用电申请书", .layout = PaperLayout::Table, .seed = 14});

    std::vector<FilePart> parts{{"files", "a.jpg", "image/jpeg", pageA.jpeg},
                                {"files", "b.jpg", "image/jpeg", pageB.jpeg},
                                {"files", "c.jpg", "image/jpeg", pageC.jpeg},
                                {"files", "mixed.jpg", "image/jpeg", pageMixed.jpeg}};
    auto reply = admin_->postMultipart("/api/batches", {{"name", "无封面"}}, parts);
    ASSERT_EQ(reply.status, 202) << reply.body;
    auto batch = waitForBatch(parseObject(reply.body)->getValue<std::int64_t>("id"));
    ASSERT_TRUE(batch);
    std::vector<std::string> outcomes;
    for (std::size_t i = 0; i < batch->getArray("pages")->size(); ++i)
        outcomes.push_back(batch->getArray("pages")->getObject(static_cast<unsigned>(i))->getValue<std::string>("outcome"));
    EXPECT_EQ(outcomes, (std::vector<std::string>{"filed", "filed", "filed", "review"}));

    // Each page in its customer's file, with its type, its process and the fields read on it.
    auto applications = documentsOf(a.accountNo, "用电申请书");
    ASSERT_EQ(applications.size(), 1u);
    EXPECT_EQ(applications[0]->getValue<std::string>("process"), "低压居民新装");
    auto fields = applications[0]->getArray("pages")->getObject(0)->getObject("fields");
    EXPECT_EQ(fields->getObject("account_no")->getValue<std::string>("value"), a.accountNo);
    EXPECT_EQ(fields->getObject("id_number")->getValue<std::string>("value"), a.idNumber);
    EXPECT_EQ(fields->getObject("phone")->getValue<std::string>("value"), a.phone);
    EXPECT_GT(fields->getObject("account_no")->getValue<double>("confidence"), 0.5);
    // Confidence stands on the customer's record the page was filed to, not on OCR's alone.
    EXPECT_EQ(fields->getObject("account_no")->getValue<std::string>("basis"), "record");
    EXPECT_EQ(fields->getObject("account_no")->getValue<double>("confidence"), 1.0);
    EXPECT_GT(fields->getObject("account_no")->getValue<double>("read_confidence"), 0.5);
    EXPECT_FALSE(fields->getObject("account_no")->has("recorded"));
    // The page is as sure as its least sure field.
    double least = 1;
    for (const auto& name : fields->getNames()) least = std::min(least, fields->getObject(name)->getValue<double>("confidence"));
    EXPECT_EQ(applications[0]->getArray("pages")->getObject(0)->getValue<double>("confidence"), least);
    EXPECT_EQ(documentsOf(b.accountNo, "电能计量装置装拆记录").size(), 1u) << "the upside-down 200-dpi page";
    auto contracts = documentsOf(c.accountNo, "高压供用电合同");
    ASSERT_EQ(contracts.size(), 1u);
    auto contractFields = contracts[0]->getArray("pages")->getObject(0)->getObject("fields");
    const auto& printed = pageC.truth.fields;

    // The contract's dates, read, feed contract tracking.
    auto contractList = parseObject(admin_->get("/api/contracts").body)->getArray("contracts");
    bool tracked = false;
    for (std::size_t i = 0; i < contractList->size(); ++i) {
        auto item = contractList->getObject(static_cast<unsigned>(i));
        if (item->getValue<std::string>("account_no") != c.accountNo) continue;
        tracked = true;
        EXPECT_EQ(item->getValue<std::string>("contract_no"), printed.at("contract_no"));
        EXPECT_EQ(item->getValue<std::string>("expires_on"), printed.at("expires_on"));
        EXPECT_EQ(item->getValue<std::string>("source"), "ocr");
    }
    EXPECT_TRUE(tracked) << reply.body;

    // Words on the page find it, with its customer.
    auto found = parseObject(admin_->get("/api/search?q=" + printed.at("contract_no")).body)->getArray("pages");
    ASSERT_GE(found->size(), 1u);
    EXPECT_EQ(found->getObject(0)->getValue<std::string>("account_no"), c.accountNo);

    // The page whose fields disagree waits, with A offered first and the contradiction named.
    auto review = parseObject(admin_->get("/api/review").body)->getArray("pages");
    ASSERT_EQ(review->size(), 1u);
    auto waiting = review->getObject(0);
    EXPECT_EQ(waiting->getValue<std::string>("message"),
              "customer " + a.accountNo + " matches, but name read on the page differ from the record");
    auto first = waiting->getArray("candidates")->getObject(0);
    EXPECT_EQ(first->getValue<std::string>("account_no"), a.accountNo);
    // Only customers something read agrees with are offered, each with what agrees.
    for (std::size_t i = 0; i < waiting->getArray("candidates")->size(); ++i)
        EXPECT_GT(waiting->getArray("candidates")->getObject(static_cast<unsigned>(i))->getArray("agreeing")->size(), 0u);
    EXPECT_EQ(waiting->getObject("reading")->getObject("fields")->getObject("name")->getValue<std::string>("value"), b.name);
    // A person's choice files it and is recorded.
    auto resolved = admin_->postJson("/api/review/" + std::to_string(waiting->getValue<std::int64_t>("id")),
                                     R"({"account_no":")" + a.accountNo + R"(","process":"低压居民新装","doc_type":"用电申请书"})");
    EXPECT_EQ(resolved.status, 201) << resolved.body;

    // A correction: checked, audited, the reading kept.
    auto pageId = std::to_string(contracts[0]->getArray("pages")->getObject(0)->getValue<std::int64_t>("id"));
    EXPECT_EQ(admin_->putJson("/api/pages/" + pageId + "/fields", R"({"signed_on":"2023-02-30"})").status, 400);
    EXPECT_EQ(admin_->putJson("/api/pages/" + pageId + "/fields", R"({"colour":"red"})").status, 400);
    auto staff = signedInAs("counter", {"staff"});
    EXPECT_EQ(staff.putJson("/api/pages/" + pageId + "/fields", R"({"name":"x"})").status, 403);
    auto corrected = admin_->putJson("/api/pages/" + pageId + "/fields", R"({"name":"更正后的户名"})");
    ASSERT_EQ(corrected.status, 200) << corrected.body;
    auto reading = parseObject(admin_->get("/api/pages/" + pageId + "/reading").body);
    EXPECT_EQ(reading->getObject("fields")->getObject("name")->getValue<std::string>("value"), "更正后的户名");
    EXPECT_EQ(reading->getArray("corrections")->getObject(0)->getValue<std::string>("original"),
              contractFields->has("name") ? contractFields->getObject("name")->getValue<std::string>("value") : "");
    auto audit = admin_->get("/api/audit?object_type=page&object_id=" + pageId);
    EXPECT_NE(audit.body.find("page.field.correct"), std::string::npos) << audit.body;
}

// Hyphens are part of values: a contract printed with ISO dates keeps them (every hyphen used to
// be taken for a table ruling, so 2026-12-13 came out as 20261213 and was unreadable).
TEST_F(OcrApi, DatesPrintedWithHyphensAreRead) {
    const auto& c = customers_[0];
    print::SpecimenForm contract{"低压供用电合同",
                                   {{"户号", c.accountNo}, {"户名", c.name}, {"业务类型", "低压居民新装"},
                                    {"签订日期", "2024-12-13"}, {"到期日期", "2029-12-12"}},
                                   {"供电人按国家规定的供电质量标准向用电人供电。"}, ""};
    auto pdf = print::specimenFormPdf({contract}, print::PrintOptions{});
    ASSERT_TRUE(pdf) << pdf.error();
    auto jpeg = damagedScan(renderPdfPages(*pdf, 300).at(0), {.skewDegrees = 0.5, .seed = 3});
    auto reply = admin_->postMultipart("/api/batches", {{"name", "合同"}}, {{"files", "contract.jpg", "image/jpeg", jpeg}});
    ASSERT_EQ(reply.status, 202) << reply.body;
    auto batch = waitForBatch(parseObject(reply.body)->getValue<std::int64_t>("id"));
    ASSERT_TRUE(batch);
    auto contracts = documentsOf(c.accountNo, "低压供用电合同");
    ASSERT_EQ(contracts.size(), 1u) << admin_->get("/api/review").body;
    auto fields = contracts[0]->getArray("pages")->getObject(0)->getObject("fields");
    ASSERT_TRUE(fields->has("signed_on")) << contracts[0]->getArray("pages")->getObject(0)->has("fields");
    EXPECT_EQ(fields->getObject("signed_on")->getValue<std::string>("value"), "2024-12-13");
    ASSERT_TRUE(fields->has("expires_on"));
    EXPECT_EQ(fields->getObject("expires_on")->getValue<std::string>("value"), "2029-12-12");
}

// The reading desk's queue is the table of page readings: a crash in the middle of reading a
// document's pages loses no reading and leaves none half made; the restarted server reads what
// was left, and every page ends with its fields and its words in the search index.
TEST_F(OcrApi, ReadingsCutOffByACrashAreMadeAfterTheRestart) {
    const auto& a = customers_[0];
    std::vector<FilePart> parts;
    std::vector<PaperScan> scans;
    for (unsigned i = 0; i < 8; ++i) {
        scans.push_back(customerPaper(a, PaperOptions{.docType = "用电申请书", .layout = PaperLayout::Inline, .dpi = 200, .seed = 40 + i}));
        parts.push_back({"files", "p" + std::to_string(i) + ".jpg", "image/jpeg", scans.back().jpeg});
    }
    auto filed = fileScan(a.accountNo, "低压居民新装", "用电申请书", parts);
    ASSERT_EQ(filed.status, 201) << filed.body;
    auto documentId = std::to_string(parseObject(filed.body)->getValue<std::int64_t>("id"));

    // The reading queue's counts once `ready` holds of them, or after two minutes.
    auto queueWhen = [&](auto ready) {
        Poco::JSON::Object::Ptr counts;
        for (int i = 0; i < 2400; ++i) {
            counts = parseObject(admin_->get("/api/ocr").body);
            if (ready(*counts)) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return counts;
    };
    // The crash comes while a page's key fields are recorded and its prose is still being read.
    auto atCrash = queueWhen([](const Poco::JSON::Object& q) { return q.getValue<int>("text_to_read") >= 1; });
    server_->kill();
    ASSERT_GE(atCrash->getValue<int>("text_to_read"), 1) << "no page's key fields were recorded within two minutes";
    ASSERT_GE(atCrash->getValue<int>("queued"), 1) << "every page was read before the crash: nothing was cut off";

    server_->start();
    admin_ = std::make_unique<HttpClient>(server_->port());
    admin_->login("admin", kAdminPassword);
    auto after = queueWhen(
        [](const Poco::JSON::Object& q) { return q.getValue<int>("queued") == 0 && q.getValue<int>("text_to_read") == 0; });
    EXPECT_EQ(after->getValue<int>("queued"), 0);
    EXPECT_EQ(after->getValue<int>("text_to_read"), 0);
    EXPECT_EQ(after->getValue<int>("done"), 8);
    EXPECT_EQ(after->getValue<int>("failed"), 0);

    auto pages = parseObject(admin_->get("/api/documents/" + documentId).body)->getArray("pages");
    ASSERT_EQ(pages->size(), 8u);
    for (unsigned i = 0; i < pages->size(); ++i) {
        auto page = pages->getObject(i);
        EXPECT_EQ(page->getValue<std::string>("reading_state"), "done") << "page " << i;
        auto fields = page->getObject("fields");
        ASSERT_TRUE(fields->has("account_no")) << "page " << i;
        EXPECT_EQ(fields->getObject("account_no")->getValue<std::string>("value"), a.accountNo) << "page " << i;
        // The full text holds the prose below the fields, read in the second stage.
        auto reading = parseObject(admin_->get("/api/pages/" + std::to_string(page->getValue<std::int64_t>("id")) + "/reading").body);
        auto text = reading->getValue<std::string>("text");
        EXPECT_TRUE(reading->getValue<bool>("full_text")) << "page " << i;
        int proseFound = 0;
        for (const auto& line : scans[i].truth.prose) proseFound += ocr::containment(text, line) >= 0.9 ? 1 : 0;
        EXPECT_GE(proseFound, 5) << "page " << i << ": " << text;
    }
    // Each page's application number, read after the restart or before it, finds that page.
    for (unsigned i = 0; i < scans.size(); ++i) {
        auto found = parseObject(admin_->get("/api/search?q=" + scans[i].truth.fields.at("application_no")).body)->getArray("pages");
        ASSERT_EQ(found->size(), 1u) << "page " << i;
        EXPECT_EQ(found->getObject(0)->getValue<std::int64_t>("page_id"), pages->getObject(i)->getValue<std::int64_t>("id"));
    }
}

}  // namespace
}  // namespace dangan::testing
