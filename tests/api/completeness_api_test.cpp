// Completeness through the HTTP API of a real server whose clock the test sets (--clock-file):
// step events open expected documents; pages filed on time, late and never; duplicate and
// out-of-order events; a rule change that leaves old processes alone; audits that find exactly
// what a generated archive was built without; quality gates, spot checks, rectification orders,
// rates and scores; contracts running out.
#include <gtest/gtest.h>

#include <Poco/DateTimeFormatter.h>
#include <Poco/Format.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Timestamp.h>

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "api_test_fixture.h"

namespace dangan::testing {
namespace {

using Poco::JSON::Object;

// The instant every test starts at: 2026-11-02 08:00 in China.
constexpr const char* kStart = "2026-11-02T00:00:00Z";

std::string hoursAfterStart(double hours) {
    constexpr std::int64_t kStartSeconds = 1793577600;  // kStart
    auto seconds = kStartSeconds + static_cast<std::int64_t>(hours * 3600);
    return Poco::DateTimeFormatter::format(Poco::Timestamp::fromEpochTime(seconds), "%Y-%m-%dT%H:%M:%SZ");
}

class CompletenessApi : public ApiTest {
protected:
    std::filesystem::path clockFile() const { return dir_.path() / "clock"; }

    void SetUp() override {
        setClock(kStart);
        ApiTest::SetUp();
        importCustomers(R"([{"account_no":"3300000001","name":"张伟","unit":"城区供电所","voltage":"0.4kV"},
                            {"account_no":"3300000002","name":"李娜","unit":"郊区供电所","voltage":"0.4kV"},
                            {"account_no":"3300000003","name":"王芳","unit":"城区供电所","voltage":"10kV"}])");
        marketing_ = std::make_unique<HttpClient>(signedInAs("yingxiao", {"marketing"}));
        auditor_ = std::make_unique<HttpClient>(signedInAs("jicha", {"auditor"}));
    }

    std::vector<std::string> serverOptions() const override { return {"--clock-file", clockFile().string()}; }

    void setClock(const std::string& instant) {
        std::ofstream(clockFile()) << instant << "\n";
    }

    // Moves the archive's clock; sessions older than 12 hours end, so everyone signs in again.
    void moveClockTo(const std::string& instant) {
        setClock(instant);
        admin_->login("admin", kAdminPassword);
        marketing_->login("yingxiao", "Desk-Pass-2026");
        auditor_->login("jicha", "Desk-Pass-2026");
    }

    HttpReply event(const std::string& id, const std::string& account, const std::string& process,
                    const std::string& processId, const std::string& step, const std::string& completedAt,
                    const std::string& staff = "zhangsan") {
        return marketing_->postJson("/api/events", R"({"event_id":")" + id + R"(","account_no":")" + account +
                                                       R"(","process_id":")" + processId + R"(","process":")" + process +
                                                       R"(","step":")" + step + R"(","completed_at":")" + completedAt +
                                                       R"(","staff":")" + staff + "\"}");
    }

    void file(const std::string& account, const std::string& docType, const std::string& processId, unsigned seed,
              const std::string& process = "低压居民新装") {
        std::map<std::string, std::string> extra;
        if (!processId.empty()) extra["process_id"] = processId;
        auto reply = fileScan(account, process, docType, {jpegPart("p.jpg", seed)}, extra);
        ASSERT_EQ(reply.status, 201) << reply.body;
    }

    // doc_type -> state of the process's expectations.
    std::map<std::string, std::string> states(const std::string& processId) {
        auto reply = auditor_->get("/api/expectations?process_id=" + processId);
        EXPECT_EQ(reply.status, 200) << reply.body;
        std::map<std::string, std::string> out;
        auto list = parseObject(reply.body)->getArray("expectations");
        for (std::size_t i = 0; i < list->size(); ++i) {
            auto e = list->getObject(static_cast<unsigned>(i));
            out[e->getValue<std::string>("step") + "/" + e->getValue<std::string>("doc_type")] = e->getValue<std::string>("state");
        }
        return out;
    }

