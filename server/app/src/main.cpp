#include <malloc.h>
// dangan: the customer archive server and its maintenance commands.

#include <sys/stat.h>

#include <cstdlib>
#include <cstring>
#include <unistd.h>
#include <algorithm>
#include <expected>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include <Poco/JSON/Object.h>

#include <ctime>

#include "dangan/ocr/page_reader.h"
#include "dangan/scanner/page_image.h"
#include "dangan/scanner/scan_file.h"
#include "dangan/app/archive.h"
#include "dangan/storage/archive_backup.h"
#include "dangan/storage/database_migration.h"
#include "dangan/desks/reading_desk.h"
#include "dangan/http/reading_json.h"
#include "serve_command.h"

namespace {

int usage() {
    std::cerr << "usage: dangan serve [--data DIR] [--database URL] [--images URL] [--port N] | dangan worker [--data DIR] [--database URL] [--images URL]\n"
                 "       dangan verify [--data DIR] [--database URL] [--images URL]\n"
                 "       dangan barcodes FILE...\n"
                 "       dangan read [--text] FILE... | dangan backup --data DIR --to DEST | dangan restore --from DEST --data NEWDIR\n"
                 "       dangan migrate --from DIR [--to postgresql://USER@HOST:PORT/DB] [--images s3://BUCKET?endpoint=URL]\n";
    return 64;
}

// Tabs and line breaks inside a code's text would break the one-line-per-code output.
std::string escaped(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '\\') out += "\\\\";
        else if (c == '\t') out += "\\t";
        else if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else out += c;
    }
    return out;
}

// Every page's codes: images frame by frame, PDFs (of scanned pages) rendered page by page.
std::expected<std::vector<std::vector<dangan::barcode::FoundBarcode>>, dangan::scanner::ImageRejection> barcodesOf(
    std::string bytes) {
    if (dangan::scanner::scanMediaTypeOf(bytes) != "application/pdf") return dangan::scanner::findBarcodes(bytes, {});
    auto file = dangan::scanner::ScanFile::open(std::make_shared<const std::string>(std::move(bytes)), {});
    if (!file) return std::unexpected(file.error());
    std::vector<std::vector<dangan::barcode::FoundBarcode>> pages;
    for (int p = 0; p < file->pageCount(); ++p) {
        auto codes = file->barcodes(p, {});
        if (!codes) return std::unexpected(codes.error());
        pages.push_back(std::move(*codes));
    }
    return pages;
}

// `dangan barcodes FILE...`: every code on every page of every image, one per line:
// file[#page] <TAB> symbology <TAB> text <TAB> corners (x,y top-left, top-right, bottom-right,
// bottom-left). Nothing for an image without a code; exit 1 if a file could not be read.
int runBarcodes(int argc, char** argv) {
    if (argc < 3) return usage();
    int status = 0;
    for (int i = 2; i < argc; ++i) {
        std::string file = argv[i];
        std::string bytes;
        try {
            bytes = dangan::scanner::readFile(file);
        } catch (const std::exception& e) {
            std::cerr << "dangan barcodes: " << e.what() << "\n";
            status = 1;
            continue;
        }
        auto frames = barcodesOf(std::move(bytes));
        if (!frames) {
            std::cerr << "dangan barcodes: " << file << ": " << frames.error().message << "\n";
            status = 1;
            continue;
        }
        for (std::size_t f = 0; f < frames->size(); ++f) {
            for (const auto& code : (*frames)[f]) {
                std::cout << file << (frames->size() > 1 ? "#" + std::to_string(f + 1) : "") << '\t' << code.symbologyName
                          << '\t' << escaped(code.text) << '\t';
                for (std::size_t c = 0; c < code.corners.size(); ++c)
                    std::cout << (c ? " " : "") << code.corners[c].x << ',' << code.corners[c].y;
                std::cout << '\n';
            }
        }
    }
    return status;
}

// A command of two required `--name VALUE` options (backup, restore): checks the arguments (exit
// 64 and one line naming the first bad one), then runs `work` with the two values (exit 1 and one
// line when it throws).
template <class Work>
int runWithTwoOptions(int argc, char** argv, const char* command, std::string_view first, std::string_view second,
                      Work work) {
    std::map<std::string, std::string, std::less<>> values;
    std::string problem;
    for (int i = 2; i < argc && problem.empty(); ++i) {
        std::string_view arg = argv[i];
        if (arg != first && arg != second) problem = "unexpected argument '" + std::string(arg) + "'";
        else if (i + 1 >= argc) problem = std::string(arg) + " needs a value";
        else values[std::string(arg)] = argv[++i];
    }
    if (problem.empty() && (!values.contains(first) || !values.contains(second)))
        problem = "give " + std::string(first) + " and " + std::string(second);
    if (!problem.empty()) {
        std::cerr << "dangan " << command << ": " << problem << "\n";
        return 64;
    }
    try {
        work(values.find(first)->second, values.find(second)->second);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "dangan " << command << ": " << e.what() << "\n";
        return 1;
    }
}

