// The paper originals through the HTTP API of a real server: shelving by scanning two codes, the
// whole lending cycle, two desks lending the same item at once, and a stocktake with planted
// misplacements.
#include <gtest/gtest.h>

#include <atomic>
#include <ctime>
#include <fstream>
#include <thread>

#include "api_test_fixture.h"
#include "dangan/barcode/own_code.h"

namespace dangan::testing {
namespace {

using barcode::OwnCodeKind;

std::string code(OwnCodeKind kind, const std::string& field) { return barcode::encodeOwnCode({kind, {field}}).value(); }
std::string codeOf(OwnCodeKind kind, std::int64_t id) { return code(kind, std::to_string(id)); }

// The local date `days` from today, as YYYY-MM-DD.
std::string inDays(int days) {
    std::time_t t = std::time(nullptr) + static_cast<std::time_t>(days) * 86400;
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", std::localtime(&t));
    return text;
}

std::string jsonList(const std::vector<std::string>& items) {
    std::string out = "[";
    for (const auto& i : items) out += (out.size() > 1 ? "," : "") + ("\"" + i + "\"");
    return out + "]";
}

class PaperApi : public ApiTest {
protected:
    void SetUp() override {
        ApiTest::SetUp();
        importCustomers(R"([{"account_no":"3300000001","name":"张伟","voltage":"0.4kV"},
                            {"account_no":"3300000002","name":"福州市闽江建材有限公司","voltage":"10kV"}])");
    }

    // Files a one-page document; returns its item code.
    std::string item(const std::string& accountNo, const std::string& docType, unsigned seed) {
        auto reply = fileScan(accountNo, "低压居民新装", docType, {jpegPart("p.jpg", seed)});
        EXPECT_EQ(reply.status, 201) << reply.body;
        return codeOf(OwnCodeKind::Document, parseObject(reply.body)->getValue<std::int64_t>("id"));
    }

    // Shelves of one room; returns their codes in order.
    std::vector<std::string> shelves(const std::string& room, const std::vector<std::string>& levels, int capacity,
                                     const std::string& area) {
        auto reply = admin_->postJson("/api/shelves", R"({"room":")" + room + R"(","racks":["01"],"faces":["A"],"levels":)" +
                                                          jsonList(levels) + R"(,"capacity":)" + std::to_string(capacity) +
                                                          R"(,"voltage_area":")" + area + "\"}");
        EXPECT_EQ(reply.status, 201) << reply.body;
        std::vector<std::string> codes;
        auto list = parseObject(reply.body)->getArray("shelves");
        for (std::size_t i = 0; i < list->size(); ++i) codes.push_back(list->getObject(static_cast<unsigned>(i))->getValue<std::string>("code"));
        return codes;
    }

    std::vector<std::string> boxes(const std::string& area, int capacity, int count) {
        auto reply = admin_->postJson("/api/boxes", R"({"voltage_area":")" + area + R"(","capacity":)" + std::to_string(capacity) +
                                                        R"(,"count":)" + std::to_string(count) + "}");
        EXPECT_EQ(reply.status, 201) << reply.body;
        std::vector<std::string> codes;
        auto list = parseObject(reply.body)->getArray("boxes");
        for (std::size_t i = 0; i < list->size(); ++i) codes.push_back(list->getObject(static_cast<unsigned>(i))->getValue<std::string>("code"));
        return codes;
    }

    HttpReply scan(const std::vector<std::string>& codes) {
        return admin_->postJson("/api/shelving/scan", R"({"codes":)" + jsonList(codes) + "}");
    }

    std::int64_t requestLoan(HttpClient& client, const std::vector<std::string>& items, const std::string& purpose) {
        auto reply = client.postJson("/api/loans", R"({"items":)" + jsonList(items) + R"(,"purpose":")" + purpose +
                                                       R"(","until":")" + inDays(200) + R"(","note":"供电合同纠纷，法院调取原件"})");
        EXPECT_EQ(reply.status, 201) << reply.body;
        return reply.status == 201 ? parseObject(reply.body)->getValue<std::int64_t>("id") : 0;
    }

    std::string loanPath(std::int64_t id, const std::string& action = "") {
        return "/api/loans/" + std::to_string(id) + (action.empty() ? "" : "/" + action);
    }
};

