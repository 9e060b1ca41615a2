// The paper originals' desks without HTTP: shelving, where-is, stocktakes and lending.
#include <gtest/gtest.h>

#include <algorithm>

#include "dangan/barcode/own_code.h"
#include "dangan/desks/lending_desk.h"
#include "dangan/desks/paper_desk.h"
#include "dangan/desks/stocktake_desk.h"
#include "desk_fixture.h"

namespace dangan::server {
namespace {

using barcode::OwnCodeKind;
using barcode::ownCodeText;

class PaperDesks : public DeskTest {
protected:
    PaperDesks() {
        addCustomer("3300000001", "张伟");
        addCustomer("3300000002", "李娜", "10kV");
    }

    std::string itemOf(const storage::Document& d) { return ownCodeText(OwnCodeKind::Document, std::to_string(d.lineageId)); }
    std::vector<std::string> shelfCodes(const std::vector<storage::Shelf>& shelves) {
        std::vector<std::string> codes;
        for (const auto& s : shelves) codes.push_back(ownCodeText(OwnCodeKind::Location, std::to_string(s.id)));
        return codes;
    }
    std::string boxCode(const storage::Container& box) { return ownCodeText(OwnCodeKind::Box, std::to_string(box.id)); }

    PaperDesk paper_{stores_};
    StocktakeDesk stocktakes_{stores_};
    print::PrintOptions printing_;
    LendingDesk lending_{stores_, paper_, printing_};
};

TEST_F(PaperDesks, ShelvesAreRegisteredOnceAndChecked) {
    auto added = paper_.addShelves({"1号库房", {"01", "02"}, {"A"}, {"1", "2"}, 10, "low"}, actorOf(admin_));
    ASSERT_TRUE(added) << added.error().message;
    EXPECT_EQ(added->size(), 4u);
    EXPECT_EQ(paper_.shelves("1号库房").size(), 4u);

    auto again = paper_.addShelves({"1号库房", {"02", "03"}, {"A"}, {"1"}, 10, "low"}, actorOf(admin_));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ProblemCode::Conflict);
    EXPECT_EQ(paper_.shelves("1号库房").size(), 4u) << "a refused plan adds none of its shelves";

