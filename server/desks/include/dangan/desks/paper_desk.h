#pragma once
// The paper originals at the archive room's desk: what a scanned code is, where it belongs and
// where it is; putting items into boxes and volumes and containers onto shelves by scanning two
// codes, one after the other; and stocktakes. Paper is shelved by time: items of an area fill the
// area's open boxes in archive order, boxes fill the area's shelves in shelf order; low- and
// high-voltage customers' paper is kept apart. Messages are for the archivist at the desk, in
// Chinese, and always say where a thing belongs.

#include <map>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "dangan/desks/problem.h"
#include "dangan/storage/stores.h"

namespace dangan::server {

// A shelf in words: "1号库房 01架 A面 3层".
[[nodiscard]] std::string shelfAddress(const storage::Shelf& shelf);
// A box's or a volume's own code.
[[nodiscard]] std::string containerCode(const storage::Container& container);

// low (0.4 kV and below; also when the voltage is not recorded) or high.
[[nodiscard]] std::string voltageAreaOf(const std::string& voltage);

// What a scanned own code names: a document's paper original (an item), a customer's volume,
// a box, or a shelf.
enum class PaperKind { Item, Volume, Box, Shelf };
[[nodiscard]] std::string_view paperKindName(PaperKind kind);  // item, volume, box, shelf

// One scanned code, understood.
struct PaperThing {
    std::string code;
    PaperKind kind = PaperKind::Item;
    std::string label;     // what it is, in words
    std::string voltageArea;
    std::optional<storage::Customer> customer;  // of an item or volume
    std::int64_t lineageId = 0;                 // an item
    int pages = 0;                              // an item's pages; a volume's in all
    std::optional<storage::Container> container;  // a box, or a volume once opened
    std::optional<storage::Shelf> shelf;        // a shelf
};

struct PaperPlace {
    std::string text;                     // in words: "DGB-12（1号库房 01架 A面 3层 第4位）第7件"
    std::optional<std::string> container; // the box or volume it is in
    std::optional<std::string> shelf;     // the shelf code (of it or its container)
    std::optional<int> position;
};

struct ScanAnswer {
    std::string message;                  // what happened, or what the desk should do next
    PaperThing thing;
    PaperPlace place;                     // where it is now
    std::optional<std::string> proposal;  // where it should go (code), for a thing not yet placed
    std::optional<std::string> nextBox;   // after a box filled up
};

struct ShelfPlan {
    std::string room;
    std::vector<std::string> racks, faces, levels;
    int capacity = 0;         // boxes a shelf
    std::string voltageArea;  // low or high
};

struct Whereabouts {
    PaperThing thing;
    PaperPlace place;
    std::optional<storage::ItemOut> onLoan;
    std::vector<std::string> contents;  // a box's or volume's items (their codes)
    std::vector<std::string> holds;     // a shelf's boxes and volumes (their codes)
    std::vector<storage::PaperMovement> history;  // newest first, at most 100
};

struct PaperOriginal {
    storage::Document document;
    PaperThing thing;
    PaperPlace place;
    std::optional<storage::ItemOut> onLoan;
};

struct CustomerPaper {
    storage::Customer customer;
    std::vector<PaperOriginal> originals;
};

// 高压 or 低压, for labels and messages.
[[nodiscard]] std::string voltageAreaName(const std::string& voltageArea);

class PaperDesk {
public:
    explicit PaperDesk(storage::Stores& stores) : stores_(stores) {}

    // Resolves a scanned code (trimmed; own codes only). Only reads: a customer's volume is
    // opened when an item first goes into it or it first goes onto a shelf.
    [[nodiscard]] Outcome<PaperThing> resolve(const std::string& code);
    [[nodiscard]] PaperPlace placeOf(const PaperThing& thing);
    // Where the paper originals of many documents are (by lineage), in words: a customer's e-file,
    // read together (the boxes and shelves they share read once).
    [[nodiscard]] std::map<std::int64_t, std::string> placesOfItems(const std::vector<std::int64_t>& lineageIds);
    // The same from the items already read (PaperStore::items or itemsAhead).
    [[nodiscard]] std::map<std::int64_t, std::string> placesOfItems(const std::vector<std::int64_t>& lineageIds,
                                                                    const std::map<std::int64_t, storage::PaperItem>& items);

    // One code: what it is, where it is and where it should go. Two codes: put the first into (or
    // onto) the second.
    [[nodiscard]] Outcome<ScanAnswer> scan(const std::vector<std::string>& codes, const storage::Actor& actor);

    // Registers a room's shelves: every rack × face × level, `capacity` boxes each, of one
    // voltage area (low or high).
    [[nodiscard]] Outcome<std::vector<storage::Shelf>> addShelves(const ShelfPlan& plan, const storage::Actor& actor);
    [[nodiscard]] std::vector<storage::Shelf> shelves(const std::string& room);
    // New empty boxes of an area, `capacity` items each.
    [[nodiscard]] Outcome<std::vector<storage::Container>> addBoxes(const std::string& voltageArea, int capacity, int count,
                                                                    const storage::Actor& actor);
    // A scanned code with where it is, whether it is out, what it holds and its movements.
    [[nodiscard]] Outcome<Whereabouts> whereabouts(const std::string& code);
    // Every current document of a customer on paper: where each original is, and whether it is out.
    [[nodiscard]] Outcome<CustomerPaper> customerPaper(const std::string& accountNo);

    // Where the next item of the area goes: the first open box, or a new one when none is open.
    [[nodiscard]] storage::Container nextBox(const std::string& voltageArea, const storage::Actor& actor);

private:
    // How placeOf finds an item's record, a container and a shelf (straight from the store, or
    // from what a batch read already).
    struct PlaceLookups {
        std::function<std::optional<storage::PaperItem>(std::int64_t)> item;
        std::function<std::optional<storage::Container>(std::int64_t)> container;
        std::function<std::optional<storage::Shelf>(std::int64_t)> shelf;
    };
    [[nodiscard]] PaperPlace placeOf(const PaperThing& thing, const PlaceLookups& find);
    Outcome<ScanAnswer> put(PaperThing what, PaperThing into, const storage::Actor& actor);
    Outcome<ScanAnswer> shelve(PaperThing what, PaperThing shelf, const storage::Actor& actor);

    storage::Stores& stores_;
};

// ---- stocktake ----

struct StocktakeFinding {
    std::string code;
    std::string label;
    std::string foundOn;    // shelf code where it was read (misplaced, unexpected)
    std::string belongsOn;  // shelf code where the records put it (missing, misplaced)
    std::string note;
};

struct StocktakeReport {
    int shelvesInScope = 0;
    int shelvesRead = 0;
    int expected = 0;
    int read = 0;
    std::vector<std::string> shelvesNotRead;
    std::vector<StocktakeFinding> missing, misplaced, unexpected, onLoan;
};

// Compares what was read, shelf by shelf, with the records. `recorded` maps the code of every
// container the records put on a shelf of the scope, and of every container read, to the shelf
// the records put it on; `out` holds the codes on loan. Shelves of the scope not read yet are
// listed, and what they should hold is not counted missing. Pure: no I/O.
[[nodiscard]] StocktakeReport compareStocktake(const std::vector<std::int64_t>& shelvesInScope,
                                               const std::map<std::int64_t, std::vector<std::string>>& reads,
                                               const std::unordered_map<std::string, std::int64_t>& recorded,
                                               const std::set<std::string>& out);

}  // namespace dangan::server
