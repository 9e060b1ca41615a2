// The completeness rules without a server: the rules file, deadlines' signals, what an audit
// judges, contract expiry, spot-check samples, the office's rates and the monthly scores.
#include <gtest/gtest.h>

#include <array>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "dangan/desks/audit_runner.h"
#include "dangan/desks/calendar.h"
#include "dangan/desks/completeness_desk.h"
#include "dangan/desks/office_desk.h"
#include "dangan/desks/process_rules.h"
#include "dangan/storage/database.h"
#include "dangan/storage/stores.h"
#include "server_process.h"

namespace dangan::server {
namespace {

std::string shippedRules() {
    std::ifstream in(DANGAN_DEFAULT_RULES);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(ProcessRules, TheShippedRulesHoldEveryMandatoryDocumentOfTheIssueTable) {
    auto rules = ProcessRules::parse(shippedRules());
    ASSERT_TRUE(rules) << rules.error().describe();
    auto mandatory = [&](const char* process, const char* step) {
        std::vector<std::string> out;
        if (const auto* s = rules->step(process, step))
            for (const auto& d : s->documents)
                if (d.mandatory) out.push_back(d.docType);
        return out;
    };
    EXPECT_EQ(mandatory("低压居民新装", "受理"), (std::vector<std::string>{"用电申请书", "居民身份证复印件", "房屋产权证明"}));
    EXPECT_EQ(mandatory("高压新装", "合同签订"), (std::vector<std::string>{"高压供用电合同"}));
    EXPECT_EQ(mandatory("过户", "受理"), (std::vector<std::string>{"过户申请书", "居民身份证复印件", "房屋产权证明", "电费结清凭证"}));
    EXPECT_EQ(mandatory("电费违约处理", "处理"), (std::vector<std::string>{"违约用电处理通知书", "电费缴费凭证"}));
    EXPECT_EQ(rules->step("高压新装", "受理")->deadlineHours, 48);
    EXPECT_EQ(rules->processes().size(), 14u);
    EXPECT_DOUBLE_EQ(rules->weights().timeliness + rules->weights().quality + rules->weights().deadlines, 100.0);
    EXPECT_EQ(rules->retentionOf("高压供用电合同"), barcode::Retention::Permanent);
}

TEST(ProcessRules, ABadRuleIsNamedByItsLine) {
    auto error = [](const std::string& text) {
        auto rules = ProcessRules::parse(text);
        return rules ? std::string("accepted") : rules.error().describe();
    };
    std::string good = "document,更名,受理,更名申请书,mandatory,30年,48\n";
    EXPECT_EQ(error(good), "accepted");
    EXPECT_EQ(error(good + "document,更名,受理,更名申请书,optional,30年,48\n"), "line 2: 更名申请书 is already required at 更名/受理");
    EXPECT_EQ(error("# c\n\ndocument,更名,受理\n"), "line 3: a document rule has 7 fields (document,process,step,document type,"
                                                     "mandatory|optional,retention,deadline hours), this one has 3");
    EXPECT_EQ(error("document,改名,受理,更名申请书,mandatory,30年,48\n"), "line 1: unknown process '改名'");
    EXPECT_EQ(error(good + "document,更名,受理,居民身份证复印件,mandatory,30年,0\n"),
              "line 2: the deadline must be a whole number of hours from 1 to 8760, not '0'");
    EXPECT_EQ(error(good + "document,更名,受理,居民身份证复印件,mandatory,30年,24\n"),
              "line 2: step 更名/受理 already has a deadline of 48 hours; one step has one deadline");
    EXPECT_EQ(error(good + "document,更名,受理,居民身份证复印件,must,30年,48\n"),
              "line 2: the fifth field must be 'mandatory' or 'optional', not 'must'");
    EXPECT_EQ(error(good + "weight,speed,10\n"), "line 2: unknown weight 'speed' (timeliness, quality or deadlines)");
    EXPECT_EQ(error(good + "weight,timeliness,90\n"), "the weights timeliness, quality and deadlines must add up to 100");
    EXPECT_EQ(error(good + "rule,x\n"), "line 2: a rule starts with 'document', 'limit' or 'weight', not 'rule'");
    EXPECT_EQ(error("# nothing\n"), "the rules name no documents");
}

TEST(Completeness, SignalsTurnYellowTwelveHoursBeforeTheDeadlineAndRedAfterIt) {
    constexpr std::int64_t hour = 3600 * 1000;
    EXPECT_EQ(signalOf(100 * hour, 87 * hour), Signal::Green);
    EXPECT_EQ(signalOf(100 * hour, 88 * hour + 1), Signal::Yellow);
    EXPECT_EQ(signalOf(100 * hour, 100 * hour), Signal::Yellow);
    EXPECT_EQ(signalOf(100 * hour, 100 * hour + 1), Signal::Red);
}

TEST(Completeness, AnAuditJudgesMandatoryDocumentsOnly) {
    storage::ExpectationRow row{1, 1, 1, true, 1000, std::nullopt};
    EXPECT_EQ(judge(row, 999), std::nullopt);     // still within its deadline
    EXPECT_EQ(judge(row, 1001), "missing");
    row.filedAt = 1000;
    EXPECT_EQ(judge(row, 5000), std::nullopt);    // on time
    row.filedAt = 1001;
    EXPECT_EQ(judge(row, 5000), "late");
    row.mandatory = false;
    EXPECT_EQ(judge(row, 5000), std::nullopt);
}

TEST(Completeness, ContractsRemindThirtyDaysAndWarnSevenDaysBeforeExpiry) {
    storage::ContractTerms t;
    t.signedOn = "2025-12-01";
    t.expiresOn = "2026-12-31";
    EXPECT_EQ(watchContract(t, "2026-11-30").status, "valid");
    EXPECT_EQ(watchContract(t, "2026-12-01").status, "remind");
    EXPECT_EQ(watchContract(t, "2026-12-24").status, "warn");
    EXPECT_EQ(watchContract(t, "2026-12-31").status, "warn");
    EXPECT_EQ(watchContract(t, "2027-01-01").status, "expired");
    t.autoRenew = true;
    auto renewed = watchContract(t, "2027-01-01");
    EXPECT_EQ(renewed.status, "valid");
    EXPECT_EQ(renewed.effectiveExpiry, "2028-01-30");  // one more term of 395 days
    t.expiresOn = "";
    EXPECT_EQ(watchContract(t, "2026-01-01").status, "unrecorded");
}

TEST(Completeness, ASpotCheckSampleIsStratifiedByUnitAndFixedByItsSeed) {
    std::vector<storage::SampleCandidate> pool;
    for (std::int64_t i = 1; i <= 30; ++i) pool.push_back({i, i % 3 == 0 ? "甲所" : "乙所"});
    auto a = drawSample(pool, 7, 4);
    ASSERT_EQ(a.size(), 8u);
    int fromJia = 0;
    for (const auto& d : a) fromJia += d.unit == "甲所";
    EXPECT_EQ(fromJia, 4);
    std::reverse(pool.begin(), pool.end());  // the order the store gives them in does not matter
    auto b = drawSample(pool, 7, 4);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].lineageId, b[i].lineageId);
    auto c = drawSample(pool, 8, 4);
    bool differs = false;
    for (std::size_t i = 0; i < a.size(); ++i) differs |= a[i].lineageId != c[i].lineageId;
    EXPECT_TRUE(differs);
    EXPECT_EQ(drawSample(pool, 7, 100).size(), 30u);  // a small unit is taken whole
}

storage::Rectification order(std::int64_t raisedAt, const std::string& dueOn, std::optional<std::int64_t> closedAt,
                             const std::string& owner = "a") {
    storage::Rectification r;
    r.raisedAt = raisedAt;
    r.dueOn = dueOn;
    r.closedAt = closedAt;
    r.rectifiedAt = closedAt;
    r.owner = owner;
    r.unit = "甲所";
    r.state = closedAt ? "closed" : "open";
    return r;
}

TEST(Completeness, TheOfficeRatesFollowTheirDefinitions) {
    std::int64_t start = dayStart("2026-11-01"), end = dayStart("2026-12-01");
    std::int64_t day = kDayMs;
    std::vector<storage::Rectification> orders{
        order(start - 5 * day, "2026-11-03", start + 1 * day),   // open at the start, closed in time
        order(start - 5 * day, "2026-10-30", std::nullopt),      // open at the start, still open
        order(start + 2 * day, "2026-11-10", start + 3 * day),   // raised and closed in time
        order(start + 2 * day, "2026-11-05", start + 20 * day),  // raised, closed late
        order(start + 9 * day, "2026-11-15", std::nullopt),      // raised, overdue
        order(start + 10 * day, "2026-12-15", std::nullopt),     // raised, not due yet
    };
    auto r = officeRates("2026-11", orders, start, end, 0.80, 0.90);
    EXPECT_EQ(r.raised, 4);
    EXPECT_EQ(r.completed, 2);
    EXPECT_EQ(r.overdue, 2);
    EXPECT_DOUBLE_EQ(*r.completionRate, 50.0);
    EXPECT_DOUBLE_EQ(*r.overdueRate, 50.0);
    EXPECT_EQ(r.openAtStart, 2);
    EXPECT_EQ(r.openAtEnd, 3);
    EXPECT_DOUBLE_EQ(*r.cumulativeCompletion, -50.0);
    EXPECT_NEAR(*r.indicatorChange, 12.5, 1e-9);
    auto empty = officeRates("2026-11", {}, start, end, 0, 0);
    EXPECT_FALSE(empty.completionRate);
    EXPECT_FALSE(empty.indicatorChange);
}

TEST(Completeness, ScoresWeighTimelinessQualityAndDeadlinesAndShareRanksOnTies) {
    std::vector<storage::PerformanceTally> tallies{
        {"zhang", 10, 10, 0, 4, 0, 5, 5},  // everything on time and within its limits, nothing rejected
        {"li", 10, 5, 5, 4, 2, 4, 2},       // half late (and still missing), half rejected, half the steps late
        {"wang", 10, 10, 0, 4, 0, 10, 10},
    };
    ScoreWeights w{50, 30, 20};
    std::int64_t end = dayStart("2026-12-01");
    auto scores = rankScores(tallies, {order(0, "2026-11-10", std::nullopt, "wang")}, "2026-11-01", "2026-12-01", end,
                             ScoreBy::Person, w);
    ASSERT_EQ(scores.size(), 3u);
    EXPECT_EQ(scores[0].name, "zhang");
    EXPECT_DOUBLE_EQ(scores[0].score, 100.0);
    EXPECT_EQ(scores[1].name, "wang");  // an overdue order: 10 of 11 deadlines kept
    EXPECT_NEAR(scores[1].score, 50 + 30 + 20.0 * 10 / 11, 1e-9);
    EXPECT_EQ(scores[2].name, "li");
    EXPECT_NEAR(scores[2].score, 50 * 0.5 + 30 * 0.5 + 20 * 0.5, 1e-9);
    // By team: the order counts for its owner's team.
    auto teams = rankScores({{"西湖所/营业班", 10, 10, 0, 0, 0, 2, 2}}, {order(0, "2026-11-10", std::nullopt, "wang")},
                            "2026-11-01", "2026-12-01", end, ScoreBy::Team, w, {{"wang", "西湖所/营业班"}});
    ASSERT_EQ(teams.size(), 1u);
    EXPECT_NEAR(teams[0].deadlines, 2.0 / 3, 1e-9);
    auto tied = rankScores({{"b", 1, 1, 0, 0, 0}, {"a", 1, 1, 0, 0, 0}, {"c", 1, 0, 1, 0, 0}}, {}, "2026-11-01",
                           "2026-12-01", end, ScoreBy::Person, w);
    EXPECT_EQ(tied[0].rank, 1);
    EXPECT_EQ(tied[1].rank, 1);
    EXPECT_EQ(tied[2].rank, 3);
}

}  // namespace
}  // namespace dangan::server

