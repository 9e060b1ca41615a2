#pragma once
// Settings for `dangan serve`, read and checked once at start-up.

#include <filesystem>
#include <optional>
#include <string>

namespace dangan::server {

struct ServeConfig {
    std::filesystem::path dataDir = "data";  // --data
    std::string databaseUrl;                 // --database postgresql://USER@HOST:PORT/DB (empty: SQLite in --data)
    int workLeaseMs = 60000;                 // --work-lease-ms: a batch's or an audit's lease on its node
    int leadRetryMs = 5000;                  // --lead-retry-ms: how often a follower node tries to take the lead
    std::string imagesUrl;                   // --images s3://BUCKET?endpoint=http://HOST:PORT (empty: files in --data)
    std::string host = "0.0.0.0";            // --host
    int port = 8080;                         // --port (0: any free port, printed at start)
    std::filesystem::path webDir;            // --web; default: the bundled web application (build/webapp)
    // --threads: HTTP connections served at once, one thread each. Poco's server gives a connection
    // its thread before the request has arrived, so a client that sends slowly holds one: 128
    // leave room for 64 such clients beside a hall's counters (measured in bench/README.md).
    int threads = 128;
    std::filesystem::path watchDir;          // --watch: the hot folder, empty for none
    int watchSettleMs = 2000;                // --watch-settle: a file unchanged this long is complete
    std::optional<std::string> adminPassword;  // DANGAN_ADMIN_PASSWORD, for the first admin
    std::filesystem::path rulesFile;         // --rules: process rules to put in force; empty: the default file seeds a new archive
    std::filesystem::path clockFile;         // --clock-file: read the time from this file (tests of deadlines)
    int ocrWorkers = 0;                      // --ocr-workers: Tesseract engines; 0: one per core, -1: no OCR
    int accountLength = 10;                  // --account-length: digits of a 户号
    std::string accountPrefixes;             // --account-prefixes: digits a 户号 may begin with (empty: any)
    bool demo = false;                       // --demo: fill a fresh data folder with a small demo archive
    int sessionHours = 12;                   // --session-hours: a session's longest life
    int sessionIdleMinutes = 30;             // --session-idle-minutes: a session unused this long ends
    int diskReserveMb = 64;                  // --disk-reserve-mb: uploads refused when they would leave less free
    int fullDiskRetrySeconds = 30;           // --full-disk-retry-seconds: a batch that met a full disk tries again
    int passwordMinLength = 8;               // --password-min-length
    int passwordClasses = 3;                 // --password-classes: of lower, upper, digits, others
    int passwordMaxAgeDays = 0;              // --password-max-age-days: 0, passwords do not expire
    std::filesystem::path tlsCert, tlsKey;   // --tls-cert, --tls-key (PEM): HTTPS only, else plain HTTP
    std::string notifyAt = "08:00";          // --notify-at: the daily reminders' time, China time
    std::string smtp;                        // --smtp HOST:PORT: the mail relay (empty: no e-mail)
    std::string mailFrom = "dangan@localhost";  // --mail-from
    std::string webhook;                     // --webhook URL: the messaging webhook (secret: DANGAN_WEBHOOK_SECRET)
};

}  // namespace dangan::server
