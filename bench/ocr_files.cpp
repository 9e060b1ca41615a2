// dangan-bench-ocr-files dev|heldout PAGES | samples DIR: OCR, document types and linking on piles
// of customers' files as a scanner takes them in without cover sheets, each page cleaned as the
// scanning desk cleans it, read by the reading desk's PageReader (one Tesseract engine per core),
// split into documents and linked as the batch desk does (splitPile, decideLink,
// linkByNeighbours).
//   dev PAGES      files from customerFile with seeds 1, 2, …: the split the reader may be
//                  looked at against
//   heldout PAGES  files from seeds 1,000,001, … of customers of their own: never looked at while
//                  the reader is changed; its figures are reported, not tuned to
//   samples DIR    ../shared/samples: DIR/truth.json names each page's type and fields
// Reports per page: filed, wrong links, document type; per field: exact, unreadable, wrong
// (names of people and of organisations apart); key-field CPU seconds a page.
// BENCH_VERBOSE=1 lists every miss; BENCH_CACHE=DIR keeps the generated files for the next run;
// BENCH_DUMP=DIR writes every page to DIR as the reader got it (for `dangan read`).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "customer_papers.h"
#include "ocr_bench.h"
#include "dangan/ocr/field_validation.h"
#include "dangan/ocr/page_reader.h"
#include "dangan/scanner/scan_file.h"
#include "dangan/desks/page_linker.h"
#include "dangan/desks/process_rules.h"
#include "dangan/desks/reading_desk.h"

using namespace dangan;
using bench::FieldTally;
using bench::threadCpuMicros;

namespace {

struct Page {
    std::string name;      // where it came from
    std::string image;     // as the reader gets it
    std::size_t customer;  // index into the customers
    std::string docType;
    std::map<std::string, std::string> fields;
};

std::string cleaned(const std::string& scan) {
    auto file = scanner::ScanFile::open(std::make_shared<const std::string>(scan), {});
    auto page = file->cleanPage(0, {});
    return page && page->cleanedJpeg ? *page->cleanedJpeg : scan;
}

// BENCH_CACHE=DIR keeps each generated file's cleaned pages and truth for the next run.
std::string cacheName(const char* dir, const std::string& split, unsigned seed) {
    return std::string(dir) + "/" + split + "-" + std::to_string(seed);
}

void saveFile(const char* dir, const std::string& split, unsigned seed, const std::vector<Page>& file) {
    std::ofstream truth(cacheName(dir, split, seed) + ".truth", std::ios::binary);
    for (std::size_t i = 0; i < file.size(); ++i) {
        std::ofstream(cacheName(dir, split, seed) + "-" + std::to_string(i + 1) + ".jpg", std::ios::binary) << file[i].image;
        truth << "page\t" << file[i].customer << "\t" << file[i].docType << "\n";
        for (const auto& [name, value] : file[i].fields) truth << "field\t" << name << "\t" << value << "\n";
    }
}

std::vector<Page> loadFile(const char* dir, const std::string& split, unsigned seed) {
    std::ifstream truth(cacheName(dir, split, seed) + ".truth", std::ios::binary);
    std::vector<Page> file;
    for (std::string line; std::getline(truth, line);) {
        std::istringstream parts(line);
        std::string kind, a, b;
        std::getline(parts, kind, '\t');
        std::getline(parts, a, '\t');
        std::getline(parts, b);
        if (kind == "page") {
            std::ifstream image(cacheName(dir, split, seed) + "-" + std::to_string(file.size() + 1) + ".jpg", std::ios::binary);
            std::stringstream bytes;
            bytes << image.rdbuf();
            file.push_back({"file " + std::to_string(seed) + " page " + std::to_string(file.size() + 1), bytes.str(),
                            static_cast<std::size_t>(std::stoul(a)), b, {}});
        } else if (kind == "field" && !file.empty()) {
            file.back().fields[a] = b;
        }
    }
    return file;
}

}  // namespace

