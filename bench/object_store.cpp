// The object-store image backend's throughput: every file of a folder staged and committed to an
// S3-compatible store (each with its SHA-256 for the store to check), then each read back whole
// and hashed, one at a time and with several threads at once.
//
//   bench/run_object_store.sh [FOLDER]   (starts Swift on loopback, then runs this)
//   dangan-bench-object-store URL FOLDER [THREADS]  (credentials from DANGAN_S3_ACCESS_KEY/_SECRET_KEY)
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>
#include <vector>

#include <unistd.h>

#include "dangan/storage/object_image_store.h"

namespace fs = std::filesystem;
using namespace dangan::storage;

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: dangan-bench-object-store URL FOLDER [THREADS]\n");
        return 64;
    }
    const char* key = std::getenv("DANGAN_S3_ACCESS_KEY");
    const char* secret = std::getenv("DANGAN_S3_SECRET_KEY");
    if (!key || !secret) {
        std::fprintf(stderr, "dangan-bench-object-store: set DANGAN_S3_ACCESS_KEY and DANGAN_S3_SECRET_KEY\n");
        return 64;
    }
    int threads = argc > 3 ? std::atoi(argv[3]) : 4;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(argv[2]))
        if (entry.is_regular_file()) files.push_back(entry.path());
    fs::path staging = fs::temp_directory_path() / ("dangan-bench-staging-" + std::to_string(::getpid()));
    ObjectImageStore store(parseObjectStoreUrl(argv[1]), {key, secret}, staging);

    std::vector<Digest> digests(files.size());
    std::uint64_t bytes = 0;
    auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < files.size(); ++i) {
        std::ifstream in(files[i], std::ios::binary);
        std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        ImageStaging stage(store.stagingDirectory());
        stage.write(content);
        auto staged = stage.finish();
        digests[i] = staged.digest();
        (void)store.commit(staged);
        bytes += content.size();
    }
    double writeSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    auto readAll = [&](int workers) {
        std::atomic<std::size_t> next = 0;
        std::atomic<bool> whole = true;
        auto began = std::chrono::steady_clock::now();
        std::vector<std::thread> pool;
        for (int w = 0; w < workers; ++w)
            pool.emplace_back([&] {
                for (std::size_t i; (i = next++) < digests.size();) {
                    auto in = store.open(digests[i]);
                    Sha256 hash;
                    char buffer[65536];
                    while (in && *in) {
                        in->read(buffer, sizeof buffer);
                        hash.update(std::string_view(buffer, static_cast<std::size_t>(in->gcount())));
                    }
                    if (!in || hash.finish() != digests[i]) whole = false;
                }
            });
        for (auto& t : pool) t.join();
        return std::pair{std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count(), whole.load()};
    };
    auto [readOne, wholeOne] = readAll(1);
    auto [readMany, wholeMany] = readAll(threads);
    double mb = static_cast<double>(bytes) / 1e6;
    std::printf("%zu images, %.1f MB\n", files.size(), mb);
    std::printf("write (commit, one at a time): %.2f s, %.1f images/s, %.1f MB/s\n", writeSeconds, files.size() / writeSeconds, mb / writeSeconds);
    std::printf("read back and hash, 1 thread: %.2f s, %.1f images/s, %.1f MB/s%s\n", readOne, files.size() / readOne, mb / readOne,
                wholeOne ? "" : "  (SOME DIFFERED)");
    std::printf("read back and hash, %d threads: %.2f s, %.1f images/s, %.1f MB/s%s\n", threads, readMany, files.size() / readMany,
                mb / readMany, wholeMany ? "" : "  (SOME DIFFERED)");
    fs::remove_all(staging);
    return wholeOne && wholeMany ? 0 : 1;
}
