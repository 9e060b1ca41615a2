// OCR throughput on several nodes: the same pages read by one server with two Tesseract engines,
// then by one server and one `dangan worker` with one engine each, on one PostgreSQL database
// (its own, on loopback, fsync on). Each run has a database of its own in which the same pages are
// filed first with OCR off; the clock runs from the readers' start until no page is left to read
// (key fields and full text).
//
//   dangan-bench-ocr-nodes [PAGES]        (default 60; varied customer papers, 200 and 300 dpi)
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <Poco/JSON/Object.h>

#include "customer_papers.h"
#include "dangan/storage/database.h"
#include "server_process.h"
#include "test_database.h"

extern char** environ;

using namespace dangan::testing;
namespace fs = std::filesystem;
using Stopwatch = std::chrono::steady_clock;

namespace {

pid_t spawn(std::vector<std::string> argv) {
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    // Its output (the port, the log) goes nowhere: this program prints the figures.
    posix_spawn_file_actions_t quiet;
    posix_spawn_file_actions_init(&quiet);
    posix_spawn_file_actions_addopen(&quiet, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&quiet, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    int failed = ::posix_spawn(&pid, args[0], &quiet, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&quiet);
    if (failed != 0) throw std::runtime_error("cannot start " + argv[0]);
    return pid;
}

void stop(pid_t pid) {
    ::kill(pid, SIGTERM);
    int status = 0;
    ::waitpid(pid, &status, 0);
}

// Pages still to read: queued, or read for their key fields and not yet for their full text.
std::int64_t unread(const std::string& url) {
    auto db = dangan::storage::Database::open({.url = url, .readers = 1});
    return db->read([](dangan::storage::Connection& c) {
        auto s = c.prepare("SELECT count(*) FROM page_readings WHERE state = 'queued' OR (state = 'done' AND full_text = 0)");
        return s.step() ? s.int64(0) : -1;
    });
}

struct Run {
    std::string name;
    std::vector<std::vector<std::string>> nodes;  // each: serve or worker, with its OCR engines
};

}  // namespace

int main(int argc, char** argv) {
    int pages = argc > 1 ? std::atoi(argv[1]) : 60;
    ::setenv("OMP_THREAD_LIMIT", "1", 1);
    TempDir dir;
    fs::path cluster = "/var/tmp/dangan-bench-ocr-pg";
    ::setenv("PG_EXTRA_OPTIONS", "-c fsync=on", 1);
    auto started = runCommand({std::string(DANGAN_SOURCE_DIR) + "/tests/support/pg_loopback.sh", "start", cluster.string()}, 120);
    if (started.status != 0) {
        std::fprintf(stderr, "PostgreSQL did not start: %s\n", started.output.c_str());
        return 1;
    }
    std::string base;
    std::ifstream(cluster / "url") >> base;
    struct StopCluster {
        fs::path cluster;
        ~StopCluster() { runCommand({std::string(DANGAN_SOURCE_DIR) + "/tests/support/pg_loopback.sh", "stop", cluster.string()}); }
    } stopCluster{cluster};

    // The pages: varied customer papers, one customer's each.
    auto customers = paperCustomers(pages, 27);
    std::vector<PaperScan> scans;
    for (int i = 0; i < pages; ++i) scans.push_back(customerPaper(customers[static_cast<std::size_t>(i)], variedPaper(5000 + static_cast<unsigned>(i))));
    std::printf("%d pages rendered\n", pages);

    std::vector<Run> runs{{"one server, 2 engines", {{"serve", "--ocr-workers", "2"}}},
                          {"one server and one worker, 1 engine each", {{"serve", "--ocr-workers", "1"}, {"worker", "--ocr-workers", "1"}}}};
    std::vector<double> rates;
    for (std::size_t r = 0; r < runs.size(); ++r) {
        const std::string database = "ocr_run_" + std::to_string(r);
        runCommand({"psql", "-q", "-d", base, "-c", "CREATE DATABASE " + database});
        const std::string url = base.substr(0, base.rfind('/') + 1) + database;
        {
            // Filed with OCR off: every page waits in the queue.
            ServerProcess filing(dir.path() / ("filing-" + std::to_string(r)), {"--database", url, "--ocr-workers", "-1"});
            filing.start();
            HttpClient client(filing.port());
            client.login("admin", kAdminPassword);
            for (int i = 0; i < pages; ++i) {
                const auto& c = customers[static_cast<std::size_t>(i)];
                Poco::JSON::Object row;
                row.set("account_no", c.accountNo);
                row.set("name", c.name);
                std::ostringstream body;
                body << "[";
                row.stringify(body);
                body << "]";
                if (client.postJson("/api/customers", body.str()).status != 200) {
                    std::fprintf(stderr, "import failed\n");
                    return 1;
                }
                auto filed = client.postMultipart("/api/scans", {{"account_no", c.accountNo}, {"process", scans[static_cast<std::size_t>(i)].truth.businessType},
                                                                 {"doc_type", scans[static_cast<std::size_t>(i)].truth.docType}},
                                                  {{"files", "p.jpg", "image/jpeg", scans[static_cast<std::size_t>(i)].jpeg}});
                if (filed.status != 201) {
                    std::fprintf(stderr, "filing failed: %s\n", filed.body.c_str());
                    return 1;
                }
            }
        }
        std::int64_t queued = unread(url);
        std::vector<pid_t> nodes;
        auto start = Stopwatch::now();
        for (std::size_t n = 0; n < runs[r].nodes.size(); ++n) {
            std::vector<std::string> argv{DANGAN_BINARY};
            argv.insert(argv.end(), runs[r].nodes[n].begin(), runs[r].nodes[n].end());
            // One data folder for the run's nodes, as several nodes on one machine share it: the
            // image folder the pages were filed into (each node takes a slot of its own in it).
            fs::path data = dir.path() / ("filing-" + std::to_string(r));
            argv.insert(argv.end(), {"--data", data.string(), "--database", url});
            if (argv[1] == "serve") argv.insert(argv.end(), {"--port", "0", "--host", "127.0.0.1"});
            nodes.push_back(spawn(argv));
        }
        std::int64_t left = queued;
        while (left > 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
            left = unread(url);
        }
        double seconds = std::chrono::duration<double>(Stopwatch::now() - start).count();
        for (auto pid : nodes) stop(pid);
        rates.push_back(static_cast<double>(queued) / seconds);
        std::printf("%s: %lld pages read in %.1f s, %.2f pages/s\n", runs[r].name.c_str(), static_cast<long long>(queued), seconds,
                    rates.back());
    }
    std::printf("server and worker against one process: %.1f %%\n", 100.0 * rates[1] / rates[0]);
    return 0;
}