TEST_F(PaperApi, ShelvingFillsABoxInArchiveOrderAndProposesTheNext) {
    auto a1 = item("3300000001", "用电申请书", 1), a2 = item("3300000001", "居民身份证复印件", 2);
    auto a3 = item("3300000001", "房屋产权证明", 3), h1 = item("3300000002", "用电申请书", 4);
    auto low = shelves("1号库房", {"1", "2"}, 2, "low");
    auto high = shelves("2号库房", {"1"}, 2, "high");
    auto box = boxes("low", 2, 1).at(0);

    // One code: where it is, and where it should go.
    auto reply = scan({a1});
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(parseObject(reply.body)->getValue<std::string>("proposal"), box);

    ASSERT_EQ(scan({a1, box}).status, 200);
    reply = scan({a2, box});
    ASSERT_EQ(reply.status, 200) << reply.body;
    auto answer = parseObject(reply.body);
    auto next = answer->getValue<std::string>("next_box");  // the box filled up: the next one is proposed
    EXPECT_NE(next, box);
    EXPECT_NE(answer->getValue<std::string>("message").find("已装满"), std::string::npos) << reply.body;

    // A full box, the wrong voltage area, an item placed twice: refused, saying where it belongs.
    reply = scan({a3, box});
    EXPECT_EQ(reply.status, 409);
    EXPECT_NE(reply.body.find(next), std::string::npos) << reply.body;
    reply = scan({h1, next});
    EXPECT_EQ(reply.status, 409);
    EXPECT_NE(reply.body.find("高压"), std::string::npos) << reply.body;
    reply = scan({a1, next});
    EXPECT_EQ(reply.status, 409);
    EXPECT_NE(reply.body.find(box), std::string::npos) << reply.body;
    EXPECT_EQ(scan({a3, next}).status, 200);

    // Boxes onto shelves: only in their voltage area.
    reply = scan({box, high.at(0)});
    EXPECT_EQ(reply.status, 409);
    EXPECT_NE(reply.body.find(low.at(0)), std::string::npos) << reply.body;
    reply = scan({box, low.at(0)});
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(parseObject(reply.body)->getObject("place")->getValue<int>("position"), 1);
    EXPECT_EQ(scan({"METER:5100123456789", box}).status, 400);  // a foreign code
    EXPECT_EQ(scan({box, a1}).status, 400);                    // a box into an item
    EXPECT_EQ(scan({code(OwnCodeKind::Document, "ABC")}).status, 404);  // well-formed, names nothing

    // Where is it: the item in its box on its shelf, with its history.
    reply = admin_->get("/api/paper/" + a1);
    ASSERT_EQ(reply.status, 200) << reply.body;
    auto where = parseObject(reply.body);
    auto place = where->getObject("place");
    EXPECT_EQ(place->getValue<std::string>("container"), box);
    EXPECT_EQ(place->getValue<std::string>("shelf"), low.at(0));
    EXPECT_NE(place->getValue<std::string>("text").find("1号库房"), std::string::npos);
    EXPECT_EQ(where->getArray("history")->getObject(0)->getValue<std::string>("action"), "boxed");
    auto customer = parseObject(admin_->get("/api/customers/3300000001/paper").body);
    EXPECT_EQ(customer->getArray("items")->size(), 3u);
    // The counter's e-file says where each original is kept.
    auto documents = efile("3300000001")->getArray("categories")->getObject(0)->getArray("documents");
    std::map<std::string, std::string> kept;
    for (std::size_t i = 0; i < documents->size(); ++i)
        kept[documents->getObject(static_cast<unsigned>(i))->getValue<std::string>("paper_code")] =
            documents->getObject(static_cast<unsigned>(i))->getValue<std::string>("paper_place");
    EXPECT_NE(kept[a1].find(box), std::string::npos) << kept[a1];
    EXPECT_NE(kept[a1].find("1号库房"), std::string::npos) << kept[a1];
    EXPECT_NE(kept[a3].find(next), std::string::npos) << kept[a3];

    // Labels for the boxes and the shelves.
    auto labels = admin_->get("/api/print/labels?boxes=" + barcode::parseOwnCode(box)->fields[0] + "," + barcode::parseOwnCode(next)->fields[0]);
    EXPECT_EQ(labels.status, 200) << labels.body;
    EXPECT_EQ(admin_->get("/api/print/labels?shelves=1,2,3").status, 200);
    EXPECT_EQ(admin_->get("/api/print/labels?shelves=99").status, 404);
    // Staff may look, not shelve.
    auto staff = signedInAs("counter1", {"staff"});
    EXPECT_EQ(staff.postJson("/api/shelving/scan", R"({"codes":[")" + a1 + "\"]}").status, 403);
    EXPECT_EQ(staff.get("/api/paper/" + a1).status, 200);
}

