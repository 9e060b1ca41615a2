// Completeness at scale: an archive of N customers (default 1,000,000), three processes each
// (3,000,000), fifteen expected documents each (15,000,000 expectations) and the documents
// filed for them (about 14,550,000, one page each): 94 % filed on time, 3 % filed late, 3 %
// never filed (overdue, or still within the deadline for the newest steps). Then a real server:
//  - the dashboard's red/yellow/green counts per unit and process type (GET /api/dashboard);
//  - a full completeness audit (POST /api/audits {}) timed from request to done, while one
//    client opens random customers' e-files without pause, their latency measured;
//  - the audit's findings checked against what was planted.
//   build/bench/dangan-bench-audit bench/out/completeness [CUSTOMERS] [--database postgresql://…]
// With --database the archive is generated embedded as above, moved up into that (empty)
// PostgreSQL database with `dangan migrate` (timed), and the server runs on PostgreSQL.
#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "dangan/desks/access.h"
#include "dangan/storage/database.h"
#include "dangan/storage/stores.h"
#include "bench_support.h"
#include "server_process.h"

using namespace dangan::testing;
using Clock = std::chrono::steady_clock;
using dangan::bench::Latencies;
using dangan::bench::Stmt;
using dangan::bench::exec;

namespace {

Poco::JSON::Object::Ptr parse(const std::string& body) {
    Poco::JSON::Parser parser;
    return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

struct Step {
    const char* step;
    std::vector<const char*> documents;
};
struct Plan {
    const char* process;
    std::vector<Step> steps;
};
// Fifteen mandatory documents a customer over three processes, as the default rules ask.
const std::vector<Plan> kPlans{
    {"低压居民新装", {{"受理", {"用电申请书", "居民身份证复印件", "房屋产权证明"}}, {"装表接电", {"装表接电工作单"}}, {"合同签订", {"低压供用电合同"}}}},
    {"增容", {{"受理", {"用电申请书", "营业执照复印件"}}, {"供电方案答复", {"供电方案答复单"}}, {"竣工检验", {"竣工检验报告"}}, {"装表接电", {"装表接电工作单"}}}},
    {"过户", {{"受理", {"过户申请书", "居民身份证复印件", "房屋产权证明", "电费结清凭证"}}, {"合同签订", {"低压供用电合同"}}}},
};
constexpr std::array kUnits{"西湖供电所", "上城供电所", "拱墅供电所", "滨江供电所", "萧山供电所", "余杭供电所", "临平供电所", "富阳供电所"};
constexpr std::int64_t kHour = 3600 * 1000;

struct Planted {
    std::int64_t missing = 0, late = 0, open = 0, onTime = 0, documents = 0;
};

// The real schema first (migrations, admin), then everything else in bulk with the indexes of
// the big tables dropped and rebuilt afterwards.
Planted generate(const std::filesystem::path& data, std::int64_t customers) {
    auto started = Clock::now();
    std::filesystem::create_directories(data);
    auto dbPath = data / "archive.db";
    std::int64_t adminId = 0;
    {
        auto db = dangan::storage::Database::open({.path = dbPath, .readers = 1});
        auto stores = dangan::storage::makeSqlStores(*db);
        dangan::storage::User admin;
        admin.username = "admin";
        admin.passwordHash = dangan::server::hashPassword(kAdminPassword);
        admin.roles = {"admin"};
        adminId = stores.users->create(admin, {std::nullopt, "bench"})->id;
        std::ifstream rules(DANGAN_DEFAULT_RULES);
        std::string text((std::istreambuf_iterator<char>(rules)), std::istreambuf_iterator<char>());
        (void)stores.completeness->addRules(text, DANGAN_DEFAULT_RULES, {std::nullopt, "bench"});
    }
    sqlite3* db = nullptr;
    sqlite3_open(dbPath.c_str(), &db);
    exec(db, "PRAGMA synchronous=OFF; PRAGMA cache_size=-8000000; PRAGMA foreign_keys=OFF; PRAGMA temp_store=MEMORY");
    std::vector<std::string> indexes;
    {
        Stmt list(db, "SELECT sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL AND tbl_name IN"
                      " ('documents', 'pages', 'expectations', 'processes')");
        while (sqlite3_step(list.s) == SQLITE_ROW) indexes.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(list.s, 0)));
    }
    std::vector<std::string> triggers;
    {
        // The two dropped for the load (the counts they keep are counted once after it); the rest stay.
        Stmt list(db, "SELECT sql FROM sqlite_master WHERE type='trigger' AND name IN ('expectation_opened', 'expectation_met')");
        while (sqlite3_step(list.s) == SQLITE_ROW) triggers.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(list.s, 0)));
    }
    exec(db, "BEGIN");
    exec(db, "DROP TRIGGER expectation_opened; DROP TRIGGER expectation_met");
    {
        Stmt names(db, "SELECT name FROM sqlite_master WHERE type='index' AND sql IS NOT NULL AND tbl_name IN"
                       " ('documents', 'pages', 'expectations', 'processes')");
        std::vector<std::string> drop;
        while (sqlite3_step(names.s) == SQLITE_ROW) drop.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(names.s, 0)));
        for (const auto& n : drop) exec(db, "DROP INDEX " + n);
    }
    Stmt customer(db, "INSERT INTO customers(id, account_no, name, address, phone, id_number, voltage, unit, created_at,"
                      " updated_at) VALUES(?,?,?,?,'','', '0.4kV', ?, ?, ?)");
    Stmt process(db, "INSERT INTO processes(id, customer_id, type, application_no, started_at, rules_version) VALUES(?,?,?,?,?,1)");
    Stmt document(db, "INSERT INTO documents(id, customer_id, process_id, doc_type, lineage_id, version, note, archived_at,"
                      " archived_by, archive_no) VALUES(?,?,?,?,?,1,'',?,?,?)");
    Stmt page(db, "INSERT INTO pages(id, document_id, seq, sha256, frame, width, height, dpi) VALUES(?,?,1,?,0,2480,3508,300)");
    // Every page's image is catalogued, as filing does (PostgreSQL's copy holds the archive to it).
    Stmt blob(db, "INSERT INTO blobs(sha256, byte_size, media_type, stored_at) VALUES(?, 400000, 'image/jpeg', ?)");
    Stmt expectation(db, "INSERT INTO expectations(id, process_id, customer_id, process_type, unit, step, doc_type, mandatory,"
                         " staff, step_completed_at, due_at, lineage_id, filed_at) VALUES(?,?,?,?,?,?,?,1,?,?,?,?,?)");
    std::mt19937_64 rng(20261123);
    std::int64_t now = dangan::storage::SystemClock().nowMillis();
    std::int64_t span = 5LL * 365 * 24 * kHour;
    std::int64_t processId = 0, documentId = 0, expectationId = 0;
    Planted planted;
    unsigned char sha[32];
    for (std::int64_t c = 1; c <= customers; ++c) {
        std::string unit = kUnits[rng() % kUnits.size()];
        std::int64_t created = now - span + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(span - 30 * 24 * kHour));
        customer.integer(1, c).text(2, std::to_string(3300000000LL + c - 1)).text(3, "客户" + std::to_string(c))
            .text(4, "杭州市西湖区文三路" + std::to_string(c % 999 + 1) + "号").text(5, unit).integer(6, created)
            .integer(7, created).run();
        std::int64_t at = created;
        for (const auto& plan : kPlans) {
            std::int64_t pid = ++processId;
            process.integer(1, pid).integer(2, c).text(3, plan.process).text(4, "SQ" + std::to_string(pid)).integer(5, at).run();
            std::string staff = "staff" + std::to_string(rng() % 400);
            for (const auto& step : plan.steps) {
                at += static_cast<std::int64_t>(rng() % (72 * kHour));
                // The most recent customers' last steps are still within their deadline.
                std::int64_t completed = std::min(at, now - kHour);
                std::int64_t due = completed + 48 * kHour;
                for (const char* doc : step.documents) {
                    unsigned fate = static_cast<unsigned>(rng() % 100);  // 0-93 on time, 94-96 late, 97-99 missing
                    bool open = due > now && fate >= 94;                 // not filed yet, still within its deadline
                    bool missing = due <= now && fate >= 97;
                    std::optional<std::int64_t> filedAt;
                    if (!open && !missing) filedAt = fate >= 94 ? due + static_cast<std::int64_t>(1 + rng() % (240 * kHour))
                                                                : completed + static_cast<std::int64_t>(rng() % (47 * kHour));
                    if (filedAt && *filedAt > now) filedAt = std::min(now, due);  // recent: filed on time so far
                    std::optional<std::int64_t> lineage;
                    if (filedAt) {
                        lineage = ++documentId;
                        document.integer(1, documentId).integer(2, c).integer(3, pid).text(4, doc).integer(5, documentId)
                            .integer(6, *filedAt).integer(7, adminId).text(8, "J001-YK·2024-D30-YXB-" + std::to_string(documentId)).run();
                        for (auto& b : sha) b = static_cast<unsigned char>(rng());
                        blob.blob(1, sha, 32).integer(2, *filedAt).run();
                        page.integer(1, documentId).integer(2, documentId).blob(3, sha, 32).run();
                        ++planted.documents;
                    }
                    ++expectationId;
                    expectation.integer(1, expectationId).integer(2, pid).integer(3, c).text(4, plan.process).text(5, unit)
                        .text(6, step.step).text(7, doc).text(8, staff).integer(9, completed).integer(10, due);
                    if (lineage) expectation.integer(11, *lineage).integer(12, *filedAt);
                    else expectation.null(11).null(12);
                    expectation.run();
                    if (missing) ++planted.missing;
                    else if (open) ++planted.open;
                    else if (*filedAt > due) ++planted.late;
                    else ++planted.onTime;
                }
            }
        }
        if (c % 100000 == 0) {
            exec(db, "COMMIT; BEGIN");
            std::fprintf(stderr, "%lld customers, %lld documents, %lld s\n", static_cast<long long>(c),
                         static_cast<long long>(documentId),
                         static_cast<long long>(std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started).count()));
        }
    }
    exec(db, "COMMIT");
    std::fprintf(stderr, "rebuilding %zu indexes\n", indexes.size());
    for (const auto& sql : indexes) exec(db, sql);
    // What the triggers would have counted, counted once.
    exec(db, "INSERT INTO open_due_days SELECT unit, process_type, due_at / 86400000, COUNT(*) FROM expectations"
             " WHERE filed_at IS NULL AND mandatory = 1 GROUP BY 1, 2, 3");
    for (const auto& sql : triggers) exec(db, sql);
    exec(db, "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE)");
    sqlite3_close(db);
    std::printf("generated %lld customers, %lld processes, %lld expectations, %lld documents and pages in %lld s\n",
                static_cast<long long>(customers), static_cast<long long>(processId), static_cast<long long>(expectationId),
                static_cast<long long>(planted.documents),
                static_cast<long long>(std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started).count()));
    return planted;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: dangan-bench-audit DATA_DIR [CUSTOMERS]\n");
        return 2;
    }
    std::filesystem::path data = argv[1];
    std::int64_t customers = argc > 2 && argv[2][0] != '-' ? std::stoll(argv[2]) : 1000000;
    std::string databaseUrl;
    for (int i = 2; i + 1 < argc; ++i)
        if (std::string(argv[i]) == "--database") databaseUrl = argv[i + 1];
    if (std::filesystem::exists(data / "archive.db")) {
        std::fprintf(stderr, "dangan-bench-audit: %s holds an archive already; give an empty folder\n", data.c_str());
        return 1;
    }
    Planted planted = generate(data, customers);
    std::printf("planted: %lld on time, %lld late, %lld missing, %lld within deadline\n",
                static_cast<long long>(planted.onTime), static_cast<long long>(planted.late),
                static_cast<long long>(planted.missing), static_cast<long long>(planted.open));

    std::vector<std::string> serverArgs;
    if (!databaseUrl.empty()) {
        auto started = Clock::now();
        auto moved = runCommand({danganBinary(), "migrate", "--from", data.string(), "--to", databaseUrl}, 6 * 3600);
        double seconds = std::chrono::duration<double>(Clock::now() - started).count();
        if (moved.status != 0) {
            std::fprintf(stderr, "migrate: %s\n", moved.output.c_str());
            return 1;
        }
        std::printf("dangan migrate to PostgreSQL: %.0f s\n%s", seconds, moved.output.c_str());
        serverArgs = {"--database", databaseUrl};
    }
    ServerProcess server(data, serverArgs);
    server.start();
    HttpClient client(server.port());
    client.login("admin", kAdminPassword);

    Latencies dashboard;
    for (int i = 0; i < 20; ++i) {
        auto start = Clock::now();
        auto reply = client.get("/api/dashboard");
        dashboard.add(start);
        if (reply.status != 200) {
            std::fprintf(stderr, "dashboard: %d %s\n", reply.status, reply.body.c_str());
            return 1;
        }
        if (i == 0) {
            auto totals = parse(reply.body)->getObject("totals");
            std::printf("dashboard totals: green %s, yellow %s, red %s\n", totals->get("green").toString().c_str(),
                        totals->get("yellow").toString().c_str(), totals->get("red").toString().c_str());
        }
    }
    std::printf("GET /api/dashboard: %s\n", dashboard.summary().c_str());

    // E-file lookups before, then during the audit.
    auto lookups = [&](Latencies& into, const std::atomic<bool>& stop, int limit) {
        HttpClient reader(server.port());
        reader.login("admin", kAdminPassword);
        std::mt19937_64 pick(7);
        for (int n = 0; !stop && n < limit; ++n) {
            std::string account = std::to_string(3300000000LL + static_cast<std::int64_t>(pick() % static_cast<std::uint64_t>(customers)));
            auto start = Clock::now();
            auto reply = reader.get("/api/customers/" + account + "/efile");
            into.add(start);
            if (reply.status != 200) std::fprintf(stderr, "efile %s: %d\n", account.c_str(), reply.status);
        }
    };
    Latencies idle;
    std::atomic<bool> never{false};
    lookups(idle, never, 2000);
    std::printf("e-file, no audit running: %s\n", idle.summary().c_str());

    Latencies during;
    std::atomic<bool> auditDone{false};
    auto started = Clock::now();
    auto requested = client.postJson("/api/audits", R"({"filter":{}})");
    if (requested.status != 202) {
        std::fprintf(stderr, "audit: %d %s\n", requested.status, requested.body.c_str());
        return 1;
    }
    auto id = std::to_string(parse(requested.body)->getValue<std::int64_t>("id"));
    std::thread reader([&] { lookups(during, auditDone, 1 << 30); });
    Poco::JSON::Object::Ptr audit;
    for (;;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        audit = parse(client.get("/api/audits/" + id + "?limit=1").body);
        auto state = audit->getValue<std::string>("state");
        if (state == "done" || state == "failed") break;
    }
    double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    auditDone = true;
    reader.join();
    auto totals = audit->getObject("totals");
    std::printf("audit %s: %s in %.1f s; totals %s\n", id.c_str(), audit->getValue<std::string>("state").c_str(), seconds,
                [&] { std::ostringstream s; totals->stringify(s); return s.str(); }().c_str());
    std::printf("e-file during the audit: %s\n", during.summary().c_str());
    bool exact = totals->getValue<std::int64_t>("missing") == planted.missing &&
                 totals->getValue<std::int64_t>("late") == planted.late &&
                 totals->getValue<std::int64_t>("on_time") == planted.onTime &&
                 totals->getValue<std::int64_t>("pending") == planted.open;
    std::printf("findings match what was planted: %s\n", exact ? "yes" : "NO");
    std::printf("server peak resident memory: %ld MB\n", server.peakResidentKib() / 1024);
    return exact ? 0 : 1;
}
