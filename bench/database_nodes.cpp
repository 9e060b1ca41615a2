// Filing and e-file reads through the repositories, on SQLite or on PostgreSQL with one or two
// nodes (two Database objects, each with its own connections, as two servers have).
//
//   dangan-bench-nodes DIR|postgresql://… NODES CUSTOMERS DOCUMENTS
//
// Files DOCUMENTS two-page documents over CUSTOMERS customers from NODES nodes, two threads each,
// then reads customers' current documents (the e-file's query) from four threads for 10 s.
// Prints documents filed a second, reads a second and the reads' p50/p99.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <random>
#include <thread>
#include <vector>

#include "dangan/storage/database.h"
#include "dangan/storage/stores.h"

using namespace dangan::storage;
using Stopwatch = std::chrono::steady_clock;

int main(int argc, char** argv) {
    if (argc != 5) {
        std::cerr << "usage: dangan-bench-nodes DIR|postgresql://USER@HOST:PORT/DB NODES CUSTOMERS DOCUMENTS\n";
        return 64;
    }
    std::string where = argv[1];
    int nodes = std::atoi(argv[2]), customers = std::atoi(argv[3]), documents = std::atoi(argv[4]);
    DatabaseOptions options;
    if (where.starts_with("postgres")) options.url = where;
    else options.path = std::filesystem::path(where) / "archive.db";
    options.readers = 4;
    std::vector<std::unique_ptr<Database>> dbs;
    std::vector<Stores> stores;
    for (int n = 0; n < nodes; ++n) {
        dbs.push_back(Database::open(options));
        stores.push_back(makeSqlStores(*dbs.back()));
    }
    User filer;
    filer.username = "bench" + std::to_string(std::random_device{}());
    filer.passwordHash = "x";
    filer.roles = {"archivist"};
    auto made = stores[0].users->create(filer, {std::nullopt, "system"});
    if (!made) return 1;
    Actor actor{made->id, made->username};
    std::vector<CustomerFields> rows;
    for (int c = 0; c < customers; ++c) {
        std::string account = std::to_string(3300000000LL + c);
        rows.push_back({account, "客户" + std::to_string(c), "福州市鼓楼区五四路" + std::to_string(c) + "号", "", "", "", "鼓楼供电所"});
    }
    (void)stores[0].customers->upsert(rows, actor);
    std::vector<std::int64_t> ids;
    for (const auto& r : rows) ids.push_back(stores[0].customers->findByAccountNo(r.accountNo)->id);

    std::atomic<int> next{0}, failed{0};
    auto start = Stopwatch::now();
    std::vector<std::thread> filers;
    for (int n = 0; n < nodes; ++n)
        for (int t = 0; t < 2; ++t)
            filers.emplace_back([&, n] {
                for (int i = next++; i < documents; i = next++) {
                    NewPage page;
                    page.sha256[0] = static_cast<std::uint8_t>(i);
                    page.sha256[1] = static_cast<std::uint8_t>(i >> 8);
                    page.sha256[2] = static_cast<std::uint8_t>(i >> 16);
                    page.byteSize = 100000;
                    page.mediaType = "image/jpeg";
                    page.width = 2480;
                    page.height = 3508;
                    NewDocument doc{ids[static_cast<std::size_t>(i % customers)], "低压居民新装", "", "用电申请书", std::nullopt, "", {page, page},
                                    "B-", [](std::int64_t item) { return "B-" + std::to_string(item); }};
                    if (!stores[static_cast<std::size_t>(n)].documents->file(doc, actor)) ++failed;
                }
            });
    for (auto& f : filers) f.join();
    double fileSeconds = std::chrono::duration<double>(Stopwatch::now() - start).count();

    std::vector<std::vector<double>> latencies(4);
    auto until = Stopwatch::now() + std::chrono::seconds(10);
    std::vector<std::thread> readers;
    for (int t = 0; t < 4; ++t)
        readers.emplace_back([&, t] {
            std::mt19937 random(static_cast<unsigned>(t));
            auto& node = stores[static_cast<std::size_t>(t % nodes)];
            while (Stopwatch::now() < until) {
                auto at = Stopwatch::now();
                (void)node.documents->currentDocuments(ids[random() % ids.size()]);
                latencies[static_cast<std::size_t>(t)].push_back(std::chrono::duration<double, std::milli>(Stopwatch::now() - at).count());
            }
        });
    for (auto& r : readers) r.join();
    std::vector<double> all;
    for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    std::cout << (options.url.empty() ? "sqlite" : "postgresql") << " nodes=" << nodes << " customers=" << customers
              << " documents=" << documents << " refused=" << failed.load() << "\n"
              << "filing: " << static_cast<int>(documents / fileSeconds) << " documents/s (" << fileSeconds << " s)\n"
              << "e-file reads: " << static_cast<int>(static_cast<double>(all.size()) / 10.0) << "/s, p50 "
              << all[all.size() / 2] << " ms, p99 " << all[all.size() * 99 / 100] << " ms\n";
    return failed.load() == 0 ? 0 : 1;
}
