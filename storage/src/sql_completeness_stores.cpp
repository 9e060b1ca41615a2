// SQLite implementation of the completeness store: rules versions, step completions and their
// expectations, audits; and the filing hook that meets expectations.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <limits>
#include <map>
#include <vector>

#include "audit_chain.h"
#include "completeness_sql.h"
#include "dangan/storage/completeness_stores.h"
#include "dangan/storage/database.h"

namespace dangan::storage {

namespace {

const std::string kExpectationSelect =
    std::string("SELECT ") + kExpectationColumns + " FROM expectations e" + kExpectationJoins;


std::vector<Expectation> stepExpectations(Connection& c, std::int64_t processId, const std::string& step) {
    auto s = c.prepare(kExpectationSelect + "WHERE e.process_id=? AND e.step=? ORDER BY e.id");
    s.bind(1, processId).bind(2, step);
    std::vector<Expectation> out;
    while (s.step()) out.push_back(readExpectation(s));
    return out;
}

// The rules version in force at `at`: the newest installed by then, else the first.
int versionInForce(Connection& c, std::int64_t at) {
    auto s = c.prepare("SELECT COALESCE((SELECT version FROM rule_versions WHERE in_force_from <= ? ORDER BY version DESC"
                       " LIMIT 1), (SELECT MIN(version) FROM rule_versions), 0)");
    s.bind(1, at);
    return s.step() ? static_cast<int>(s.int64(0)) : 0;
}

void meet(Connection& c, std::int64_t expectationId, std::int64_t lineageId, std::int64_t filedAt) {
    c.prepare("UPDATE expectations SET lineage_id=?, filed_at=? WHERE id=?")
        .bind(1, lineageId).bind(2, filedAt).bind(3, expectationId).run();
}

// A document filed before the step was reported: of this process, or of the customer's processes
// of this type filed without a process id, and meeting no other expectation.
void meetWithFiledDocument(Connection& c, std::int64_t expectationId, std::int64_t customerId, std::int64_t processId,
                           const std::string& processType, const std::string& docType) {
    auto s = c.prepare(
        "SELECT d.lineage_id, d.archived_at FROM documents d JOIN processes p ON p.id = d.process_id"
        " WHERE d.customer_id=? AND d.doc_type=? AND d.version=1"
        " AND (d.process_id=? OR (p.type=? AND p.application_no=''))"
        " AND NOT EXISTS (SELECT 1 FROM expectations x WHERE x.lineage_id = d.lineage_id)"
        " ORDER BY d.archived_at, d.id LIMIT 1");
    s.bind(1, customerId).bind(2, docType).bind(3, processId).bind(4, processType);
    if (s.step()) meet(c, expectationId, s.int64(0), s.int64(1));
}

// Closes the open clock of a step just completed: done, by whoever completed it.
void closeClock(Connection& c, std::int64_t processId, const std::string& step, std::int64_t at, const std::string& staff) {
    c.prepare("UPDATE process_clocks SET closed_at=?, outcome='done', staff=? WHERE process_id=? AND step=?"
              " AND closed_at IS NULL")
        .bind(1, at).bind(2, staff).bind(3, processId).bind(4, step).run();
}

// Starts a clock (once per process and step); a step already reported closes it at once.
void startClock(Connection& c, std::int64_t processId, const StepCompletion& event, const ClockStart& start) {
    auto cancelled = c.prepare("SELECT 1 FROM processes WHERE id=? AND cancelled_at IS NOT NULL");
    cancelled.bind(1, processId);
    if (cancelled.step()) return;
    c.prepare("INSERT INTO process_clocks(process_id, step, from_step, working_days, yellow_days, started_at, yellow_at,"
              " due_at, unit, process_type, team, staff)"
              " VALUES(?,?,?,?,?,?,?,?,?,?,COALESCE((SELECT team FROM users WHERE username=?), ''),?)"
              " ON CONFLICT(process_id, step) DO NOTHING")
        .bind(1, processId).bind(2, start.step).bind(3, start.fromStep).bind(4, std::int64_t{start.workingDays})
        .bind(5, std::int64_t{start.yellowDays}).bind(6, event.completedAt).bind(7, start.yellowAt).bind(8, start.dueAt)
        .bind(9, event.unit).bind(10, event.processType).bind(11, event.staff).bind(12, event.staff).run();
    if (c.changes() == 0) return;
    auto done = c.prepare("SELECT completed_at, staff FROM business_events WHERE process_id=? AND step=?"
                          " AND completed_at >= ? ORDER BY completed_at LIMIT 1");
    done.bind(1, processId).bind(2, start.step).bind(3, event.completedAt);
    if (done.step()) closeClock(c, processId, start.step, done.int64(0), done.text(1));
}

// Waives every open expectation of a process and closes its open clocks; returns the waived.
std::int64_t cancel(Connection& c, std::int64_t processId, const std::string& reason, std::int64_t at, const Actor& actor) {
    c.prepare("UPDATE processes SET cancelled_at=?, cancel_reason=? WHERE id=? AND cancelled_at IS NULL")
        .bind(1, at).bind(2, reason).bind(3, processId).run();
    c.prepare("UPDATE expectations SET waived_at=?, waived_by=?, waiver_reason=? WHERE process_id=? AND filed_at IS NULL"
              " AND waived_at IS NULL")
        .bind(1, at).bind(2, actor.username).bind(3, reason).bind(4, processId).run();
    std::int64_t waived = c.changes();
    c.prepare("UPDATE process_clocks SET closed_at=?, outcome='cancelled' WHERE process_id=? AND closed_at IS NULL")
        .bind(1, at).bind(2, processId).run();
    return waived;
}

constexpr const char* kClockSelect =
    "SELECT k.id, k.process_id, p.application_no, c.account_no, c.name, k.step, k.from_step, k.working_days, k.yellow_days,"
    " k.started_at, k.yellow_at, k.due_at, k.unit, k.process_type, k.team, k.staff, k.closed_at, k.outcome"
    " FROM process_clocks k JOIN processes p ON p.id = k.process_id JOIN customers c ON c.id = p.customer_id ";

ProcessClock readClock(const Statement& s) {
    return {s.int64(0), s.int64(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6), static_cast<int>(s.int64(7)),
            static_cast<int>(s.int64(8)), s.int64(9), s.int64(10), s.int64(11), s.text(12), s.text(13), s.text(14),
            s.text(15), s.optionalInt64(16), s.text(17)};
}

}  // namespace

Expectation readExpectation(const Statement& s, int at) {
    Expectation e;
    e.id = s.int64(at + 0);
    e.processId = s.int64(at + 1);
    e.applicationNo = s.text(at + 2);
    e.customerId = s.int64(at + 3);
    e.accountNo = s.text(at + 4);
    e.customerName = s.text(at + 5);
    e.processType = s.text(at + 6);
    e.unit = s.text(at + 7);
    e.step = s.text(at + 8);
    e.docType = s.text(at + 9);
    e.mandatory = s.int64(at + 10) != 0;
    e.staff = s.text(at + 11);
    e.stepCompletedAt = s.int64(at + 12);
    e.dueAt = s.int64(at + 13);
    e.lineageId = s.optionalInt64(at + 14);
    e.filedAt = s.optionalInt64(at + 15);
    e.waiverReason = s.text(at + 16);
    e.waiverProposedBy = s.text(at + 17);
    e.waiverProposedAt = s.optionalInt64(at + 18);
    e.waivedBy = s.text(at + 19);
    e.waivedAt = s.optionalInt64(at + 20);
    return e;
}

void settleFiledItem(Connection& c, const FiledItem& item) {
    c.prepare("INSERT INTO quality_states(lineage_id, gate, filer_id, updated_at) VALUES(?, 'self', ?, ?)")
        .bind(1, item.lineageId).bind(2, item.filerId).bind(3, item.filedAt).run();
    std::optional<std::int64_t> open;
    if (!item.applicationNo.empty()) {
        auto s = c.prepare("SELECT id FROM expectations WHERE process_id=? AND doc_type=? AND filed_at IS NULL"
                           " AND waived_at IS NULL ORDER BY due_at, id LIMIT 1");
        s.bind(1, item.processId).bind(2, item.docType);
        if (s.step()) open = s.int64(0);
    } else {
        auto s = c.prepare("SELECT id FROM expectations WHERE customer_id=? AND doc_type=? AND filed_at IS NULL"
                           " AND waived_at IS NULL AND process_type=? ORDER BY step_completed_at, id LIMIT 1");
        s.bind(1, item.customerId).bind(2, item.docType).bind(3, item.processType);
        if (s.step()) open = s.int64(0);
    }
    if (open) meet(c, *open, item.lineageId, item.filedAt);
}

namespace {

class SqlCompletenessStore final : public CompletenessStore {
public:
    explicit SqlCompletenessStore(Database& db) : db_(db) {}