    Object::Ptr runAudit(const std::string& filter) {
        auto reply = auditor_->postJson("/api/audits", R"({"filter":)" + filter + "}");
        EXPECT_EQ(reply.status, 202) << reply.body;
        auto id = parseObject(reply.body)->getValue<std::int64_t>("id");
        for (int i = 0; i < 600; ++i) {
            auto got = auditor_->get("/api/audits/" + std::to_string(id));
            EXPECT_EQ(got.status, 200) << got.body;
            auto audit = parseObject(got.body);
            if (audit->getValue<std::string>("state") == "done" || audit->getValue<std::string>("state") == "failed")
                return audit;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        ADD_FAILURE() << "audit " << id << " did not finish";
        return nullptr;
    }

    // process_id/doc_type/kind of every finding.
    static std::set<std::string> findings(const Object::Ptr& audit) {
        std::set<std::string> out;
        auto list = audit->getArray("findings");
        for (std::size_t i = 0; i < list->size(); ++i) {
            auto f = list->getObject(static_cast<unsigned>(i));
            out.insert(f->getValue<std::string>("process_id") + "/" + f->getValue<std::string>("doc_type") + "/" +
                       f->getValue<std::string>("kind"));
        }
        return out;
    }

    std::unique_ptr<HttpClient> marketing_;
    std::unique_ptr<HttpClient> auditor_;
};

TEST_F(CompletenessApi, DocumentsFiledOnTimeLateAndNeverTurnGreenYellowRedAndTheAuditFindsThem) {
    auto opened = event("E1", "3300000001", "低压居民新装", "P1", "受理", hoursAfterStart(-1));
    ASSERT_EQ(opened.status, 201) << opened.body;
    auto body = parseObject(opened.body);
    EXPECT_EQ(body->getValue<int>("rules_version"), 1);
    ASSERT_EQ(body->getArray("expectations")->size(), 3u);
    EXPECT_EQ(body->getArray("expectations")->getObject(0)->getValue<std::string>("due_at"), hoursAfterStart(47).substr(0, 19) + ".000Z");

    file("3300000001", "用电申请书", "P1", 1);  // on time, for the process by its id
    EXPECT_EQ(states("P1"), (std::map<std::string, std::string>{{"受理/用电申请书", "filed"},
                                                                 {"受理/居民身份证复印件", "green"},
                                                                 {"受理/房屋产权证明", "green"}}));

    moveClockTo(hoursAfterStart(40));  // 7 hours left
    EXPECT_EQ(states("P1")["受理/居民身份证复印件"], "yellow");
    auto dashboard = parseObject(auditor_->get("/api/dashboard").body);
    EXPECT_EQ(dashboard->getObject("totals")->getValue<int>("yellow"), 2);
    EXPECT_EQ(dashboard->getObject("totals")->getValue<int>("red"), 0);
    EXPECT_EQ(dashboard->getArray("by_unit")->getObject(0)->getValue<std::string>("unit"), "城区供电所");

    moveClockTo(hoursAfterStart(50));  // overdue
    EXPECT_EQ(parseObject(auditor_->get("/api/dashboard").body)->getObject("totals")->getValue<int>("red"), 2);
    auto red = parseObject(auditor_->get("/api/expectations?signal=red").body)->getArray("expectations");
    EXPECT_EQ(red->size(), 2u);
    file("3300000001", "房屋产权证明", "", 2);  // late, for the process type without an id: meets the oldest open one
    EXPECT_EQ(states("P1")["受理/房屋产权证明"], "filed_late");

    // The person responsible sees what waits on them.
    auto reminders = parseObject(auditor_->get("/api/reminders?staff=zhangsan").body);
    EXPECT_EQ(reminders->getObject("counts")->getValue<int>("to_add"), 1);
    EXPECT_EQ(reminders->getObject("counts")->getValue<int>("deadlines"), 0) << "业扩时限预警 lists processes near their time limit";

    auto audit = runAudit("{}");
    ASSERT_TRUE(audit);
    ASSERT_EQ(audit->getValue<std::string>("state"), "done") << audit->getValue<std::string>("error");
    EXPECT_EQ(findings(audit), (std::set<std::string>{"P1/居民身份证复印件/missing", "P1/房屋产权证明/late"}));
    auto totals = audit->getObject("totals");
    EXPECT_EQ(totals->getValue<int>("expected"), 3);
    EXPECT_EQ(totals->getValue<int>("on_time"), 1);
    EXPECT_EQ(totals->getValue<int>("late"), 1);
    EXPECT_EQ(totals->getValue<int>("missing"), 1);
    EXPECT_EQ(totals->getValue<int>("customers"), 1);

    auto id = std::to_string(audit->getValue<std::int64_t>("id"));
    auto csv = auditor_->get("/api/audits/" + id + "/report.csv");
    ASSERT_EQ(csv.status, 200) << csv.body;
    EXPECT_NE(csv.body.find("序号,户号,户名,供电单位,申请编号,业务类型,环节,资料,问题,责任人,归档时限,归档时间"), std::string::npos)
        << "Chinese headers for the people who read it";
    // Due 47 hours after 2026-11-02 08:00 China time, at 07:00 on the 4th (China time, not UTC).
    EXPECT_NE(csv.body.find("3300000001,张伟,城区供电所,P1,低压居民新装,受理,居民身份证复印件,缺失,zhangsan,2026-11-04 07:00"),
              std::string::npos) << csv.body;
    EXPECT_NE(csv.body.find(",房屋产权证明,逾期归档,"), std::string::npos);
    EXPECT_EQ(csv.body.find("Z\r"), std::string::npos) << "no UTC times";
    auto pdf = auditor_->get("/api/audits/" + id + "/report.pdf");
    ASSERT_EQ(pdf.status, 200) << pdf.body;
    auto pdfFile = dir_.path() / "report.pdf";
    std::ofstream(pdfFile, std::ios::binary) << pdf.body;
    auto text = runCommand({"pdftotext", "-layout", pdfFile.string(), "-"});
    ASSERT_EQ(text.status, 0);
    for (const char* words : {"档案完整性稽查报告", "按供电单位", "城区供电所", "居民身份证复印件", "逾期归档"})
        EXPECT_NE(text.output.find(words), std::string::npos) << words << " not in\n" << text.output;

    // Staff at the counter do not run audits; the marketing account does nothing but report steps.
    auto staff = signedInAs("guitai", {"staff"});
    EXPECT_EQ(staff.postJson("/api/audits", "{}").status, 403);
    EXPECT_EQ(staff.get("/api/dashboard").status, 403);
    EXPECT_EQ(marketing_->get("/api/customers/3300000001/efile").status, 403);
}

TEST_F(CompletenessApi, DuplicateOutOfOrderAndEarlyFiledEventsAreEachCountedOnce) {
    // The meter is installed before the application's step reaches the archive.
    ASSERT_EQ(event("E2", "3300000002", "低压居民新装", "P2", "装表接电", hoursAfterStart(-2)).status, 201);
    ASSERT_EQ(event("E3", "3300000002", "低压居民新装", "P2", "受理", hoursAfterStart(-30)).status, 201);
    auto again = event("E2", "3300000002", "低压居民新装", "P2", "装表接电", hoursAfterStart(-2));
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_TRUE(parseObject(again.body)->getValue<bool>("duplicate"));
    EXPECT_EQ(parseObject(again.body)->getArray("expectations")->size(), 1u);
    // The same step under a new event id opens nothing twice.
    ASSERT_EQ(event("E2b", "3300000002", "低压居民新装", "P2", "装表接电", hoursAfterStart(-1)).status, 201);
    EXPECT_EQ(states("P2").size(), 4u);

    // A document filed before its step was reported meets the expectation as it opens.
    file("3300000003", "装表接电工作单", "P3", 3);
    auto early = event("E4", "3300000003", "低压居民新装", "P3", "装表接电", hoursAfterStart(-1));
    ASSERT_EQ(early.status, 201) << early.body;
    EXPECT_EQ(states("P3"), (std::map<std::string, std::string>{{"装表接电/装表接电工作单", "filed"}}));

    // A process id belongs to one customer.
    EXPECT_EQ(event("E5", "3300000001", "低压居民新装", "P2", "受理", hoursAfterStart(-1)).status, 409);
    // Bad input is refused with the field named.
    auto missing = marketing_->postJson("/api/events", R"({"account_no":"3300000001"})");
    EXPECT_EQ(missing.status, 400);
    EXPECT_NE(missing.body.find("event_id"), std::string::npos) << missing.body;
    auto badTime = event("E6", "3300000001", "低压居民新装", "P6", "受理", "yesterday");
    EXPECT_EQ(badTime.status, 400);
    EXPECT_NE(badTime.body.find("completed_at"), std::string::npos) << badTime.body;
    EXPECT_EQ(event("E7", "3300000001", "烧烤", "P7", "受理", hoursAfterStart(-1)).status, 400);
    EXPECT_EQ(event("E8", "3300000099", "低压居民新装", "P8", "受理", hoursAfterStart(-1)).status, 422);
    EXPECT_EQ(admin_->postJson("/api/events", "{").status, 400);
    auto archivist = signedInAs("dangan1", {"archivist"});
    EXPECT_EQ(archivist.postJson("/api/events", R"({"event_id":"x"})").status, 403);
}

TEST_F(CompletenessApi, ARuleChangeJudgesNewProcessesAndLeavesOldOnesAlone) {
    ASSERT_EQ(event("E1", "3300000001", "低压居民新装", "OLD", "受理", hoursAfterStart(-1)).status, 201);

    std::string rules = parseObject(auditor_->get("/api/rules").body)->getValue<std::string>("text");
    std::string bad = rules + "document,低压居民新装,受理,不存在的资料,mandatory,30年,48\n";
    auto refused = admin_->send("PUT", "/api/rules", bad, "text/plain");
    EXPECT_EQ(refused.status, 422);
    auto badLine = std::count(rules.begin(), rules.end(), '\n') + 1;
    EXPECT_NE(refused.body.find("line " + std::to_string(badLine) + ": unknown document type"), std::string::npos) << refused.body;
    EXPECT_EQ(auditor_->send("PUT", "/api/rules", rules, "text/plain").status, 403);

    std::string stricter = rules + "document,低压居民新装,受理,授权委托书,mandatory,30年,48\n"
                                   "document,低压居民新装,装表接电,用电设备清单,mandatory,30年,48\n";
    auto installed = admin_->send("PUT", "/api/rules", stricter, "text/plain");
    ASSERT_EQ(installed.status, 201) << installed.body;
    EXPECT_EQ(parseObject(installed.body)->getValue<int>("version"), 2);
    EXPECT_EQ(parseObject(auditor_->get("/api/rules/versions").body)->getArray("versions")->size(), 2u);

    // The old process keeps version 1 for its later steps; a process started since gets version 2.
    auto oldStep = parseObject(event("E2", "3300000001", "低压居民新装", "OLD", "装表接电", hoursAfterStart(1)).body);
    EXPECT_EQ(oldStep->getValue<int>("rules_version"), 1);
    EXPECT_EQ(oldStep->getArray("expectations")->size(), 1u);
    auto newStep = parseObject(event("E3", "3300000002", "低压居民新装", "NEW", "受理", hoursAfterStart(1)).body);
    EXPECT_EQ(newStep->getValue<int>("rules_version"), 2);
    EXPECT_EQ(newStep->getArray("expectations")->size(), 4u);
    EXPECT_EQ(states("OLD").size(), 4u);

    // A change of rules is in the audit log.
    auto log = admin_->get("/api/audit?object_type=rules");
    EXPECT_NE(log.body.find("rules.install"), std::string::npos) << log.body;

    // A bad rules file stops the server at start-up, naming the line.
    auto badFile = dir_.path() / "bad-rules.csv";
    std::ofstream(badFile) << "# rules\n\ndocument,低压居民新装,受理,用电申请书,mandatory,99年,48\n";
    ServerProcess refusing(dir_.path() / "other-data", {"--rules", badFile.string()});
    EXPECT_THROW(refusing.start(), std::runtime_error);
    EXPECT_NE(refusing.log().find("line 3: retention must be 永久, 30年 or 10年"), std::string::npos) << refusing.log();
}

TEST_F(CompletenessApi, AnAuditFindsExactlyTheDocumentsAGeneratedArchiveWasBuiltWithout) {
    // Twelve customers in two units, each through 低压居民新装: every document filed except a
    // planted few, then the steps reported (the papers came to the archive first).
    std::string customers = "[";
    for (int i = 0; i < 12; ++i)
        customers += Poco::format(R"(%s{"account_no":"33100000%02d","name":"客户%d","unit":"%s"})", std::string(i ? "," : ""),
                                  i, i, std::string(i % 2 ? "郊区供电所" : "城区供电所"));
    importCustomers(customers + "]");
    const std::vector<std::pair<std::string, std::vector<std::string>>> steps{
        {"受理", {"用电申请书", "居民身份证复印件", "房屋产权证明"}},
        {"装表接电", {"装表接电工作单"}},
        {"合同签订", {"低压供用电合同"}}};
    std::set<std::string> planted, plantedInCity;
    unsigned seed = 10;
    for (int i = 0; i < 12; ++i) {
        std::string account = Poco::format("33100000%02d", i), pid = Poco::format("G%02d", i);
        int j = 0;
        for (const auto& [step, docs] : steps)
            for (const auto& doc : docs) {
                if ((i * 7 + j++) % 5 == 0) {
                    planted.insert(pid + "/" + doc + "/missing");
                    if (i % 2 == 0) plantedInCity.insert(pid + "/" + doc + "/missing");
                    continue;
                }
                file(account, doc, pid, seed++);
            }
        int k = 0;
        for (const auto& [step, docs] : steps)
            ASSERT_EQ(event(pid + step, account, "低压居民新装", pid, step, hoursAfterStart(-1 - k++)).status, 201);
    }
    ASSERT_FALSE(planted.empty());
    moveClockTo(hoursAfterStart(72));

    auto all = runAudit("{}");
    ASSERT_TRUE(all);
    EXPECT_EQ(findings(all), planted);
    EXPECT_EQ(all->getObject("totals")->getValue<std::size_t>("missing"), planted.size());
    EXPECT_EQ(all->getObject("totals")->getValue<int>("late"), 0);
    EXPECT_EQ(all->getObject("totals")->getValue<int>("on_time"), 60 - static_cast<int>(planted.size()));

    auto city = runAudit(R"({"unit":"城区供电所","process":"低压居民新装","from":"2026-11-01","to":"2026-11-02"})");
    ASSERT_TRUE(city);
    EXPECT_EQ(findings(city), plantedInCity);
    auto none = runAudit(R"({"from":"2026-10-01","to":"2026-10-31"})");
    EXPECT_TRUE(findings(none).empty());
    EXPECT_EQ(auditor_->postJson("/api/audits", R"({"filter":{"colour":"red"}})").status, 400);
    EXPECT_EQ(auditor_->postJson("/api/audits", R"({"filter":{"from":"2026-13-01"}})").status, 400);

    // Findings page in order.
    auto id = std::to_string(all->getValue<std::int64_t>("id"));
    auto first = parseObject(auditor_->get("/api/audits/" + id + "?limit=2").body);
    ASSERT_EQ(first->getArray("findings")->size(), 2u);
    auto next = first->getValue<std::int64_t>("next_offset");
    auto rest = parseObject(auditor_->get("/api/audits/" + id + "?offset=" + std::to_string(next) + "&limit=1000").body);
    EXPECT_EQ(rest->getArray("findings")->size(), planted.size() - 2);
}

TEST_F(CompletenessApi, QualityGatesSpotChecksAndRectificationOrdersRunToClosure) {
    auto filer = signedInAs("dangan1", {"archivist"});
    auto collector = signedInAs("dangan2", {"archivist"});
    auto filed = filer.postMultipart("/api/scans", {{"account_no", "3300000001"}, {"process", "低压居民新装"},
                                                    {"doc_type", "用电申请书"}}, {jpegPart("a.jpg", 1)});
    ASSERT_EQ(filed.status, 201) << filed.body;
    auto doc = std::to_string(parseObject(filed.body)->getValue<std::int64_t>("id"));
    auto verdict = [&](HttpClient& who, const std::string& gate, bool passed, const std::string& reason = "") {
        return who.postJson("/api/documents/" + doc + "/reviews",
                            R"({"gate":")" + gate + R"(","passed":)" + (passed ? "true" : "false") + R"(,"reason":")" + reason + "\"}");
    };
    EXPECT_EQ(parseObject(filer.get("/api/reviews?gate=self").body)->getArray("documents")->size(), 1u);
    EXPECT_EQ(verdict(collector, "self", true).status, 403);      // only the filer self-checks
    ASSERT_EQ(verdict(filer, "self", true).status, 200);
    EXPECT_EQ(verdict(filer, "collect", true).status, 403);       // nobody reviews their own filing
    EXPECT_EQ(verdict(collector, "collect", false).status, 400);  // a rejection says why
    auto rejected = verdict(collector, "collect", false, "身份证复印件不清晰");
    ASSERT_EQ(rejected.status, 200) << rejected.body;
    EXPECT_EQ(parseObject(rejected.body)->getValue<std::string>("gate"), "self");
    EXPECT_EQ(parseObject(rejected.body)->getValue<int>("rejections"), 1);
    EXPECT_EQ(verdict(collector, "collect", true).status, 409);   // back at the filer's self-check
    ASSERT_EQ(verdict(filer, "self", true).status, 200);
    ASSERT_EQ(verdict(collector, "collect", true).status, 200);

