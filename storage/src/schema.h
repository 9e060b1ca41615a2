#pragma once
// Versioned schema migrations, applied in order inside one write transaction each.

#include <string_view>
#include <vector>

namespace dangan::storage {

struct Migration {
    int version;
    std::string_view sql;
};

// SQLite's migrations, from the first schema on.
const std::vector<Migration>& schemaMigrations();

// PostgreSQL's: its first is the SQLite schema as it stood at version 17; later ones follow both.
const std::vector<Migration>& postgresMigrations();

}  // namespace dangan::storage
