#include "test_database.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace dangan::testing {
namespace {

std::string serverUrl() {
    const char* file = std::getenv("DANGAN_TEST_POSTGRESQL");
    if (!file || !*file) return {};
    std::ifstream in(file);
    std::string url;
    if (!(in >> url)) throw std::runtime_error(std::string("no PostgreSQL URL in ") + file);
    return url;
}

}  // namespace

bool onPostgresql() { return !serverUrl().empty(); }

std::string freshPostgresDatabase() {
    std::string url = serverUrl();
    if (url.empty()) throw std::runtime_error("DANGAN_TEST_POSTGRESQL names no PostgreSQL server");
    static std::atomic<int> made{0};
    std::string name = "t" + std::to_string(::getpid()) + "_" + std::to_string(++made);
    PGconn* conn = PQconnectdb(url.c_str());
    std::string error;
    if (PQstatus(conn) != CONNECTION_OK) {
        error = PQerrorMessage(conn);
    } else {
        PGresult* r = PQexec(conn, ("CREATE DATABASE " + name).c_str());
        if (PQresultStatus(r) != PGRES_COMMAND_OK) error = PQresultErrorMessage(r);
        PQclear(r);
    }
    PQfinish(conn);
    if (!error.empty()) throw std::runtime_error("cannot create test database " + name + ": " + error);
    return url.substr(0, url.rfind('/') + 1) + name;
}

storage::DatabaseOptions testDatabase(const std::filesystem::path& dir, int readers,
                                      std::shared_ptr<const storage::Clock> clock) {
    storage::DatabaseOptions options;
    options.path = dir / "archive.db";
    options.readers = readers;
    options.clock = std::move(clock);
    if (onPostgresql()) options.url = freshPostgresDatabase();
    return options;
}

}  // namespace dangan::testing
