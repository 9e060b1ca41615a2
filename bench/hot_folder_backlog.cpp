// A migration through the hot folder: N scanned pages (unique single-page JPEGs of a Chinese form,
// 100 dpi so that 20,000 of them fit in minutes) prepared beside the folder and dropped into it at
// once (renamed in, as a copy onto the share would land), with a real server watching. Reports
// the time until every file has left the folder, the files in done/ and failed/, the server's
// peak memory, and checks in the database that each file became exactly one batch.
//   build/bench/dangan-bench-backlog [files=20000]
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "scanned_forms.h"
#include "server_process.h"

using namespace dangan::testing;
namespace fs = std::filesystem;

namespace {

std::size_t filesIn(const fs::path& folder, const std::string& suffix = "") {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(folder))
        if (e.is_regular_file() && (suffix.empty() || e.path().string().ends_with(suffix))) ++n;
    return n;
}

long long queryNumber(sqlite3* db, const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) return -1;
    long long n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    return n;
}

}  // namespace

int main(int argc, char** argv) {
    const int files = argc > 1 ? std::stoi(argv[1]) : 20000;
    TempDir dir;
    fs::path prepared = dir.path() / "prepared", folder = dir.path() / "scans";
    fs::create_directories(prepared);

    std::fprintf(stderr, "preparing %d scans...\n", files);
    std::vector<std::string> forms;
    for (unsigned s = 1; s <= 5; ++s)
        forms.push_back(renderPdfPages(formPdf({{"用电申请书", {{"户号", "3300000001"}, {"户名", "张伟"}}, s}}), 100).at(0));
    std::atomic<int> next{0};
    std::atomic<std::uint64_t> bytes{0};
    auto make = [&] {
        for (int i = next++; i < files; i = next++) {
            // Each page its own speckles: every file has different bytes, as real scans do.
            ScanDamage damage{0, (i % 5) * 0.6 - 1.2, false, 0.001, 75, static_cast<unsigned>(i + 1)};
            auto jpeg = damagedScan(forms[static_cast<std::size_t>(i) % forms.size()], damage);
            char name[32];
            std::snprintf(name, sizeof name, "scan-%06d.jpg", i);
            std::ofstream(prepared / name, std::ios::binary) << jpeg;
            bytes += jpeg.size();
        }
    };
    std::vector<std::thread> makers;
    for (unsigned t = 0; t < std::max(1u, std::thread::hardware_concurrency()); ++t) makers.emplace_back(make);
    for (auto& t : makers) t.join();

    ServerProcess server(dir.path() / "data", {"--watch", folder.string(), "--watch-settle", "2000"});
    server.start();
    auto start = std::chrono::steady_clock::now();
    for (const auto& e : fs::directory_iterator(prepared)) fs::rename(e.path(), folder / e.path().filename());
    std::fprintf(stderr, "dropped %d files (%.0f MB) into the hot folder\n", files, bytes / 1e6);

    long peak = 0;
    std::size_t left = static_cast<std::size_t>(files);
    while (left > 0) {
        std::this_thread::sleep_for(std::chrono::seconds(5));
        left = filesIn(folder);
        peak = server.peakResidentKib();
        double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::fprintf(stderr, "%6.0f s: %zu left in the folder, peak RSS %.0f MB\n", elapsed, left, peak / 1024.0);
    }
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    peak = server.peakResidentKib();
    server.terminate();

    std::size_t done = filesIn(folder / "done"), failed = filesIn(folder / "failed", ".reason.txt");
    sqlite3* db = nullptr;
    sqlite3_open_v2((dir.path() / "data" / "archive.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    long long batches = queryNumber(db, "SELECT COUNT(*) FROM batches WHERE source='watch'");
    long long names = queryNumber(db, "SELECT COUNT(DISTINCT source_name) FROM batches WHERE source='watch'");
    long long contents = queryNumber(db, "SELECT COUNT(DISTINCT sha256) FROM batch_files");
    long long pages = queryNumber(db, "SELECT COUNT(*) FROM batch_pages");
    long long unfinished = queryNumber(db, "SELECT COUNT(*) FROM batches WHERE state NOT IN ('done')");
    sqlite3_close(db);

    bool ok = done == static_cast<std::size_t>(files) && failed == 0 && batches == files && names == files &&
              contents == files && pages == files && unfinished == 0;
    std::printf("files %d (%.0f MB): all out of the folder in %.0f s (%.1f files/s); done/ %zu, failed/ %zu; "
                "batches %lld for %lld names and %lld distinct files, pages %lld, not done %lld; server peak RSS %.0f MB: %s\n",
                files, bytes / 1e6, elapsed, files / elapsed, done, failed, batches, names, contents, pages, unfinished,
                peak / 1024.0, ok ? "no loss, no duplicates" : "MISMATCH");
    return ok ? 0 : 1;
}
