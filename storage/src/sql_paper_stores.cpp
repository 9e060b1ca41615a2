// SQLite implementations of the paper stores: shelves and containers, loans, stocktakes.
#include <Poco/JSON/Object.h>

#include <sstream>

#include "audit_chain.h"
#include "dangan/storage/database.h"
#include "sql_slices.h"
#include "dangan/storage/paper_stores.h"

namespace dangan::storage {
namespace {

void audit(Connection& c, const Actor& actor, const std::string& action, const std::string& type,
           const std::string& id, const Poco::JSON::Object& detail) {
    appendAudit(c, {actor, action, type, id, toJson(detail)});
}

void recordMovement(Connection& c, const std::string& code, const std::string& action, const std::string& place,
                    std::optional<std::int64_t> loanId, const Actor& actor) {
    c.prepare("INSERT INTO paper_movements(code, action, place, loan_id, at, by) VALUES(?,?,?,?,?,?)")
        .bind(1, code).bind(2, action).bind(3, place).bind(4, loanId).bind(5, c.clock().nowMillis()).bind(6, actor.userId).run();
}

// ---- shelves and containers ----

constexpr const char* kShelfSelect =
    "SELECT s.id, s.room, s.rack, s.face, s.level, s.capacity, s.voltage_area,"
    " (SELECT COUNT(*) FROM containers c WHERE c.shelf_id = s.id) FROM shelves s ";

Shelf readShelf(const Statement& s) {
    return {s.int64(0), s.text(1), s.text(2), s.text(3), s.text(4), static_cast<int>(s.int64(5)), s.text(6),
            static_cast<int>(s.int64(7))};
}

constexpr const char* kContainerSelect =
    "SELECT c.id, c.kind, c.voltage_area, c.customer_id, COALESCE(u.account_no, ''), c.capacity, c.items, c.closed,"
    " c.shelf_id, c.position, c.in_container FROM containers c LEFT JOIN customers u ON u.id = c.customer_id ";

Container readContainer(const Statement& s) {
    Container c;
    c.id = s.int64(0);
    c.kind = s.text(1);
    c.voltageArea = s.text(2);
    c.customerId = s.optionalInt64(3);
    c.accountNo = s.text(4);
    c.capacity = static_cast<int>(s.int64(5));
    c.items = static_cast<int>(s.int64(6));
    c.closed = s.int64(7) != 0;
    c.shelfId = s.optionalInt64(8);
    if (auto p = s.optionalInt64(9)) c.position = static_cast<int>(*p);
    c.inContainer = s.optionalInt64(10);
    return c;
}

AnswerAhead<std::map<std::string, ItemOut>> askOutAmong(Connection& c, const std::vector<std::string>& codes) {
    return askBySlices<std::string, std::map<std::string, ItemOut>>(
        c, codes,
        "SELECT i.code, l.id, COALESCE(NULLIF(u.display_name, ''), u.username, ''), i.lent_at, l.due_on FROM loan_items i"
        " JOIN loans l ON l.id = i.loan_id LEFT JOIN users u ON u.id = l.requested_by"
        " WHERE i.code IN ", " AND i.state='lent' ORDER BY i.code, l.id",
        [](Statement& s, std::map<std::string, ItemOut>& found) {
            while (s.step()) found.try_emplace(s.text(0), ItemOut{s.text(0), s.int64(1), s.text(2), s.optionalInt64(3).value_or(0), s.text(4)});
        });
}

AnswerAhead<std::map<std::int64_t, PaperItem>> askItems(Connection& c, const std::vector<std::int64_t>& lineageIds) {
    return askBySlices<std::int64_t, std::map<std::int64_t, PaperItem>>(
        c, lineageIds, "SELECT lineage_id, container_id, seq, placed_at FROM paper_items WHERE lineage_id IN ", "",
        [](Statement& s, std::map<std::int64_t, PaperItem>& found) {
            while (s.step()) found[s.int64(0)] = PaperItem{s.int64(0), s.int64(1), static_cast<int>(s.int64(2)), s.int64(3)};
        });
}

class SqlPaperStore final : public PaperStore {
public:
    explicit SqlPaperStore(Database& db) : db_(db) {}