namespace dangan::server {
namespace {

// The dashboard's day-bucket counts (kept by triggers) against every open expectation judged one
// by one, at instants around day boundaries, as expectations open and are met.
TEST(Completeness, TheDashboardCountsAgreeWithEveryExpectationJudgedOneByOne) {
    testing::TempDir dir;
    auto db = storage::Database::open({.path = dir.path() / "archive.db", .readers = 2});
    auto stores = storage::makeSqlStores(*db);
    storage::User filer;
    filer.username = "filer";
    filer.passwordHash = "x";
    filer.roles = {"archivist"};
    auto created = stores.users->create(filer, {std::nullopt, "test"});
    storage::Actor actor{created->id, "filer"};
    stores.customers->upsert({{"3300000001", "张伟", "", "", "", "0.4kV", "甲所"}, {"3300000002", "李娜", "", "", "", "0.4kV", "乙所"}}, actor);
    std::mt19937_64 rng(5);
    constexpr std::int64_t hour = 3600 * 1000, base = 1793577600000;  // 2026-11-02T00:00Z
    int n = 0;
    for (int i = 0; i < 300; ++i) {
        auto customer = stores.customers->findByAccountNo(i % 2 ? "3300000001" : "3300000002");
        std::int64_t completed = base - static_cast<std::int64_t>(rng() % (200 * hour));
        int deadline = 1 + static_cast<int>(rng() % 72);
        auto record = stores.completeness->recordEvent(
            {"E" + std::to_string(++n), customer->id, customer->fields.unit, i % 3 ? "低压居民新装" : "增容",
             "P" + std::to_string(i), "受理", completed, "s"},
            [&](int) { return std::vector<storage::RequiredAtStep>{{"用电申请书", true, deadline}, {"授权委托书", false, deadline}}; },
            [](int) { return std::vector<storage::ClockStart>{}; }, actor);
        ASSERT_EQ(record.expectations.size(), 2u);
        if (rng() % 3 == 0) {  // filed: meets the expectation and leaves the counts
            storage::NewDocument doc{customer->id, i % 3 ? "低压居民新装" : "增容", "P" + std::to_string(i), "用电申请书",
                                     std::nullopt, "", {}, {}, {}, {}};
            ASSERT_TRUE(stores.documents->file(doc, actor));
        }
    }
    for (std::int64_t now : {base - 30 * hour, base - 1, base, base + 11 * hour + 59 * 60000, base + 12 * hour, base + 40 * hour}) {
        std::map<std::string, std::array<std::int64_t, 3>> expected, counted;
        storage::ExpectationQuery open;
        open.openOnly = true;
        open.limit = 10000;
        for (const auto& e : stores.completeness->expectations(open))
            ++expected[e.unit + "/" + e.processType][static_cast<int>(signalOf(e.dueAt, now))];
        for (const auto& c : stores.completeness->signalCounts(now, kYellowWindowMs))
            counted[c.unit + "/" + c.processType] = {c.green, c.yellow, c.red};
        EXPECT_EQ(counted, expected) << "at " << now;
    }
}

}  // namespace
}  // namespace dangan::server
