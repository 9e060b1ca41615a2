#include "serve_command.h"

#include <Poco/Environment.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Thread.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/IntValidator.h>
#include <Poco/Util/RegExpValidator.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include <atomic>
#include <mutex>
#include <csignal>
#include <functional>
#include <iostream>
#include <thread>

#include <pthread.h>

#include "dangan/app/archive.h"
#include "demo_archive.h"
#include "dangan/app/config.h"
#include "dangan/http/http_api.h"
#include "dangan/desks/hot_folder.h"
#include "dangan/storage/database.h"

#ifndef DANGAN_WEB_DIR
#define DANGAN_WEB_DIR "web"
#endif

namespace dangan::server {
namespace {

using Poco::Util::Option;
using Poco::Util::OptionSet;

class ServeApplication final : public Poco::Util::ServerApplication {
public:
    // `dangan serve`, or `dangan worker`: the same node without HTTP, for the background work.
    explicit ServeApplication(bool worker) : worker_(worker), command_(worker ? "dangan worker" : "dangan serve") {}

protected:
    void defineOptions(OptionSet& options) override {
        ServerApplication::defineOptions(options);
        options.addOption(Option("help", "h", "show the options").repeatable(false));
        options.addOption(Option("data", "d", "data folder (default ./data)").argument("DIR").repeatable(false));
        options.addOption(Option("host", "", "address to listen on (default 0.0.0.0)").argument("ADDR").repeatable(false));
        options.addOption(Option("port", "p", "port to listen on (default 8080; 0 picks a free one)")
                              .argument("N").repeatable(false).validator(new Poco::Util::IntValidator(0, 65535)));
        options.addOption(Option("web", "", "folder of the web application").argument("DIR").repeatable(false));
        options.addOption(Option("threads", "", "HTTP connections served at once, one thread each (default 128)")
                              .argument("N").repeatable(false).validator(new Poco::Util::IntValidator(2, 1024)));
        options.addOption(Option("rules", "", "process rules file to put in force (default: the shipped rules seed a new archive)")
                              .argument("FILE").repeatable(false));
        options.addOption(Option("clock-file", "", "read the archive's time from FILE (ISO 8601), for tests of deadlines")
                              .argument("FILE").repeatable(false));
        options.addOption(Option("ocr-workers", "", "Tesseract engines reading pages (default: one per core; -1: no OCR)")
                              .argument("N").repeatable(false).validator(new Poco::Util::IntValidator(-1, 64)));
        options.addOption(Option("account-length", "", "digits of an account number (户号) printed on pages (default 10)")
                              .argument("N").repeatable(false).validator(new Poco::Util::IntValidator(6, 20)));
        options.addOption(Option("account-prefixes", "", "digits an account number may begin with (default: any)")
                              .argument("DIGITS").repeatable(false).validator(new Poco::Util::RegExpValidator("[0-9]+")));
        options.addOption(Option("demo", "", "fill a fresh data folder with a small demo archive (users, customers, a scanned batch, a loan)")
                              .repeatable(false));
        options.addOption(Option("notify-at", "", "time of the daily reminders, China time (default 08:00)")
                              .argument("HH:MM").repeatable(false)
                              .validator(new Poco::Util::RegExpValidator("([01][0-9]|2[0-3]):[0-5][0-9]")));
        options.addOption(Option("smtp", "", "mail relay for reminders by e-mail (users with an e-mail address)")
                              .argument("HOST:PORT").repeatable(false).validator(new Poco::Util::RegExpValidator("[^:]+:[0-9]{1,5}")));
        options.addOption(Option("mail-from", "", "sender address of reminder e-mails").argument("ADDR").repeatable(false));
        options.addOption(Option("webhook", "", "http:// URL the reminders are posted to (signed with DANGAN_WEBHOOK_SECRET)")
                              .argument("URL").repeatable(false));
        options.addOption(Option("session-hours", "", "longest life of a session from sign-in (default 12)")
                              .argument("N").repeatable(false).validator(new Poco::Util::IntValidator(1, 168)));
        options.addOption(Option("session-idle-minutes", "", "a session unused this long ends (default 30)")
                              .argument("N").repeatable(false).validator(new Poco::Util::IntValidator(1, 1440)));
        options.addOption(Option("database", "", "keep the archive in PostgreSQL instead of SQLite in --data: postgresql://USER@HOST:PORT/DB "
                                                   "(the password from PGPASSWORD or ~/.pgpass, never the command line)")
                              .argument("URL").repeatable(false));
        options.addOption(Option("lead-retry-ms", "", "with --database: how often a node tries to take the lead of the background work "
                                                        "(and the leader checks it still holds it; default 5000)")
                              .argument("MS").repeatable(false).validator(new Poco::Util::IntValidator(100, 600000)));
        options.addOption(Option("work-lease-ms", "", "how long a node holds a batch or an audit without renewing it: the work of a "
                                                        "node that died is taken over by another after this (default 60000)")
                              .argument("MS").repeatable(false).validator(new Poco::Util::IntValidator(300, 3600000)));
        options.addOption(Option("images", "", "keep the page images in an S3-compatible object store: s3://BUCKET?endpoint=http://HOST:PORT "
                                                 "(credentials from DANGAN_S3_ACCESS_KEY and DANGAN_S3_SECRET_KEY)")
                              .argument("URL").repeatable(false));
        options.addOption(Option("disk-reserve-mb", "", "free space kept on the data folder's disk: uploads that would leave less are refused (default 64)")
                              .argument("N").repeatable(false).validator(new Poco::Util::IntValidator(0, 1 << 20)));
        options.addOption(Option("full-disk-retry-seconds", "", "a batch that met a full disk tries again after this long (default 30)")
                              .argument("N").repeatable(false).validator(new Poco::Util::IntValidator(1, 3600)));
        options.addOption(Option("password-min-length", "", "characters a new password needs at least (default 8)")
                              .argument("N").repeatable(false).validator(new Poco::Util::IntValidator(8, 64)));
        options.addOption(Option("password-classes", "", "kinds of character a new password mixes: lower, upper, digits, others (default 3)")
                              .argument("N").repeatable(false).validator(new Poco::Util::IntValidator(1, 4)));
        options.addOption(Option("password-max-age-days", "", "a password older than this is changed at the next sign-in (default 0: never)")
                              .argument("N").repeatable(false).validator(new Poco::Util::IntValidator(0, 3650)));
        options.addOption(Option("tls-cert", "", "serve HTTPS only, with this certificate (PEM; with --tls-key)")
                              .argument("FILE").repeatable(false));
        options.addOption(Option("tls-key", "", "the certificate's private key (PEM)").argument("FILE").repeatable(false));
        options.addOption(Option("watch", "", "hot folder: ingest every scan written into DIR").argument("DIR").repeatable(false));
        options.addOption(Option("watch-settle", "", "ms a hot-folder file must stay unchanged before it is taken (default 2000)")
                              .argument("MS").repeatable(false).validator(new Poco::Util::IntValidator(100, 600000)));
    }

