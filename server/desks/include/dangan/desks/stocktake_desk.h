#pragma once
// Stocktakes of the archive room (盘点): a scope of shelves (a room, or a run of shelves from one
// shelf code to another); each shelf read with a handheld scanner (its shelf code, then every box
// and volume on it); and the report of what is missing, misplaced, unexpected or out on loan.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "dangan/desks/paper_desk.h"
#include "dangan/desks/problem.h"
#include "dangan/storage/stores.h"

namespace dangan::server {

// One shelf's reads, or a handheld scanner's whole batch in the order read.
struct ShelfReads {
    std::string shelfCode;
    std::vector<std::string> codes;
};

struct StocktakeView {
    storage::Stocktake stocktake;
    StocktakeReport report;
};

struct RecordedReads {
    int shelves = 0;
    int codes = 0;
};

class StocktakeDesk {
public:
    explicit StocktakeDesk(storage::Stores& stores) : stores_(stores) {}

    // A whole room.
    [[nodiscard]] Outcome<std::int64_t> startRoom(const std::string& room, const storage::Actor& actor);
    // The shelves from one shelf code to another, inclusive, in either order.
    [[nodiscard]] Outcome<std::int64_t> startRun(const std::string& fromCode, const std::string& toCode,
                                                 const storage::Actor& actor);
    // The reads of one shelf.
    [[nodiscard]] Outcome<RecordedReads> record(std::int64_t id, const ShelfReads& reads);
    // A handheld scanner's batch: a shelf code starts each shelf, the codes after it are on it.
    [[nodiscard]] Outcome<RecordedReads> recordBatch(std::int64_t id, const std::vector<std::string>& codes);
    [[nodiscard]] Outcome<StocktakeView> report(std::int64_t id);

private:
    [[nodiscard]] Outcome<std::int64_t> shelfOfCode(const std::string& code);
    [[nodiscard]] Outcome<RecordedReads> recordShelves(std::int64_t id, const std::map<std::int64_t, std::vector<std::string>>& shelves);

    storage::Stores& stores_;
};

}  // namespace dangan::server