    std::vector<Shelf> addShelves(const std::vector<Shelf>& shelves, const Actor& actor) override {
        return db_.write([&](Connection& c) {
            std::vector<Shelf> added;
            for (auto s : shelves) {
                c.prepare("INSERT INTO shelves(room, rack, face, level, capacity, voltage_area, created_at) VALUES(?,?,?,?,?,?,?)")
                    .bind(1, s.room).bind(2, s.rack).bind(3, s.face).bind(4, s.level).bind(5, std::int64_t{s.capacity})
                    .bind(6, s.voltageArea).bind(7, db_.clock().nowMillis()).run();
                s.id = c.lastInsertRowId();
                added.push_back(s);
            }
            Poco::JSON::Object detail;
            detail.set("shelves", static_cast<int>(added.size()));
            if (!added.empty()) detail.set("room", added.front().room);
            audit(c, actor, "shelves.add", "shelf", added.empty() ? "" : std::to_string(added.front().id), detail);
            return added;
        });
    }

    std::optional<Shelf> shelf(std::int64_t id) override {
        return db_.read([&](Connection& c) -> std::optional<Shelf> {
            auto s = c.prepare(std::string(kShelfSelect) + "WHERE s.id=?");
            s.bind(1, id);
            if (!s.step()) return std::nullopt;
            return readShelf(s);
        });
    }

