// Batch ingest without OCR: N scanned A4 pages at 300 dpi (grayscale JPEG, each with its own skew,
// orientation and noise) posted as one batch to a real server; reports pages per second from the
// answer of POST /api/batches to the batch's `done`, and the server's peak memory (VmHWM).
//   build/bench/dangan-bench-ingest [pages=500]
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "scanned_forms.h"
#include "server_process.h"

using namespace dangan::testing;

int main(int argc, char** argv) {
    int pages = argc > 1 ? std::stoi(argv[1]) : 500;
    std::fprintf(stderr, "rendering %d pages...\n", pages);
    std::vector<std::string> forms;
    for (unsigned s = 1; s <= 5; ++s)
        forms.push_back(renderPdfPages(formPdf({{"用电申请书", {{"户号", "3300000001"}, {"户名", "张伟"}}, s}}), 300).at(0));
    std::vector<FilePart> parts;
    std::size_t bytes = 0;
    for (int i = 0; i < pages; ++i) {
        ScanDamage damage{i % 7 == 0 ? 2 : 0, (i % 5) * 0.6 - 1.2, false, 0.0005, 80, static_cast<unsigned>(i)};
        parts.push_back({"files", "page" + std::to_string(i) + ".jpg", "image/jpeg", damagedScan(forms[i % 5], damage)});
        bytes += parts.back().bytes.size();
    }
    TempDir dir;
    ServerProcess server(dir.path() / "data");
    server.start();
    HttpClient client(server.port());
    client.login("admin", kAdminPassword);
    auto start = std::chrono::steady_clock::now();
    auto reply = client.postMultipart("/api/batches", {}, parts);
    if (reply.status != 202) {
        std::fprintf(stderr, "POST /api/batches: %d %s\n", reply.status, reply.body.c_str());
        return 1;
    }
    auto acknowledged = std::chrono::steady_clock::now();
    Poco::JSON::Parser parser;
    auto id = parser.parse(reply.body).extract<Poco::JSON::Object::Ptr>()->getValue<std::int64_t>("id");
    std::string state;
    while (state != "done" && state != "failed") {
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
        Poco::JSON::Parser p;
        state = p.parse(client.get("/api/batches/" + std::to_string(id)).body).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("state");
    }
    auto done = std::chrono::steady_clock::now();
    double upload = std::chrono::duration<double>(acknowledged - start).count();
    double work = std::chrono::duration<double>(done - acknowledged).count();
    std::printf("pages %d, %.1f MB of JPEG; upload acknowledged in %.1f s; cleaned, read and recorded in %.1f s: %.1f pages/s; state %s; server peak RSS %.0f MB\n",
                pages, bytes / 1e6, upload, work, pages / work, state.c_str(), server.peakResidentKib() / 1024.0);
    return state == "done" ? 0 : 1;
}