    std::vector<RulesVersion> rulesVersions() override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare("SELECT version, text, source, in_force_from, created_by FROM rule_versions ORDER BY version");
            std::vector<RulesVersion> out;
            while (s.step()) out.push_back({static_cast<int>(s.int64(0)), s.text(1), s.text(2), s.int64(3), s.text(4)});
            return out;
        });
    }

    RulesVersion addRules(const std::string& text, const std::string& source, const Actor& actor) override {
        return db_.write([&](Connection& c) {
            RulesVersion v{0, text, source, db_.clock().nowMillis(), actor.username};
            c.prepare("INSERT INTO rule_versions(text, source, in_force_from, created_by) VALUES(?,?,?,?)")
                .bind(1, text).bind(2, source).bind(3, v.inForceFrom).bind(4, actor.username).run();
            v.version = static_cast<int>(c.lastInsertRowId());
            Poco::JSON::Object detail;
            detail.set("source", source);
            detail.set("bytes", static_cast<int>(text.size()));
            appendAudit(c, {actor, "rules.install", "rules", std::to_string(v.version), toJson(detail)});
            return v;
        });
    }

    EventRecord recordEvent(const StepCompletion& event,
                            const std::function<std::vector<RequiredAtStep>(int)>& required,
                            const std::function<std::vector<ClockStart>(int)>& clocks,
                            const Actor& actor) override {
        return db_.write([&](Connection& c) {
            EventRecord record;
            {
                auto seen = c.prepare("SELECT process_id, step FROM business_events WHERE event_id=?");
                seen.bind(1, event.eventId);
                if (seen.step()) {
                    record.outcome = EventOutcome::Duplicate;
                    record.processId = seen.int64(0);
                    record.expectations = stepExpectations(c, record.processId, seen.text(1));
                    return record;
                }
            }
            std::optional<std::int64_t> processId;
            std::optional<std::int64_t> version;
            std::int64_t startedAt = event.completedAt;
            {
                auto find = c.prepare("SELECT id, customer_id, type, rules_version, started_at FROM processes"
                                      " WHERE application_no=? ORDER BY id");
                find.bind(1, event.applicationNo);
                while (find.step()) {
                    if (find.int64(1) != event.customerId) {
                        record.outcome = EventOutcome::ProcessOfAnotherCustomer;
                        return record;
                    }
                    if (find.text(2) == event.processType && !processId) {
                        processId = find.int64(0);
                        version = find.optionalInt64(3);
                        startedAt = std::min(startedAt, find.int64(4));
                    }
                }
            }
            if (!processId) {
                c.prepare("INSERT INTO processes(customer_id, type, application_no, started_at) VALUES(?,?,?,?)")
                    .bind(1, event.customerId).bind(2, event.processType).bind(3, event.applicationNo)
                    .bind(4, event.completedAt).run();
                processId = c.lastInsertRowId();
            }
            if (!version) {
                version = versionInForce(c, startedAt);
                c.prepare("UPDATE processes SET rules_version=? WHERE id=?").bind(1, *version).bind(2, *processId).run();
            }
            record.processId = *processId;
            record.rulesVersion = static_cast<int>(*version);
            std::int64_t now = db_.clock().nowMillis();
            c.prepare("INSERT INTO business_events(event_id, process_id, step, completed_at, staff, received_at)"
                      " VALUES(?,?,?,?,?,?)")
                .bind(1, event.eventId).bind(2, *processId).bind(3, event.step).bind(4, event.completedAt)
                .bind(5, event.staff).bind(6, now).run();
            for (const auto& doc : required(record.rulesVersion)) {
                c.prepare("INSERT INTO expectations(process_id, customer_id, process_type, unit, step, doc_type, mandatory,"
                          " staff, step_completed_at, due_at) VALUES(?,?,?,?,?,?,?,?,?,?)"
                          " ON CONFLICT(process_id, step, doc_type) DO NOTHING")
                    .bind(1, *processId).bind(2, event.customerId).bind(3, event.processType).bind(4, event.unit)
                    .bind(5, event.step).bind(6, doc.docType).bind(7, std::int64_t{doc.mandatory ? 1 : 0})
                    .bind(8, event.staff).bind(9, event.completedAt)
                    .bind(10, event.completedAt + std::int64_t{doc.deadlineHours} * 3600 * 1000)
                    .run();
                if (c.changes() == 1)
                    meetWithFiledDocument(c, c.lastInsertRowId(), event.customerId, *processId, event.processType,
                                          doc.docType);
            }
            std::int64_t waived = 0;
            if (event.cancels) {
                waived = cancel(c, *processId, "流程撤销（" + event.step + "）", event.completedAt, actor);
            } else {
                closeClock(c, *processId, event.step, event.completedAt, event.staff);
                for (const auto& start : clocks(record.rulesVersion))
                    startClock(c, *processId, event, start);
            }
            record.expectations = stepExpectations(c, *processId, event.step);
            Poco::JSON::Object detail;
            if (event.cancels) detail.set("waived", waived);
            detail.set("event_id", event.eventId);
            detail.set("process", event.processType);
            detail.set("step", event.step);
            detail.set("completed_at", event.completedAt);
            detail.set("staff", event.staff);
            detail.set("rules_version", record.rulesVersion);
            detail.set("expected", static_cast<int>(record.expectations.size()));
            appendAudit(c, {actor, "event.record", "process", event.applicationNo, toJson(detail)});
            return record;
        });
    }

    std::vector<Expectation> expectations(const ExpectationQuery& q) override {
        return db_.read([&](Connection& c) {
            std::string sql = kExpectationSelect;
            sql += "WHERE 1=1";
            if (q.customerId) sql += " AND e.customer_id=?1";
            // The partial index on application_no serves only a query that excludes the empty one.
            if (q.applicationNo) sql += " AND p.application_no=?2 AND p.application_no<>''";
            if (q.unit) sql += " AND e.unit=?3";
            if (q.processType) sql += " AND e.process_type=?4";
            if (q.staff) sql += " AND e.staff=?5";
            if (q.openOnly) sql += " AND e.filed_at IS NULL AND e.mandatory = 1 AND e.waived_at IS NULL";
            if (q.dueBefore) sql += " AND e.due_at < ?6";
            sql += q.openOnly ? " ORDER BY e.due_at, e.id LIMIT ?7" : " ORDER BY e.step_completed_at DESC, e.id LIMIT ?7";
            auto s = c.prepare(sql);
            if (q.customerId) s.bind(1, *q.customerId);
            if (q.applicationNo) s.bind(2, *q.applicationNo);
            if (q.unit) s.bind(3, *q.unit);
            if (q.processType) s.bind(4, *q.processType);
            if (q.staff) s.bind(5, *q.staff);
            if (q.dueBefore) s.bind(6, *q.dueBefore);
            s.bind(7, std::int64_t{q.limit});
            std::vector<Expectation> out;
            while (s.step()) out.push_back(readExpectation(s));
            return out;
        });
    }

    std::vector<SignalCounts> signalCounts(std::int64_t now, std::int64_t yellowWindowMs) override {
        constexpr std::int64_t kDay = 86400000;
        const std::int64_t yellowEnd = now + yellowWindowMs;
        const std::int64_t firstDay = now / kDay, lastDay = yellowEnd / kDay;
        return db_.read([&](Connection& c) {
            std::map<std::pair<std::string, std::string>, SignalCounts> cells;
            auto cell = [&](std::string unit, std::string type) -> SignalCounts& {
                auto& counts = cells[{unit, type}];
                counts.unit = std::move(unit);
                counts.processType = std::move(type);
                return counts;
            };
            // Whole days before now's day are red, after the yellow window's last day green.
            auto days = c.prepare("SELECT unit, process_type, SUM(CASE WHEN day < ?1 THEN open ELSE 0 END),"
                                  " SUM(CASE WHEN day > ?2 THEN open ELSE 0 END) FROM open_due_days"
                                  " WHERE open > 0 GROUP BY unit, process_type");
            days.bind(1, firstDay).bind(2, lastDay);
            while (days.step()) {
                auto& counts = cell(days.text(0), days.text(1));
                counts.red += days.int64(2);
                counts.green += days.int64(3);
            }
            // The days around now and the end of the yellow window, one by one.
            auto exact = c.prepare("SELECT unit, process_type, SUM(due_at < ?1), SUM(due_at >= ?1 AND due_at < ?2),"
                                   " SUM(due_at >= ?2) FROM expectations WHERE filed_at IS NULL AND mandatory = 1"
                                   " AND waived_at IS NULL AND due_at >= ?3 AND due_at < ?4 GROUP BY unit, process_type");
            exact.bind(1, now).bind(2, yellowEnd).bind(3, firstDay * kDay).bind(4, (lastDay + 1) * kDay);
            while (exact.step()) {
                auto& counts = cell(exact.text(0), exact.text(1));
                counts.red += exact.int64(2);
                counts.yellow += exact.int64(3);
                counts.green += exact.int64(4);
            }
            std::vector<SignalCounts> out;
            for (auto& [key, counts] : cells)
                if (counts.red + counts.yellow + counts.green > 0) out.push_back(std::move(counts));
            return out;
        });
    }

    std::optional<int> cancelProcess(const std::string& applicationNo, const std::string& reason,
                                     const Actor& actor) override {
        return db_.write([&](Connection& c) -> std::optional<int> {
            auto find = c.prepare("SELECT id FROM processes WHERE application_no=? AND application_no<>'' ORDER BY id LIMIT 1");
            find.bind(1, applicationNo);
            if (!find.step()) return std::nullopt;
            std::int64_t id = find.int64(0);
            auto waived = cancel(c, id, reason, db_.clock().nowMillis(), actor);
            Poco::JSON::Object detail;
            detail.set("reason", reason);
            detail.set("waived", waived);
            appendAudit(c, {actor, "process.cancel", "process", applicationNo, toJson(detail)});
            return static_cast<int>(waived);
        });
    }

    std::optional<ProcessRecord> process(const std::string& applicationNo) override {
        return db_.read([&](Connection& c) -> std::optional<ProcessRecord> {
            auto s = c.prepare("SELECT p.id, p.application_no, p.type, p.customer_id, c.account_no, c.name, c.unit, p.started_at,"
                               " COALESCE(p.rules_version, 0), p.cancelled_at, p.cancel_reason FROM processes p"
                               " JOIN customers c ON c.id = p.customer_id WHERE p.application_no=? AND p.application_no<>''"
                               " ORDER BY p.id LIMIT 1");
            s.bind(1, applicationNo);
            if (!s.step()) return std::nullopt;
            ProcessRecord r{s.int64(0), s.text(1), s.text(2), s.int64(3), s.text(4), s.text(5), s.text(6), s.int64(7),
                            static_cast<int>(s.int64(8)), s.optionalInt64(9), s.text(10), {}, {}, {}};
            auto events = c.prepare("SELECT event_id, step, completed_at, staff FROM business_events WHERE process_id=?"
                                    " ORDER BY completed_at, event_id");
            events.bind(1, r.id);
            while (events.step()) r.events.push_back({events.text(0), events.text(1), events.int64(2), events.text(3)});
            auto expected = c.prepare(kExpectationSelect + "WHERE e.process_id=? ORDER BY e.step_completed_at, e.id");
            expected.bind(1, r.id);
            while (expected.step()) r.expectations.push_back(readExpectation(expected));
            auto clocks = c.prepare(std::string(kClockSelect) + "WHERE k.process_id=? ORDER BY k.started_at, k.id");
            clocks.bind(1, r.id);
            while (clocks.step()) r.clocks.push_back(readClock(clocks));
            return r;
        });
    }

    std::optional<Expectation> expectation(std::int64_t id) override {
        return db_.read([&](Connection& c) { return load(c, id); });
    }

    std::expected<Expectation, WaiverRefusal> proposeWaiver(std::int64_t id, const std::string& reason,
                                                            const Actor& actor) override {
        return db_.write([&](Connection& c) -> std::expected<Expectation, WaiverRefusal> {
            auto e = load(c, id);
            if (!e) return std::unexpected(WaiverRefusal::NoSuchExpectation);
            if (e->filedAt) return std::unexpected(WaiverRefusal::AlreadyFiled);
            if (e->waivedAt) return std::unexpected(WaiverRefusal::AlreadyWaived);
            if (e->waiverProposedAt) return std::unexpected(WaiverRefusal::AlreadyProposed);
            c.prepare("UPDATE expectations SET waiver_reason=?, waiver_proposed_by=?, waiver_proposed_at=? WHERE id=?")
                .bind(1, reason).bind(2, actor.username).bind(3, db_.clock().nowMillis()).bind(4, id).run();
            appendAudit(c, {actor, "waiver.propose", "expectation", std::to_string(id),
                            textFieldsJson({{"doc_type", e->docType}, {"process_id", e->applicationNo}, {"reason", reason}})});
            return *load(c, id);
        });
    }

    std::expected<Expectation, WaiverRefusal> decideWaiver(std::int64_t id, bool confirmed, const std::string& note,
                                                           const Actor& actor) override {
        return db_.write([&](Connection& c) -> std::expected<Expectation, WaiverRefusal> {
            auto e = load(c, id);
            if (!e) return std::unexpected(WaiverRefusal::NoSuchExpectation);
            if (e->waivedAt) return std::unexpected(WaiverRefusal::AlreadyWaived);
            if (!e->waiverProposedAt) return std::unexpected(WaiverRefusal::NotProposed);
            if (e->filedAt) return std::unexpected(WaiverRefusal::AlreadyFiled);
            if (e->waiverProposedBy == actor.username) return std::unexpected(WaiverRefusal::OwnProposal);
            if (confirmed)
                c.prepare("UPDATE expectations SET waived_by=?, waived_at=? WHERE id=?")
                    .bind(1, actor.username).bind(2, db_.clock().nowMillis()).bind(3, id).run();
            else
                c.prepare("UPDATE expectations SET waiver_reason='', waiver_proposed_by='', waiver_proposed_at=NULL WHERE id=?")
                    .bind(1, id).run();
            appendAudit(c, {actor, confirmed ? "waiver.confirm" : "waiver.reject", "expectation", std::to_string(id),
                            textFieldsJson({{"doc_type", e->docType}, {"process_id", e->applicationNo},
                                            {"reason", e->waiverReason}, {"note", note}})});
            return *load(c, id);
        });
    }

    std::vector<Expectation> proposedWaivers(int limit) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare(kExpectationSelect + "WHERE e.waiver_proposed_at IS NOT NULL AND e.waived_at IS NULL"
                                                    " ORDER BY e.waiver_proposed_at, e.id LIMIT ?");
            s.bind(1, std::int64_t{limit});
            std::vector<Expectation> out;
            while (s.step()) out.push_back(readExpectation(s));
            return out;
        });
    }

    std::vector<FlightCounts> flightCounts(std::int64_t now) override {
        return db_.read([&](Connection& c) {
            // A process's signal is its worst running clock's (process_flight keeps the earliest
            // yellow and due instants of each process in flight).
            auto s = c.prepare("SELECT unit, process_type, team, SUM(due_at < ?1), SUM(due_at >= ?1 AND yellow_at <= ?1),"
                               " SUM(yellow_at > ?1) FROM process_flight GROUP BY 1, 2, 3 ORDER BY 1, 2, 3");
            s.bind(1, now);
            std::vector<FlightCounts> out;
            while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), s.int64(5), s.int64(4), s.int64(3)});
            return out;
        });
    }

    std::vector<ProcessClock> openClocks(const ClockQuery& q) override {
        return db_.read([&](Connection& c) {
            // Most urgent first: a person's by their own index, the rest in due order (red first), so
            // that LIMIT stops early whatever the planner's statistics say.
            std::string sql = kClockSelect;
            sql.replace(sql.find("process_clocks k"), 16,
                        q.staff ? "process_clocks k INDEXED BY process_clocks_open_by_staff"
                                : "process_clocks k INDEXED BY process_clocks_open_by_due");
            sql += "WHERE k.closed_at IS NULL";
            if (q.staff) sql += " AND k.staff=?1";
            if (q.unit) sql += " AND k.unit=?2";
            if (q.processType) sql += " AND k.process_type=?3";
            if (q.team) sql += " AND k.team=?4";
            if (q.yellowBy) sql += " AND k.yellow_at <= ?5";
            if (q.dueBefore) sql += " AND k.due_at < ?7";
            if (q.dueFrom) sql += " AND k.due_at >= ?8";
            if (q.greenAt) sql += " AND k.yellow_at > ?9";
            sql += " ORDER BY k.due_at, k.id LIMIT ?6";
            auto s = c.prepare(sql);
            if (q.staff) s.bind(1, *q.staff);
            if (q.unit) s.bind(2, *q.unit);
            if (q.processType) s.bind(3, *q.processType);
            if (q.team) s.bind(4, *q.team);
            if (q.yellowBy) s.bind(5, *q.yellowBy);
            if (q.dueBefore) s.bind(7, *q.dueBefore);
            if (q.dueFrom) s.bind(8, *q.dueFrom);
            if (q.greenAt) s.bind(9, *q.greenAt);
            s.bind(6, std::int64_t{q.limit});
            std::vector<ProcessClock> out;
            while (s.step()) out.push_back(readClock(s));
            return out;
        });
    }

    std::vector<ProcessClock> allOpenClocks() override {
        return openClocks({.limit = std::numeric_limits<int>::max()});
    }

    void retimeClocks(const std::vector<ProcessClock>& clocks) override {
        db_.write([&](Connection& c) {
            for (const auto& k : clocks)
                c.prepare("UPDATE process_clocks SET yellow_at=?, due_at=? WHERE id=? AND closed_at IS NULL")
                    .bind(1, k.yellowAt).bind(2, k.dueAt).bind(3, k.id).run();
        });
    }

    std::vector<CalendarVersion> calendarVersions() override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare("SELECT year, version, text, source, installed_at, installed_by FROM calendar_years"
                               " ORDER BY year, version");
            std::vector<CalendarVersion> out;
            while (s.step())
                out.push_back({static_cast<int>(s.int64(0)), static_cast<int>(s.int64(1)), s.text(2), s.text(3), s.int64(4),
                               s.text(5)});
            return out;
        });
    }

    CalendarVersion addCalendarYear(int year, const std::string& text, const std::string& source,
                                    const Actor& actor) override {
        return db_.write([&](Connection& c) {
            auto next = c.prepare("SELECT COALESCE(MAX(version), 0) + 1 FROM calendar_years WHERE year=?");
            next.bind(1, std::int64_t{year});
            if (!next.step()) throw StorageError("calendar_years: no next version");
            CalendarVersion v{year, static_cast<int>(next.int64(0)), text, source, db_.clock().nowMillis(), actor.username};
            c.prepare("INSERT INTO calendar_years(year, version, text, source, installed_at, installed_by) VALUES(?,?,?,?,?,?)")
                .bind(1, std::int64_t{year}).bind(2, std::int64_t{v.version}).bind(3, text).bind(4, source)
                .bind(5, v.installedAt).bind(6, actor.username).run();
            appendAudit(c, {actor, "calendar.install", "calendar", std::to_string(year),
                            textFieldsJson({{"version", std::to_string(v.version)}, {"source", source}})});
            return v;
        });
    }

    std::int64_t createAudit(const AuditFilter& filter, std::int64_t asOf, const Actor& actor, const WorkClaim& claim) override {
        std::string filterJson = filterText(filter);
        return db_.write([&](Connection& c) {
            const std::int64_t now = db_.clock().nowMillis();
            c.prepare("INSERT INTO audits(filter, state, as_of, requested_at, requested_by, node, lease_until)"
                      " VALUES(?, 'queued', ?, ?, ?, ?, ?)")
                .bind(1, filterJson).bind(2, asOf).bind(3, now).bind(4, actor.userId.value_or(0)).bind(5, claim.node)
                .bind(6, now + claim.lease.count()).run();
            std::int64_t id = c.lastInsertRowId();
            appendAudit(c, {actor, "audit.request", "audit", std::to_string(id), filterJson});
            return id;
        });
    }

    std::optional<AuditRecord> audit(std::int64_t id) override {
        return db_.read([&](Connection& c) -> std::optional<AuditRecord> {
            auto s = c.prepare(std::string(kAuditSelect) + "WHERE a.id=?");
            s.bind(1, id);
            if (!s.step()) return std::nullopt;
            return readAudit(s);
        });
    }

    std::vector<AuditRecord> audits(int limit) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare(std::string(kAuditSelect) + "ORDER BY a.id DESC LIMIT ?");
            s.bind(1, std::int64_t{limit});
            std::vector<AuditRecord> out;
            while (s.step()) out.push_back(readAudit(s));
            return out;
        });
    }

    std::vector<std::int64_t> unfinishedAudits(const std::string& node) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare("SELECT id FROM audits WHERE state IN ('queued', 'running') AND node = ? ORDER BY id");
            s.bind(1, node);
            std::vector<std::int64_t> out;
            while (s.step()) out.push_back(s.int64(0));
            return out;
        });
    }

    void startAudit(std::int64_t id) override {
        db_.write([&](Connection& c) {
            c.prepare("UPDATE audits SET state='running' WHERE id=?").bind(1, id).run();
            c.prepare("DELETE FROM audit_findings WHERE audit_id=?").bind(1, id).run();
        });
    }

    bool scanExpectations(const AuditScope& scope, const std::function<bool(const ExpectationRow&)>& visit) override {
        return db_.read([&](Connection& c) {
            std::vector<bool> inVoltage;
            if (scope.voltage) {
                auto v = c.prepare("SELECT id FROM customers WHERE voltage=?");
                v.bind(1, *scope.voltage);
                while (v.step()) {
                    auto id = static_cast<std::size_t>(v.int64(0));
                    if (id >= inVoltage.size()) inVoltage.resize(id + 1 + id / 2);
                    inVoltage[id] = true;
                }
            }
            std::string sql = "SELECT id, customer_id, process_id, mandatory, due_at, filed_at, waived_at IS NOT NULL"
                              " FROM expectations WHERE 1=1";
            if (scope.unit) sql += " AND unit=?1";
            if (scope.processType) sql += " AND process_type=?2";
            if (scope.from) sql += " AND step_completed_at >= ?3";
            if (scope.to) sql += " AND step_completed_at < ?4";
            // SQLite steps through the rows as it finds them, in id order. PostgreSQL's client holds
            // a query's whole answer: there the scan goes in pages of 50,000 ids, in one snapshot
            // (15 million expectations held at once took 2.7 GB).
            const bool paged = c.dialect() == Dialect::Postgresql;
            constexpr std::int64_t kPage = 50000;
            if (paged) sql += " AND id > ?5 ORDER BY id LIMIT ?6";
            std::int64_t after = 0;
            ExpectationRow row;
            for (;;) {
                auto s = c.prepare(sql);
                if (scope.unit) s.bind(1, *scope.unit);
                if (scope.processType) s.bind(2, *scope.processType);
                if (scope.from) s.bind(3, *scope.from);
                if (scope.to) s.bind(4, *scope.to);
                if (paged) s.bind(5, after).bind(6, kPage);
                std::int64_t seen = 0;
                while (s.step()) {
                    ++seen;
                    row.id = after = s.int64(0);
                    row.customerId = s.int64(1);
                    if (scope.voltage) {
                        auto id = static_cast<std::size_t>(row.customerId);
                        if (id >= inVoltage.size() || !inVoltage[id]) continue;
                    }
                    row.processId = s.int64(2);
                    row.mandatory = s.int64(3) != 0;
                    row.dueAt = s.int64(4);
                    row.filedAt = s.optionalInt64(5);
                    row.waived = s.int64(6) != 0;
                    if (!visit(row)) return false;
                }
                if (!paged || seen < kPage) return true;
            }
        });
    }

    void addFindings(std::int64_t auditId, std::int64_t firstSeq, const std::vector<NewFinding>& findings) override {
        db_.write([&](Connection& c) {
            std::int64_t seq = firstSeq;
            for (const auto& f : findings)
                c.prepare("INSERT INTO audit_findings(audit_id, seq, expectation_id, kind) VALUES(?,?,?,?)")
                    .bind(1, auditId).bind(2, seq++).bind(3, f.expectationId).bind(4, f.kind).run();
        });
    }

    void finishAudit(std::int64_t id, const std::string& state, const std::optional<AuditTotals>& totals,
                     const std::string& error, const Actor& actor) override {
        std::string totalsJson = totals ? totalsText(*totals) : "{}";
        db_.write([&](Connection& c) {
            c.prepare("UPDATE audits SET state=?, totals=?, error=?, finished_at=? WHERE id=?")
                .bind(1, state).bind(2, totalsJson).bind(3, error).bind(4, db_.clock().nowMillis()).bind(5, id).run();
            appendAudit(c, {actor, "audit." + state, "audit", std::to_string(id), totalsJson});
        });
    }

    std::vector<AuditFinding> findings(std::int64_t auditId, std::int64_t offset, int limit) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare(std::string("SELECT f.seq, f.kind, ") + kExpectationColumns +
                               " FROM audit_findings f JOIN expectations e ON e.id = f.expectation_id" + kExpectationJoins +
                               "WHERE f.audit_id=? AND f.seq > ? ORDER BY f.seq LIMIT ?");
            s.bind(1, auditId).bind(2, offset).bind(3, std::int64_t{limit});
            std::vector<AuditFinding> out;
            while (s.step()) out.push_back({s.int64(0), s.text(1), readExpectation(s, 2)});
            return out;
        });
    }

    std::vector<FindingCount> findingSummary(std::int64_t auditId) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare("SELECT e.unit, e.process_type, SUM(f.kind = 'missing'), SUM(f.kind = 'late'), SUM(f.kind = 'waived')"
                               " FROM audit_findings f JOIN expectations e ON e.id = f.expectation_id"
                               " WHERE f.audit_id=? GROUP BY 1, 2 ORDER BY 1, 2");
            s.bind(1, auditId);
            std::vector<FindingCount> out;
            while (s.step()) out.push_back({s.text(0), s.text(1), s.int64(2), s.int64(3), s.int64(4)});
            return out;
        });
    }

    std::int64_t expectationCeiling() override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare("SELECT COALESCE(MAX(id), 0) FROM expectations");
            return s.step() ? s.int64(0) : 0;
        });
    }