// dangan backup --data DIR --to DEST: a consistent copy of a running archive, incremental.
int runBackup(int argc, char** argv) {
    return runWithTwoOptions(argc, argv, "backup", "--data", "--to", [](const std::string& data, const std::string& to) {
        auto report = dangan::storage::backupArchive(data, to);
        std::cout << "database: " << report.databaseBytes << " bytes copied\n";
        if (report.imagesInObjectStore)
            std::cout << "images: kept in an object store, not copied (replicate the bucket with the store's own means)\n";
        else
            std::cout << "images: " << report.imagesCopied << " copied (" << report.imageBytesCopied << " bytes), "
                      << report.imagesAlreadyThere << " already there\n";
    });
}

// dangan restore --from DEST --data NEWDIR: an archive again from a backup, into a new folder.
int runRestore(int argc, char** argv) {
    return runWithTwoOptions(argc, argv, "restore", "--from", "--data", [](const std::string& from, const std::string& data) {
        auto report = dangan::storage::restoreArchive(from, data);
        std::cout << "database: " << report.databaseBytes << " bytes\nimages: " << report.images
                  << " restored\nnext: dangan verify --data " << data << "\n";
    });
}

// dangan migrate --from DIR [--to postgresql://…] [--images s3://…]: an embedded archive moved up,
// its database into PostgreSQL and/or its images into an object store, each resumable and proved;
// then `dangan serve --data DIR` with the same --database and --images.
int runMigrate(int argc, char** argv) {
    std::string from, to, images, problem;
    for (int i = 2; i < argc && problem.empty(); ++i) {
        std::string_view arg = argv[i];
        std::string* value = arg == "--from" ? &from : arg == "--to" ? &to : arg == "--images" ? &images : nullptr;
        if (!value) problem = "unexpected argument '" + std::string(arg) + "'";
        else if (i + 1 >= argc) problem = std::string(arg) + " needs a value";
        else *value = argv[++i];
    }
    if (problem.empty() && (from.empty() || (to.empty() && images.empty())))
        problem = "give --from DIR and --to postgresql://USER@HOST:PORT/DB, --images s3://BUCKET?endpoint=URL or both";
    if (problem.empty() && !to.empty())
        if (auto refused = dangan::server::databaseUrlProblem(to)) problem = *refused;
    if (!problem.empty()) {
        std::cerr << "dangan migrate: " << problem << "\n";
        return 64;
    }
    try {
        if (!std::filesystem::exists(std::filesystem::path(from) / "archive.db"))
            throw std::runtime_error("no archive in " + from + " (no archive.db)");
        if (!to.empty()) {
            auto report = dangan::storage::migrateDatabase(std::filesystem::path(from) / "archive.db", to,
                                                           [](const dangan::storage::TableCopy& t) {
                                                               if (t.rows == 0) return;
                                                               std::cout << "  " << t.table << ": " << t.rows << " rows";
                                                               if (t.alreadyThere > 0) std::cout << " (" << t.alreadyThere << " there before)";
                                                               std::cout << "\n";
                                                           });
            std::cout << "database: " << report.tables.size() << " tables copied, every one counted alike on both sides; audit log: "
                      << report.auditEntries << " entries, "
                      << (report.firstBrokenAuditEntry ? "chain BROKEN at entry " + std::to_string(*report.firstBrokenAuditEntry)
                                                        : std::string("chain intact"))
                      << "\n";
            if (report.firstBrokenAuditEntry) return 1;
        }
        if (!images.empty()) {
            dangan::storage::ObjectImageStore store(dangan::storage::parseObjectStoreUrl(images),
                                                    dangan::server::objectStoreCredentialsFromEnvironment(),
                                                    std::filesystem::path(from) / "images-staging");
            auto report = dangan::storage::moveImagesInto(from, store);
            std::cout << "images: " << report.copied << " copied (" << report.bytesCopied << " bytes), " << report.alreadyThere
                      << " already there; every one checked in the store\n";
        }
        std::cout << "next: dangan serve --data " << from;
        if (!to.empty()) std::cout << " --database '" << to << "'";
        if (!images.empty()) std::cout << " --images '" << images << "'";
        std::cout << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "dangan migrate: " << e.what() << "\n";
        return 1;
    }
}