    std::vector<Shelf> shelves(const std::string& room) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare(std::string(kShelfSelect) + "WHERE ?='' OR s.room=? ORDER BY s.room, s.rack, s.face, s.level");
            s.bind(1, room).bind(2, room);
            std::vector<Shelf> list;
            while (s.step()) list.push_back(readShelf(s));
            return list;
        });
    }

    std::vector<Container> addBoxes(const std::string& voltageArea, int capacity, int count, const Actor& actor) override {
        return db_.write([&](Connection& c) {
            std::vector<Container> added;
            for (int i = 0; i < count; ++i) {
                c.prepare("INSERT INTO containers(kind, voltage_area, capacity, created_at) VALUES('box',?,?,?)")
                    .bind(1, voltageArea).bind(2, std::int64_t{capacity}).bind(3, db_.clock().nowMillis()).run();
                Container box;
                box.id = c.lastInsertRowId();
                box.kind = "box";
                box.voltageArea = voltageArea;
                box.capacity = capacity;
                added.push_back(box);
            }
            Poco::JSON::Object detail;
            detail.set("voltage_area", voltageArea);
            detail.set("capacity", capacity);
            detail.set("count", count);
            audit(c, actor, "boxes.add", "container", std::to_string(added.front().id), detail);
            return added;
        });
    }

    Container volumeOf(const Customer& customer, const std::string& voltageArea, const Actor& actor) override {
        return db_.write([&](Connection& c) {
            auto find = [&]() -> std::optional<Container> {
                auto s = c.prepare(std::string(kContainerSelect) + "WHERE c.kind='volume' AND c.customer_id=?");
                s.bind(1, customer.id);
                if (!s.step()) return std::nullopt;
                return readContainer(s);
            };
            if (auto found = find()) return *found;
            c.prepare("INSERT INTO containers(kind, voltage_area, customer_id, created_at) VALUES('volume',?,?,?)")
                .bind(1, voltageArea).bind(2, customer.id).bind(3, db_.clock().nowMillis()).run();
            Poco::JSON::Object detail;
            detail.set("account_no", customer.fields.accountNo);
            audit(c, actor, "volume.open", "container", std::to_string(c.lastInsertRowId()), detail);
            return *find();
        });
    }

    std::optional<Container> container(std::int64_t id) override {
        return db_.read([&](Connection& c) -> std::optional<Container> {
            auto s = c.prepare(std::string(kContainerSelect) + "WHERE c.id=?");
            s.bind(1, id);
            if (!s.step()) return std::nullopt;
            return readContainer(s);
        });
    }

    std::optional<Container> volume(std::int64_t customerId) override {
        return db_.read([&](Connection& c) -> std::optional<Container> {
            auto s = c.prepare(std::string(kContainerSelect) + "WHERE c.kind='volume' AND c.customer_id=?");
            s.bind(1, customerId);
            if (!s.step()) return std::nullopt;
            return readContainer(s);
        });
    }

    std::optional<Container> firstOpenBox(const std::string& voltageArea) override {
        return db_.read([&](Connection& c) -> std::optional<Container> {
            auto s = c.prepare(std::string(kContainerSelect) +
                               "WHERE c.kind='box' AND c.closed=0 AND c.voltage_area=? ORDER BY c.id LIMIT 1");
            s.bind(1, voltageArea);
            if (!s.step()) return std::nullopt;
            return readContainer(s);
        });
    }

    std::optional<Shelf> firstShelfWithRoom(const std::string& voltageArea) override {
        return db_.read([&](Connection& c) -> std::optional<Shelf> {
            auto s = c.prepare(std::string(kShelfSelect) +
                               "WHERE s.voltage_area=? AND (SELECT COUNT(*) FROM containers c WHERE c.shelf_id = s.id) < s.capacity"
                               " ORDER BY s.room, s.rack, s.face, s.level LIMIT 1");
            s.bind(1, voltageArea);
            if (!s.step()) return std::nullopt;
            return readShelf(s);
        });
    }

    std::vector<Container> containersOnShelves(std::int64_t fromShelf, std::int64_t toShelf) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare(std::string(kContainerSelect) + "WHERE c.shelf_id BETWEEN ? AND ? ORDER BY c.shelf_id, c.position");
            s.bind(1, fromShelf).bind(2, toShelf);
            std::vector<Container> list;
            while (s.step()) list.push_back(readContainer(s));
            return list;
        });
    }

    std::optional<PaperItem> item(std::int64_t lineageId) override {
        auto found = items({lineageId});
        if (found.empty()) return std::nullopt;
        return found.begin()->second;
    }

    std::map<std::int64_t, PaperItem> items(const std::vector<std::int64_t>& lineageIds) override {
        return db_.read([&](Connection& c) { return askItems(c, lineageIds)(); });
    }

    AnswerAhead<std::map<std::int64_t, PaperItem>> itemsAhead(const std::vector<std::int64_t>& lineageIds) override {
        return askAhead(db_, [lineageIds](Connection& c) { return askItems(c, lineageIds); });
    }

    std::vector<PaperItem> itemsIn(std::int64_t containerId) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare("SELECT lineage_id, container_id, seq, placed_at FROM paper_items WHERE container_id=? ORDER BY seq");
            s.bind(1, containerId);
            std::vector<PaperItem> list;
            while (s.step()) list.push_back({s.int64(0), s.int64(1), static_cast<int>(s.int64(2)), s.int64(3)});
            return list;
        });
    }

    std::optional<PlacementRefusal> placeItem(std::int64_t lineageId, const std::string& itemCode, const Container& into,
                                              const std::string& intoCode, const Actor& actor) override {
        return db_.write([&](Connection& c) -> std::optional<PlacementRefusal> {
            // Judged again inside the transaction: two desks may fill the last place at once.
            auto state = c.prepare("SELECT closed, items, capacity, kind FROM containers WHERE id=?");
            state.bind(1, into.id);
            if (!state.step()) return PlacementRefusal::ContainerClosed;
            bool box = state.text(3) == "box";
            std::int64_t items = state.int64(1), capacity = state.int64(2);
            if (state.int64(0) != 0) return PlacementRefusal::ContainerClosed;
            if (box && items >= capacity) return PlacementRefusal::ContainerFull;
            auto placed = c.prepare("SELECT 1 FROM paper_items WHERE lineage_id=?");
            placed.bind(1, lineageId);
            if (placed.step()) return PlacementRefusal::AlreadyPlaced;
            c.prepare("INSERT INTO paper_items(lineage_id, container_id, seq, placed_at) VALUES(?,?,?,?)")
                .bind(1, lineageId).bind(2, into.id).bind(3, items + 1).bind(4, db_.clock().nowMillis()).run();
            bool full = box && items + 1 >= capacity;
            c.prepare("UPDATE containers SET items=items+1, closed=? WHERE id=?").bind(1, std::int64_t{full ? 1 : 0}).bind(2, into.id).run();
            recordMovement(c, itemCode, "boxed", intoCode, std::nullopt, actor);
            Poco::JSON::Object detail;
            detail.set("into", intoCode);
            detail.set("seq", items + 1);
            if (full) detail.set("closed", true);
            audit(c, actor, "paper.place", "item", itemCode, detail);
            return std::nullopt;
        });
    }

    std::expected<int, PlacementRefusal> shelveContainer(const Container& container, const std::string& code,
                                                         const Shelf& shelf, const std::string& shelfText,
                                                         const Actor& actor) override {
        return db_.write([&](Connection& c) -> std::expected<int, PlacementRefusal> {
            auto taken = c.prepare("SELECT position FROM containers WHERE shelf_id=? AND id<>? ORDER BY position");
            taken.bind(1, shelf.id).bind(2, container.id);
            int position = 1;
            while (taken.step())
                if (taken.int64(0) == position) ++position;
            if (position > shelf.capacity) return std::unexpected(PlacementRefusal::ShelfFull);
            c.prepare("UPDATE containers SET shelf_id=?, position=?, in_container=NULL WHERE id=?")
                .bind(1, shelf.id).bind(2, std::int64_t{position}).bind(3, container.id).run();
            std::string place = shelfText + " 第" + std::to_string(position) + "位";
            recordMovement(c, code, "shelved", place, std::nullopt, actor);
            Poco::JSON::Object detail;
            detail.set("shelf", shelf.id);
            detail.set("position", position);
            audit(c, actor, "paper.shelve", "container", code, detail);
            return position;
        });
    }

    std::vector<PaperMovement> movements(const std::string& code, int limit) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare(
                "SELECT m.code, m.action, m.place, m.loan_id, m.at, COALESCE(u.username, '') FROM paper_movements m"
                " LEFT JOIN users u ON u.id = m.by WHERE m.code=? ORDER BY m.id DESC LIMIT ?");
            s.bind(1, code).bind(2, std::int64_t{limit});
            std::vector<PaperMovement> list;
            while (s.step()) list.push_back({s.text(0), s.text(1), s.text(2), s.optionalInt64(3), s.int64(4), s.text(5)});
            return list;
        });
    }

