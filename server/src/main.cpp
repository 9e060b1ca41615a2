// dangan: the customer archive server and its maintenance commands.

#include <cstring>
#include <iostream>
#include <string>

#include "dangan/server/archive.h"
#include "serve_command.h"

namespace {

int usage() {
    std::cerr << "usage: dangan serve [--data DIR] [--port N] | dangan verify [--data DIR]\n";
    return 64;
}

int runVerify(int argc, char** argv) {
    std::filesystem::path dataDir = "data";
    for (int i = 2; i < argc; ++i) {
        std::string arg = argv[i];
        if ((arg == "--data" || arg == "-d") && i + 1 < argc) {
            dataDir = argv[++i];
        } else if (arg.starts_with("--data=")) {
            dataDir = arg.substr(7);
        } else {
            std::cerr << "dangan verify: unexpected argument '" << arg << "'\n";
            return 64;
        }
    }
    if (!std::filesystem::exists(dataDir / "archive.db")) {
        std::cerr << "dangan verify: no archive in " << dataDir << "\n";
        return 66;
    }
    try {
        auto archive = dangan::server::Archive::open({.dataDir = dataDir, .readerConnections = 2});
        auto report = dangan::server::verifyArchive(*archive);
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
    if (argc < 2) return usage();
    std::string command = argv[1];
    if (command == "serve") return dangan::server::runServeCommand(argc - 1, argv + 1);
    if (command == "verify") return runVerify(argc, argv);
    if (command == "--help" || command == "-h" || command == "help") {
        usage();
        return 0;
    }
    std::cerr << "dangan: unknown command '" << command << "' (expected serve or verify)\n";
    return 64;
}
