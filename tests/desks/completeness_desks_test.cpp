// Completeness, the audit office and audits without HTTP: expectations against the 48-hour rule
// by the archive's clock, reminders, the quality gates, rectification orders and audit reports.
#include <gtest/gtest.h>

#include <thread>

#include <set>

#include "dangan/desks/audit_runner.h"
#include "dangan/desks/completeness_desk.h"
#include "dangan/desks/office_desk.h"
#include "desk_fixture.h"

namespace dangan::server {
namespace {

class CompletenessDesks : public DeskTest {
protected:
    CompletenessDesks() {
        addCustomer("3300000001", "张伟");
        marketing_ = addUser("yingxiao", {"marketing"});
        staff_ = addUser("zhangsan", {"staff", "archivist"});
        auditor_ = addUser("auditor1", {"auditor"});
    }

    // The marketing system reports 受理 of a new connection, completed an hour ago.
    RecordedStep accept(const std::string& eventId, const std::string& processId) {
        auto recorded = completeness_.record({eventId, "3300000001", processId, "低压居民新装", "受理", "2026-11-23T01:00:00Z", "zhangsan"},
                                             actorOf(marketing_));
        EXPECT_TRUE(recorded) << (recorded ? "" : recorded.error().message);
        return *recorded;
    }

    std::map<std::string, ExpectationState> states() {
        std::map<std::string, ExpectationState> out;
        auto list = completeness_.expectations({.accountNo = "3300000001"});
        EXPECT_TRUE(list);
        for (const auto& e : list->expectations) out[e.expectation.docType] = e.state;
        return out;
    }