    for (unsigned i = 0; i < 5; ++i) file(i % 2 ? "3300000002" : "3300000003", "居民身份证复印件", "", 20 + i);
    auto draw = [&](int seed) {
        auto reply = auditor_->postJson("/api/spot-checks", R"({"seed":)" + std::to_string(seed) + R"(,"per_unit":2})");
        EXPECT_EQ(reply.status, 201) << reply.body;
        return parseObject(reply.body);
    };
    auto sample = draw(42);
    auto ids = [](const Object::Ptr& check) {
        std::vector<std::int64_t> out;
        auto items = check->getArray("items");
        for (std::size_t i = 0; i < items->size(); ++i) out.push_back(items->getObject(static_cast<unsigned>(i))->getValue<std::int64_t>("document_id"));
        return out;
    };
    EXPECT_EQ(ids(sample).size(), 4u);  // two units, two each
    EXPECT_EQ(ids(draw(42)), ids(sample));
    std::set<std::vector<std::int64_t>> samples;
    for (int seed = 1; seed <= 6; ++seed) samples.insert(ids(draw(seed)));
    EXPECT_GT(samples.size(), 1u);  // the seed matters

    auto check = std::to_string(sample->getValue<std::int64_t>("id"));
    auto failed = auditor_->postJson("/api/spot-checks/" + check + "/items/1", R"({"passed":false,"reason":"缺页","days":5})");
    ASSERT_EQ(failed.status, 200) << failed.body;
    auto order = parseObject(failed.body)->getValue<std::int64_t>("rectification_id");
    EXPECT_EQ(auditor_->postJson("/api/spot-checks/" + check + "/items/1", R"({"passed":true})").status, 409);
    ASSERT_EQ(auditor_->postJson("/api/spot-checks/" + check + "/items/2", R"({"passed":true})").status, 200);

