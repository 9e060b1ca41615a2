// Process control at scale (issue 24), on the completeness archive that dangan-bench-audit built
// (1,000,000 customers, 3,000,000 processes, 15,000,000 expected documents): adds the archive's
// 400 business staff as users in 8 units × 5 teams with e-mail addresses, and the 业扩 processes'
// time limits (2,000,000 clocks of 供电方案答复 from 受理; 2 % still running, spread over green,
// yellow and red, the rest done, 90 % in time). Then a real server:
//  - the process board (GET /api/process-board), p99 ≤ 100 ms;
//  - the running time limits, red (GET /api/time-limits?signal=red);
//  - one process's steps (GET /api/processes/{id}) of random processes;
//  - the day's notifications for everyone (POST /api/notifications/run) ≤ 30 s, and a second
//    run the same day (nothing new). Earlier runs' notifications are cleared first, and the
//    server's own daily run is set to 23:59 so that the first run is the day's first.
//   build/bench/dangan-bench-audit bench/out/completeness 1000000   # once
//   build/bench/dangan-bench-process bench/out/completeness
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "bench_support.h"
#include "dangan/desks/calendar.h"
#include "dangan/desks/working_days.h"
#include "dangan/storage/clock.h"
#include "dangan/storage/database.h"
#include "server_process.h"

using namespace dangan::testing;
using Clock = std::chrono::steady_clock;
using dangan::bench::Latencies;
using dangan::bench::Stmt;
using dangan::bench::exec;

namespace {

constexpr std::int64_t kHour = 3600LL * 1000;
constexpr std::array kUnits{"西湖供电所", "上城供电所", "拱墅供电所", "滨江供电所", "萧山供电所", "余杭供电所", "临平供电所", "富阳供电所"};

Poco::JSON::Object::Ptr parse(const std::string& body) {
    Poco::JSON::Parser parser;
    return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

dangan::server::WorkingCalendar shippedCalendar() {
    std::vector<dangan::server::CalendarYear> years;
    for (const char* year : {"2025", "2026"}) {
        std::ifstream in(std::string(DANGAN_DEFAULT_CALENDAR) + "/" + year + ".csv");
        std::ostringstream text;
        text << in.rdbuf();
        years.push_back(*dangan::server::CalendarYear::parse(text.str()));
    }
    return dangan::server::WorkingCalendar(std::move(years));
}

// Users for the staff the generator named, and one clock per 业扩 process. Returns the clocks running.
std::int64_t prepare(const std::filesystem::path& data) {
    auto dbPath = data / "archive.db";
    { auto db = dangan::storage::Database::open({.path = dbPath, .readers = 1}); }  // migrations
    sqlite3* db = nullptr;
    sqlite3_open(dbPath.c_str(), &db);
    exec(db, "PRAGMA synchronous=OFF; PRAGMA cache_size=-4000000; PRAGMA temp_store=MEMORY");
    // Every run measures a day's first notifications: what earlier runs recorded goes.
    exec(db, "DELETE FROM deliveries; DELETE FROM notifications; DELETE FROM notified_items; DELETE FROM notification_runs");
    std::int64_t running = 0;
    {
        Stmt count(db, "SELECT COUNT(*), SUM(closed_at IS NULL) FROM process_clocks");
        sqlite3_step(count.s);
        if (sqlite3_column_int64(count.s, 0) > 0) {
            running = sqlite3_column_int64(count.s, 1);
            sqlite3_close(db);
            return running;
        }
    }
    auto started = Clock::now();
    exec(db, "BEGIN");
    {
        Stmt user(db, "INSERT OR IGNORE INTO users(username, display_name, password_hash, roles, created_at, updated_at, unit, team,"
                      " email) VALUES(?, ?, 'x', 'staff', 0, 0, ?, ?, ?)");
        for (int i = 0; i < 400; ++i) {
            std::string name = "staff" + std::to_string(i);
            user.text(1, name).text(2, name).text(3, kUnits[i % kUnits.size()])
                .text(4, "营业" + std::to_string(i / 8 % 5 + 1) + "班").text(5, name + "@example.com").run();
        }
    }
    auto calendar = shippedCalendar();
    std::int64_t now = dangan::storage::SystemClock().nowMillis();
    std::mt19937_64 rng(20261206);
    Stmt processes(db, "SELECT p.id, p.type, p.started_at, c.unit,"
                       " (SELECT e.staff FROM expectations e WHERE e.process_id = p.id LIMIT 1)"
                       " FROM processes p JOIN customers c ON c.id = p.customer_id WHERE p.type IN ('低压居民新装', '增容')");
    Stmt clock(db, "INSERT INTO process_clocks(process_id, step, from_step, working_days, yellow_days, started_at, yellow_at, due_at,"
                   " unit, process_type, team, staff, closed_at, outcome) VALUES(?, '供电方案答复', '受理', ?, ?, ?, ?, ?, ?, ?,"
                   " (SELECT team FROM users WHERE username = ?), ?, ?, ?)");
    std::int64_t clocks = 0;
    while (sqlite3_step(processes.s) == SQLITE_ROW) {
        std::int64_t id = sqlite3_column_int64(processes.s, 0);
        std::string type = reinterpret_cast<const char*>(sqlite3_column_text(processes.s, 1));
        std::int64_t start = sqlite3_column_int64(processes.s, 2);
        std::string unit = reinterpret_cast<const char*>(sqlite3_column_text(processes.s, 3));
        auto* staffText = sqlite3_column_text(processes.s, 4);
        std::string staff = staffText ? reinterpret_cast<const char*>(staffText) : "";
        int days = type == "低压居民新装" ? 3 : 8, yellow = type == "低压居民新装" ? 1 : 2;
        bool inFlight = id % 50 == 0;
        if (inFlight) start = now - static_cast<std::int64_t>(rng() % (12 * 24 * kHour));
        auto limit = calendar.limit(start, days, yellow);
        clock.integer(1, id).integer(2, days).integer(3, yellow).integer(4, start).integer(5, limit.yellowAt)
            .integer(6, limit.dueAt).text(7, unit).text(8, type).text(9, staff).text(10, staff);
        if (inFlight) {
            clock.null(11).text(12, "open");
            ++running;
        } else {
            bool late = rng() % 10 == 0;
            std::int64_t closed = late ? limit.dueAt + static_cast<std::int64_t>(rng() % (72 * kHour))
                                       : start + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(limit.dueAt - start));
            clock.integer(11, closed).text(12, "done");
        }
        clock.run();
        ++clocks;
    }
    exec(db, "COMMIT");
    exec(db, "ANALYZE");
    sqlite3_close(db);
    std::printf("prepared 400 staff in 40 teams and %lld clocks (%lld running) in %.1f s\n", static_cast<long long>(clocks),
                static_cast<long long>(running), std::chrono::duration<double>(Clock::now() - started).count());
    return running;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: dangan-bench-process DIR (an archive made by dangan-bench-audit)\n");
        return 2;
    }
    std::filesystem::path data = argv[1];
    if (!std::filesystem::exists(data / "archive.db")) {
        std::fprintf(stderr, "dangan-bench-process: no archive in %s; run dangan-bench-audit first\n", data.c_str());
        return 1;
    }
    auto running = prepare(data);
    std::printf("running time limits: %lld\n", static_cast<long long>(running));