    storage::User marketing_, staff_, auditor_;
    CompletenessDesk completeness_{stores_, rules(), calendar()};
    OfficeDesk office_{stores_, *images_};
    print::PrintOptions printing_;
};

TEST_F(CompletenessDesks, ExpectedDocumentsTurnYellowThenRedByTheClockUntilFiled) {
    auto step = accept("E1", "P1");
    ASSERT_EQ(step.expectations.size(), 3u);
    EXPECT_EQ(step.expectations[0].expectation.dueAt, kStart - kHour + 48 * kHour);
    EXPECT_TRUE(accept("E1", "P1").duplicate) << "the same event twice is counted once";

    file("3300000001", "低压居民新装", "用电申请书", staff_, 1);
    EXPECT_EQ(states()["用电申请书"], ExpectationState::Filed);
    EXPECT_EQ(states()["居民身份证复印件"], ExpectationState::Green);

    clock_->set(kStart + 40 * kHour);  // 7 hours left
    EXPECT_EQ(states()["居民身份证复印件"], ExpectationState::Yellow);
    EXPECT_EQ(completeness_.dashboard().totals.yellow, 2);
    EXPECT_EQ(completeness_.expectations({.signal = "yellow"})->expectations.size(), 2u);

    clock_->set(kStart + 50 * kHour);  // overdue
    auto board = completeness_.dashboard();
    EXPECT_EQ(board.totals.red, 2);
    EXPECT_EQ(board.byUnit.at("城东供电所").red, 2);
    file("3300000001", "低压居民新装", "房屋产权证明", staff_, 2);
    EXPECT_EQ(states()["房屋产权证明"], ExpectationState::FiledLate);

    auto mine = completeness_.remindersFor("zhangsan", staff_);
    ASSERT_TRUE(mine);
    ASSERT_EQ(mine->toAdd.size(), 1u);
    EXPECT_TRUE(mine->deadlines.empty()) << "the supply plan's 3 working days after 受理 are not near their end";
    EXPECT_EQ(completeness_.remindersFor("zhangsan", marketing_).error().code, ProblemCode::Forbidden);
    EXPECT_TRUE(completeness_.remindersFor("zhangsan", auditor_));

    EXPECT_EQ(completeness_.expectations({.signal = "purple"}).error().code, ProblemCode::BadRequest);
    EXPECT_EQ(completeness_.expectations({.accountNo = "9999999999"}).error().code, ProblemCode::NotFound);
    EXPECT_EQ(completeness_.contractList("soon").error().code, ProblemCode::BadRequest);
    EXPECT_EQ(completeness_.record({"E2", "3300000001", "P2", "低压居民新装", "受理", "2027-01-01T00:00:00Z", "zhangsan"},
                                   actorOf(marketing_)).error().code,
              ProblemCode::BadRequest) << "a step completed in the future";
}

TEST_F(CompletenessDesks, AnAuditFindsMissingAndLateDocumentsAndPrintsItsReport) {
    AuditRunner audits(*stores_.completeness, *stores_.leases, {"this-node", std::chrono::minutes(1)}, *clock_, printing_);
    EXPECT_EQ(audits.request({{"from", "2026-12-01"}, {"to", "2026-11-01"}}, actorOf(auditor_)).error().code, ProblemCode::BadRequest);
    EXPECT_EQ(audits.request({{"colour", "red"}}, actorOf(auditor_)).error().code, ProblemCode::BadRequest);

    accept("E1", "P1");
    file("3300000001", "低压居民新装", "用电申请书", staff_, 1);
    clock_->set(kStart + 50 * kHour);
    file("3300000001", "低压居民新装", "房屋产权证明", staff_, 2);

    auto id = audits.request({{"unit", "城东供电所"}}, actorOf(auditor_));
    ASSERT_TRUE(id) << id.error().message;
    audits.waitUntilIdle();
    auto record = audits.audit(*id);
    ASSERT_TRUE(record);
    ASSERT_EQ(record->state, "done") << record->error;
    std::set<std::string> found;
    auto findings = audits.findings(*id, 0, 100);
    ASSERT_TRUE(findings);
    for (const auto& f : *findings) found.insert(f.expectation.docType + "/" + f.kind);
    EXPECT_EQ(found, (std::set<std::string>{"居民身份证复印件/missing", "房屋产权证明/late"}));
    EXPECT_EQ(record->filter, (AuditFilter{{"unit", "城东供电所"}}));
    ASSERT_TRUE(record->totals);
    EXPECT_EQ(record->totals->missing, 1);
    EXPECT_EQ(record->totals->late, 1);
    EXPECT_EQ(scopeInWords(record->filter), "供电单位 城东供电所");

    auto report = audits.report(*id, auditor_);
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_TRUE(report->pdf.starts_with("%PDF"));
    EXPECT_EQ(audits.report(*id + 100, auditor_).error().code, ProblemCode::NotFound);
}

// An audit is leased to the node that runs it. A node that dies leaves its audit queued under its
// name; once the lease has run out, another node's runner claims it and finishes it, and the
// runner of the node that lost it leaves it alone.
TEST_F(CompletenessDesks, TheAuditOfANodeThatDiedIsFinishedByAnother) {
    accept("E1", "P1");
    clock_->set(kStart + 50 * kHour);
    const auto lease = std::chrono::milliseconds(400);
    auto left = stores_.completeness->createAudit({{"unit", "城东供电所"}}, clock_->nowMillis(), actorOf(auditor_),
                                                  {"dead-node", lease});
    AuditRunner other(*stores_.completeness, *stores_.leases, {"other-node", lease}, *clock_, printing_);
    other.takeUpWork();
    std::this_thread::sleep_for(3 * lease);
    EXPECT_EQ(stores_.completeness->audit(left)->state, "queued") << "the dead node's lease still runs";

    clock_->set(kStart + 50 * kHour + 2 * lease.count());
    for (int i = 0; i < 100 && stores_.completeness->audit(left)->state != "done"; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto record = stores_.completeness->audit(left);
    ASSERT_EQ(record->state, "done") << record->error;
    ASSERT_TRUE(record->totals);
    EXPECT_GT(record->totals->missing, 0);
    EXPECT_FALSE(stores_.leases->holds(storage::LeasedWork::Audit, left, "dead-node"));

    // The dead node, started again, finds nothing of its own left to do.
    AuditRunner restarted(*stores_.completeness, *stores_.leases, {"dead-node", lease}, *clock_, printing_);
    restarted.takeUpWork();
    restarted.waitUntilIdle();
    EXPECT_EQ(stores_.completeness->findings(left, 0, 100).size(), static_cast<std::size_t>(record->totals->missing))
        << "its findings written once";
}

TEST_F(CompletenessDesks, EachGateHasItsPersonAndOrdersAreSeenByTheirOwners) {
    auto collector = addUser("collector1", {"archivist"});
    auto doc = file("3300000001", "低压居民新装", "用电申请书", staff_, 1);
    EXPECT_EQ(office_.review(doc.id, Gate::Self, true, "", collector).error().code, ProblemCode::Forbidden) << "only the filer self-checks";
    EXPECT_EQ(office_.review(doc.id, Gate::Self, false, "", staff_).error().code, ProblemCode::BadRequest) << "a rejection needs a reason";
    ASSERT_TRUE(office_.review(doc.id, Gate::Self, true, "", staff_));
    EXPECT_EQ(office_.review(doc.id, Gate::Collect, true, "", staff_).error().code, ProblemCode::Forbidden) << "never one's own";
    EXPECT_EQ(office_.review(doc.id, Gate::Collect, true, "", auditor_).error().code, ProblemCode::Forbidden) << "the collector's gate";
    EXPECT_EQ(office_.atGate(GateQueue::Collect, collector).size(), 1u);
    ASSERT_TRUE(office_.review(doc.id, Gate::Collect, true, "", collector));
    EXPECT_EQ(office_.atGate(GateQueue::Collected, auditor_).size(), 1u);
    EXPECT_FALSE(gateQueueNamed("nowhere"));
    EXPECT_EQ(gateNamed("audit"), Gate::Audit);

    auto order = office_.raiseManual("3300000001", "补齐产权证明", "zhangsan", "2026-11-30", actorOf(auditor_));
    ASSERT_TRUE(order) << order.error().message;
    EXPECT_EQ(office_.raiseManual("9999999999", "x", "zhangsan", "2026-11-30", actorOf(auditor_)).error().code, ProblemCode::Unprocessable);
    EXPECT_EQ(office_.rectifications(std::nullopt, std::nullopt, staff_)->size(), 1u) << "the owner sees their order";
    EXPECT_EQ(office_.rectifications(std::nullopt, std::nullopt, collector)->size(), 0u);
    EXPECT_EQ(office_.rectifications(std::nullopt, std::string("zhangsan"), collector).error().code, ProblemCode::Forbidden);
    auto shown = office_.rectification(*order);
    ASSERT_TRUE(shown);
    EXPECT_FALSE(office_.overdue(*shown));
    clock_->set(kStart + 8 * 24 * kHour);
    EXPECT_TRUE(office_.overdue(*shown)) << "past its due date and not closed";
    EXPECT_EQ(office_.thisMonth(), "2026-12");
}

}  // namespace
}  // namespace dangan::server