    void handleOption(const std::string& name, const std::string& value) override {
        ServerApplication::handleOption(name, value);
        if (name == "help") help_ = true;
        else if (name == "data") config_.dataDir = value;
        else if (name == "host") config_.host = value;
        else if (name == "port") config_.port = std::stoi(value);
        else if (name == "web") config_.webDir = value;
        else if (name == "threads") config_.threads = std::stoi(value);
        else if (name == "watch") config_.watchDir = value;
        else if (name == "watch-settle") config_.watchSettleMs = std::stoi(value);
        else if (name == "rules") config_.rulesFile = value;
        else if (name == "clock-file") config_.clockFile = value;
        else if (name == "ocr-workers") config_.ocrWorkers = std::stoi(value);
        else if (name == "account-length") config_.accountLength = std::stoi(value);
        else if (name == "account-prefixes") config_.accountPrefixes = value;
        else if (name == "demo") config_.demo = true;
        else if (name == "session-hours") config_.sessionHours = std::stoi(value);
        else if (name == "session-idle-minutes") config_.sessionIdleMinutes = std::stoi(value);
        else if (name == "database") config_.databaseUrl = value;
        else if (name == "lead-retry-ms") config_.leadRetryMs = std::stoi(value);
        else if (name == "work-lease-ms") config_.workLeaseMs = std::stoi(value);
        else if (name == "images") config_.imagesUrl = value;
        else if (name == "disk-reserve-mb") config_.diskReserveMb = std::stoi(value);
        else if (name == "full-disk-retry-seconds") config_.fullDiskRetrySeconds = std::stoi(value);
        else if (name == "password-min-length") config_.passwordMinLength = std::stoi(value);
        else if (name == "password-classes") config_.passwordClasses = std::stoi(value);
        else if (name == "password-max-age-days") config_.passwordMaxAgeDays = std::stoi(value);
        else if (name == "tls-cert") config_.tlsCert = value;
        else if (name == "tls-key") config_.tlsKey = value;
        else if (name == "notify-at") config_.notifyAt = value;
        else if (name == "smtp") config_.smtp = value;
        else if (name == "mail-from") config_.mailFrom = value;
        else if (name == "webhook") config_.webhook = value;
        if (help_) stopOptionsProcessing();
    }

