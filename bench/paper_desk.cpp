// The paper desk at scale: a room of 5,000 shelves holding 100,000 boxes (20 a shelf), loaded
// into an archive made by dangan-bench-generate, then a real server:
//  - desk scans over HTTP: item into box (the time-ordered rule, boxes filling and the next one
//    made), one-code lookups, boxes onto shelves; latency per scan, median / p99 / max;
//  - a stocktake of the whole room: every shelf's codes posted as one handheld batch, with planted
//    differences (200 boxes swapped between shelves, 50 taken away, 20 foreign labels), and the
//    comparison timed (GET /api/stocktakes/{id}), its findings checked.
//   build/bench/dangan-bench-generate --data bench/out/paper --customers 2000
//   build/bench/dangan-bench-paper bench/out/paper
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "dangan/barcode/own_code.h"
#include "dangan/desks/paper_desk.h"
#include "bench_support.h"
#include "server_process.h"

using namespace dangan::testing;
using dangan::bench::Latencies;
using dangan::bench::exec;
using dangan::barcode::OwnCodeKind;

namespace {

std::string code(OwnCodeKind kind, std::int64_t id) { return dangan::barcode::encodeOwnCode({kind, {std::to_string(id)}}).value(); }

Poco::JSON::Object::Ptr parse(const std::string& body) {
    Poco::JSON::Parser parser;
    return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: dangan-bench-paper DATA_DIR (made by dangan-bench-generate)\n");
        return 2;
    }
    std::filesystem::path data = argv[1];
    constexpr int kShelves = 5000, kPerShelf = 20;