    EXPECT_EQ(paper_.addShelves({"", {"01"}, {"A"}, {"1"}, 10, "low"}, actorOf(admin_)).error().code, ProblemCode::BadRequest);
    EXPECT_EQ(paper_.addShelves({"2号库房", {}, {"A"}, {"1"}, 10, "low"}, actorOf(admin_)).error().code, ProblemCode::BadRequest);
    EXPECT_EQ(paper_.addShelves({"2号库房", {"01"}, {"A"}, {"1"}, 0, "low"}, actorOf(admin_)).error().code, ProblemCode::BadRequest);
    EXPECT_EQ(paper_.addShelves({"2号库房", {"01"}, {"A"}, {"1"}, 10, "middle"}, actorOf(admin_)).error().code,
              ProblemCode::BadRequest);
    EXPECT_EQ(paper_.addBoxes("low", 0, 1, actorOf(admin_)).error().code, ProblemCode::BadRequest);
    EXPECT_EQ(paper_.addBoxes("low", 50, 2, actorOf(admin_))->size(), 2u);
}

TEST_F(PaperDesks, AnItemIsBoxedAndShelvedAndFoundWhereItIs) {
    auto application = file("3300000001", "低压居民新装", "用电申请书", admin_, 1);
    auto shelves = shelfCodes(*paper_.addShelves({"1号库房", {"01"}, {"A"}, {"1"}, 10, "low"}, actorOf(admin_)));
    auto box = boxCode(paper_.addBoxes("low", 50, 1, actorOf(admin_))->at(0));

    auto put = paper_.scan({itemOf(application), box}, actorOf(admin_));
    ASSERT_TRUE(put) << put.error().message;
    ASSERT_TRUE(paper_.scan({box, shelves[0]}, actorOf(admin_)));

    auto where = paper_.whereabouts(itemOf(application));
    ASSERT_TRUE(where) << where.error().message;
    EXPECT_EQ(where->place.container, box);
    EXPECT_EQ(where->place.shelf, shelves[0]);
    EXPECT_FALSE(where->onLoan);
    ASSERT_FALSE(where->history.empty());
    EXPECT_EQ(where->history.front().action, "boxed");
    auto inBox = paper_.whereabouts(box);
    ASSERT_TRUE(inBox);
    EXPECT_EQ(inBox->contents, std::vector<std::string>{itemOf(application)});
    EXPECT_EQ(paper_.whereabouts(shelves[0])->holds, std::vector<std::string>{box});

    auto customer = paper_.customerPaper("3300000001");
    ASSERT_TRUE(customer);
    ASSERT_EQ(customer->originals.size(), 1u);
    EXPECT_EQ(customer->originals[0].place.container, box);
    EXPECT_EQ(paper_.customerPaper("9999999999").error().code, ProblemCode::NotFound);
    EXPECT_EQ(paper_.whereabouts("METER-5100123456789").error().code, ProblemCode::BadRequest);
}

TEST_F(PaperDesks, AStocktakeFindsWhatIsMissingMisplacedAndUnexpected) {
    auto shelves = shelfCodes(*paper_.addShelves({"3号库房", {"1", "2"}, {"A"}, {"1"}, 5, "low"}, actorOf(admin_)));
    auto boxes = *paper_.addBoxes("low", 10, 3, actorOf(admin_));
    ASSERT_TRUE(paper_.scan({boxCode(boxes[0]), shelves[0]}, actorOf(admin_)));
    ASSERT_TRUE(paper_.scan({boxCode(boxes[1]), shelves[0]}, actorOf(admin_)));
    ASSERT_TRUE(paper_.scan({boxCode(boxes[2]), shelves[1]}, actorOf(admin_)));

    EXPECT_EQ(stocktakes_.startRoom("9号库房", actorOf(admin_)).error().code, ProblemCode::NotFound);
    auto id = stocktakes_.startRoom("3号库房", actorOf(admin_));
    ASSERT_TRUE(id);
    // A handheld batch must begin at a shelf's label.
    EXPECT_EQ(stocktakes_.recordBatch(*id, {boxCode(boxes[0])}).error().code, ProblemCode::BadRequest);
    // Shelf 1: box 1 and box 3 (which belongs on shelf 2) and a meter's label; box 2 is nowhere.
    auto read = stocktakes_.recordBatch(*id, {shelves[0], boxCode(boxes[0]), boxCode(boxes[2]), "METER-5100123456789", shelves[1]});
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(read->shelves, 2);
    EXPECT_EQ(read->codes, 3);

    auto view = stocktakes_.report(*id);
    ASSERT_TRUE(view);
    const auto& report = view->report;
    ASSERT_EQ(report.missing.size(), 1u);
    EXPECT_EQ(report.missing[0].code, boxCode(boxes[1]));
    ASSERT_EQ(report.misplaced.size(), 1u);
    EXPECT_EQ(report.misplaced[0].code, boxCode(boxes[2]));
    EXPECT_EQ(report.misplaced[0].belongsOn, shelves[1]);
    ASSERT_EQ(report.unexpected.size(), 1u);
    EXPECT_EQ(report.shelvesRead, 2);

    // A shelf of another room is outside this stocktake.
    auto other = shelfCodes(*paper_.addShelves({"4号库房", {"1"}, {"A"}, {"1"}, 5, "low"}, actorOf(admin_)));
    EXPECT_EQ(stocktakes_.record(*id, {other[0], {}}).error().code, ProblemCode::Conflict);
    EXPECT_EQ(stocktakes_.startRun(shelves[0], "not a shelf", actorOf(admin_)).error().code, ProblemCode::BadRequest);
}

TEST_F(PaperDesks, ALoanIsApprovedByAnotherLentRemindedAndSeenOnlyByItsPeople) {
    auto borrower = addUser("counter1", {"staff"});
    auto stranger = addUser("counter2", {"staff"});
    auto approver = addUser("approver1", {"approver"});
    auto keeper = addUser("keeper1", {"archivist"});
    auto contract = file("3300000001", "低压居民新装", "低压供用电合同", keeper, 2);

    EXPECT_EQ(lending_.request({itemOf(contract)}, "business", "2026-11-01", "", actorOf(borrower)).error().code,
              ProblemCode::BadRequest) << "until in the past";
    EXPECT_EQ(lending_.request({itemOf(contract)}, "fun", "2026-12-01", "", actorOf(borrower)).error().code, ProblemCode::BadRequest);
    auto id = lending_.request({itemOf(contract)}, "business", "2026-12-20", "换表核对", actorOf(borrower));
    ASSERT_TRUE(id) << id.error().message;

    EXPECT_EQ(lending_.loan(*id, stranger).error().code, ProblemCode::NotFound) << "others' loans are not shown";
    EXPECT_TRUE(lending_.loan(*id, borrower));
    EXPECT_TRUE(lending_.loan(*id, keeper));
    EXPECT_EQ(lending_.loans(LoanFilter::All, 100, stranger).size(), 0u);
    EXPECT_EQ(lending_.loans(LoanFilter::Requested, 100, approver).size(), 1u);
    EXPECT_EQ(lending_.slip(*id, keeper).error().code, ProblemCode::Conflict) << "no slip before approval";

    auto own = addUser("approver2", {"approver", "staff"});
    auto ownLoan = lending_.request({itemOf(contract)}, "audit", "2026-12-01", "", actorOf(own));
    ASSERT_TRUE(ownLoan);
    EXPECT_EQ(lending_.decide(*ownLoan, true, "", actorOf(own)).error().code, ProblemCode::Forbidden);

    ASSERT_TRUE(lending_.decide(*id, true, "", actorOf(approver)));
    auto lent = lending_.lend(*id, {itemOf(contract)}, actorOf(keeper));
    ASSERT_TRUE(lent) << lent.error().message;
    EXPECT_EQ(lent->dueOn, "2026-12-08") << "a business loan runs 15 days";
    EXPECT_EQ(lending_.lend(*ownLoan, {itemOf(contract)}, actorOf(keeper)).error().code, ProblemCode::Conflict);
    auto slip = lending_.slip(*id, keeper);
    ASSERT_TRUE(slip);
    EXPECT_TRUE(slip->pdf.starts_with("%PDF"));
    EXPECT_EQ(lending_.overdueNotice(*id, keeper).error().code, ProblemCode::Conflict) << "not overdue yet";

    // Eight days past due: the second reminder level, and the notice is recorded.
    clock_->set(kStart + (15 + 8) * 24 * kHour);
    auto view = lending_.loan(*id, borrower);
    ASSERT_TRUE(view);
    EXPECT_EQ(view->overdueDays, 8);
    EXPECT_EQ(view->reminderLevel, 2);
    EXPECT_EQ(lending_.loans(LoanFilter::Overdue, 100, keeper).size(), 1u);
    auto notice = lending_.overdueNotice(*id, keeper);
    ASSERT_TRUE(notice);
    EXPECT_TRUE(notice->pdf.starts_with("%PDF"));
    storage::AuditQuery q;
    q.objectType = "loan";
    q.objectId = std::to_string(*id);
    auto log = stores_.audit->list(q);
    EXPECT_EQ(std::count_if(log.begin(), log.end(), [](const storage::AuditEntry& e) { return e.action == "loan.remind"; }), 1);
}

}  // namespace
}  // namespace dangan::server
