// Process control without HTTP (档案管节点、节点控流程): service time limits counted in working
// days, the process board by unit, process type and team, 业扩时限预警, the 流程时限 score,
// waivers by two people and cancelled processes.
#include <gtest/gtest.h>

#include <set>

#include "dangan/desks/audit_runner.h"
#include "dangan/desks/calendar.h"
#include "dangan/desks/completeness_desk.h"
#include "dangan/desks/office_desk.h"
#include "desk_fixture.h"

namespace dangan::server {
namespace {

class ProcessControl : public DeskTest {
protected:
    ProcessControl() {
        addCustomer("3300000001", "金桥机械制造有限公司");
        marketing_ = addUser("yingxiao", {"marketing"});
        staff_ = addUser("wangwu", {"staff"});
        storage::UserChange team;
        team.unit = "城东供电所";
        team.team = "营业一班";
        staff_ = *stores_.users->change(staff_.id, team, {std::nullopt, "test"});
        collector_ = addUser("collector1", {"archivist"});
        auditor_ = addUser("auditor1", {"auditor"});
    }

    Outcome<RecordedStep> report(const std::string& eventId, const std::string& processId, const std::string& process,
                                 const std::string& step, const std::string& at) {
        return completeness_.record({eventId, "3300000001", processId, process, step, at, "wangwu"}, actorOf(marketing_));
    }

    std::int64_t china(const std::string& date, int hour) { return dayStart(date) + hour * kHour; }

