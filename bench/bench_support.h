#pragma once
// What the benchmark programs share: bulk SQLite statements that stop the program on an error,
// and latency summaries. Header-only; benchmarks are not tests.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace dangan::bench {

[[noreturn]] inline void die(sqlite3* db, const std::string& what) {
    std::fprintf(stderr, "%s: %s\n", what.substr(0, 200).c_str(), db ? sqlite3_errmsg(db) : "cannot open");
    std::exit(1);
}

inline void exec(sqlite3* db, const std::string& sql) {
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) die(db, sql);
}

// A prepared statement for bulk inserts.
struct Stmt {
    sqlite3* db;
    sqlite3_stmt* s = nullptr;
    Stmt(sqlite3* d, const char* sql) : db(d) {
        if (sqlite3_prepare_v2(d, sql, -1, &s, nullptr) != SQLITE_OK) die(d, sql);
    }
    ~Stmt() { sqlite3_finalize(s); }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    Stmt& text(int i, const std::string& v) {
        sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Stmt& integer(int i, std::int64_t v) {
        sqlite3_bind_int64(s, i, v);
        return *this;
    }
    Stmt& blob(int i, const void* p, int n) {
        sqlite3_bind_blob(s, i, p, n, SQLITE_TRANSIENT);
        return *this;
    }
    Stmt& null(int i) {
        sqlite3_bind_null(s, i);
        return *this;
    }
    void run() {
        if (sqlite3_step(s) != SQLITE_DONE) die(db, "insert");
        sqlite3_reset(s);
    }
};

struct Latencies {
    std::vector<double> ms;
    void add(std::chrono::steady_clock::time_point start) {
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    // "N <what>: median, p99, max".
    std::string summary(const char* what = "requests") {
        if (ms.empty()) return std::string("no ") + what;
        std::sort(ms.begin(), ms.end());
        auto at = [&](double q) { return ms[static_cast<std::size_t>(q * static_cast<double>(ms.size() - 1))]; };
        char text[160];
        std::snprintf(text, sizeof text, "%zu %s: median %.2f ms, p99 %.2f ms, max %.2f ms", ms.size(), what, at(0.5),
                      at(0.99), ms.back());
        return text;
    }
};

}  // namespace dangan::bench