private:
    static std::optional<Expectation> load(Connection& c, std::int64_t id) {
        auto s = c.prepare(kExpectationSelect + "WHERE e.id=?");
        s.bind(1, id);
        if (!s.step()) return std::nullopt;
        return readExpectation(s);
    }

    // The filter and the totals as the audit's row keeps them: JSON objects.
    static std::string filterText(const AuditFilter& filter) {
        Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
        for (const auto& [name, value] : filter) o.set(name, value);
        return toJson(o);
    }
    static AuditFilter filterOf(const std::string& text) {
        AuditFilter filter;
        Poco::JSON::Parser parser;
        auto o = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
        for (const auto& [name, value] : *o) filter[name] = value.isString() ? value.convert<std::string>() : value.toString();
        return filter;
    }
    static std::string totalsText(const AuditTotals& t) {
        Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
        o.set("customers", t.customers);
        o.set("processes", t.processes);
        o.set("expected", t.expected);
        o.set("on_time", t.onTime);
        o.set("late", t.late);
        o.set("missing", t.missing);
        o.set("pending", t.pending);
        o.set("waived", t.waived);
        return toJson(o);
    }
    static AuditTotals totalsOf(const std::string& text) {
        Poco::JSON::Parser parser;
        auto o = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
        auto n = [&](const char* key) { return o->optValue<std::int64_t>(key, 0); };
        return {n("customers"), n("processes"), n("expected"), n("on_time"), n("late"), n("missing"), n("pending"), n("waived")};
    }

    static constexpr const char* kAuditSelect =
        "SELECT a.id, a.filter, a.state, a.as_of, a.requested_at, COALESCE(u.username, ''), a.finished_at, a.totals,"
        " a.error FROM audits a LEFT JOIN users u ON u.id = a.requested_by ";

    static AuditRecord readAudit(const Statement& s) {
        AuditRecord a{s.int64(0), filterOf(s.text(1)), s.text(2), s.int64(3), s.int64(4), s.text(5), s.optionalInt64(6),
                      std::nullopt, s.text(8)};
        if (a.state == "done") a.totals = totalsOf(s.text(7));
        return a;
    }

    Database& db_;
};

}  // namespace

std::unique_ptr<CompletenessStore> makeSqlCompletenessStore(Database& database) {
    return std::make_unique<SqlCompletenessStore>(database);
}

}  // namespace dangan::storage
