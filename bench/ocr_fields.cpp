// dangan-bench-ocr N [CUSTOMERS]: OCR of key fields on N generated scanned papers (varied
// layouts, fonts, handwriting-like fills, 200/300 dpi, skew, blur, noise, 1 in 10 upside down),
// each cleaned as the scanning desk cleans it, then read by the reading desk's PageReader with
// one Tesseract engine per core. Reports per field: exact, left unreadable, wrong; document
// types; links against CUSTOMERS generated customers (filed, review, wrong); CPU seconds per
// page and pages per second with both cores; and how much of the prose below the fields the full
// text holds. BENCH_VERBOSE=1 lists every miss; BENCH_DUMP=DIR also writes each page with a miss
// to DIR/page-N.jpg, as the reader got it (for `dangan read`), and BENCH_DUMP_ALL=1 every page.
// BENCH_CACHE=DIR keeps the generated pages for the next run. For reference, the same engines
// then read the first 100 pages (BENCH_REFERENCE=N for another number, 0 for none) the way a
// general document manager does: one full-page Tesseract pass at the scan's resolution.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "customer_papers.h"
#include "ocr_bench.h"
#include "dangan/ocr/page_reader.h"
#include "dangan/scanner/scan_file.h"
#include "dangan/desks/page_linker.h"
#include "dangan/desks/reading_desk.h"
#include "leptonica_owners.h"

using namespace dangan;
using bench::FieldTally;
using bench::threadCpuMicros;

namespace {

// BENCH_CACHE=DIR keeps each generated page, cleaned, with its truth, so that a rerun on the same
// pages skips generating them (page N of the same customer count is always the same paper).
std::string cachePath(const char* dir, int page, std::size_t customers, const char* what) {
    return std::string(dir) + "/paper-" + std::to_string(page) + "-of-" + std::to_string(customers) + "." + what;
}

void saveCached(const char* dir, int page, std::size_t customers, const testing::PaperTruth& truth, const std::string& cleaned) {
    std::ofstream(cachePath(dir, page, customers, "jpg"), std::ios::binary) << cleaned;
    std::ofstream out(cachePath(dir, page, customers, "truth"), std::ios::binary);
    out << "doc_type\t" << truth.docType << "\nbusiness\t" << truth.businessType << "\ndpi\t" << truth.dpi
        << "\nquarters\t" << truth.quarters << "\n";
    for (const auto& [name, value] : truth.fields) out << "field\t" << name << "\t" << value << "\n";
    for (const auto& line : truth.prose) out << "prose\t" << line << "\n";
}

bool loadCached(const char* dir, int page, std::size_t customers, testing::PaperTruth& truth, std::string& cleaned) {
    std::ifstream image(cachePath(dir, page, customers, "jpg"), std::ios::binary), in(cachePath(dir, page, customers, "truth"));
    if (!image || !in) return false;
    cleaned.assign(std::istreambuf_iterator<char>(image), std::istreambuf_iterator<char>());
    for (std::string line; std::getline(in, line);) {
        auto tab = line.find('\t');
        if (tab == std::string::npos) return false;
        std::string key = line.substr(0, tab), value = line.substr(tab + 1);
        if (key == "doc_type") truth.docType = value;
        else if (key == "business") truth.businessType = value;
        else if (key == "dpi") truth.dpi = std::stoi(value);
        else if (key == "quarters") truth.quarters = std::stoi(value);
        else if (key == "prose") truth.prose.push_back(value);
        else if (key == "field") {
            auto second = value.find('\t');
            if (second == std::string::npos) return false;
            truth.fields[value.substr(0, second)] = value.substr(second + 1);
        }
    }
    return !cleaned.empty();
}

}  // namespace

