#pragma once
// Versioned schema migrations, applied in order inside one write transaction each.

#include <string_view>
#include <vector>

namespace dangan::storage {

struct Migration {
    int version;
    std::string_view sql;
};

const std::vector<Migration>& schemaMigrations();

}  // namespace dangan::storage