    auto orders = parseObject(admin_->get("/api/rectifications?state=open").body)->getArray("rectifications");
    ASSERT_EQ(orders->size(), 1u);
    auto owner = orders->getObject(0)->getValue<std::string>("owner");
    EXPECT_EQ(owner, "admin");  // the fixture's files are the admin's
    EXPECT_NE(orders->getObject(0)->getValue<std::string>("description").find("缺页"), std::string::npos);
    auto path = "/api/rectifications/" + std::to_string(order);
    EXPECT_EQ(filer.postJson(path + "/rectified", R"({"note":"已补扫"})").status, 403);  // not the owner
    EXPECT_EQ(auditor_->postJson(path + "/verify", R"({"verified":true})").status, 409);  // not rectified yet
    ASSERT_EQ(admin_->postJson(path + "/rectified", R"({"note":"已补扫缺页"})").status, 200);
    auto closed = auditor_->postJson(path + "/verify", R"({"verified":true,"note":"核实"})");
    ASSERT_EQ(closed.status, 200) << closed.body;
    EXPECT_EQ(parseObject(closed.body)->getValue<std::string>("state"), "closed");

    auto rates = parseObject(auditor_->get("/api/rates?month=2026-11").body);
    EXPECT_EQ(rates->getValue<int>("raised"), 1);
    EXPECT_EQ(rates->getValue<int>("completed"), 1);
    EXPECT_DOUBLE_EQ(rates->getValue<double>("completion_rate"), 100.0);
    EXPECT_DOUBLE_EQ(rates->getValue<double>("overdue_rate"), 0.0);
    EXPECT_EQ(auditor_->get("/api/rates?month=2026-13").status, 400);