int main(int argc, char** argv) {
    if (!std::getenv("OMP_THREAD_LIMIT")) {
        std::fprintf(stderr, "run with OMP_THREAD_LIMIT=1 (see ocr/tesseract_engine.h)\n");
        return 64;
    }
    int pages = argc > 1 ? std::atoi(argv[1]) : 100;
    int customerCount = argc > 2 ? std::atoi(argv[2]) : 500;
    auto customers = testing::paperCustomers(customerCount, 2026);
    std::vector<storage::Customer> records;
    for (std::size_t i = 0; i < customers.size(); ++i) {
        const auto& c = customers[i];
        records.push_back({static_cast<std::int64_t>(i + 1), {c.accountNo, c.name, c.address, c.phone, c.idNumber, "0.4kV", "城区供电所"}, 0, 0});
    }

    std::fprintf(stderr, "generating %d pages...\n", pages);
    const char* cache = std::getenv("BENCH_CACHE");
    struct Item {
        int customer;
        testing::PaperScan scan;
        std::string cleaned;  // as the scanning desk files it
    };
    std::vector<Item> items(static_cast<std::size_t>(pages));
    {
        std::atomic<int> next{0};
        auto make = [&] {
            for (int i; (i = next++) < pages;) {
                auto& item = items[static_cast<std::size_t>(i)];
                item.customer = static_cast<int>((static_cast<unsigned>(i) * 2654435761u) % customers.size());
                if (cache && loadCached(cache, i + 1, customers.size(), item.scan.truth, item.cleaned)) continue;
                item.scan = testing::customerPaper(customers[static_cast<std::size_t>(item.customer)],
                                                   testing::variedPaper(static_cast<unsigned>(i + 1)));
                auto file = scanner::ScanFile::open(std::make_shared<const std::string>(item.scan.jpeg), {});
                auto page = file->cleanPage(0, {});
                item.cleaned = page && page->cleanedJpeg ? *page->cleanedJpeg : item.scan.jpeg;
                if (cache) saveCached(cache, i + 1, customers.size(), item.scan.truth, item.cleaned);
            }
        };
        std::thread a(make), b(make);
        a.join();
        b.join();
    }

    std::fprintf(stderr, "reading...\n");
    std::vector<ocr::PageReading> readings(items.size());
    std::vector<std::int64_t> cpu(items.size()), keyFieldCpu(items.size());
    auto vocabulary = server::readerVocabulary({10, ""});
    std::atomic<int> next{0};
    auto wallStart = std::chrono::steady_clock::now();
    auto read = [&] {
        ocr::TesseractEngine engine;
        ocr::PageReader reader(vocabulary);
        for (int i; (i = next++) < pages;) {
            auto start = threadCpuMicros();
            auto keyFields = reader.readKeyFields(engine, items[static_cast<std::size_t>(i)].cleaned);
            keyFieldCpu[static_cast<std::size_t>(i)] = threadCpuMicros() - start;
            readings[static_cast<std::size_t>(i)] = reader.readProse(engine, std::move(keyFields));
            cpu[static_cast<std::size_t>(i)] = threadCpuMicros() - start;
        }
    };
    int workers = std::getenv("BENCH_WORKERS") ? std::max(1, std::atoi(std::getenv("BENCH_WORKERS")))
                                               : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    {
        std::vector<std::thread> threads;
        for (int w = 0; w < workers; ++w) threads.emplace_back(read);
        for (auto& t : threads) t.join();
    }
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();

    // The reference: a full-page pass (Tesseract's own page layout, every line read once), timed
    // the same way, on the same engines, on the same cleaned pages.
    int referencePages = std::min(pages, std::getenv("BENCH_REFERENCE") ? std::atoi(std::getenv("BENCH_REFERENCE")) : 100);
    std::atomic<std::int64_t> referenceCpu{0};
    {
        std::atomic<int> nextReference{0};
        auto readWhole = [&] {
            ocr::TesseractEngine engine;
            for (int i; (i = nextReference++) < referencePages;) {
                const auto& bytes = items[static_cast<std::size_t>(i)].cleaned;
                testing::PixPtr page(pixReadMem(reinterpret_cast<const l_uint8*>(bytes.data()), bytes.size()));
                if (!page) continue;
                int dpi = pixGetXRes(page.get()) > 0 ? pixGetXRes(page.get()) : 300;
                auto start = threadCpuMicros();
                (void)engine.readPage(page.get(), dpi);  // only its time counts
                referenceCpu += threadCpuMicros() - start;
            }
        };
        std::vector<std::thread> threads;
        for (int w = 0; w < workers; ++w) threads.emplace_back(readWhole);
        for (auto& t : threads) t.join();
    }

    std::map<std::string, FieldTally> tally;
    int docTypeRight = 0, linked = 0, wrongLinks = 0, review = 0, upsideDown = 0, upsideDownLinked = 0;
    std::int64_t cpuTotal = 0, keyFieldCpuTotal = 0;
    int proseLines = 0, proseFound = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto& truth = items[i].scan.truth;
        const auto& reading = readings[i];
        cpuTotal += cpu[i];
        keyFieldCpuTotal += keyFieldCpu[i];
        for (const auto& line : truth.prose) {
            ++proseLines;
            if (ocr::containment(reading.text, line) >= 0.9) ++proseFound;
        }
        if (reading.docType == truth.docType) ++docTypeRight;
        bool missed = false;
        for (const auto& [name, value] : truth.fields) {
            auto& t = tally[name];
            missed = missed || !reading.fields.contains(name) || reading.fields.at(name).value != value;
            ++t.carried;
            auto it = reading.fields.find(name);
            if (it == reading.fields.end()) {
                ++t.unreadable;
                if (std::getenv("BENCH_VERBOSE"))
                    std::fprintf(stderr, "page %zu %s: unreadable, printed '%s'\n", i + 1, name.c_str(), value.c_str());
            }
            else if (it->second.value == value) ++t.exact;
            else {
                ++t.wrong;
                if (std::getenv("BENCH_VERBOSE"))
                    std::fprintf(stderr, "page %zu %s: read '%s', printed '%s'\n", i + 1, name.c_str(), it->second.value.c_str(), value.c_str());
            }
        }
        if (const char* dump = std::getenv("BENCH_DUMP"); dump && (missed || std::getenv("BENCH_DUMP_ALL")))
            std::ofstream(std::string(dump) + "/page-" + std::to_string(i + 1) + ".jpg", std::ios::binary) << items[i].cleaned;
        server::ReadFields fields;
        for (const auto& [name, value] : reading.fields) fields[name] = value.value;
        std::vector<storage::Customer> candidates;
        for (const auto& r : records)
            if ((fields.contains("account_no") && r.fields.accountNo == fields["account_no"]) ||
                (fields.contains("id_number") && r.fields.idNumber == fields["id_number"]) ||
                (fields.contains("name") && r.fields.name == fields["name"]))
                candidates.push_back(r);
        auto decision = server::decideLink(fields, candidates);
        if (truth.quarters == 2) ++upsideDown;
        if (decision.customer) {
            ++linked;
            if (truth.quarters == 2) ++upsideDownLinked;
            if (decision.customer->id != items[i].customer + 1) ++wrongLinks;
        } else {
            ++review;
        }
    }
    std::printf("pages %d (customers %d, %d upside down), workers %d\n", pages, customerCount, upsideDown, workers);
    std::printf("%-15s %8s %8s %11s %8s\n", "field", "carried", "exact", "unreadable", "wrong");
    for (auto name : ocr::kFieldNames) {
        auto it = tally.find(std::string(name));
        if (it == tally.end()) continue;
        const auto& t = it->second;
        std::printf("%-15s %8d %7.1f%% %10.1f%% %7.1f%%\n", std::string(name).c_str(), t.carried, 100.0 * t.exact / t.carried,
                    100.0 * t.unreadable / t.carried, 100.0 * t.wrong / t.carried);
    }
    std::printf("doc_type right  %.1f%%\n", 100.0 * docTypeRight / pages);
    std::printf("links: filed %d (%.1f%%), review %d (%.1f%%), wrong %d; upside-down pages filed %d of %d\n", linked,
                100.0 * linked / pages, review, 100.0 * review / pages, wrongLinks, upsideDownLinked, upsideDown);
    std::printf("full text: %.1f%% of %d prose lines read with at most 1 character in 10 wrong\n",
                100.0 * proseFound / std::max(1, proseLines), proseLines);
    std::printf("CPU per page: key fields %.3f s, with the full text %.3f s; %.2f pages/s with %d engines\n",
                static_cast<double>(keyFieldCpuTotal) / 1e6 / pages, static_cast<double>(cpuTotal) / 1e6 / pages,
                pages / wall, workers);
    if (referencePages > 0) {
        double reference = static_cast<double>(referenceCpu) / 1e6 / referencePages;
        std::printf("reference, a full-page Tesseract pass at the scan's resolution (first %d pages, %d engines): %.3f CPU-s a page; key fields take %.0f%% of it\n",
                    referencePages, workers, reference, 100.0 * static_cast<double>(keyFieldCpuTotal) / 1e6 / pages / reference);
    }
    return 0;
}
