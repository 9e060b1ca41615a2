#pragma once
// The database a test's stores live in: a SQLite file in the test's folder by default, or, when
// the test runs under ctest's "postgresql." prefix, a new database of its own on the loopback
// PostgreSQL server that tests/support/pg_loopback.sh started (DANGAN_TEST_POSTGRESQL names the
// file holding that server's URL). The same test then proves the same behaviour on both engines.

#include <filesystem>
#include <memory>
#include <string>

#include "dangan/storage/clock.h"
#include "dangan/storage/database.h"

namespace dangan::testing {

// Whether this run's tests are on PostgreSQL.
[[nodiscard]] bool onPostgresql();

// A new, empty PostgreSQL database on the test server, by its URL; throws when there is no server.
[[nodiscard]] std::string freshPostgresDatabase();

// Options opening the test's database: `dir`/archive.db, or a fresh PostgreSQL database.
[[nodiscard]] storage::DatabaseOptions testDatabase(const std::filesystem::path& dir, int readers,
                                                    std::shared_ptr<const storage::Clock> clock = {});

}  // namespace dangan::testing