    // The month's scores: one rejection at the collector's gate counts against the filer.
    auto scores = parseObject(auditor_->get("/api/scores?month=2026-11&by=staff").body)->getArray("scores");
    bool seen = false;
    for (std::size_t i = 0; i < scores->size(); ++i) {
        auto s = scores->getObject(static_cast<unsigned>(i));
        if (s->getValue<std::string>("name") != "dangan1") continue;
        seen = true;
        EXPECT_EQ(s->getValue<int>("reviewed"), 2);
        EXPECT_EQ(s->getValue<int>("rejected"), 1);
        EXPECT_DOUBLE_EQ(s->getValue<double>("quality"), 0.5);
    }
    EXPECT_TRUE(seen) << scores->size();
}

TEST_F(CompletenessApi, ContractsAreWatchedForExpiryAndTheirTermsKeepEveryVersion) {
    auto contract = [&](const std::string& account, unsigned seed) {
        auto reply = fileScan(account, "低压居民新装", "低压供用电合同", {jpegPart("c.jpg", seed)});
        EXPECT_EQ(reply.status, 201) << reply.body;
        return std::to_string(parseObject(reply.body)->getValue<std::int64_t>("id"));
    };
    auto terms = [&](const std::string& doc, const std::string& signedOn, const std::string& expiresOn, bool renew) {
        return admin_->send("PUT", "/api/documents/" + doc + "/contract",
                            R"({"contract_no":"HT-)" + doc + R"(","signed_on":")" + signedOn + R"(","expires_on":")" +
                                expiresOn + R"(","auto_renew":)" + (renew ? "true" : "false") + "}",
                            "application/json");
    };
    auto soon = contract("3300000001", 1), close = contract("3300000002", 2), gone = contract("3300000003", 3);
    auto renewing = contract("3300000003", 4), unrecorded = contract("3300000002", 5);
    ASSERT_EQ(terms(soon, "2025-12-01", "2026-11-30", false).status, 200);
    ASSERT_EQ(terms(close, "2025-11-06", "2026-11-06", false).status, 200);
    ASSERT_EQ(terms(gone, "2025-10-01", "2026-10-01", false).status, 200);
    ASSERT_EQ(terms(renewing, "2025-10-01", "2026-10-01", true).status, 200);
    EXPECT_EQ(terms(soon, "2026-12-01", "2026-11-30", false).status, 400);
    // Corrected terms add a version; the first stays in the audit log as it was recorded.
    ASSERT_EQ(terms(soon, "2025-12-01", "2026-11-30", false).status, 200);
    auto history = admin_->get("/api/audit?object_type=document&object_id=" + soon);
    auto first = history.body.find("contract.terms");
    ASSERT_NE(first, std::string::npos) << history.body;
    EXPECT_NE(history.body.find("contract.terms", first + 1), std::string::npos) << history.body;
    auto notContract = fileScan("3300000001", "低压居民新装", "用电申请书", {jpegPart("x.jpg", 9)});
    EXPECT_EQ(terms(std::to_string(parseObject(notContract.body)->getValue<std::int64_t>("id")), "2025-01-01", "2027-01-01", false).status, 422);

    auto list = parseObject(auditor_->get("/api/contracts").body);
    EXPECT_EQ(list->getValue<std::string>("today"), "2026-11-02");
    std::map<std::string, std::string> status;
    auto contracts = list->getArray("contracts");
    for (std::size_t i = 0; i < contracts->size(); ++i) {
        auto c = contracts->getObject(static_cast<unsigned>(i));
        status[std::to_string(c->getValue<std::int64_t>("document_id"))] = c->getValue<std::string>("status");
    }
    EXPECT_EQ(status, (std::map<std::string, std::string>{
                          {soon, "remind"}, {close, "warn"}, {gone, "expired"}, {unrecorded, "unrecorded"}}));
    auto valid = parseObject(auditor_->get("/api/contracts?status=valid").body)->getArray("contracts");
    ASSERT_EQ(valid->size(), 1u);
    EXPECT_EQ(valid->getObject(0)->getValue<std::string>("effective_expiry"), "2027-10-01");

    // A contract step whose contract never came is listed as missing once its deadline passes.
    ASSERT_EQ(event("C1", "3300000001", "高压新装", "PC", "合同签订", hoursAfterStart(-60)).status, 201);
    auto missing = parseObject(auditor_->get("/api/contracts").body)->getArray("missing");
    ASSERT_EQ(missing->size(), 1u);
    EXPECT_EQ(missing->getObject(0)->getValue<std::string>("process_id"), "PC");
}

