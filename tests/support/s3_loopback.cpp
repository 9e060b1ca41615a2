#include "s3_loopback.h"

#include <signal.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "server_process.h"

namespace dangan::testing {
namespace fs = std::filesystem;

S3Loopback::S3Loopback(const fs::path& folder, const fs::path& certificate, const fs::path& key) : folder_(folder) {
    std::vector<std::string> command{std::string(DANGAN_SOURCE_DIR) + "/tests/support/s3_loopback.sh", folder.string()};
    if (!certificate.empty()) {
        command.push_back(certificate.string());
        command.push_back(key.string());
    }
    auto started = runCommand(command, 90);
    auto at = started.output.find("endpoint ");
    if (started.status != 0 || at == std::string::npos) throw std::runtime_error("the S3 server did not start: " + started.output + logs());
    endpoint_ = started.output.substr(at + 9, started.output.find('\n', at) - at - 9);
}

S3Loopback::~S3Loopback() {
    std::ifstream pids(folder_ / "pids");
    for (pid_t pid; pids >> pid;) ::kill(pid, SIGTERM);
}

std::string S3Loopback::logs() const {
    std::ostringstream all;
    if (fs::exists(folder_ / "log"))
        for (const auto& entry : fs::directory_iterator(folder_ / "log"))
            all << "--- " << entry.path() << "\n" << std::ifstream(entry.path()).rdbuf();
    return all.str();
}

void S3Loopback::exportCredentials() {
    ::setenv("DANGAN_S3_ACCESS_KEY", "test:tester", 1);
    ::setenv("DANGAN_S3_SECRET_KEY", "testing", 1);
}

}  // namespace dangan::testing
