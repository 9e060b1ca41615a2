#include "server_process.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/StringPartSource.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <fcntl.h>

#include <algorithm>
#include <sched.h>
#include <sys/mount.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "dangan/storage/sha256.h"

#ifndef DANGAN_BINARY
#error "DANGAN_BINARY must name the dangan executable"
#endif

#include "test_database.h"

namespace dangan::testing {
namespace fs = std::filesystem;

std::string danganBinary() { return DANGAN_BINARY; }

TempDir::TempDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("dangan-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    fs::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

namespace {

// The note beside a data folder naming the PostgreSQL database its server keeps the archive in.
fs::path databaseNote(const fs::path& dataDir) { return dataDir.parent_path() / (dataDir.filename().string() + ".database"); }

}  // namespace

bool appears(const fs::path& file, int seconds) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
        if (fs::exists(file)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

std::vector<std::string> verifyCommand(const fs::path& dataDir, std::vector<std::string> extra) {
    std::vector<std::string> argv{danganBinary(), "verify", "--data", dataDir.string()};
    std::string url;
    if (std::ifstream in(databaseNote(dataDir)); in >> url) argv.insert(argv.end(), {"--database", url});
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
}

ServerProcess::ServerProcess(fs::path dataDir, std::vector<std::string> extraArgs)
    : dataDir_(std::move(dataDir)), extraArgs_(std::move(extraArgs)) {
    // Under the postgresql. prefix the server keeps its archive on the test server: one database
    // for one data folder, so that a server started again on the folder finds its archive.
    if (testing::onPostgresql() && std::find(extraArgs_.begin(), extraArgs_.end(), "--database") == extraArgs_.end()) {
        fs::path note = databaseNote(dataDir_);
        std::string url;
        if (std::ifstream in(note); !(in >> url)) {
            url = testing::freshPostgresDatabase();
            std::ofstream(note) << url << "\n";
        }
        extraArgs_.insert(extraArgs_.end(), {"--database", url});
    }
}

ServerProcess::~ServerProcess() {
    if (pid_ > 0) terminate();
}

std::string ServerProcess::log() const {
    std::ifstream in(dataDir_.parent_path() / (dataDir_.filename().string() + ".log"));
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

long ServerProcess::peakResidentKib() const {
    std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.starts_with("VmHWM:")) return std::stol(line.substr(6));
    return -1;
}

fs::path ServerProcess::dataOnItsDisk() const {
    return fs::path("/proc/" + std::to_string(pid_) + "/root") / fs::absolute(dataDir_).relative_path();
}

std::vector<std::string> ServerProcess::besideIt(std::vector<std::string> argv) const {
    std::vector<std::string> command{"nsenter", "--target", std::to_string(pid_), "--mount"};
    if (::getuid() != 0) {
        command.emplace_back("--user");
        command.emplace_back("--preserve-credentials");
    }
    command.emplace_back("--");
    command.insert(command.end(), argv.begin(), argv.end());
    return command;
}

namespace {

bool writeFile(const std::string& path, const std::string& text) {
    int fd = ::open(path.c_str(), O_WRONLY);
    if (fd < 0) return false;
    bool whole = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    return whole;
}

// In the forked child: a mount namespace of its own (and a user namespace that maps the user to
// root in it, for a user who is not root), with a tmpfs of `bytes` on `folder`. False when the
// kernel refuses.
bool mountOwnDisk(const fs::path& folder, std::uint64_t bytes) {
    uid_t uid = ::getuid();
    gid_t gid = ::getgid();
    if (::unshare(CLONE_NEWNS | (uid == 0 ? 0 : CLONE_NEWUSER)) != 0) return false;
    if (uid != 0 && !(writeFile("/proc/self/setgroups", "deny") &&
                      writeFile("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1") &&
                      writeFile("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1")))
        return false;
    if (::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return false;
    std::string options = "size=" + std::to_string(bytes) + ",mode=0700";
    return ::mount("tmpfs", folder.c_str(), "tmpfs", 0, options.c_str()) == 0;
}

}  // namespace

void ServerProcess::start() {
    if (dataDiskBytes_ > 0) fs::create_directories(dataDir_);
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe failed");
    std::string logFile = (dataDir_.parent_path() / (dataDir_.filename().string() + ".log")).string();
    std::string binary = danganBinary();
    std::vector<std::string> argv{binary, "serve", "--data", dataDir_.string(), "--port", "0", "--host", "127.0.0.1"};
    argv.insert(argv.end(), extraArgs_.begin(), extraArgs_.end());
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
        ::dup2(out[1], STDOUT_FILENO);
        int err = ::open(logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (err >= 0) ::dup2(err, STDERR_FILENO);
        ::close(out[0]);
        ::setenv("DANGAN_ADMIN_PASSWORD", kAdminPassword, 1);
        if (dataDiskBytes_ > 0 && !mountOwnDisk(dataDir_, dataDiskBytes_)) {
            ::dprintf(STDOUT_FILENO, "no disk of its own for the data folder\n");
            ::_exit(126);
        }
        ::execv(binary.c_str(), args.data());
        ::_exit(127);
    }
    ::close(out[1]);
    // Read stdout until the "listening" line, with a deadline.
    std::string seen;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    ::fcntl(out[0], F_SETFL, O_NONBLOCK);
    const std::string marker = "://127.0.0.1:";  // after "listening on http" or "https"
    while (std::chrono::steady_clock::now() < deadline) {
        char buffer[512];
        ssize_t n = ::read(out[0], buffer, sizeof buffer);
        if (n > 0) seen.append(buffer, static_cast<std::size_t>(n));
        auto listening = seen.find("listening on http");
        auto at = listening == std::string::npos ? std::string::npos : seen.find(marker, listening);
        if (at != std::string::npos && seen.find('/', at + marker.size()) != std::string::npos) {
            port_ = std::stoi(seen.substr(at + marker.size()));
            ::close(out[0]);  // the server writes nothing more to stdout
            return;
        }
        if (n == 0) break;  // the child closed stdout: it exited
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::close(out[0]);
    ::kill(pid_, SIGKILL);
    waitForExit();
    if (seen.find("no disk of its own") != std::string::npos)
        throw NoDiskOfItsOwn("the kernel gives the data folder no disk of its own (mount namespaces refused)");
    throw std::runtime_error("server did not start: " + seen + log());
}

int ServerProcess::waitForExit() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
}

int ServerProcess::terminate() {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    int status = waitForExit();
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void ServerProcess::kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    waitForExit();
}

CommandResult runCommand(const std::vector<std::string>& argv, int seconds) {
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe failed");
    pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(out[1], STDOUT_FILENO);
        ::close(out[0]);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    ::close(out[1]);
    ::fcntl(out[0], F_SETFL, O_NONBLOCK);
    CommandResult result;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    int status = 0;
    while (true) {
        char buffer[4096];
        ssize_t n;
        while ((n = ::read(out[0], buffer, sizeof buffer)) > 0) result.output.append(buffer, static_cast<std::size_t>(n));
        if (::waitpid(pid, &status, WNOHANG) == pid) break;
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            ::close(out[0]);
            return result;  // status -1: did not finish in time
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::close(out[0]);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

namespace {

HttpReply exchange(int port, Poco::Net::HTTPRequest& request, const std::string& token,
                   const std::function<void(std::ostream&)>& writeBody) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    session.setTimeout(Poco::Timespan(120, 0));
    if (!token.empty()) request.set("Authorization", "Bearer " + token);
    std::ostream& out = session.sendRequest(request);
    if (writeBody) writeBody(out);
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    HttpReply reply;
    reply.status = response.getStatus();
    reply.contentType = response.getContentType();
    for (const auto& [k, v] : response) reply.headers[k] = v;
    Poco::StreamCopier::copyToString(in, reply.body);
    return reply;
}

}  // namespace

HttpReply HttpClient::get(const std::string& path) const {
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
    return exchange(port_, request, token_, nullptr);
}

HttpReply HttpClient::send(const std::string& method, const std::string& path, const std::string& body,
                           const std::string& contentType) const {
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType(contentType);
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    return exchange(port_, request, token_, [&](std::ostream& out) { out << body; });
}

HttpReply HttpClient::postMultipart(const std::string& path, const std::map<std::string, std::string>& fields,
                                    const std::vector<FilePart>& files) const {
    Poco::Net::HTMLForm form(Poco::Net::HTMLForm::ENCODING_MULTIPART);
    for (const auto& [k, v] : fields) form.set(k, v);
    for (const auto& f : files)  // the form takes ownership of each part source
        form.addPart(f.name, new Poco::Net::StringPartSource(f.bytes, f.contentType, f.filename));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, path, Poco::Net::HTTPMessage::HTTP_1_1);
    form.prepareSubmit(request);
    std::ostringstream body;
    form.write(body);
    request.setContentLength(static_cast<std::streamsize>(body.str().size()));
    request.setChunkedTransferEncoding(false);
    return exchange(port_, request, token_, [&](std::ostream& out) { out << body.str(); });
}

std::string HttpClient::login(const std::string& username, const std::string& password) {
    Poco::JSON::Object o;
    o.set("username", username);
    o.set("password", password);
    std::ostringstream s;
    o.stringify(s);
    auto reply = postJson("/api/login", s.str());
    if (reply.status != 200) throw std::runtime_error("login failed: " + reply.body);
    Poco::JSON::Parser parser;
    token_ = parser.parse(reply.body).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("token");
    return token_;
}

std::string sha256Hex(const std::string& bytes) { return storage::toHex(storage::Sha256::of(bytes)); }

std::string urlEncode(const std::string& text) {
    std::string out;
    Poco::URI::encode(text, "&=+?#/ ", out);
    return out;
}

}  // namespace dangan::testing