TEST_F(CompletenessApi, BusinessStaffFileAndSelfCheckTheirStepsAndTheGateHoldsTheStepUntilThen) {
    ASSERT_EQ(event("G1", "3300000001", "低压居民新装", "SQ-G1", "受理", hoursAfterStart(-1)).status, 201);
    auto gate = [&] {
        auto reply = marketing_->get("/api/processes/SQ-G1/gate?step=" + urlEncode("受理"));
        EXPECT_EQ(reply.status, 200) << reply.body;
        std::map<std::string, std::string> missing;
        auto body = parseObject(reply.body);
        auto list = body->getArray("missing");
        for (std::size_t i = 0; i < list->size(); ++i)
            missing[list->getObject(static_cast<unsigned>(i))->getValue<std::string>("doc_type")] =
                list->getObject(static_cast<unsigned>(i))->getValue<std::string>("state");
        EXPECT_EQ(body->getValue<bool>("ready"), missing.empty());
        return missing;
    };
    EXPECT_EQ(gate(), (std::map<std::string, std::string>{
                          {"用电申请书", "not_filed"}, {"居民身份证复印件", "not_filed"}, {"房屋产权证明", "not_filed"}}));

    // The person who completed the step files its papers and self-checks them.
    auto staff = signedInAs("zhangsan", {"staff"});
    auto other = signedInAs("lisi", {"staff"});
    std::map<std::string, std::string> docs;
    for (auto [docType, seed] : {std::pair{"用电申请书", 1u}, {"居民身份证复印件", 2u}, {"房屋产权证明", 3u}}) {
        auto filed = staff.postMultipart("/api/scans", {{"account_no", "3300000001"}, {"process", "低压居民新装"},
                                                        {"process_id", "SQ-G1"}, {"doc_type", docType}}, {jpegPart("p.jpg", seed)});
        ASSERT_EQ(filed.status, 201) << filed.body;
        docs[docType] = std::to_string(parseObject(filed.body)->getValue<std::int64_t>("id"));
    }
    EXPECT_EQ(gate(), (std::map<std::string, std::string>{
                          {"用电申请书", "not_checked"}, {"居民身份证复印件", "not_checked"}, {"房屋产权证明", "not_checked"}}));
    auto mine = staff.get("/api/reminders");
    ASSERT_EQ(mine.status, 200) << mine.body;
    EXPECT_EQ(parseObject(mine.body)->getObject("counts")->getValue<int>("to_send"), 3);
    EXPECT_EQ(staff.get("/api/reminders?staff=lisi").status, 403);
    EXPECT_EQ(parseObject(staff.get("/api/reviews?gate=self").body)->getArray("documents")->size(), 3u);

    auto verdict = [&](HttpClient& who, const std::string& doc, const std::string& gateName) {
        return who.postJson("/api/documents/" + doc + "/reviews", R"({"gate":")" + gateName + R"(","passed":true,"reason":""})");
    };
    EXPECT_EQ(verdict(other, docs["用电申请书"], "self").status, 403);     // another's filing
    ASSERT_EQ(verdict(staff, docs["用电申请书"], "self").status, 200);
    EXPECT_EQ(verdict(staff, docs["用电申请书"], "collect").status, 403);  // the collector's gate
    EXPECT_EQ(gate(), (std::map<std::string, std::string>{{"居民身份证复印件", "not_checked"}, {"房屋产权证明", "not_checked"}}));
    for (const char* docType : {"居民身份证复印件", "房屋产权证明"}) ASSERT_EQ(verdict(staff, docs[docType], "self").status, 200);
    EXPECT_TRUE(gate().empty());
    EXPECT_EQ(parseObject(staff.get("/api/reminders").body)->getObject("counts")->getValue<int>("to_send"), 0);

    // What business staff may not do: the collector's review queue, imports, the store room, audits.
    EXPECT_EQ(staff.get("/api/review").status, 403);
    EXPECT_EQ(staff.postJson("/api/customers", R"([{"account_no":"3300000009","name":"赵六"}])").status, 403);
    EXPECT_EQ(staff.postJson("/api/shelves", "{}").status, 403);
    EXPECT_EQ(staff.postJson("/api/audits", "{}").status, 403);
    EXPECT_EQ(staff.get("/api/processes/SQ-G1/gate?step=" + urlEncode("受理")).status, 403);

    // Each refusal of the gate is in the audit log; unknown processes and steps are named.
    auto log = parseObject(auditor_->get("/api/audit?object_type=process&object_id=SQ-G1").body)->getArray("entries");
    ASSERT_GE(log->size(), 3u);
    EXPECT_EQ(log->getObject(0)->getValue<std::string>("action"), "process.gate.refused");
    EXPECT_EQ(marketing_->get("/api/processes/SQ-NONE/gate?step=" + urlEncode("受理")).status, 404);
    EXPECT_EQ(marketing_->get("/api/processes/SQ-G1/gate?step=" + urlEncode("开饭")).status, 400);
    // A step not reported yet: what the rules ask of it.
    auto ahead = parseObject(marketing_->get("/api/processes/SQ-G1/gate?step=" + urlEncode("装表接电")).body);
    EXPECT_FALSE(ahead->getValue<bool>("ready"));
    EXPECT_EQ(ahead->getArray("missing")->getObject(0)->getValue<std::string>("doc_type"), "装表接电工作单");
}