// `dangan read [--text] FILE...`: what OCR reads on each upright page image, one JSON object per
// line: file, doc_type, fields, unreadable and the CPU milliseconds it took (with `--text`, the
// page's full text too). Exit 1 if a file could not be read.
int runRead(int argc, char** argv) {
    int first = 2;
    bool withText = argc > 2 && std::string(argv[2]) == "--text";
    if (withText) ++first;
    if (argc <= first) return usage();
    int status = 0;
    try {
        dangan::ocr::TesseractEngine engine;
        dangan::ocr::PageReader reader(dangan::server::readerVocabulary({}));
        for (int i = first; i < argc; ++i) {
            std::string file = argv[i];
            try {
                auto bytes = dangan::scanner::readFile(file);
                std::clock_t start = std::clock();
                auto reading = reader.read(engine, bytes);
                double cpuMs = 1000.0 * static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
                auto json = dangan::server::readingJson(reading);
                json->set("file", file);
                json->set("cpu_ms", static_cast<int>(cpuMs));
                if (!withText) json->remove("text");
                json->stringify(std::cout);
                std::cout << "\n";
            } catch (const std::exception& e) {
                std::cerr << "dangan read: " << file << ": " << e.what() << "\n";
                status = 1;
            }
        }
    } catch (const std::exception& e) {
        std::cerr << "dangan read: " << e.what() << "\n";
        return 1;
    }
    return status;
}

int runVerify(int argc, char** argv) {
    std::filesystem::path dataDir = "data";
    std::string imagesUrl, databaseUrl;
    for (int i = 2; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--images" && i + 1 < argc) {
            imagesUrl = argv[++i];
        } else if (arg == "--database" && i + 1 < argc) {
            databaseUrl = argv[++i];
        } else if ((arg == "--data" || arg == "-d") && i + 1 < argc) {
            dataDir = argv[++i];
        } else if (arg.starts_with("--data=")) {
            dataDir = arg.substr(7);
        } else {
            std::cerr << "dangan verify: unexpected argument '" << arg << "'\n";
            return 64;
        }
    }
    if (auto refused = dangan::server::databaseUrlProblem(databaseUrl)) {
        std::cerr << "dangan verify: " << *refused << "\n";
        return 64;
    }
    if (databaseUrl.empty() && !std::filesystem::exists(dataDir / "archive.db")) {
        std::cerr << "dangan verify: no archive in " << dataDir << "\n";
        return 66;
    }
    try {
        dangan::server::ArchiveOptions options{.dataDir = dataDir, .readerConnections = 2, .backgroundWork = false};
        options.reading.workers = -1;  // no OCR engines for a check
        options.databaseUrl = databaseUrl;
        options.imagesUrl = imagesUrl;
        if (!imagesUrl.empty()) options.objectCredentials = dangan::server::objectStoreCredentialsFromEnvironment();
        auto archive = dangan::server::Archive::open(options);
        auto report = dangan::server::verifyArchive(*archive);
        std::cout << "database: "
                  << (report.databaseProblems.empty() ? std::string(databaseUrl.empty() ? "whole (integrity check ok)"
                                                                                                    : "whole (PostgreSQL; every document has its pages)")
                                                      : std::to_string(report.databaseProblems.size()) + " problem(s)")
                  << "\n";
        for (const auto& p : report.databaseProblems) std::cout << "  " << p << "\n";
        std::cout << "audit log: " << report.auditEntries << " entries, "
                  << (report.firstBrokenAuditEntry ? "chain BROKEN at entry " + std::to_string(*report.firstBrokenAuditEntry)
                                                    : std::string("chain intact"))
                  << "\nimages: " << report.images << " checked, " << report.imageProblems.size() << " problem(s)\n";
        for (const auto& p : report.imageProblems) std::cout << "  " << p << "\n";
        return report.ok() ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "dangan verify: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace

int main(int argc, char** argv) {
    // Scanned pages are decoded into buffers of 5-35 MB, several per page. Keep them in the heap
    // for reuse instead of mapping fresh pages for each (measured: 195 -> 70 ms a page).
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    // OpenMP reads its thread limit when the process starts: restart once with it set, so that
    // Tesseract's engines run one thread each (see ocr/tesseract_engine.h).
    if (!std::getenv("OMP_THREAD_LIMIT")) {
        setenv("OMP_THREAD_LIMIT", "1", 1);
        execv("/proc/self/exe", argv);  // returns only on failure: carry on with OpenMP's default
    }
    // The archive holds ID numbers and contracts: whatever it creates (the data folder, archive.db
    // and its journal, the image store, caches) is its owner's alone, 0700 and 0600.
    ::umask(0077);
    if (argc < 2) return usage();
    std::string command = argv[1];
    if (command == "serve") return dangan::server::runServeCommand(argc - 1, argv + 1);
    if (command == "worker") return dangan::server::runServeCommand(argc - 1, argv + 1, true);
    if (command == "verify") return runVerify(argc, argv);
    if (command == "backup") return runBackup(argc, argv);
    if (command == "restore") return runRestore(argc, argv);
    if (command == "migrate") return runMigrate(argc, argv);
    if (command == "barcodes") return runBarcodes(argc, argv);
    if (command == "read") return runRead(argc, argv);
    if (command == "--help" || command == "-h" || command == "help") {
        usage();
        return 0;
    }
    std::cerr << "dangan: unknown command '" << command << "' (expected serve, worker, verify, backup, restore, migrate, barcodes or read)\n";
    return 64;
}