    storage::User marketing_, staff_, collector_, auditor_;
    CompletenessDesk completeness_{stores_, rules(), calendar()};
    OfficeDesk office_{stores_, *images_};
};

TEST_F(ProcessControl, ATimeLimitRunsInWorkingDaysAndColoursTheProcessBoardAndTheScore) {
    // 受理 on Monday 2026-11-23 at 10:00: the supply plan of a low-voltage non-resident is due
    // within 8 working days (Tue 24 … Thu 3 December), yellow when 2 remain.
    ASSERT_TRUE(report("E1", "P9", "低压非居民新装", "受理", "2026-11-23T02:00:00Z"));
    auto view = completeness_.process("P9");
    ASSERT_TRUE(view) << view.error().message;
    EXPECT_EQ(view->state, "in_flight");
    EXPECT_EQ(view->signal, Signal::Green);
    const ProcessStepView* plan = nullptr;
    for (const auto& s : view->steps)
        if (s.step == "供电方案答复") plan = &s;
    ASSERT_TRUE(plan && plan->limit);
    EXPECT_EQ(plan->limit->dueAt, dayStart("2026-12-04"));
    EXPECT_EQ(plan->limit->yellowAt, dayStart("2026-12-02"));
    EXPECT_EQ(plan->limit->team, "营业一班");

    auto board = completeness_.processBoard();
    EXPECT_EQ(board.totals.green, 1);
    EXPECT_EQ(board.byTeam.at("城东供电所/营业一班").green, 1);
    EXPECT_EQ(board.byProcess.at("低压非居民新装").green, 1);
    EXPECT_TRUE(completeness_.reminders("wangwu", completeness_.now(), 50).deadlines.empty());

    EXPECT_EQ(completeness_.timeLimits({}, "green")->size(), 1u);
    clock_->set(china("2026-12-02", 9));
    EXPECT_EQ(completeness_.processBoard().totals.yellow, 1);
    EXPECT_EQ(completeness_.timeLimits({}, "yellow")->size(), 1u);
    auto warned = completeness_.reminders("wangwu", completeness_.now(), 50).deadlines;
    ASSERT_EQ(warned.size(), 1u) << "业扩时限预警 lists the process";
    EXPECT_EQ(warned[0].applicationNo, "P9");
    EXPECT_EQ(clockStateOf(warned[0], completeness_.now()), ClockState::Yellow);

    clock_->set(china("2026-12-04", 9));
    EXPECT_EQ(completeness_.processBoard().byUnit.at("城东供电所").red, 1);
    EXPECT_EQ(completeness_.timeLimits({}, "red")->size(), 1u);
    EXPECT_TRUE(completeness_.timeLimits({}, "yellow")->empty()) << "each signal exactly: red is not yellow";
    EXPECT_TRUE(completeness_.timeLimits({}, "green")->empty());
    EXPECT_EQ(completeness_.timeLimits({}, "blue").error().code, ProblemCode::BadRequest);
    EXPECT_EQ(completeness_.process("P9")->signal, Signal::Red);

    ASSERT_TRUE(report("E2", "P9", "低压非居民新装", "供电方案答复", "2026-12-04T01:00:00Z"));
    EXPECT_EQ(completeness_.processBoard().totals.red + completeness_.processBoard().totals.green, 0)
        << "the step is done: nothing runs";
    auto done = completeness_.process("P9");  // held: the loop reads its steps
    ASSERT_TRUE(done);
    for (const auto& s : done->steps) {
        if (s.step == "供电方案答复") {
            EXPECT_EQ(s.limitState, ClockState::Late);
        }
    }

    // 流程时限 in December's scores: one timed step, not within its limit.
    auto scores = office_.scores("2026-12", ScoreBy::Team, ScoreWeights{});
    ASSERT_TRUE(scores);
    ASSERT_EQ(scores->size(), 1u);
    EXPECT_EQ((*scores)[0].name, "城东供电所/营业一班");
    EXPECT_EQ((*scores)[0].tally.timedSteps, 1);
    EXPECT_EQ((*scores)[0].tally.timedInTime, 0);
    EXPECT_DOUBLE_EQ((*scores)[0].deadlines, 0.0);
}

TEST_F(ProcessControl, AWaiverNeedsTwoPeopleAndLeavesBoardRemindersAndGateButNotTheAudit) {
    auto step = report("E1", "P1", "低压居民新装", "受理", "2026-11-23T01:00:00Z");
    ASSERT_TRUE(step);
    std::int64_t deed = 0;
    for (const auto& e : step->expectations)
        if (e.expectation.docType == "房屋产权证明") deed = e.expectation.id;
    ASSERT_NE(deed, 0);

    auto proposed = completeness_.proposeWaiver(deed, "客户为承租人，产权证明由出租方另行提供", actorOf(collector_));
    ASSERT_TRUE(proposed) << proposed.error().message;
    EXPECT_EQ(proposed->state, ExpectationState::Green) << "proposed is not yet waived";
    EXPECT_EQ(completeness_.waivers().proposed.size(), 1u);
    EXPECT_EQ(completeness_.proposeWaiver(deed, "again", actorOf(collector_)).error().code, ProblemCode::Conflict);
    EXPECT_EQ(completeness_.proposeWaiver(deed + 1000, "x", actorOf(collector_)).error().code, ProblemCode::NotFound);
    EXPECT_EQ(completeness_.proposeWaiver(deed, "", actorOf(collector_)).error().code, ProblemCode::BadRequest);
    EXPECT_EQ(completeness_.decideWaiver(deed, true, "", actorOf(collector_)).error().code, ProblemCode::Forbidden)
        << "nobody confirms their own waiver";
    EXPECT_EQ(completeness_.decideWaiver(deed, false, "", actorOf(auditor_)).error().code, ProblemCode::BadRequest)
        << "turning it down needs a reason";
    auto waived = completeness_.decideWaiver(deed, true, "租赁合同已核", actorOf(auditor_));
    ASSERT_TRUE(waived) << waived.error().message;
    EXPECT_EQ(waived->state, ExpectationState::Waived);
    EXPECT_EQ(waived->expectation.waivedBy, "auditor1");
    EXPECT_TRUE(completeness_.waivers().proposed.empty());

    EXPECT_EQ(completeness_.dashboard().totals.green, 2) << "the waived document left the board";
    EXPECT_EQ(completeness_.reminders("wangwu", completeness_.now(), 50).toAdd.size(), 2u);
    auto gate = completeness_.gate("P1", "受理", actorOf(marketing_));
    ASSERT_TRUE(gate);
    std::set<std::string> missing;
    for (const auto& m : gate->missing) missing.insert(m.docType);
    EXPECT_EQ(missing, (std::set<std::string>{"用电申请书", "居民身份证复印件"}));

    // Filing the document later does not undo the waiver.
    file("3300000001", "低压居民新装", "房屋产权证明", collector_, 3);
    EXPECT_EQ(stateOf(*stores_.completeness->expectation(deed), completeness_.now()), ExpectationState::Waived);

    clock_->set(kStart + 60 * kHour);
    print::PrintOptions printing;
    AuditRunner audits(*stores_.completeness, *stores_.leases, {"this-node", std::chrono::minutes(1)}, *clock_, printing);
    auto id = audits.request({}, actorOf(auditor_));
    ASSERT_TRUE(id);
    audits.waitUntilIdle();
    auto record = audits.audit(*id);
    ASSERT_TRUE(record && record->totals);
    EXPECT_EQ(record->totals->waived, 1);
    EXPECT_EQ(record->totals->expected, 2);
    EXPECT_EQ(record->totals->missing, 2);
    std::set<std::string> kinds;
    auto findings = audits.findings(*id, 0, 10);
    ASSERT_TRUE(findings);
    for (const auto& f : *findings) kinds.insert(f.expectation.docType + "/" + f.kind);
    EXPECT_EQ(kinds, (std::set<std::string>{"用电申请书/missing", "居民身份证复印件/missing", "房屋产权证明/waived"}))
        << "an audit shows what was waived, never silently";
}

TEST_F(ProcessControl, ACancelledProcessWaivesWhatItStillExpectsAndStopsItsTimeLimits) {
    ASSERT_TRUE(report("E1", "P2", "低压非居民新装", "受理", "2026-11-23T02:00:00Z"));
    EXPECT_EQ(completeness_.processBoard().totals.green, 1);
    auto cancelled = report("E2", "P2", "低压非居民新装", "撤销", "2026-11-24T02:00:00Z");
    ASSERT_TRUE(cancelled) << cancelled.error().message;
    auto view = completeness_.process("P2");
    ASSERT_TRUE(view);
    EXPECT_EQ(view->state, "cancelled");
    for (const auto& s : view->steps) {
        for (const auto& d : s.documents) EXPECT_EQ(d.state, ExpectationState::Waived) << d.expectation.docType;
        if (s.limit) {
            EXPECT_EQ(s.limitState, ClockState::Cancelled);
        }
    }
    EXPECT_EQ(completeness_.processBoard().totals.green, 0);
    EXPECT_EQ(completeness_.dashboard().totals.green, 0);
    EXPECT_TRUE(completeness_.reminders("wangwu", completeness_.now(), 50).toAdd.empty());
    EXPECT_EQ(completeness_.cancel("P2", "重复撤销", actorOf(auditor_)).error().code, ProblemCode::Conflict);

    // By hand, when the marketing system cannot say so.
    ASSERT_TRUE(report("E3", "P3", "低压居民新装", "受理", "2026-11-23T02:00:00Z"));
    EXPECT_EQ(completeness_.cancel("P3", "", actorOf(auditor_)).error().code, ProblemCode::BadRequest);
    auto byHand = completeness_.cancel("P3", "客户书面申请撤销", actorOf(auditor_));
    ASSERT_TRUE(byHand) << byHand.error().message;
    EXPECT_EQ(*byHand, 3);
    EXPECT_EQ(completeness_.process("P3")->state, "cancelled");
}

TEST_F(ProcessControl, ANewCalendarYearRetimesTheRunningLimits) {
    // 受理 on Wednesday 2026-12-30: 20 working days of 高压新装 run into 2027, which the shipped
    // calendar does not know (weekdays only) until an admin installs its holidays.
    clock_->set(dayStart("2026-12-30") + 12 * kHour);
    ASSERT_TRUE(completeness_.record({"E1", "3300000001", "P4", "高压新装", "受理", "2026-12-30T02:00:00Z", "wangwu"},
                                     actorOf(marketing_)));
    auto before = completeness_.process("P4");
    std::int64_t due = 0;
    for (const auto& s : before->steps)
        if (s.limit) due = s.limit->dueAt;
    EXPECT_EQ(due, dayStart("2027-01-28"));  // Thu 31 Dec, then 19 weekdays of January
    auto installed = completeness_.installCalendar(
        2027, "year,2027\nholiday,2027-01-01,元旦\nholiday,2027-01-04,调休\nworkday,2027-01-09,调休上班\n", actorOf(admin_));
    ASSERT_TRUE(installed) << installed.error().message;
    auto retimed = completeness_.process("P4");  // held: the loop reads its steps
    ASSERT_TRUE(retimed);
    for (const auto& s : retimed->steps) {
        if (s.limit) {
            EXPECT_EQ(s.limit->dueAt, dayStart("2027-01-29")) << "two holidays, one Saturday worked";
        }
    }
    EXPECT_EQ(completeness_.installCalendar(2027, "year,2028\n", actorOf(admin_)).error().code, ProblemCode::Unprocessable);
    EXPECT_EQ(completeness_.installCalendar(2027, "year,2027\nworkday,2027-01-05,x\n", actorOf(admin_)).error().code,
              ProblemCode::Unprocessable) << "a Tuesday is a working day already";
}

}  // namespace
}  // namespace dangan::server