TEST_F(CompletenessApi, OnlyKnownDocumentTypesAreFiledAndTheRulesRetentionNumbersThem) {
    auto typed = fileScan("3300000003", "高压新装", "高压供电合同", {jpegPart("c.jpg", 7)});
    ASSERT_EQ(typed.status, 422) << typed.body;
    EXPECT_NE(typed.body.find("高压供用电合同"), std::string::npos) << "the nearest known type is named: " << typed.body;
    // The rules keep a 过户's supply contract 永久 (Y) and its application 30 years (D30), where
    // the category alone gave both D30; a type its process's rules do not name keeps the category's.
    auto number = [&](const std::string& docType, unsigned seed) {
        auto reply = fileScan("3300000001", "过户", docType, {jpegPart("p.jpg", seed)});
        EXPECT_EQ(reply.status, 201) << reply.body;
        return parseObject(reply.body)->getValue<std::string>("archive_no");
    };
    EXPECT_NE(number("低压供用电合同", 8).find("-Y-"), std::string::npos);
    EXPECT_NE(number("过户申请书", 9).find("-D30-"), std::string::npos);
    EXPECT_NE(number("授权委托书", 10).find("-D30-"), std::string::npos);
}

TEST_F(CompletenessApi, TheCounterFindsACustomerByArchiveNumberProcessIdAndFullIdNumber) {
    importCustomers(R"([{"account_no":"3300000002","name":"李娜","unit":"郊区供电所","voltage":"0.4kV","id_number":"11010519491231002X"}])");
    auto filed = fileScan("3300000002", "低压居民新装", "用电申请书", {jpegPart("s.jpg", 31)}, {{"process_id", "SQ-S1"}});
    ASSERT_EQ(filed.status, 201) << filed.body;
    auto archiveNo = parseObject(filed.body)->getValue<std::string>("archive_no");
    auto first = [&](const std::string& q) {
        auto reply = admin_->get("/api/search?q=" + urlEncode(q));
        EXPECT_EQ(reply.status, 200) << reply.body;
        auto list = parseObject(reply.body)->getArray("customers");
        return list->size() ? list->getObject(0)->getValue<std::string>("account_no") : std::string("none");
    };
    EXPECT_EQ(first(archiveNo), "3300000002");
    EXPECT_EQ(first("SQ-S1"), "3300000002");
    EXPECT_EQ(first("11010519491231002X"), "3300000002");
    EXPECT_EQ(first("11010519491231002x"), "3300000002");
    EXPECT_EQ(first("SQ-NOBODY"), "none");

    // By document type: alone (newest holders first), or narrowing a query.
    ASSERT_EQ(fileScan("3300000001", "低压居民新装", "房屋产权证明", {jpegPart("d.jpg", 32)}).status, 201);
    auto holders = [&](const std::string& query) {
        auto reply = admin_->get("/api/search?" + query);
        EXPECT_EQ(reply.status, 200) << reply.body;
        std::vector<std::string> out;
        auto list = parseObject(reply.body)->getArray("customers");
        for (std::size_t i = 0; i < list->size(); ++i) out.push_back(list->getObject(static_cast<unsigned>(i))->getValue<std::string>("account_no"));
        return out;
    };
    EXPECT_EQ(holders("doc_type=" + urlEncode("用电申请书")), std::vector<std::string>{"3300000002"});
    EXPECT_EQ(holders("doc_type=" + urlEncode("房屋产权证明")), std::vector<std::string>{"3300000001"});
    EXPECT_EQ(holders("q=" + urlEncode("李娜") + "&doc_type=" + urlEncode("房屋产权证明")), std::vector<std::string>{});
    EXPECT_EQ(holders("q=" + urlEncode("李娜") + "&doc_type=" + urlEncode("用电申请书")), std::vector<std::string>{"3300000002"});
    auto unknown = admin_->get("/api/search?doc_type=" + urlEncode("身份证明"));
    EXPECT_EQ(unknown.status, 422) << unknown.body;
}

}  // namespace
}  // namespace dangan::testing