TEST_F(PaperApi, TheWholeLendingCycle) {
    auto a1 = item("3300000001", "用电申请书", 1);
    auto staff = signedInAs("counter1", {"staff"});
    auto approver = signedInAs("approver1", {"approver"});

    auto loan = requestLoan(staff, {a1}, "other");
    ASSERT_GT(loan, 0);
    EXPECT_EQ(staff.postJson(loanPath(loan, "approve"), "{}").status, 403);  // staff cannot approve
    // Separation of duties: an approver cannot approve their own request.
    auto own = requestLoan(approver, {a1}, "audit");
    auto self = approver.postJson(loanPath(own, "approve"), "{}");
    EXPECT_EQ(self.status, 403);
    EXPECT_NE(self.body.find("separation of duties"), std::string::npos) << self.body;
    // Lending before approval is refused.
    EXPECT_EQ(admin_->postJson(loanPath(loan, "lend"), R"({"items":[")" + a1 + "\"]}").status, 409);
    auto approved = approver.postJson(loanPath(loan, "approve"), "{}");
    ASSERT_EQ(approved.status, 200) << approved.body;
    EXPECT_EQ(parseObject(approved.body)->getValue<std::string>("approved_by"), "approver1");

    auto lent = admin_->postJson(loanPath(loan, "lend"), R"({"items":[")" + a1 + "\"]}");
    ASSERT_EQ(lent.status, 200) << lent.body;
    auto lentLoan = parseObject(lent.body);
    EXPECT_EQ(lentLoan->getValue<std::string>("state"), "lent");
    auto due = lentLoan->getValue<std::string>("due_on");
    EXPECT_EQ(due.size(), 10u);

    // While it is out, the e-file says so, and nobody else can have it.
    auto file = efile("3300000001");
    auto doc = file->getArray("categories")->getObject(0)->getArray("documents")->getObject(0);
    ASSERT_FALSE(doc->isNull("paper_on_loan"));
    EXPECT_EQ(doc->getObject("paper_on_loan")->getValue<std::int64_t>("loan_id"), loan);
    // The document by itself says the same (the quality review and contract screens open it so).
    auto single = admin_->get("/api/documents/" + std::to_string(doc->getValue<std::int64_t>("id")));
    ASSERT_EQ(single.status, 200) << single.body;
    auto alone = parseObject(single.body);
    EXPECT_EQ(alone->getValue<std::string>("paper_code"), doc->getValue<std::string>("paper_code"));
    ASSERT_FALSE(alone->isNull("paper_on_loan"));
    EXPECT_EQ(alone->getObject("paper_on_loan")->getValue<std::int64_t>("loan_id"), loan);
    EXPECT_TRUE(alone->getArray("pages")->getObject(0)->has("fields"));
    EXPECT_TRUE(alone->getArray("pages")->getObject(0)->has("reading_state"));
    auto second = requestLoan(staff, {a1}, "business");
    ASSERT_EQ(approver.postJson(loanPath(second, "approve"), "{}").status, 200);
    auto twice = admin_->postJson(loanPath(second, "lend"), R"({"items":[")" + a1 + "\"]}");
    EXPECT_EQ(twice.status, 409);
    EXPECT_NE(twice.body.find("already out on loan " + std::to_string(loan)), std::string::npos) << twice.body;

    // Renewal: once for this purpose, then refused.
    auto renewed = admin_->postJson(loanPath(loan, "renew"), "{}");
    ASSERT_EQ(renewed.status, 200) << renewed.body;
    EXPECT_GT(parseObject(renewed.body)->getValue<std::string>("due_on"), due);
    auto again = admin_->postJson(loanPath(loan, "renew"), "{}");
    EXPECT_EQ(again.status, 409);
    EXPECT_NE(again.body.find("the most its purpose allows"), std::string::npos) << again.body;

    // The slip prints; the item must come back whole.
    auto slip = admin_->get(loanPath(loan, "slip"));
    EXPECT_EQ(slip.status, 200);
    ASSERT_TRUE(slip.body.starts_with("%PDF-"));
    {
        auto file = dir_.path() / "slip.pdf";
        std::ofstream(file, std::ios::binary) << slip.body;
        auto text = runCommand({"pdftotext", "-enc", "UTF-8", file.string(), "-"});
        EXPECT_NE(text.output.find("档案借阅单"), std::string::npos) << text.output;
        EXPECT_NE(text.output.find("其他"), std::string::npos) << text.output;
        EXPECT_NE(text.output.find("用电申请书"), std::string::npos) << text.output;
    }
    EXPECT_EQ(admin_->get(loanPath(loan, "overdue-notice")).status, 409);  // not overdue
    auto incomplete = admin_->postJson(loanPath(loan, "return"), R"({"items":[{"code":")" + a1 + R"(","pages":0}]})");
    EXPECT_EQ(incomplete.status, 409);
    EXPECT_NE(incomplete.body.find("0 of its 1 pages"), std::string::npos) << incomplete.body;
    EXPECT_EQ(parseObject(admin_->get(loanPath(loan)).body)->getValue<std::string>("state"), "lent");
    auto back = admin_->postJson(loanPath(loan, "return"), R"({"items":[{"code":")" + a1 + R"(","pages":1,"damage":"右下角折损"}]})");
    ASSERT_EQ(back.status, 200) << back.body;
    auto closed = parseObject(back.body);
    EXPECT_EQ(closed->getValue<std::string>("state"), "closed");
    EXPECT_EQ(closed->getArray("items")->getObject(0)->getValue<std::string>("damage"), "右下角折损");
    EXPECT_TRUE(efile("3300000001")->getArray("categories")->getObject(0)->getArray("documents")->getObject(0)->isNull("paper_on_loan"));

    // Back on the shelf, it can go out on the other loan; the requester sees only their own loans.
    EXPECT_EQ(admin_->postJson(loanPath(second, "lend"), R"({"items":[")" + a1 + "\"]}").status, 200);
    auto lost = admin_->postJson(loanPath(second, "lost"), R"({"items":[")" + a1 + R"("],"note":"借阅人报告遗失"})");
    ASSERT_EQ(lost.status, 200) << lost.body;
    EXPECT_EQ(parseObject(lost.body)->getArray("items")->getObject(0)->getValue<std::string>("state"), "lost");
    auto mine = parseObject(staff.get("/api/loans").body)->getArray("loans");
    EXPECT_EQ(mine->size(), 2u);
    EXPECT_EQ(approver.get(loanPath(loan)).status, 200);
    auto history = parseObject(admin_->get("/api/paper/" + a1).body)->getArray("history");
    EXPECT_EQ(history->getObject(0)->getValue<std::string>("action"), "lost");

    // Bad requests are named.
    EXPECT_EQ(staff.postJson("/api/loans", R"({"items":[")" + a1 + R"("],"purpose":"fun","until":")" + inDays(30) + "\"}").status, 400);
    EXPECT_EQ(staff.postJson("/api/loans", R"({"items":[")" + a1 + R"("],"purpose":"other","until":"2026-02-30"})").status, 400);
    EXPECT_EQ(staff.postJson("/api/loans", R"({"items":["DGX-1"],"purpose":"other","until":")" + inDays(30) + "\"}").status, 400);
    EXPECT_EQ(staff.postJson("/api/loans", R"({"items":[")" + a1 + R"("],"purpose":"other","until":")" + inDays(400) + "\"}").status, 400);
}