    int main(const std::vector<std::string>& args) override {
        if (help_) {
            Poco::Util::HelpFormatter help(options());
            help.setUsage("serve [--data DIR] [--port N] [--host ADDR] [--web DIR] [--database postgresql://USER@HOST:PORT/DB [--lead-retry-ms MS]] [--work-lease-ms MS] [--images s3://BUCKET?endpoint=URL] [--threads N] [--watch DIR [--watch-settle MS]] [--rules FILE] [--ocr-workers N] [--session-hours N] [--session-idle-minutes N] [--disk-reserve-mb N] [--full-disk-retry-seconds N] [--password-min-length N] [--password-classes N] [--password-max-age-days N] [--tls-cert FILE --tls-key FILE] [--notify-at HH:MM] [--smtp HOST:PORT [--mail-from ADDR]] [--webhook URL] [--demo]");
            help.setHeader("Runs the dangan archive server.");
            help.format(std::cout);
            return EXIT_OK;
        }
        if (!args.empty()) {
            std::cerr << command_ << ": unexpected argument '" << args.front() << "'\n";
            return EXIT_USAGE;
        }
        bool overTls = !config_.tlsCert.empty() || !config_.tlsKey.empty();
        if (overTls && (config_.tlsCert.empty() || config_.tlsKey.empty())) {
            std::cerr << command_ << ": --tls-cert and --tls-key go together\n";
            return EXIT_USAGE;
        }
        if (overTls && config_.demo) {
            std::cerr << command_ << ": --demo fills the archive over plain HTTP; start it without --tls-cert\n";
            return EXIT_USAGE;
        }
        // Block the termination signals in every thread (threads inherit this mask), so that
        // waitForTerminationRequest() receives them and a second SIGTERM during the drain cannot
        // kill the process through a worker thread.
        sigset_t termination;
        sigemptyset(&termination);
        sigaddset(&termination, SIGINT);
        sigaddset(&termination, SIGQUIT);
        sigaddset(&termination, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &termination, nullptr);

        if (config_.webDir.empty()) config_.webDir = DANGAN_WEB_DIR;
        if (Poco::Environment::has("DANGAN_ADMIN_PASSWORD"))
            config_.adminPassword = Poco::Environment::get("DANGAN_ADMIN_PASSWORD");
        auto& log = Poco::Logger::get("dangan");

        ArchiveOptions archiveOptions;
        if (!config_.clockFile.empty()) archiveOptions.clock = std::make_shared<storage::FileClock>(config_.clockFile);
        archiveOptions.dataDir = config_.dataDir;
        if (auto refused = databaseUrlProblem(config_.databaseUrl)) {
            std::cerr << command_ << ": " << *refused << "\n";
            return EXIT_USAGE;
        }
        if (worker_ && config_.databaseUrl.empty()) {
            std::cerr << command_ << ": a worker works on an archive in PostgreSQL (--database); an embedded archive has one server\n";
            return EXIT_USAGE;
        }
        archiveOptions.databaseUrl = config_.databaseUrl;
        archiveOptions.imagesUrl = config_.imagesUrl;
        if (!config_.imagesUrl.empty()) archiveOptions.objectCredentials = objectStoreCredentialsFromEnvironment();
        if (!config_.rulesFile.empty()) {
            archiveOptions.rulesFile = config_.rulesFile;
            archiveOptions.installRules = true;
        }
        // Reading connections to the database: a request holds one only while it reads, so a few dozen
        // serve many more threads; past that, reads wait for one instead of multiplying caches.
        // On PostgreSQL each connection is a server process, and every node has its own: fewer.
        archiveOptions.readerConnections = std::min(config_.threads + 4, config_.databaseUrl.empty() ? 36 : 16);
        archiveOptions.reading.workers = config_.ocrWorkers;
        archiveOptions.reading.account = {config_.accountLength, config_.accountPrefixes};
        archiveOptions.sessions = {std::chrono::hours(config_.sessionHours), std::chrono::minutes(config_.sessionIdleMinutes)};
        archiveOptions.passwords = {static_cast<std::size_t>(config_.passwordMinLength), config_.passwordClasses};
        archiveOptions.passwordMaxAge = std::chrono::days(config_.passwordMaxAgeDays);
        archiveOptions.diskReserveBytes = static_cast<std::uint64_t>(config_.diskReserveMb) << 20;
        archiveOptions.fullDiskRetry = std::chrono::seconds(config_.fullDiskRetrySeconds);
        auto& notify = archiveOptions.notify;
        notify.hour = std::stoi(config_.notifyAt.substr(0, 2));
        notify.minute = std::stoi(config_.notifyAt.substr(3, 2));
        if (!config_.smtp.empty()) {
            auto colon = config_.smtp.rfind(':');
            notify.smtpHost = config_.smtp.substr(0, colon);
            notify.smtpPort = std::stoi(config_.smtp.substr(colon + 1));
            notify.mailFrom = config_.mailFrom;
        }
        if (!config_.webhook.empty()) {
            if (!Poco::Environment::has("DANGAN_WEBHOOK_SECRET") || Poco::Environment::get("DANGAN_WEBHOOK_SECRET").empty()) {
                std::cerr << command_ << ": --webhook needs the shared secret in DANGAN_WEBHOOK_SECRET\n";
                return EXIT_CONFIG;
            }
            if (!config_.webhook.starts_with("http://")) {
                std::cerr << command_ << ": --webhook must be an http:// URL, not '" << config_.webhook << "'\n";
                return EXIT_CONFIG;
            }
            notify.webhookUrl = config_.webhook;
            notify.webhookSecret = Poco::Environment::get("DANGAN_WEBHOOK_SECRET");
        }
        // A node that lost the lead stops (its supervisor starts it again, as a follower): two
        // leaders would both watch the hot folder and send the day's reminders.
        archiveOptions.onLeadLost = [] { Poco::Util::ServerApplication::terminate(); };
        archiveOptions.leadRetry = std::chrono::milliseconds(config_.leadRetryMs);
        archiveOptions.workLease = std::chrono::milliseconds(config_.workLeaseMs);
        std::unique_ptr<Archive> archive;
        try {
            archive = Archive::open(archiveOptions);
        } catch (const RulesFileError& e) {
            std::cerr << command_ << ": " << e.what() << "\n";
            return EXIT_CONFIG;
        } catch (const std::exception& e) {
            std::cerr << command_ << ": cannot open the archive in " << config_.dataDir << ": " << e.what() << "\n";
            return EXIT_CANTCREAT;
        }
        // A worker serves nobody: the first admin is made by the first server.
        std::optional<std::string> newAdminPassword =
            worker_ ? std::nullopt : archive->desks().authenticator.createFirstAdmin(config_.adminPassword);
        if (newAdminPassword) {
            if (config_.adminPassword) std::cout << "Created user admin with the password from DANGAN_ADMIN_PASSWORD.\n";
            else std::cout << "Created user admin with password " << *newAdminPassword << " (shown only this once).\n";
        }

        // The hot folder is watched by the node leading the background work, one at a time.
        std::mutex hotFolderMutex;
        std::unique_ptr<HotFolder> hotFolder;
        auto startWatching = [&] {
            auto account = archive->desks().authenticator.serviceAccount("hotfolder", "扫描热文件夹", {"archivist"});
            HotFolderOptions watch;
            watch.folder = config_.watchDir;
            watch.settleTime = std::chrono::milliseconds(config_.watchSettleMs);
            watch.pollInterval = std::max(std::chrono::milliseconds(50), watch.settleTime / 2);
            watch.maxFileBytes = archiveOptions.imageLimits.maxBytes;
            auto made = std::make_unique<HotFolder>(archive->desks().batches, *archive->stores().batches, archive->images(),
                                                    storage::Actor{account.id, account.username}, watch);
            std::lock_guard lock(hotFolderMutex);
            hotFolder = std::move(made);
            std::cout << "watching " << config_.watchDir.string() << " for scans" << std::endl;
        };
        if (!config_.watchDir.empty() && archive->leading()) {
            try {
                startWatching();
            } catch (const std::exception& e) {
                std::cerr << command_ << ": cannot watch " << config_.watchDir.string() << ": " << e.what() << "\n";
                return EXIT_CANTCREAT;
            }
        } else if (!config_.watchDir.empty()) {
            std::cout << "another node leads the background work and watches the hot folder; this node takes over if it stops"
                      << std::endl;
            archive->whenLeading([&] {
                try {
                    startWatching();
                } catch (const std::exception& e) {
                    log.error("cannot watch %s: %s", config_.watchDir.string(), std::string(e.what()));
                }
            });
        }
        // Stops what runs in the background before what it uses goes: at the end, and on any
        // early return below (the lead's thread may be starting the hot folder meanwhile).
        auto stopBackground = [&] {
            if (archive) archive->stopSeekingLead();
            std::lock_guard lock(hotFolderMutex);
            hotFolder.reset();
        };
        struct StopFirst {
            std::function<void()> stop;
            ~StopFirst() { stop(); }
        } stopFirst{stopBackground};

        if (worker_) {
            std::cout << "dangan worker running (data: " << config_.dataDir.string() << ")" << std::endl;
            waitForTerminationRequest();
            log.information("stopping");
            stopBackground();
            archive->flushViews();
            archive.reset();
            log.information("stopped");
            return EXIT_OK;
        }

        // HTTPS only when a certificate is given: a plain HTTP request to the port is refused (its
        // handshake fails); TLS 1.2 and later, strong ciphers.
        struct SslLibrary {
            SslLibrary() { Poco::Net::initializeSSL(); }
            ~SslLibrary() { Poco::Net::uninitializeSSL(); }
        } sslLibrary;
        Poco::Net::ServerSocket socket;
        try {
            if (overTls) {
                Poco::Net::Context::Ptr context = new Poco::Net::Context(
                    Poco::Net::Context::TLS_SERVER_USE, config_.tlsKey.string(), config_.tlsCert.string(), "",
                    Poco::Net::Context::VERIFY_NONE, 9, false, "HIGH:!aNULL:!eNULL:!MD5:!RC4:!3DES");
                context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                                          Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
                socket = Poco::Net::SecureServerSocket(context);
            }
        } catch (const Poco::Exception& e) {
            std::cerr << command_ << ": cannot use the TLS certificate " << config_.tlsCert.string() << " and key "
                      << config_.tlsKey.string() << ": " << e.displayText() << "\n";
            return EXIT_CONFIG;
        }
        try {
            // Reuse the address (a restart need not wait for TIME_WAIT) but not the port: a second
            // server on the same port must fail, not silently share the traffic.
            socket.bind(Poco::Net::SocketAddress(config_.host, static_cast<Poco::UInt16>(config_.port)), true, false);
            socket.listen(256);
        } catch (const Poco::Exception& e) {
            std::cerr << command_ << ": cannot listen on " << config_.host << ":" << config_.port << ": " << e.displayText() << "\n";
            return EXIT_UNAVAILABLE;
        }
        auto* params = new Poco::Net::HTTPServerParams;  // the server takes ownership
        params->setMaxThreads(config_.threads);
        params->setMaxQueued(512);
        params->setKeepAlive(true);
        params->setMaxKeepAliveRequests(0);
        params->setTimeout(Poco::Timespan(60, 0));
        Poco::ThreadPool pool(2, config_.threads + 2);
        Poco::Net::HTTPServer server(
            new HttpApi(archive->desks(), config_.webDir, HttpLimits{}, Poco::Logger::get("dangan.http"), overTls), pool, socket, params);
        server.start();
        // The audit log's chain is checked in the background at every start (等保: 审计记录的完整性):
        // a break is logged and recorded as an entry of its own, for the auditors to see.
        std::jthread chainCheck([&log, &trail = archive->desks().trail](std::stop_token stop) {
            try {
                auto check = trail.checkChain([&] { return !stop.stop_requested(); });
                if (!check.complete) return;
                if (!check.firstBrokenId) log.information("audit log: %s entries, the chain is intact", std::to_string(check.entries));
                else
                    log.error("audit log: the chain is broken at entry %s of %s; `dangan verify` tells more",
                              std::to_string(*check.firstBrokenId), std::to_string(check.entries));
            } catch (const std::exception& e) {
                // The check could not run (the database is unreadable): said, and the server goes on.
                log.error("audit log: the chain could not be checked: %s", std::string(e.what()));
            }
        });
        std::string shown = config_.host == "0.0.0.0" ? "127.0.0.1" : config_.host;
        std::cout << "dangan listening on " << (overTls ? "https" : "http") << "://" << shown << ":" << socket.address().port() << "/ (data: "
                  << config_.dataDir.string() << ")" << std::endl;

        // The demo archive is filled only into a fresh archive (its admin made just now).
        std::atomic<bool> stopDemo = false;
        std::jthread demo;
        if (config_.demo && !newAdminPassword)
            std::cout << "--demo: " << config_.dataDir.string() << " already holds an archive; nothing added" << std::endl;
        if (config_.demo && newAdminPassword) {
            std::cout << "Filling a demo archive. Sign in as one of (password " << kDemoPassword << "):";
            for (const auto& account : demoAccounts()) std::cout << " " << account.username << " (" << account.role << ")";
            std::cout << "; or as admin." << std::endl;
            demo = std::jthread([&, port = socket.address().port(), password = *newAdminPassword] {
                auto problem = fillDemoArchive(shown, port, password, archiveOptions.printing, archive->clock(), stopDemo);
                if (problem.empty()) std::cout << "demo archive ready" << std::endl;
                else std::cerr << command_ << ": the demo archive is incomplete: " << problem << std::endl;
            });
        }

        waitForTerminationRequest();
        stopDemo = true;
        if (demo.joinable()) demo.join();

        // Drain: stop accepting, let requests in flight finish, close idle keep-alive connections.
        log.information("stopping: %d connection(s) open", server.currentConnections());
        server.stopAll(false);
        for (int i = 0; i < 300 && server.currentThreads() > 0; ++i) Poco::Thread::sleep(100);
        pool.joinAll();
        chainCheck.request_stop();
        if (chainCheck.joinable()) chainCheck.join();
        stopBackground();
        archive->flushViews();
        archive.reset();
        log.information("stopped");
        return EXIT_OK;
    }

private:
    const bool worker_;
    const std::string command_;
    ServeConfig config_;
    bool help_ = false;
};

}  // namespace

int runServeCommand(int argc, char** argv, bool worker) {
    try {
        ServeApplication app(worker);
        return app.run(argc, argv);
    } catch (const Poco::Exception& e) {
        std::cerr << (worker ? "dangan worker: " : "dangan serve: ") << e.displayText() << "\n";
        return 64;
    }
}

}  // namespace dangan::server