namespace dangan::testing {
namespace {

// 业扩时限 and waivers over HTTP, each right with its role.
TEST_F(CompletenessApi, AProcessShowsItsStepsTimeLimitsAndWaiversEachByItsRole) {
    // 受理 on Monday 2 November 08:00 of a resident: the supply plan within 3 working days.
    ASSERT_EQ(event("E1", "3300000001", "低压居民新装", "P1", "受理", hoursAfterStart(-1)).status, 201);
    auto staff = signedInAs("zhangsan", {"staff"});
    auto archivist = signedInAs("shouji", {"archivist"});
    auto reply = staff.get("/api/processes/P1");
    ASSERT_EQ(reply.status, 200) << reply.body;
    auto process = parseObject(reply.body);
    EXPECT_EQ(process->getValue<std::string>("state"), "in_flight");
    EXPECT_EQ(process->getValue<std::string>("signal"), "green");
    std::map<std::string, Object::Ptr> steps;
    auto list = process->getArray("steps");
    for (std::size_t i = 0; i < list->size(); ++i)
        steps[list->getObject(static_cast<unsigned>(i))->getValue<std::string>("step")] = list->getObject(static_cast<unsigned>(i));
    ASSERT_TRUE(steps.contains("供电方案答复"));
    auto limit = steps["供电方案答复"]->getObject("limit");
    ASSERT_TRUE(limit);
    EXPECT_EQ(limit->getValue<std::string>("due_at"), "2026-11-05T16:00:00.000Z") << "the end of Thursday 5 November in China";
    EXPECT_EQ(limit->getValue<int>("working_days"), 3);
    EXPECT_EQ(steps["受理"]->getArray("documents")->size(), 3u);
    EXPECT_EQ(staff.get("/api/processes/P404").status, 404);

    moveClockTo(hoursAfterStart(66));  // Thursday morning: one working day left
    staff.login("zhangsan", "Desk-Pass-2026");
    archivist.login("shouji", "Desk-Pass-2026");
    auto board = parseObject(auditor_->get("/api/process-board").body);
    EXPECT_EQ(board->getObject("totals")->getValue<int>("yellow"), 1);
    EXPECT_EQ(board->getArray("by_team")->getObject(0)->getValue<std::string>("team"), "城区供电所/（未分班组）");
    auto warned = parseObject(auditor_->get("/api/reminders?staff=zhangsan").body)->getArray("deadlines");
    ASSERT_EQ(warned->size(), 1u);
    EXPECT_EQ(warned->getObject(0)->getValue<std::string>("process_id"), "P1");
    EXPECT_EQ(warned->getObject(0)->getValue<std::string>("state"), "yellow");
    EXPECT_EQ(staff.get("/api/process-board").status, 403) << "the board is the collectors' and auditors'";
    auto yellow = parseObject(auditor_->get("/api/time-limits?signal=yellow&unit=" + urlEncode("城区供电所")).body)->getArray("time_limits");
    ASSERT_EQ(yellow->size(), 1u);
    EXPECT_EQ(yellow->getObject(0)->getValue<std::string>("step"), "供电方案答复");
    EXPECT_EQ(parseObject(auditor_->get("/api/time-limits?signal=red").body)->getArray("time_limits")->size(), 0u);

    // A waiver: an archivist proposes, an auditor confirms; business staff may do neither.
    auto id = std::to_string(parseObject(auditor_->get("/api/expectations?process_id=P1").body)
                                 ->getArray("expectations")->getObject(0)->getValue<std::int64_t>("id"));
    EXPECT_EQ(staff.postJson("/api/expectations/" + id + "/waiver", R"({"reason":"不适用"})").status, 403);
    auto proposed = archivist.postJson("/api/expectations/" + id + "/waiver", R"({"reason":"客户为承租人，不提供产权证明"})");
    ASSERT_EQ(proposed.status, 200) << proposed.body;
    EXPECT_EQ(parseObject(auditor_->get("/api/waivers").body)->getArray("proposed")->size(), 1u);
    EXPECT_EQ(archivist.postJson("/api/expectations/" + id + "/waiver/decision", R"({"confirmed":true})").status, 403);
    auto decided = auditor_->postJson("/api/expectations/" + id + "/waiver/decision", R"({"confirmed":true,"note":"已核"})");
    ASSERT_EQ(decided.status, 200) << decided.body;
    EXPECT_EQ(parseObject(decided.body)->getValue<std::string>("state"), "waived");
    EXPECT_EQ(parseObject(decided.body)->getObject("waiver")->getValue<std::string>("confirmed_by"), "jicha");
    EXPECT_EQ(auditor_->postJson("/api/expectations/" + id + "/waiver/decision", R"({"confirmed":true})").status, 409);

    // Cancelled by hand: staff may not, an auditor may.
    EXPECT_EQ(staff.postJson("/api/processes/P1/cancel", R"({"reason":"客户撤回申请"})").status, 403);
    auto cancelled = auditor_->postJson("/api/processes/P1/cancel", R"({"reason":"客户撤回申请"})");
    ASSERT_EQ(cancelled.status, 200) << cancelled.body;
    EXPECT_EQ(parseObject(cancelled.body)->getValue<int>("waived"), 2);
    EXPECT_EQ(parseObject(staff.get("/api/processes/P1").body)->getValue<std::string>("state"), "cancelled");
    EXPECT_EQ(parseObject(auditor_->get("/api/process-board").body)->getObject("totals")->getValue<int>("yellow"), 0);

    // The calendar: read by the office, replaced by an admin.
    EXPECT_EQ(parseObject(auditor_->get("/api/calendar").body)->getArray("years")->size(), 2u);
    EXPECT_EQ(auditor_->send("PUT", "/api/calendar/2027", "year,2027\n", "text/plain").status, 403);
    auto bad = admin_->send("PUT", "/api/calendar/2027", "year,2027\nworkday,2027-01-05,x\n", "text/plain");
    EXPECT_EQ(bad.status, 422);
    EXPECT_NE(bad.body.find("line 2"), std::string::npos) << bad.body;
    EXPECT_EQ(admin_->send("PUT", "/api/calendar/2027", "year,2027\nholiday,2027-01-01,元旦\n", "text/plain").status, 201);
}

}  // namespace
}  // namespace dangan::testing

namespace dangan::testing {
namespace {

// The owner's report of an order put right carries the evidence pages; auditors see them.
TEST_F(CompletenessApi, ARectificationReportCarriesItsEvidencePages) {
    auto owner = signedInAs("zhangsan", {"staff"});
    auto other = signedInAs("lisi", {"staff"});
    auto raised = auditor_->postJson("/api/rectifications", R"({"account_no":"3300000001","owner":"zhangsan","due_on":"2026-11-20","description":"补齐房屋产权证明"})");
    ASSERT_EQ(raised.status, 201) << raised.body;
    auto id = std::to_string(parseObject(raised.body)->getValue<std::int64_t>("id"));

    auto notImage = owner.postMultipart("/api/rectifications/" + id + "/rectified", {{"note", "已补扫"}},
                                        {{"files", "note.txt", "text/plain", "not an image"}});
    EXPECT_EQ(notImage.status, 415) << notImage.body;
    auto first = jpegPart("evidence-1.jpg", 41), second = jpegPart("evidence-2.jpg", 42);
    auto reported = owner.postMultipart("/api/rectifications/" + id + "/rectified", {{"note", "已补扫产权证明并归档"}}, {first, second});
    ASSERT_EQ(reported.status, 200) << reported.body;
    auto order = parseObject(reported.body);
    EXPECT_EQ(order->getValue<std::string>("state"), "rectified");
    ASSERT_EQ(order->getArray("evidence")->size(), 2u);

    auto url = order->getArray("evidence")->getObject(1)->getValue<std::string>("url");
    auto page = auditor_->get(url);
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(sha256Hex(page.body), sha256Hex(second.bytes)) << "the page as the owner sent it";
    EXPECT_EQ(other.get(url).status, 404) << "another person's order";
    auto listed = parseObject(auditor_->get("/api/rectifications?state=rectified").body)->getArray("rectifications");
    EXPECT_EQ(listed->getObject(0)->getArray("evidence")->size(), 2u);
    auto log = parseObject(auditor_->get("/api/audit?object_type=rectification&object_id=" + id + "%2F2").body);
    EXPECT_EQ(log->getArray("entries")->size(), 1u) << "viewing evidence is on the record";
}

}  // namespace
}  // namespace dangan::testing