    // The daily run is left to the bench (at 23:59 it would come by itself).
    ServerProcess server(data, {"--notify-at", "23:59"});
    server.start();
    HttpClient client(server.port());
    client.login("admin", kAdminPassword);

    Latencies board;
    for (int i = 0; i < 200; ++i) {
        auto start = Clock::now();
        auto reply = client.get("/api/process-board");
        board.add(start);
        if (reply.status != 200) {
            std::fprintf(stderr, "process board: %d %s\n", reply.status, reply.body.c_str());
            return 1;
        }
        if (i == 0) {
            auto totals = parse(reply.body)->getObject("totals");
            std::printf("process board totals: green %s, yellow %s, red %s; %zu teams\n", totals->get("green").toString().c_str(),
                        totals->get("yellow").toString().c_str(), totals->get("red").toString().c_str(),
                        parse(reply.body)->getArray("by_team")->size());
        }
    }
    std::printf("GET /api/process-board: %s\n", board.summary().c_str());

    Latencies red;
    for (int i = 0; i < 50; ++i) {
        auto start = Clock::now();
        auto reply = client.get("/api/time-limits?signal=red&limit=200&unit=" + std::string("%E8%A5%BF%E6%B9%96%E4%BE%9B%E7%94%B5%E6%89%80"));
        red.add(start);
        if (reply.status != 200) return 1;
    }
    std::printf("GET /api/time-limits?signal=red&unit=西湖供电所: %s\n", red.summary().c_str());

    Latencies views;
    std::mt19937_64 pick(11);
    for (int i = 0; i < 500; ++i) {
        std::string id = "SQ" + std::to_string(1 + pick() % 3000000);
        auto start = Clock::now();
        auto reply = client.get("/api/processes/" + id);
        views.add(start);
        if (reply.status != 200) {
            std::fprintf(stderr, "process %s: %d %s\n", id.c_str(), reply.status, reply.body.c_str());
            return 1;
        }
    }
    std::printf("GET /api/processes/{id}: %s\n", views.summary().c_str());

    for (int run = 1; run <= 2; ++run) {
        auto start = Clock::now();
        auto reply = client.postJson("/api/notifications/run", "{}");
        double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        if (reply.status != 200) {
            std::fprintf(stderr, "notifications: %d %s\n", reply.status, reply.body.c_str());
            return 1;
        }
        auto o = parse(reply.body);
        std::printf("POST /api/notifications/run #%d: %.1f s, %s notifications of %s items due\n", run, seconds,
                    o->get("notifications").toString().c_str(), o->get("items_due").toString().c_str());
    }
    std::printf("server peak resident memory: %ld MB\n", server.peakResidentKib() / 1024);
    return 0;
}