int main(int argc, char** argv) {
    if (!std::getenv("OMP_THREAD_LIMIT")) {
        std::fprintf(stderr, "run with OMP_THREAD_LIMIT=1 (see ocr/tesseract_engine.h)\n");
        return 64;
    }
    std::string mode = argc > 1 ? argv[1] : "";
    if (argc < 3 || (mode != "dev" && mode != "heldout" && mode != "samples")) {
        std::fprintf(stderr, "usage: dangan-bench-ocr-files dev|heldout PAGES | samples DIR\n");
        return 2;
    }
    std::vector<storage::Customer> records;
    std::vector<Page> pages;
    if (mode == "samples") {
        std::string dir = argv[2];
        std::ifstream in(dir + "/truth.json");
        if (!in) {
            std::fprintf(stderr, "dangan-bench-ocr-files: cannot read %s/truth.json\n", dir.c_str());
            return 1;
        }
        auto truth = Poco::JSON::Parser().parse(in).extract<Poco::JSON::Object::Ptr>();
        auto customers = truth->getArray("customers");
        std::map<std::string, std::size_t> byAccount;
        for (std::size_t i = 0; i < customers->size(); ++i) {
            auto c = customers->getObject(static_cast<unsigned>(i));
            records.push_back({static_cast<std::int64_t>(i + 1),
                               {c->getValue<std::string>("account_no"), c->getValue<std::string>("name"),
                                c->getValue<std::string>("address"), c->getValue<std::string>("phone"),
                                c->getValue<std::string>("id_number"), c->getValue<std::string>("voltage"), "城区供电所"},
                               0, 0});
            byAccount[c->getValue<std::string>("account_no")] = i;
        }
        auto list = truth->getArray("pages");
        for (std::size_t i = 0; i < list->size(); ++i) {
            auto p = list->getObject(static_cast<unsigned>(i));
            Page page{p->getValue<std::string>("file"), "", byAccount.at(p->getValue<std::string>("account_no")),
                      p->getValue<std::string>("doc_type"), {}};
            auto fields = p->getObject("fields");
            for (const auto& name : fields->getNames())
                page.fields[name == "credit_code" ? "id_number" : name] = fields->getValue<std::string>(name);
            std::ifstream image(dir + "/" + page.name, std::ios::binary);
            std::stringstream bytes;
            bytes << image.rdbuf();
            page.image = cleaned(bytes.str());
            pages.push_back(std::move(page));
        }
    } else {
        int wanted = std::atoi(argv[2]);
        bool heldOut = mode == "heldout";
        // Customers of each split's own: the held-out files share no customer with the dev ones.
        auto customers = testing::paperCustomers(200, heldOut ? 4099 : 2026);
        for (std::size_t i = 0; i < customers.size(); ++i) {
            const auto& c = customers[i];
            records.push_back({static_cast<std::int64_t>(i + 1), {c.accountNo, c.name, c.address, c.phone, c.idNumber, "0.4kV", "城区供电所"}, 0, 0});
        }
        std::fprintf(stderr, "generating %d pages of the %s split...\n", wanted, mode.c_str());
        // Files are made on both cores, each cleaned as the scanning desk cleans it; the first
        // files (by seed) that hold the pages wanted are read.
        const char* cache = std::getenv("BENCH_CACHE");
        std::map<unsigned, std::vector<Page>> files;
        std::mutex filesMutex;
        std::atomic<unsigned> nextFile{0};
        std::atomic<int> made{0};
        auto make = [&] {
            while (made < wanted) {
                unsigned f = nextFile++;
                unsigned seed = (heldOut ? 1000001u : 1u) + f;
                std::size_t customer = (f * 2654435761u) % customers.size();
                auto file = cache ? loadFile(cache, mode, seed) : std::vector<Page>{};
                if (file.empty()) {
                    int n = 0;
                    for (auto& scan : testing::customerFile(customers[customer], seed))
                        file.push_back({"file " + std::to_string(seed) + " page " + std::to_string(++n), cleaned(scan.jpeg),
                                        customer, scan.truth.docType, scan.truth.fields});
                    if (cache) saveFile(cache, mode, seed, file);
                }
                made += static_cast<int>(file.size());
                std::lock_guard lock(filesMutex);
                files[f] = std::move(file);
            }
        };
        std::thread a(make), b(make);
        a.join();
        b.join();
        for (auto& [f, file] : files) {
            if (static_cast<int>(pages.size()) >= wanted) break;
            for (auto& p : file) pages.push_back(std::move(p));
        }
    }

    std::fprintf(stderr, "reading %zu pages...\n", pages.size());
    std::vector<ocr::PageReading> readings(pages.size());
    std::vector<std::int64_t> keyCpu(pages.size());
    auto vocabulary = server::readerVocabulary({10, ""});
    std::atomic<std::size_t> next{0};
    auto read = [&] {
        ocr::TesseractEngine engine;
        ocr::PageReader reader(vocabulary);
        for (std::size_t i; (i = next++) < pages.size();) {
            auto start = threadCpuMicros();
            auto keyFields = reader.readKeyFields(engine, pages[i].image);
            keyCpu[i] = threadCpuMicros() - start;
            readings[i] = reader.readProse(engine, std::move(keyFields));
        }
    };
    {
        std::vector<std::thread> threads;
        for (unsigned w = 0; w < std::max(1u, std::thread::hardware_concurrency()); ++w) threads.emplace_back(read);
        for (auto& t : threads) t.join();
    }

    // The pile, as the batch desk splits and links it. The key fields are what the desk has when it
    // files; the document type is the full reading's.
    std::vector<server::PileReading> pile;
    for (const auto& r : readings) {
        server::ReadFields fields;
        for (const auto& [name, value] : r.fields) fields[name] = value.value;
        pile.push_back({fields, r.docType, r.docTypeConfidence,
                        r.docTypeGuesses.size() > 1 ? r.docTypeGuesses[1].type : std::string(), r.continuesDocument});
    }
    auto documents = server::splitPile(pile);
    std::vector<server::LinkDecision> decisions;
    for (const auto& document : documents) {
        std::vector<storage::Customer> candidates;
        for (const auto& r : records)
            if ((document.fields.contains("account_no") && r.fields.accountNo == document.fields.at("account_no")) ||
                (document.fields.contains("id_number") && r.fields.idNumber == document.fields.at("id_number")) ||
                (document.fields.contains("name") && r.fields.name == document.fields.at("name")))
                candidates.push_back(r);
        decisions.push_back(server::decideLink(document.fields, candidates));
    }
    server::linkByNeighbours(decisions);
    // The processes they are filed under, by the default rules, as the batch desk tells them.
    std::ifstream rulesFile(DANGAN_DEFAULT_RULES);
    std::stringstream rulesText;
    rulesText << rulesFile.rdbuf();
    auto rules = server::ProcessRules::parse(rulesText.str());
    if (!rules) {
        std::fprintf(stderr, "dangan-bench-ocr-files: the default rules: %s\n", rules.error().describe().c_str());
        return 1;
    }
    server::ProcessRequires processRequires = [&](const std::string& process, const std::string& docType) {
        return rules->requiresDocument(process, docType);
    };
    auto processes = server::pileProcesses(documents, decisions, processRequires);

    bool verbose = std::getenv("BENCH_VERBOSE") != nullptr;
    int filed = 0, wrong = 0, typeRight = 0, typeUnsure = 0;
    std::map<std::string, FieldTally> tally;
    for (std::size_t d = 0; d < documents.size(); ++d) {
        const auto& document = documents[d];
        const auto& decision = decisions[d];
        // The type the batch desk files it as, by its process when its guesses leave it unsure.
        server::FiledType filedType{document.docType, document.docTypeConfidence >= ocr::kSureDocType};
        if (decision.customer) filedType = server::filedTypeFor(document, *decision.customer, processes[d], processRequires);
        bool sure = filedType.docType.empty() || filedType.sure;
        for (auto i : document.pages) {
            const auto& page = pages[i];
            if (const char* dump = std::getenv("BENCH_DUMP")) {
                std::string file = page.name;
                std::replace(file.begin(), file.end(), ' ', '-');
                std::ofstream(std::string(dump) + "/" + file + ".jpg", std::ios::binary) << page.image;
            }
            // A page is filed automatically when its document is linked, its type is sure and its
            // process known.
            if (decision.customer && sure && !processes[d].empty()) {
                ++filed;
                if (decision.customer->id != static_cast<std::int64_t>(page.customer) + 1) {
                    ++wrong;
                    std::fprintf(stderr, "WRONG LINK %s: filed to %s\n", page.name.c_str(), decision.customer->fields.accountNo.c_str());
                }
            } else if (verbose) {
                std::fprintf(stderr, "%s: review (%s)\n", page.name.c_str(),
                             !decision.customer ? decision.reason.c_str() : !sure ? "document type uncertain" : "process unknown");
            }
            const std::string& filedAs = filedType.docType;
            if (filedAs == page.docType && sure) ++typeRight;
            else if (verbose)
                std::fprintf(stderr, "%s: type %s (%.2f, process %s), printed %s\n", page.name.c_str(), filedAs.c_str(),
                             document.docTypeConfidence, processes[d].c_str(), page.docType.c_str());
            if (!sure) ++typeUnsure;
            // A name as the e-file shows it: corrected by the record it was filed to when a
            // second field agrees (see recordedValueFor).
            // Persons and organisations apart, as the issue asks names reported.
            const std::string filedKey = page.fields.contains("name") && ocr::isOrganisationName(page.fields.at("name"))
                                             ? "name, as filed (organisation)"
                                             : "name, as filed (person)";
            if (page.fields.contains("name") && readings[i].fields.contains("name")) {
                std::string shown = readings[i].fields.at("name").value;
                if (decision.customer) {
                    server::ReadFields read;
                    for (const auto& [n, v] : readings[i].fields) read[n] = v.value;
                    if (auto recorded = server::recordedValueFor("name", shown, read, *decision.customer)) shown = *recorded;
                }
                auto& t = tally[filedKey];
                ++t.carried;
                if (shown == page.fields.at("name")) ++t.exact;
                else ++t.wrong;
            } else if (page.fields.contains("name")) {
                ++tally[filedKey].carried;
                ++tally[filedKey].unreadable;
            }
            for (const auto& [name, value] : page.fields) {
                std::string key = name;
                if (name == "name") key = ocr::isOrganisationName(value) ? "name (organisation)" : "name (person)";
                if (name == "id_number" && value.size() == 18 && ocr::checkResidentId(value)) key = "credit_code";
                auto& t = tally[key];
                ++t.carried;
                auto it = readings[i].fields.find(name);
                if (it == readings[i].fields.end()) ++t.unreadable;
                else if (it->second.value == value) ++t.exact;
                else ++t.wrong;
                if (verbose && (it == readings[i].fields.end() || it->second.value != value))
                    std::fprintf(stderr, "%s %s: read '%s', printed '%s'\n", page.name.c_str(), key.c_str(),
                                 it == readings[i].fields.end() ? "" : it->second.value.c_str(), value.c_str());
            }
        }
    }
    std::int64_t cpu = 0;
    for (auto c : keyCpu) cpu += c;
    auto n = static_cast<double>(pages.size());
    std::printf("%s: %zu pages of %zu customers, %zu documents found\n", mode.c_str(), pages.size(), records.size(), documents.size());
    std::printf("filed automatically %d (%.1f%%), wrong links %d\n", filed, 100.0 * filed / n, wrong);
    std::printf("document type right %d (%.1f%%), left to a person as uncertain %d\n", typeRight, 100.0 * typeRight / n, typeUnsure);
    std::printf("%-30s %8s %8s %11s %8s\n", "field", "carried", "exact", "unreadable", "wrong");
    for (const auto& [name, t] : tally)
        std::printf("%-30s %8d %7.1f%% %10.1f%% %7.1f%%\n", name.c_str(), t.carried, 100.0 * t.exact / t.carried,
                    100.0 * t.unreadable / t.carried, 100.0 * t.wrong / t.carried);
    std::printf("key-field CPU per page %.3f s\n", static_cast<double>(cpu) / 1e6 / n);
    return 0;
}
