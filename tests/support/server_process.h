#pragma once
// The real `dangan serve` binary as a child process on a loopback port chosen by the kernel, with
// a temporary data folder; and a small HTTP client for talking to it.

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <sys/types.h>

namespace dangan::testing {

// A fresh folder under the system temp dir, removed on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

inline constexpr const char* kAdminPassword = "admin-secret-1";

class ServerProcess {
public:
    // `extraArgs` follow `serve --data DIR --port 0 --host 127.0.0.1` (e.g. --watch DIR).
    explicit ServerProcess(std::filesystem::path dataDir, std::vector<std::string> extraArgs = {});
    ~ServerProcess();  // SIGTERM and wait, if still running
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    // Gives the data folder a disk of its own of `bytes` (a tmpfs mounted on it in a mount
    // namespace of the server's, so that it can be filled up). Call before start(). Reach the
    // folder from the test through dataOnItsDisk() while the server runs; the disk goes with it.
    void giveDataItsOwnDisk(std::uint64_t bytes) { dataDiskBytes_ = bytes; }
    [[nodiscard]] std::filesystem::path dataOnItsDisk() const;
    // `argv` as a command run where the server sees its own disk (nsenter into its namespaces),
    // for the tools that resolve paths themselves (SQLite follows /proc/PID/root to the wrong side).
    [[nodiscard]] std::vector<std::string> besideIt(std::vector<std::string> argv) const;

    // Starts the server and waits until it listens. Throws if it does not.
    void start();
    // SIGTERM; returns the exit status once it has exited.
    int terminate();
    // SIGKILL, as a crash or a power cut of the process would.
    void kill();
    [[nodiscard]] int port() const { return port_; }
    [[nodiscard]] pid_t pid() const { return pid_; }
    [[nodiscard]] const std::filesystem::path& dataDir() const { return dataDir_; }
    [[nodiscard]] std::string log() const;  // what the server wrote to stderr
    // The server's peak resident memory so far (VmHWM), in KiB; -1 when it cannot be read.
    [[nodiscard]] long peakResidentKib() const;

private:
    int waitForExit();
    std::filesystem::path dataDir_;
    std::vector<std::string> extraArgs_;
    pid_t pid_ = -1;
    int port_ = 0;
    std::uint64_t dataDiskBytes_ = 0;
};

// Thrown by start() when the kernel refuses the data folder a disk of its own (no mount
// namespaces for this user): the test cannot be run here, which is not a failure of dangan.
class NoDiskOfItsOwn : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Runs a command to completion; returns its exit status and what it printed on stdout. A command
// still running after `seconds` is killed and reported with status -1.
struct CommandResult {
    int status = -1;
    std::string output;
};
CommandResult runCommand(const std::vector<std::string>& argv, int seconds = 120);
// Waits until `file` exists (a hot folder moving a scan away, a report written); false after
// `seconds`.
[[nodiscard]] bool appears(const std::filesystem::path& file, int seconds = 120);

// `dangan verify` of the archive a ServerProcess kept in `dataDir`, with `extra` arguments: on
// PostgreSQL (the postgresql. prefix) with the --database that server was given.
[[nodiscard]] std::vector<std::string> verifyCommand(const std::filesystem::path& dataDir, std::vector<std::string> extra = {});
std::string danganBinary();

struct HttpReply {
    int status = 0;
    std::string body;
    std::string contentType;
    std::map<std::string, std::string> headers;
};

struct FilePart {
    std::string name = "files";
    std::string filename;
    std::string contentType;
    std::string bytes;
};

class HttpClient {
public:
    explicit HttpClient(int port) : port_(port) {}
    void setToken(std::string token) { token_ = std::move(token); }

    HttpReply get(const std::string& path) const;
    HttpReply send(const std::string& method, const std::string& path, const std::string& body,
                   const std::string& contentType) const;
    HttpReply postJson(const std::string& path, const std::string& json) const {
        return send("POST", path, json, "application/json");
    }
    HttpReply putJson(const std::string& path, const std::string& json) const {
        return send("PUT", path, json, "application/json");
    }
    HttpReply postMultipart(const std::string& path, const std::map<std::string, std::string>& fields,
                            const std::vector<FilePart>& files) const;
    // Signs in and keeps the token; returns it.
    std::string login(const std::string& username, const std::string& password);

private:
    int port_;
    std::string token_;
};

std::string sha256Hex(const std::string& bytes);
std::string urlEncode(const std::string& text);

}  // namespace dangan::testing