private:
    Database& db_;
};

// ---- loans ----

constexpr const char* kLoanSelect =
    "SELECT l.id, l.requested_by, COALESCE(NULLIF(r.display_name, ''), r.username, ''), l.purpose, l.wanted_until, l.note, l.state,"
    " l.approved_by, COALESCE(NULLIF(a.display_name, ''), a.username, ''), l.approved_at, l.lent_at, l.due_on, l.renewals,"
    " l.closed_at, l.created_at FROM loans l LEFT JOIN users r ON r.id = l.requested_by"
    " LEFT JOIN users a ON a.id = l.approved_by ";

Loan readLoan(Connection& c, const Statement& s) {
    Loan l;
    l.id = s.int64(0);
    l.requestedBy = s.int64(1);
    l.requestedByName = s.text(2);
    l.purpose = s.text(3);
    l.wantedUntil = s.text(4);
    l.note = s.text(5);
    l.state = s.text(6);
    l.approvedBy = s.optionalInt64(7);
    l.approvedByName = s.text(8);
    l.approvedAt = s.optionalInt64(9);
    l.lentAt = s.optionalInt64(10);
    l.dueOn = s.text(11);
    l.renewals = static_cast<int>(s.int64(12));
    l.closedAt = s.optionalInt64(13);
    l.createdAt = s.int64(14);
    auto items = c.prepare(
        "SELECT id, code, kind, label, pages, state, lent_at, returned_at, pages_returned, damage FROM loan_items"
        " WHERE loan_id=? ORDER BY id");
    items.bind(1, l.id);
    while (items.step()) {
        LoanItem i{items.int64(0), items.text(1), items.text(2), items.text(3), static_cast<int>(items.int64(4)),
                   items.text(5), items.optionalInt64(6), items.optionalInt64(7), std::nullopt, items.text(9)};
        if (auto p = items.optionalInt64(8)) i.pagesReturned = static_cast<int>(*p);
        l.items.push_back(std::move(i));
    }
    return l;
}

class SqlLoanStore final : public LoanStore {
public:
    explicit SqlLoanStore(Database& db) : db_(db) {}

