#pragma once
// The paper originals: shelves, the boxes and volumes on them, the items (件) in those, every
// movement, loans of paper, and stocktakes. The rules (which box is next, due dates, who may
// approve) live in the server's desks; these stores keep the facts and refuse, inside one
// transaction, what would make them contradict each other (a full box, an occupied position,
// an item lent twice).

#include <cstdint>
#include <expected>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dangan/storage/answer_ahead.h"
#include "dangan/storage/records.h"

namespace dangan::storage {

// 架位: one shelf level of a rack face in an archive room, holding `capacity` boxes.
struct Shelf {
    std::int64_t id = 0;
    std::string room, rack, face, level;
    int capacity = 0;
    std::string voltageArea;  // low, high
    int used = 0;             // positions taken
};

// 盒 or 卷.
struct Container {
    std::int64_t id = 0;
    std::string kind;          // box, volume
    std::string voltageArea;   // low, high
    std::optional<std::int64_t> customerId;  // a volume's customer
    std::string accountNo;     // a volume's customer
    int capacity = 0;          // a box's items
    int items = 0;
    bool closed = false;
    std::optional<std::int64_t> shelfId;
    std::optional<int> position;
    std::optional<std::int64_t> inContainer;  // a volume kept in a box
};

// Where an item (the paper of a document lineage) is kept.
struct PaperItem {
    std::int64_t lineageId = 0;
    std::int64_t containerId = 0;
    int seq = 0;
    std::int64_t placedAt = 0;
};

struct PaperMovement {
    std::string code;
    std::string action;  // boxed, shelved, lent, returned, lost
    std::string place;   // where to, in words
    std::optional<std::int64_t> loanId;
    std::int64_t at = 0;
    std::string by;
};

enum class PlacementRefusal { ContainerClosed, ContainerFull, AlreadyPlaced, PositionTaken, ShelfFull };

class PaperStore {
public:
    virtual ~PaperStore() = default;

    virtual std::vector<Shelf> addShelves(const std::vector<Shelf>& shelves, const Actor& actor) = 0;
    [[nodiscard]] virtual std::optional<Shelf> shelf(std::int64_t id) = 0;
    // Shelves in order (room, rack, face, level), with how many positions are taken.
    [[nodiscard]] virtual std::vector<Shelf> shelves(const std::string& room) = 0;

    virtual std::vector<Container> addBoxes(const std::string& voltageArea, int capacity, int count, const Actor& actor) = 0;
    // The customer's volume, made on first use.
    virtual Container volumeOf(const Customer& customer, const std::string& voltageArea, const Actor& actor) = 0;
    [[nodiscard]] virtual std::optional<Container> container(std::int64_t id) = 0;
    // The customer's volume, if it has been opened.
    [[nodiscard]] virtual std::optional<Container> volume(std::int64_t customerId) = 0;
    // The open box of the area that was opened first: where the next item goes.
    [[nodiscard]] virtual std::optional<Container> firstOpenBox(const std::string& voltageArea) = 0;
    // The first shelf of the area, in shelving order, with a free position.
    [[nodiscard]] virtual std::optional<Shelf> firstShelfWithRoom(const std::string& voltageArea) = 0;
    // Containers on the shelves with ids from..to (inclusive), for stocktakes.
    [[nodiscard]] virtual std::vector<Container> containersOnShelves(std::int64_t fromShelf, std::int64_t toShelf) = 0;