    // Start once so the migrations create the paper tables, then load the room in bulk.
    {
        ServerProcess first(data);
        first.start();
    }
    sqlite3* db = nullptr;
    sqlite3_open((data / "archive.db").c_str(), &db);
    exec(db, "BEGIN");
    exec(db, "DELETE FROM paper_items; DELETE FROM containers; DELETE FROM shelves; DELETE FROM stocktake_reads; DELETE FROM stocktakes");
    {
        sqlite3_stmt* shelf = nullptr;
        sqlite3_prepare_v2(db, "INSERT INTO shelves(id, room, rack, face, level, capacity, voltage_area, created_at) VALUES(?,?,?,?,?,?,'low',0)", -1, &shelf, nullptr);
        sqlite3_stmt* box = nullptr;
        sqlite3_prepare_v2(db, "INSERT INTO containers(id, kind, voltage_area, capacity, items, closed, shelf_id, position, created_at) VALUES(?,'box','low',50,50,1,?,?,0)", -1, &box, nullptr);
        std::int64_t boxId = 0;
        for (int s = 1; s <= kShelves + 50; ++s) {
            bool spare = s > kShelves;  // room B: empty shelves for the shelving scans
            char rack[8], level[8];
            std::snprintf(rack, sizeof rack, "%03d", spare ? 1 + (s - kShelves - 1) / 10 : 1 + (s - 1) / 100);
            std::snprintf(level, sizeof level, "%02d", spare ? 1 + (s - kShelves - 1) % 10 : 1 + ((s - 1) % 100) / 2);
            sqlite3_bind_int64(shelf, 1, s);
            sqlite3_bind_text(shelf, 2, spare ? "库房B" : "库房A", -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(shelf, 3, rack, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(shelf, 4, spare ? "A" : ((s - 1) % 2 ? "B" : "A"), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(shelf, 5, level, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int(shelf, 6, kPerShelf);
            sqlite3_step(shelf);
            sqlite3_reset(shelf);
            if (spare) continue;
            for (int p = 1; p <= kPerShelf; ++p) {
                sqlite3_bind_int64(box, 1, ++boxId);
                sqlite3_bind_int64(box, 2, s);
                sqlite3_bind_int(box, 3, p);
                sqlite3_step(box);
                sqlite3_reset(box);
            }
        }
        sqlite3_finalize(shelf);
        sqlite3_finalize(box);
    }
    exec(db, "COMMIT");
    // Items of low-voltage customers, for the item-into-box scans.
    std::vector<std::int64_t> items;
    {
        sqlite3_stmt* s = nullptr;
        sqlite3_prepare_v2(db, "SELECT d.lineage_id, c.voltage FROM documents d JOIN customers c ON c.id = d.customer_id WHERE d.version = 1 LIMIT 20000", -1, &s, nullptr);
        while (sqlite3_step(s) == SQLITE_ROW && items.size() < 1000)
            if (dangan::server::voltageAreaOf(reinterpret_cast<const char*>(sqlite3_column_text(s, 1))) == "low")
                items.push_back(sqlite3_column_int64(s, 0));
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    std::fprintf(stderr, "loaded %d shelves, %d boxes; %zu items to place\n", kShelves, kShelves * kPerShelf, items.size());

    ServerProcess server(data);
    server.start();
    HttpClient desk(server.port());
    desk.login("admin", "bench-admin-1");
    auto scan = [&](const std::vector<std::string>& codes, Latencies& latencies) {
        std::string body = "{\"codes\":[";
        for (std::size_t i = 0; i < codes.size(); ++i) body += (i ? ",\"" : "\"") + codes[i] + "\"";
        body += "]}";
        auto start = std::chrono::steady_clock::now();
        auto reply = desk.postJson("/api/shelving/scan", body);
        latencies.add(start);
        return reply;
    };

    // Items into boxes, following the desk's proposals.
    Latencies placing, looking, shelving;
    std::string box = parse(scan({code(OwnCodeKind::Document, items.front())}, looking).body)->getValue<std::string>("proposal");
    std::vector<std::string> filled{box};
    int refused = 0;
    for (auto item : items) {
        auto reply = scan({code(OwnCodeKind::Document, item), box}, placing);
        if (reply.status != 200) {
            ++refused;
            continue;
        }
        auto answer = parse(reply.body);
        if (!answer->isNull("next_box")) {
            box = answer->getValue<std::string>("next_box");
            filled.push_back(box);
        }
    }
    // Lookups of boxes anywhere in the room.
    std::mt19937 rng(7);
    for (int i = 0; i < 1000; ++i) scan({code(OwnCodeKind::Box, 1 + rng() % (kShelves * kPerShelf))}, looking);
    // The boxes just filled onto the spare shelves of room B.
    for (const auto& b : filled) {
        auto proposal = parse(scan({b}, looking).body);
        if (!proposal->isNull("proposal")) scan({b, proposal->getValue<std::string>("proposal")}, shelving);
    }
    std::printf("desk: item into box: %s (%d refused)\n", placing.summary("scans").c_str(), refused);
    std::printf("desk: one-code lookup: %s\n", looking.summary("scans").c_str());
    std::printf("desk: box onto shelf: %s\n", shelving.summary("scans").c_str());
    Latencies all;
    for (auto* l : {&placing, &looking, &shelving}) all.ms.insert(all.ms.end(), l->ms.begin(), l->ms.end());
    std::printf("desk: every scan: %s\n", all.summary("scans").c_str());

    // The stocktake of room A with planted differences.
    std::vector<std::vector<std::int64_t>> shelves(kShelves + 1);
    for (int s = 1; s <= kShelves; ++s)
        for (int p = 1; p <= kPerShelf; ++p) shelves[s].push_back((s - 1) * kPerShelf + p);
    for (int i = 0; i < 100; ++i) {  // 100 swaps between 200 distinct shelves: 200 boxes misplaced
        int a = 1 + i * 50, b = 26 + i * 50;
        std::swap(shelves[a][static_cast<std::size_t>(i % kPerShelf)], shelves[b][static_cast<std::size_t>((i + 7) % kPerShelf)]);
    }
    std::string batch;
    int removed = 0;
    for (int s = 1; s <= kShelves; ++s) {
        batch += code(OwnCodeKind::Location, s) + "\n";
        for (auto b : shelves[s]) {
            if (s % 100 == 0 && removed < 50 && b % 3 == 0 && b > (s - 1) * kPerShelf && b <= s * kPerShelf) {
                ++removed;  // taken away: missing
                continue;
            }
            batch += code(OwnCodeKind::Box, b) + "\n";
        }
        if (s % 250 == 0) batch += "INV-" + std::to_string(s) + "\n";  // 20 foreign labels
    }
    auto started = desk.postJson("/api/stocktakes", R"({"room":"库房A"})");
    auto id = std::to_string(parse(started.body)->getValue<std::int64_t>("id"));
    auto upload = std::chrono::steady_clock::now();
    auto posted = desk.send("POST", "/api/stocktakes/" + id + "/reads", batch, "text/plain");
    double postSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - upload).count();
    if (posted.status != 200) {
        std::fprintf(stderr, "reads: %d %s\n", posted.status, posted.body.c_str());
        return 1;
    }
    std::vector<double> compare;
    Poco::JSON::Object::Ptr report;
    for (int i = 0; i < 5; ++i) {
        auto start = std::chrono::steady_clock::now();
        auto reply = desk.get("/api/stocktakes/" + id);
        compare.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        report = parse(reply.body);
    }
    std::sort(compare.begin(), compare.end());
    auto count = [&](const char* list) { return report->getArray(list)->size(); };
    bool ok = count("missing") == static_cast<std::size_t>(removed) && count("misplaced") == 200 && count("unexpected") == 20;
    std::printf("stocktake: %d shelves, %d positions expected, %d codes read (%.1f MB batch posted in %.2f s); "
                "compare median %.2f s, max %.2f s; missing %zu (planted %d), misplaced %zu (planted 200), unexpected %zu (planted 20): %s\n",
                report->getValue<int>("shelves_read"), report->getValue<int>("expected"), report->getValue<int>("read"),
                static_cast<double>(batch.size()) / 1e6, postSeconds, compare[2], compare[4], count("missing"), removed,
                count("misplaced"), count("unexpected"), ok ? "all found" : "MISMATCH");
    return ok ? 0 : 1;
}