    std::int64_t request(const std::string& purpose, const std::string& wantedUntil, const std::string& note,
                         const std::vector<NewLoanItem>& items, const Actor& actor) override {
        return db_.write([&](Connection& c) {
            c.prepare("INSERT INTO loans(requested_by, purpose, wanted_until, note, state, created_at) VALUES(?,?,?,?,'requested',?)")
                .bind(1, actor.userId.value_or(0)).bind(2, purpose).bind(3, wantedUntil).bind(4, note).bind(5, db_.clock().nowMillis()).run();
            std::int64_t id = c.lastInsertRowId();
            for (const auto& i : items)
                c.prepare("INSERT INTO loan_items(loan_id, code, kind, label, pages, state) VALUES(?,?,?,?,?,'requested')")
                    .bind(1, id).bind(2, i.code).bind(3, i.kind).bind(4, i.label).bind(5, std::int64_t{i.pages}).run();
            Poco::JSON::Object detail;
            detail.set("purpose", purpose);
            detail.set("until", wantedUntil);
            detail.set("items", static_cast<int>(items.size()));
            audit(c, actor, "loan.request", "loan", std::to_string(id), detail);
            return id;
        });
    }

    std::optional<Loan> loan(std::int64_t id) override {
        return db_.read([&](Connection& c) -> std::optional<Loan> {
            auto s = c.prepare(std::string(kLoanSelect) + "WHERE l.id=?");
            s.bind(1, id);
            if (!s.step()) return std::nullopt;
            return readLoan(c, s);
        });
    }