    [[nodiscard]] virtual std::optional<PaperItem> item(std::int64_t lineageId) = 0;
    // The items of many lineages at once (a customer's e-file): those placed, by lineage.
    [[nodiscard]] virtual std::map<std::int64_t, PaperItem> items(const std::vector<std::int64_t>& lineageIds) = 0;
    // The same asked ahead (see AnswerAhead).
    [[nodiscard]] virtual AnswerAhead<std::map<std::int64_t, PaperItem>> itemsAhead(const std::vector<std::int64_t>& lineageIds) = 0;
    [[nodiscard]] virtual std::vector<PaperItem> itemsIn(std::int64_t containerId) = 0;
    // Puts an item in a container; a box that becomes full is closed in the same transaction.
    virtual std::optional<PlacementRefusal> placeItem(std::int64_t lineageId, const std::string& itemCode,
                                                      const Container& into, const std::string& intoCode,
                                                      const Actor& actor) = 0;
    // Puts a container at the shelf's next free position (or moves it there).
    virtual std::expected<int, PlacementRefusal> shelveContainer(const Container& container, const std::string& code,
                                                                 const Shelf& shelf, const std::string& shelfText,
                                                                 const Actor& actor) = 0;
    [[nodiscard]] virtual std::vector<PaperMovement> movements(const std::string& code, int limit) = 0;
};

// ---- loans ----

struct LoanItem {
    std::int64_t id = 0;
    std::string code;    // DGD-… (an item) or DGV-… (a volume)
    std::string kind;    // item, volume
    std::string label;   // what it is, in words
    int pages = 0;       // pages that must come back
    std::string state;   // requested, lent, returned, lost
    std::optional<std::int64_t> lentAt;
    std::optional<std::int64_t> returnedAt;
    std::optional<int> pagesReturned;
    std::string damage;
};

struct Loan {
    std::int64_t id = 0;
    std::int64_t requestedBy = 0;
    std::string requestedByName;
    std::string purpose;       // judicial, audit, business, other
    std::string wantedUntil;   // YYYY-MM-DD
    std::string note;
    std::string state;         // requested, approved, rejected, lent, closed
    std::optional<std::int64_t> approvedBy;
    std::string approvedByName;
    std::optional<std::int64_t> approvedAt;
    std::optional<std::int64_t> lentAt;
    std::string dueOn;         // YYYY-MM-DD, once lent
    int renewals = 0;
    std::optional<std::int64_t> closedAt;
    std::int64_t createdAt = 0;
    std::vector<LoanItem> items;
};

struct NewLoanItem {
    std::string code, kind, label;
    int pages = 0;
};

// An item out on loan, for notices in the e-file.
struct ItemOut {
    std::string code;
    std::int64_t loanId = 0;
    std::string borrower;
    std::int64_t lentAt = 0;
    std::string dueOn;
};

enum class LoanRefusal { NotFound, WrongState, ItemNotInLoan, ItemNotLent, AlreadyOut };

struct LoanChange {
    std::optional<LoanRefusal> refusal;
    std::string code;  // the item refused, when one was
    std::optional<std::int64_t> otherLoan;  // AlreadyOut: the loan that holds it
};

class LoanStore {
public:
    virtual ~LoanStore() = default;
    virtual std::int64_t request(const std::string& purpose, const std::string& wantedUntil, const std::string& note,
                                 const std::vector<NewLoanItem>& items, const Actor& actor) = 0;
    [[nodiscard]] virtual std::optional<Loan> loan(std::int64_t id) = 0;
    // state: requested, approved, lent, closed, rejected, or "" for all; newest first.
    [[nodiscard]] virtual std::vector<Loan> loans(const std::string& state, int limit) = 0;
    // Lent loans due before `today` (YYYY-MM-DD), most overdue first.
    [[nodiscard]] virtual std::vector<Loan> overdue(const std::string& today) = 0;
    virtual LoanChange decide(std::int64_t id, bool approve, const std::string& reason, const Actor& actor) = 0;
    // Lends the scanned items of an approved (or partly lent) loan; all or none.
    virtual LoanChange lend(std::int64_t id, const std::vector<std::string>& codes, const std::string& dueOn,
                            const Actor& actor) = 0;
    virtual LoanChange renew(std::int64_t id, const std::string& dueOn, const Actor& actor) = 0;
    struct Returned {
        std::string code;
        int pages = 0;
        std::string damage;
    };
    // Takes back lent items, all or none; the loan closes when nothing is out.
    virtual LoanChange takeBack(std::int64_t id, const std::vector<Returned>& items, const Actor& actor) = 0;
    virtual LoanChange reportLost(std::int64_t id, const std::vector<std::string>& codes, const std::string& note,
                                  const Actor& actor) = 0;
    [[nodiscard]] virtual std::optional<ItemOut> out(const std::string& code) = 0;
    [[nodiscard]] virtual std::map<std::string, ItemOut> outAmong(const std::vector<std::string>& codes) = 0;
    // The same asked ahead (see AnswerAhead).
    [[nodiscard]] virtual AnswerAhead<std::map<std::string, ItemOut>> outAmongAhead(const std::vector<std::string>& codes) = 0;
    virtual void recordReminder(std::int64_t id, int level, const Actor& actor) = 0;
};

// ---- stocktakes ----

struct Stocktake {
    std::int64_t id = 0;
    std::string scope;   // in words
    std::int64_t fromShelf = 0;
    std::int64_t toShelf = 0;
    std::string state;   // open, closed
    std::int64_t createdAt = 0;
    std::string createdBy;
    std::map<std::int64_t, std::vector<std::string>> reads;  // shelf id -> codes in the order read
};

class StocktakeStore {
public:
    virtual ~StocktakeStore() = default;
    virtual std::int64_t start(const std::string& scope, std::int64_t fromShelf, std::int64_t toShelf, const Actor& actor) = 0;
    // Replaces what was read on a shelf (a shelf scanned again counts once).
    virtual void recordShelf(std::int64_t id, std::int64_t shelfId, const std::vector<std::string>& codes) = 0;
    [[nodiscard]] virtual std::optional<Stocktake> stocktake(std::int64_t id) = 0;
    virtual bool close(std::int64_t id, const Actor& actor) = 0;
};

}  // namespace dangan::storage