TEST_F(PaperApi, TwoDesksLendingTheSameItemAtOnceOneWins) {
    auto a1 = item("3300000001", "用电申请书", 1);
    auto approver = signedInAs("approver1", {"approver"});
    std::vector<std::int64_t> loans;
    for (int i = 0; i < 2; ++i) {
        loans.push_back(requestLoan(*admin_, {a1}, "judicial"));
        ASSERT_EQ(approver.postJson(loanPath(loans.back(), "approve"), "{}").status, 200);
    }
    std::atomic<int> ok{0}, refused{0};
    std::vector<std::thread> desks;
    for (int i = 0; i < 2; ++i)
        desks.emplace_back([&, i] {
            HttpClient desk(server_->port());
            desk.login("admin", kAdminPassword);
            auto reply = desk.postJson(loanPath(loans[static_cast<std::size_t>(i)], "lend"), R"({"items":[")" + a1 + "\"]}");
            if (reply.status == 200) ++ok;
            else if (reply.status == 409) ++refused;
        });
    for (auto& d : desks) d.join();
    EXPECT_EQ(ok.load(), 1);
    EXPECT_EQ(refused.load(), 1);
}

TEST_F(PaperApi, AStocktakeFindsPlantedMisplacements) {
    auto s = shelves("3号库房", {"1", "2", "3"}, 3, "low");
    auto b = boxes("low", 10, 5);
    // Records: shelf 1 holds b1 b2, shelf 2 holds b3 b4, shelf 3 holds b5 and the customer's volume.
    for (auto [box, shelf] : std::vector<std::pair<std::size_t, std::size_t>>{{0, 0}, {1, 0}, {2, 1}, {3, 1}, {4, 2}})
        ASSERT_EQ(scan({b[box], s[shelf]}).status, 200);
    auto volume = code(OwnCodeKind::Volume, "3300000001");
    auto inVolume = item("3300000001", "用电申请书", 9);
    ASSERT_EQ(scan({inVolume, volume}).status, 200);
    ASSERT_EQ(scan({volume, s[2]}).status, 200);
    // The volume goes out on loan.
    auto approver = signedInAs("approver1", {"approver"});
    auto loan = requestLoan(*admin_, {volume}, "judicial");
    ASSERT_EQ(approver.postJson(loanPath(loan, "approve"), "{}").status, 200);
    ASSERT_EQ(admin_->postJson(loanPath(loan, "lend"), R"({"items":[")" + volume + "\"]}").status, 200);

    // An item kept in that volume is out with it: it cannot go out on a loan of its own, and
    // nothing goes into the volume while it is away.
    auto second = requestLoan(*admin_, {inVolume}, "audit");
    ASSERT_EQ(approver.postJson(loanPath(second, "approve"), "{}").status, 200);
    auto refused = admin_->postJson(loanPath(second, "lend"), R"({"items":[")" + inVolume + "\"]}");
    EXPECT_EQ(refused.status, 409);
    EXPECT_NE(refused.body.find("its volume " + volume + " is out on loan " + std::to_string(loan)), std::string::npos) << refused.body;
    auto another = item("3300000001", "居民身份证复印件", 10);
    EXPECT_EQ(scan({another, volume}).status, 409);
    EXPECT_FALSE(efile("3300000001")->isNull("volume_on_loan"));

    auto started = admin_->postJson("/api/stocktakes", R"({"room":"3号库房"})");
    ASSERT_EQ(started.status, 201) << started.body;
    auto id = std::to_string(parseObject(started.body)->getValue<std::int64_t>("id"));
    // Shelf 1: b1, b4 (belongs on shelf 2), a meter's label. Shelf 2: b3. b2 is nowhere.
    auto r = admin_->postJson("/api/stocktakes/" + id + "/reads",
                              R"({"shelf":")" + s[0] + R"(","codes":)" + jsonList({b[0], b[3], "METER-5100123456789"}) + "}");
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(admin_->postJson("/api/stocktakes/" + id + "/reads", R"({"shelf":")" + s[1] + R"(","codes":)" + jsonList({b[2]}) + "}").status, 200);
    // Shelf 3 from a handheld scanner's batch: the shelf label first, then what stands on it.
    auto batch = admin_->send("POST", "/api/stocktakes/" + id + "/reads", s[2] + "\r\n" + b[4] + "\r\n", "text/plain");
    ASSERT_EQ(batch.status, 200) << batch.body;

    auto reply = admin_->get("/api/stocktakes/" + id);
    ASSERT_EQ(reply.status, 200) << reply.body;
    auto report = parseObject(reply.body);
    auto codes = [&](const std::string& list) {
        std::vector<std::string> found;
        auto a = report->getArray(list);
        for (std::size_t i = 0; i < a->size(); ++i) found.push_back(a->getObject(static_cast<unsigned>(i))->getValue<std::string>("code"));
        return found;
    };
    EXPECT_EQ(codes("missing"), std::vector<std::string>{b[1]});
    EXPECT_EQ(codes("misplaced"), std::vector<std::string>{b[3]});
    EXPECT_EQ(report->getArray("misplaced")->getObject(0)->getValue<std::string>("belongs_on"), s[1]);
    EXPECT_EQ(report->getArray("misplaced")->getObject(0)->getValue<std::string>("found_on"), s[0]);
    EXPECT_EQ(codes("unexpected"), std::vector<std::string>{"METER-5100123456789"});
    EXPECT_EQ(codes("on_loan"), std::vector<std::string>{volume});
    EXPECT_EQ(report->getValue<int>("expected"), 6);
    EXPECT_EQ(report->getValue<int>("shelves_read"), 3);
    // A shelf outside the stocktake is refused.
    auto other = shelves("4号库房", {"1"}, 3, "low");
    EXPECT_EQ(admin_->postJson("/api/stocktakes/" + id + "/reads", R"({"shelf":")" + other[0] + R"(","codes":[]})").status, 409);
}

}  // namespace
}  // namespace dangan::testing