    std::vector<Loan> loans(const std::string& state, int limit) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare(std::string(kLoanSelect) + "WHERE ?='' OR l.state=? ORDER BY l.id DESC LIMIT ?");
            s.bind(1, state).bind(2, state).bind(3, std::int64_t{limit});
            std::vector<Loan> list;
            while (s.step()) list.push_back(readLoan(c, s));
            return list;
        });
    }

    std::vector<Loan> overdue(const std::string& today) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare(std::string(kLoanSelect) + "WHERE l.state='lent' AND l.due_on < ? ORDER BY l.due_on, l.id");
            s.bind(1, today);
            std::vector<Loan> list;
            while (s.step()) list.push_back(readLoan(c, s));
            return list;
        });
    }

    LoanChange decide(std::int64_t id, bool approve, const std::string& reason, const Actor& actor) override {
        return db_.write([&](Connection& c) -> LoanChange {
            c.prepare("UPDATE loans SET state=?, approved_by=?, approved_at=? WHERE id=? AND state='requested'")
                .bind(1, approve ? "approved" : "rejected").bind(2, actor.userId).bind(3, db_.clock().nowMillis()).bind(4, id).run();
            if (c.changes() != 1) return {refusalFor(c, id), "", std::nullopt};
            Poco::JSON::Object detail;
            if (!reason.empty()) detail.set("reason", reason);
            audit(c, actor, approve ? "loan.approve" : "loan.reject", "loan", std::to_string(id), detail);
            return {};
        });
    }

    LoanChange lend(std::int64_t id, const std::vector<std::string>& codes, const std::string& dueOn,
                    const Actor& actor) override {
        return writeAllOrNone([&](Connection& c) -> LoanChange {
            auto loan = c.prepare("SELECT state FROM loans WHERE id=?");
            loan.bind(1, id);
            if (!loan.step()) return {LoanRefusal::NotFound, "", std::nullopt};
            std::string state = loan.text(0);
            if (state != "approved" && state != "lent") return {LoanRefusal::WrongState, "", std::nullopt};
            std::int64_t now = db_.clock().nowMillis();
            for (const auto& code : codes) {
                auto item = c.prepare("SELECT state FROM loan_items WHERE loan_id=? AND code=?");
                item.bind(1, id).bind(2, code);
                if (!item.step() || item.text(0) != "requested") return {LoanRefusal::ItemNotInLoan, code, std::nullopt};
                auto other = c.prepare("SELECT loan_id FROM loan_items WHERE code=? AND state='lent'");
                other.bind(1, code);
                if (other.step()) return {LoanRefusal::AlreadyOut, code, other.int64(0)};
                c.prepare("UPDATE loan_items SET state='lent', lent_at=? WHERE loan_id=? AND code=?")
                    .bind(1, now).bind(2, id).bind(3, code).run();
                recordMovement(c, code, "lent", "借阅单 " + std::to_string(id), id, actor);
            }
            if (state == "approved")
                c.prepare("UPDATE loans SET state='lent', lent_at=?, due_on=? WHERE id=?").bind(1, now).bind(2, dueOn).bind(3, id).run();
            Poco::JSON::Object detail;
            detail.set("items", static_cast<int>(codes.size()));
            audit(c, actor, "loan.lend", "loan", std::to_string(id), detail);
            return {};
        });
    }

    LoanChange renew(std::int64_t id, const std::string& dueOn, const Actor& actor) override {
        return db_.write([&](Connection& c) -> LoanChange {
            c.prepare("UPDATE loans SET due_on=?, renewals=renewals+1 WHERE id=? AND state='lent'").bind(1, dueOn).bind(2, id).run();
            if (c.changes() != 1) return {refusalFor(c, id), "", std::nullopt};
            Poco::JSON::Object detail;
            detail.set("due_on", dueOn);
            audit(c, actor, "loan.renew", "loan", std::to_string(id), detail);
            return {};
        });
    }

    LoanChange takeBack(std::int64_t id, const std::vector<Returned>& items, const Actor& actor) override {
        return writeAllOrNone([&](Connection& c) -> LoanChange {
            auto loan = c.prepare("SELECT state FROM loans WHERE id=?");
            loan.bind(1, id);
            if (!loan.step()) return {LoanRefusal::NotFound, "", std::nullopt};
            if (loan.text(0) != "lent") return {LoanRefusal::WrongState, "", std::nullopt};
            std::int64_t now = db_.clock().nowMillis();
            for (const auto& r : items) {
                c.prepare("UPDATE loan_items SET state='returned', returned_at=?, pages_returned=?, damage=?"
                          " WHERE loan_id=? AND code=? AND state='lent'")
                    .bind(1, now).bind(2, std::int64_t{r.pages}).bind(3, r.damage).bind(4, id).bind(5, r.code).run();
                if (c.changes() != 1) return {LoanRefusal::ItemNotLent, r.code, std::nullopt};
                recordMovement(c, r.code, "returned", r.damage.empty() ? "归还" : "归还（" + r.damage + "）", id, actor);
            }
            closeIfSettled(c, id, now);
            Poco::JSON::Object detail;
            detail.set("items", static_cast<int>(items.size()));
            audit(c, actor, "loan.return", "loan", std::to_string(id), detail);
            return {};
        });
    }

    LoanChange reportLost(std::int64_t id, const std::vector<std::string>& codes, const std::string& note,
                          const Actor& actor) override {
        return writeAllOrNone([&](Connection& c) -> LoanChange {
            std::int64_t now = db_.clock().nowMillis();
            for (const auto& code : codes) {
                c.prepare("UPDATE loan_items SET state='lost', returned_at=?, damage=? WHERE loan_id=? AND code=? AND state='lent'")
                    .bind(1, now).bind(2, note).bind(3, id).bind(4, code).run();
                if (c.changes() != 1) return {LoanRefusal::ItemNotLent, code, std::nullopt};
                recordMovement(c, code, "lost", "遗失（借阅单 " + std::to_string(id) + "）", id, actor);
            }
            closeIfSettled(c, id, now);
            Poco::JSON::Object detail;
            detail.set("items", static_cast<int>(codes.size()));
            detail.set("note", note);
            audit(c, actor, "loan.lost", "loan", std::to_string(id), detail);
            return {};
        });
    }

    std::optional<ItemOut> out(const std::string& code) override {
        auto found = outAmong({code});
        if (found.empty()) return std::nullopt;
        return found.begin()->second;
    }

    std::map<std::string, ItemOut> outAmong(const std::vector<std::string>& codes) override {
        return db_.read([&](Connection& c) { return askOutAmong(c, codes)(); });
    }

    AnswerAhead<std::map<std::string, ItemOut>> outAmongAhead(const std::vector<std::string>& codes) override {
        return askAhead(db_, [codes](Connection& c) { return askOutAmong(c, codes); });
    }

    void recordReminder(std::int64_t id, int level, const Actor& actor) override {
        db_.write([&](Connection& c) {
            c.prepare("UPDATE loans SET reminders=reminders+1 WHERE id=?").bind(1, id).run();
            Poco::JSON::Object detail;
            detail.set("level", level);
            audit(c, actor, "loan.remind", "loan", std::to_string(id), detail);
        });
    }

private:
    // A change that may be refused part-way: a refusal undoes the whole transaction.
    template <class Fn>
    LoanChange writeAllOrNone(Fn&& fn) {
        return db_.writeIf(std::forward<Fn>(fn), [](const LoanChange& change) { return !change.refusal; });
    }

    static LoanRefusal refusalFor(Connection& c, std::int64_t id) {
        auto s = c.prepare("SELECT 1 FROM loans WHERE id=?");
        s.bind(1, id);
        return s.step() ? LoanRefusal::WrongState : LoanRefusal::NotFound;
    }

    static void closeIfSettled(Connection& c, std::int64_t id, std::int64_t now) {
        auto open = c.prepare("SELECT COUNT(*) FROM loan_items WHERE loan_id=? AND state IN ('lent', 'requested')");
        open.bind(1, id);
        if (open.step() && open.int64(0) == 0) c.prepare("UPDATE loans SET state='closed', closed_at=? WHERE id=?").bind(1, now).bind(2, id).run();
    }

    Database& db_;
};

// ---- stocktakes ----

class SqlStocktakeStore final : public StocktakeStore {
public:
    explicit SqlStocktakeStore(Database& db) : db_(db) {}

    std::int64_t start(const std::string& scope, std::int64_t fromShelf, std::int64_t toShelf, const Actor& actor) override {
        return db_.write([&](Connection& c) {
            c.prepare("INSERT INTO stocktakes(scope, from_shelf, to_shelf, state, created_at, created_by) VALUES(?,?,?,'open',?,?)")
                .bind(1, scope).bind(2, fromShelf).bind(3, toShelf).bind(4, db_.clock().nowMillis()).bind(5, actor.userId.value_or(0)).run();
            std::int64_t id = c.lastInsertRowId();
            Poco::JSON::Object detail;
            detail.set("scope", scope);
            audit(c, actor, "stocktake.start", "stocktake", std::to_string(id), detail);
            return id;
        });
    }

    void recordShelf(std::int64_t id, std::int64_t shelfId, const std::vector<std::string>& codes) override {
        std::string joined;
        for (const auto& code : codes) joined += code + "\n";
        db_.write([&](Connection& c) {
            c.prepare("INSERT INTO stocktake_reads(stocktake_id, shelf_id, codes) VALUES(?,?,?)"
                      " ON CONFLICT(stocktake_id, shelf_id) DO UPDATE SET codes=excluded.codes")
                .bind(1, id).bind(2, shelfId).bind(3, joined).run();
        });
    }

    std::optional<Stocktake> stocktake(std::int64_t id) override {
        return db_.read([&](Connection& c) -> std::optional<Stocktake> {
            auto s = c.prepare(
                "SELECT t.id, t.scope, t.from_shelf, t.to_shelf, t.state, t.created_at, COALESCE(u.username, '')"
                " FROM stocktakes t LEFT JOIN users u ON u.id = t.created_by WHERE t.id=?");
            s.bind(1, id);
            if (!s.step()) return std::nullopt;
            Stocktake t{s.int64(0), s.text(1), s.int64(2), s.int64(3), s.text(4), s.int64(5), s.text(6), {}};
            auto reads = c.prepare("SELECT shelf_id, codes FROM stocktake_reads WHERE stocktake_id=?");
            reads.bind(1, id);
            while (reads.step()) {
                auto& list = t.reads[reads.int64(0)];
                std::istringstream in(reads.text(1));
                for (std::string line; std::getline(in, line);)
                    if (!line.empty()) list.push_back(line);
            }
            return t;
        });
    }

    bool close(std::int64_t id, const Actor& actor) override {
        return db_.write([&](Connection& c) {
            c.prepare("UPDATE stocktakes SET state='closed' WHERE id=? AND state='open'").bind(1, id).run();
            if (c.changes() != 1) return false;
            audit(c, actor, "stocktake.close", "stocktake", std::to_string(id), Poco::JSON::Object());
            return true;
        });
    }

private:
    Database& db_;
};

}  // namespace

std::unique_ptr<PaperStore> makeSqlPaperStore(Database& database) { return std::make_unique<SqlPaperStore>(database); }
std::unique_ptr<LoanStore> makeSqlLoanStore(Database& database) { return std::make_unique<SqlLoanStore>(database); }
std::unique_ptr<StocktakeStore> makeSqlStocktakeStore(Database& database) {
    return std::make_unique<SqlStocktakeStore>(database);
}

}  // namespace dangan::storage
