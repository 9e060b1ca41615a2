// SQLite implementation of the office store: quality gates, spot checks, contract terms,
// rectification orders and the tallies behind the monthly scores.
#include <Poco/JSON/Object.h>

#include <map>

#include "audit_chain.h"
#include "completeness_sql.h"
#include "dangan/storage/completeness_stores.h"
#include "dangan/storage/database.h"

namespace dangan::storage {
namespace {

constexpr const char* kQualitySelect =
    "SELECT q.lineage_id, d.id, q.gate, q.filer_id, COALESCE(u.username, ''), q.rejections, q.last_reason,"
    " c.account_no, d.doc_type, c.unit, d.archived_at FROM quality_states q"
    " JOIN documents d ON d.lineage_id = q.lineage_id AND d.superseded_by IS NULL"
    " JOIN customers c ON c.id = d.customer_id LEFT JOIN users u ON u.id = q.filer_id ";

QualityState readQuality(const Statement& s) {
    return {s.int64(0), s.int64(1), s.text(2), s.int64(3), s.text(4), static_cast<int>(s.int64(5)), s.text(6),
            s.text(7), s.text(8), s.text(9), s.int64(10)};
}

std::optional<QualityState> qualityOf(Connection& c, std::int64_t lineageId) {
    auto s = c.prepare(std::string(kQualitySelect) + "WHERE q.lineage_id=?");
    s.bind(1, lineageId);
    if (!s.step()) return std::nullopt;
    return readQuality(s);
}

// The gate an item must stand at for a verdict of `gate`, and where a pass moves it.
struct GateMove {
    const char* from;
    const char* to;
};
std::optional<GateMove> moveOf(const std::string& gate) {
    if (gate == "self") return GateMove{"self", "collect"};
    if (gate == "collect") return GateMove{"collect", "collected"};
    if (gate == "audit") return GateMove{"collected", "audited"};
    return std::nullopt;
}

// Records one verdict; an audit-gate verdict may fall on an item at any gate past self-check
// (a spot check draws from everything filed), but only moves one that the collector passed.
std::expected<QualityState, ReviewRefusal> recordVerdict(Connection& c, std::int64_t lineageId, const std::string& gate,
                                                         bool passed, const std::string& reason, const Actor& actor) {
    auto state = qualityOf(c, lineageId);
    if (!state) return std::unexpected(ReviewRefusal::NoSuchDocument);
    auto move = moveOf(gate);
    if (!move) return std::unexpected(ReviewRefusal::NotAtThisGate);
    bool atGate = gate == "audit" ? state->gate != "self" : state->gate == move->from;
    if (!atGate) return std::unexpected(ReviewRefusal::NotAtThisGate);
    std::int64_t now = c.clock().nowMillis();
    c.prepare("INSERT INTO quality_reviews(lineage_id, gate, passed, reason, filer_id, reviewed_at, reviewed_by)"
              " VALUES(?,?,?,?,?,?,?)")
        .bind(1, lineageId).bind(2, gate).bind(3, std::int64_t{passed ? 1 : 0}).bind(4, reason)
        .bind(5, state->filerId).bind(6, now).bind(7, actor.userId.value_or(0)).run();
    if (passed) {
        std::string next = state->gate == move->from ? move->to : state->gate;
        c.prepare("UPDATE quality_states SET gate=?, updated_at=? WHERE lineage_id=?")
            .bind(1, next).bind(2, now).bind(3, lineageId).run();
    } else {
        c.prepare("UPDATE quality_states SET gate='self', rejections=rejections+1, last_reason=?, updated_at=?"
                  " WHERE lineage_id=?")
            .bind(1, reason).bind(2, now).bind(3, lineageId).run();
    }
    Poco::JSON::Object detail;
    detail.set("gate", gate);
    detail.set("passed", passed);
    detail.set("reason", reason);
    appendAudit(c, {actor, passed ? "quality.pass" : "quality.reject", "document", std::to_string(state->documentId),
                    toJson(detail)});
    return *qualityOf(c, lineageId);
}

constexpr const char* kRectificationSelect =
    "SELECT r.id, r.source, r.source_ref, r.customer_id, COALESCE(c.account_no, ''), r.unit, r.description, r.owner,"
    " r.due_on, r.state, r.raised_at, COALESCE(u.username, ''), r.rectified_at, r.rectified_note, r.closed_at"
    " FROM rectifications r LEFT JOIN customers c ON c.id = r.customer_id LEFT JOIN users u ON u.id = r.raised_by ";

Rectification readRectification(const Statement& s) {
    return {s.int64(0), s.text(1), s.text(2), s.optionalInt64(3), s.text(4), s.text(5), s.text(6), s.text(7),
            s.text(8), s.text(9), s.int64(10), s.text(11), s.optionalInt64(12), s.text(13), s.optionalInt64(14)};
}

std::optional<Rectification> rectificationOf(Connection& c, std::int64_t id) {
    auto s = c.prepare(std::string(kRectificationSelect) + "WHERE r.id=?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return readRectification(s);
}

std::int64_t raiseOrder(Connection& c, const NewRectification& o, const Actor& actor) {
    c.prepare("INSERT INTO rectifications(source, source_ref, customer_id, unit, description, owner, due_on, state,"
              " raised_at, raised_by) VALUES(?,?,?,?,?,?,?, 'open', ?, ?)")
        .bind(1, o.source).bind(2, o.sourceRef).bind(3, o.customerId).bind(4, o.unit).bind(5, o.description)
        .bind(6, o.owner).bind(7, o.dueOn).bind(8, c.clock().nowMillis()).bind(9, actor.userId.value_or(0)).run();
    std::int64_t id = c.lastInsertRowId();
    Poco::JSON::Object detail;
    detail.set("source", o.source);
    detail.set("source_ref", o.sourceRef);
    detail.set("owner", o.owner);
    detail.set("due_on", o.dueOn);
    detail.set("description", o.description);
    appendAudit(c, {actor, "rectification.raise", "rectification", std::to_string(id), toJson(detail)});
    return id;
}

std::string placeholders(std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += i ? ",?" : "?";
    return s;
}

class SqlOfficeStore final : public OfficeStore {
public:
    explicit SqlOfficeStore(Database& db) : db_(db) {}

    std::optional<QualityState> quality(std::int64_t lineageId) override {
        return db_.read([&](Connection& c) { return qualityOf(c, lineageId); });
    }

    std::vector<QualityState> atGate(const std::string& gate, std::optional<std::int64_t> filerId, int limit) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare(std::string(kQualitySelect) + "WHERE q.gate=?1 AND (CAST(?2 AS BIGINT) IS NULL OR q.filer_id=?2)"
                                                             " ORDER BY q.updated_at, q.lineage_id LIMIT ?3");
            s.bind(1, gate).bind(2, filerId).bind(3, std::int64_t{limit});
            std::vector<QualityState> out;
            while (s.step()) out.push_back(readQuality(s));
            return out;
        });
    }

    std::expected<QualityState, ReviewRefusal> review(std::int64_t lineageId, const std::string& gate, bool passed,
                                                      const std::string& reason, const Actor& actor) override {
        return db_.write([&](Connection& c) { return recordVerdict(c, lineageId, gate, passed, reason, actor); });
    }

    std::vector<HandOverItem> paperToHandOver(std::int64_t filerId, int limit) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare(std::string(kHandOverSelect) +
                               "WHERE f.archived_by=? AND f.version = 1 AND d.superseded_by IS NULL"
                               " AND NOT EXISTS (SELECT 1 FROM paper_items i WHERE i.lineage_id = f.lineage_id)"
                               " ORDER BY f.archived_at LIMIT ?");
            s.bind(1, filerId).bind(2, std::int64_t{limit});
            return readHandOver(s);
        });
    }

    std::vector<HandOverItem> filesToHandOver(const std::string& staff, int limit) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare(std::string(kHandOverSelect) +
                               "WHERE f.id = (SELECT MIN(x.lineage_id) FROM documents x WHERE x.process_id = p.id"
                               "  AND NOT EXISTS (SELECT 1 FROM paper_items i WHERE i.lineage_id = x.lineage_id))"
                               " AND d.superseded_by IS NULL"
                               " AND p.id IN (SELECT process_id FROM expectations WHERE staff=?)"
                               " AND NOT EXISTS (SELECT 1 FROM expectations o WHERE o.process_id = p.id"
                               "  AND o.filed_at IS NULL AND o.mandatory = 1 AND o.waived_at IS NULL)"
                               " ORDER BY f.archived_at LIMIT ?");
            s.bind(1, staff).bind(2, std::int64_t{limit});
            return readHandOver(s);
        });
    }

    std::vector<SampleCandidate> sampleCandidates(std::optional<std::int64_t> from, std::optional<std::int64_t> to) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare(
                "SELECT d.lineage_id, c.unit FROM documents d JOIN customers c ON c.id = d.customer_id"
                " WHERE d.version = 1 AND (CAST(?1 AS BIGINT) IS NULL OR d.archived_at >= ?1) AND (CAST(?2 AS BIGINT) IS NULL OR d.archived_at < ?2)"
                " ORDER BY c.unit, d.lineage_id");
            s.bind(1, from).bind(2, to);
            std::vector<SampleCandidate> out;
            while (s.step()) out.push_back({s.int64(0), s.text(1)});
            return out;
        });
    }

    std::int64_t createSpotCheck(std::int64_t seed, int perUnit, const std::string& filter,
                                 const std::vector<SampleCandidate>& drawn, const Actor& actor) override {
        return db_.write([&](Connection& c) {
            c.prepare("INSERT INTO spot_checks(seed, per_unit, filter, created_at, created_by) VALUES(?,?,?,?,?)")
                .bind(1, seed).bind(2, std::int64_t{perUnit}).bind(3, filter).bind(4, db_.clock().nowMillis())
                .bind(5, actor.userId.value_or(0)).run();
            std::int64_t id = c.lastInsertRowId();
            std::int64_t seq = 0;
            for (const auto& d : drawn)
                c.prepare("INSERT INTO spot_check_items(spot_check_id, seq, lineage_id, unit) VALUES(?,?,?,?)")
                    .bind(1, id).bind(2, ++seq).bind(3, d.lineageId).bind(4, d.unit).run();
            Poco::JSON::Object detail;
            detail.set("seed", seed);
            detail.set("per_unit", perUnit);
            detail.set("drawn", static_cast<int>(drawn.size()));
            appendAudit(c, {actor, "spot_check.draw", "spot_check", std::to_string(id), toJson(detail)});
            return id;
        });
    }

    std::optional<SpotCheck> spotCheck(std::int64_t id) override {
        return db_.read([&](Connection& c) -> std::optional<SpotCheck> {
            auto s = c.prepare("SELECT s.id, s.seed, s.per_unit, s.filter, s.created_at, COALESCE(u.username, '')"
                               " FROM spot_checks s LEFT JOIN users u ON u.id = s.created_by WHERE s.id=?");
            s.bind(1, id);
            if (!s.step()) return std::nullopt;
            SpotCheck check{s.int64(0), s.int64(1), static_cast<int>(s.int64(2)), s.text(3), s.int64(4), s.text(5), {}};
            auto items = c.prepare(std::string(kSpotItemSelect) + "WHERE i.spot_check_id=? ORDER BY i.seq");
            items.bind(1, id);
            while (items.step()) check.items.push_back(readSpotItem(items));
            return check;
        });
    }

    std::optional<SpotCheckVerdict> checkSpotItem(std::int64_t spotCheckId, std::int64_t seq, bool passed,
                                                  const std::string& reason, const std::optional<NewRectification>& order,
                                                  const Actor& actor) override {
        return db_.write([&](Connection& c) -> std::optional<SpotCheckVerdict> {
            std::int64_t lineageId = 0;
            {
                auto s = c.prepare("SELECT lineage_id FROM spot_check_items WHERE spot_check_id=? AND seq=?"
                                   " AND outcome='pending'");
                s.bind(1, spotCheckId).bind(2, seq);
                if (!s.step()) return std::nullopt;
                lineageId = s.int64(0);
            }
            c.prepare("UPDATE spot_check_items SET outcome=?, reason=?, checked_at=?, checked_by=?"
                      " WHERE spot_check_id=? AND seq=?")
                .bind(1, passed ? "passed" : "failed").bind(2, reason).bind(3, db_.clock().nowMillis())
                .bind(4, actor.userId.value_or(0)).bind(5, spotCheckId).bind(6, seq).run();
            // An item still at its filer's self-check keeps its gate; the spot check's verdict stands.
            [[maybe_unused]] auto gate = recordVerdict(c, lineageId, "audit", passed, reason, actor);
            SpotCheckVerdict verdict;
            if (!passed && order) verdict.rectificationId = raiseOrder(c, *order, actor);
            auto item = c.prepare(std::string(kSpotItemSelect) + "WHERE i.spot_check_id=? AND i.seq=?");
            item.bind(1, spotCheckId).bind(2, seq);
            if (item.step()) verdict.item = readSpotItem(item);
            return verdict;
        });
    }

    std::optional<ContractTerms> recordContract(std::int64_t lineageId, const NewContractTerms& t, const Actor& actor) override {
        return db_.write([&](Connection& c) -> std::optional<ContractTerms> {
            std::int64_t customerId = 0, documentId = 0;
            {
                auto s = c.prepare("SELECT customer_id, id FROM documents WHERE lineage_id=? AND superseded_by IS NULL");
                s.bind(1, lineageId);
                if (!s.step()) return std::nullopt;
                customerId = s.int64(0);
                documentId = s.int64(1);
            }
            c.prepare("INSERT INTO contract_terms(lineage_id, customer_id, contract_no, signed_on, expires_on, auto_renew,"
                      " source, recorded_at, recorded_by) VALUES(?,?,?,?,?,?,?,?,?)")
                .bind(1, lineageId).bind(2, customerId).bind(3, t.contractNo).bind(4, t.signedOn).bind(5, t.expiresOn)
                .bind(6, std::int64_t{t.autoRenew ? 1 : 0}).bind(7, t.source).bind(8, db_.clock().nowMillis())
                .bind(9, actor.userId.value_or(0)).run();
            Poco::JSON::Object detail;
            detail.set("contract_no", t.contractNo);
            detail.set("signed_on", t.signedOn);
            detail.set("expires_on", t.expiresOn);
            detail.set("auto_renew", t.autoRenew);
            detail.set("source", t.source);
            appendAudit(c, {actor, "contract.terms", "document", std::to_string(documentId), toJson(detail)});
            auto s = c.prepare(std::string(kContractSelect) + "WHERE d.lineage_id=? AND d.superseded_by IS NULL");
            s.bind(1, lineageId);
            if (!s.step()) return std::nullopt;
            return readContract(s);
        });
    }

    std::vector<ContractTerms> contracts(const std::vector<std::string>& types, bool recordedOnly) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare(std::string(kContractSelect) + "WHERE d.superseded_by IS NULL AND d.doc_type IN (" +
                               placeholders(types.size()) + ")" +
                               (recordedOnly ? " AND d.lineage_id IN (SELECT lineage_id FROM contract_terms)" : "") +
                               " ORDER BY t.expires_on, d.id");
            for (std::size_t i = 0; i < types.size(); ++i) s.bind(static_cast<int>(i + 1), types[i]);
            std::vector<ContractTerms> out;
            while (s.step()) out.push_back(readContract(s));
            return out;
        });
    }

    std::vector<Expectation> missingContracts(const std::vector<std::string>& types, std::int64_t now) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare(std::string("SELECT ") + kExpectationColumns + " FROM expectations e" + kExpectationJoins +
                               "WHERE e.filed_at IS NULL AND e.mandatory = 1 AND e.waived_at IS NULL AND e.due_at < ? AND e.doc_type IN (" +
                               placeholders(types.size()) + ") ORDER BY e.due_at");
            s.bind(1, now);
            for (std::size_t i = 0; i < types.size(); ++i) s.bind(static_cast<int>(i + 2), types[i]);
            std::vector<Expectation> out;
            while (s.step()) out.push_back(readExpectation(s));
            return out;
        });
    }

    std::int64_t raise(const NewRectification& order, const Actor& actor) override {
        return db_.write([&](Connection& c) { return raiseOrder(c, order, actor); });
    }

    std::optional<Rectification> rectification(std::int64_t id) override {
        return db_.read([&](Connection& c) { return rectificationOf(c, id); });
    }

    std::vector<Rectification> rectifications(const std::optional<std::string>& state, const std::optional<std::string>& owner,
                                              int limit) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare(std::string(kRectificationSelect) +
                               "WHERE (CAST(?1 AS TEXT) IS NULL OR r.state=?1) AND (CAST(?2 AS TEXT) IS NULL OR r.owner=?2)"
                               " ORDER BY r.due_on, r.id LIMIT ?3");
            if (state) s.bind(1, *state);
            else s.bindNull(1);
            if (owner) s.bind(2, *owner);
            else s.bindNull(2);
            s.bind(3, std::int64_t{limit});
            std::vector<Rectification> out;
            while (s.step()) out.push_back(readRectification(s));
            return out;
        });
    }

    std::vector<Rectification> rectificationsRaisedBefore(std::int64_t until) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare(std::string(kRectificationSelect) + "WHERE r.raised_at < ? ORDER BY r.id");
            s.bind(1, until);
            std::vector<Rectification> out;
            while (s.step()) out.push_back(readRectification(s));
            return out;
        });
    }

    std::optional<Rectification> markRectified(std::int64_t id, const std::string& note, const std::vector<EvidencePage>& evidence,
                                               const Actor& actor) override {
        return db_.write([&](Connection& c) -> std::optional<Rectification> {
            std::int64_t now = db_.clock().nowMillis();
            c.prepare("UPDATE rectifications SET state='rectified', rectified_at=?, rectified_note=? WHERE id=? AND state='open'")
                .bind(1, now).bind(2, note).bind(3, id).run();
            if (c.changes() != 1) return std::nullopt;
            auto next = c.prepare("SELECT COALESCE(MAX(seq), 0) FROM rectification_evidence WHERE rectification_id=?");
            next.bind(1, id);
            std::int64_t seq = next.step() ? next.int64(0) : 0;
            for (const auto& page : evidence) {
                c.prepare("INSERT INTO blobs(sha256, byte_size, media_type, stored_at) VALUES(?,?,?,?) ON CONFLICT DO NOTHING")
                    .bind(1, page.sha256).bind(2, static_cast<std::int64_t>(page.bytes)).bind(3, page.mediaType).bind(4, now).run();
                c.prepare("INSERT INTO rectification_evidence(rectification_id, seq, sha256, content_type, bytes, added_at, added_by)"
                          " VALUES(?,?,?,?,?,?,?)")
                    .bind(1, id).bind(2, ++seq).bind(3, toHex(page.sha256)).bind(4, page.mediaType)
                    .bind(5, static_cast<std::int64_t>(page.bytes)).bind(6, now).bind(7, actor.userId.value_or(0)).run();
            }
            Poco::JSON::Object detail;
            detail.set("note", note);
            detail.set("evidence_pages", static_cast<int>(evidence.size()));
            appendAudit(c, {actor, "rectification.rectified", "rectification", std::to_string(id), toJson(detail)});
            return rectificationOf(c, id);
        });
    }

    std::vector<EvidencePage> evidence(std::int64_t id) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare("SELECT e.seq, e.sha256, e.content_type, e.bytes, e.added_at, COALESCE(u.username, '')"
                               " FROM rectification_evidence e LEFT JOIN users u ON u.id = e.added_by"
                               " WHERE e.rectification_id=? ORDER BY e.seq");
            s.bind(1, id);
            std::vector<EvidencePage> out;
            while (s.step()) {
                EvidencePage page;
                page.seq = static_cast<int>(s.int64(0));
                if (auto digest = digestFromHex(s.text(1))) page.sha256 = *digest;
                page.mediaType = s.text(2);
                page.bytes = static_cast<std::uint64_t>(s.int64(3));
                page.addedAt = s.int64(4);
                page.addedBy = s.text(5);
                out.push_back(page);
            }
            return out;
        });
    }

    std::optional<Rectification> verify(std::int64_t id, bool verified, const std::string& note, const Actor& actor) override {
        return db_.write([&](Connection& c) -> std::optional<Rectification> {
            if (verified)
                c.prepare("UPDATE rectifications SET state='closed', closed_at=?, closed_by=? WHERE id=? AND state='rectified'")
                    .bind(1, db_.clock().nowMillis()).bind(2, actor.userId.value_or(0)).bind(3, id).run();
            else
                c.prepare("UPDATE rectifications SET state='open', rectified_at=NULL,"
                          " rectified_note=rectified_note || ' / 退回: ' || ? WHERE id=? AND state='rectified'")
                    .bind(1, note).bind(2, id).run();
            if (c.changes() != 1) return std::nullopt;
            Poco::JSON::Object detail;
            detail.set("verified", verified);
            detail.set("note", note);
            appendAudit(c, {actor, verified ? "rectification.close" : "rectification.reopen", "rectification",
                            std::to_string(id), toJson(detail)});
            return rectificationOf(c, id);
        });
    }

    std::vector<PerformanceTally> tallyByPerson(std::int64_t from, std::int64_t to) override {
        return tally(from, to, "e.staff", "COALESCE(u.username, '')", " LEFT JOIN users u ON u.id = r.filer_id", "k.staff");
    }

    std::vector<PerformanceTally> tallyByUnit(std::int64_t from, std::int64_t to) override {
        return tally(from, to, "e.unit", "c.unit",
                     " JOIN documents d ON d.id = r.lineage_id JOIN customers c ON c.id = d.customer_id", "k.unit");
    }

    std::vector<PerformanceTally> tallyByTeam(std::int64_t from, std::int64_t to) override {
        static const std::string kTeamOf = "(SELECT CASE WHEN t.team = '' THEN '' ELSE t.unit || '/' || t.team END"
                                           " FROM users t WHERE t.username = ";
        return tally(from, to, "COALESCE(" + kTeamOf + "e.staff), '')",
                     "COALESCE(CASE WHEN u.team = '' THEN '' ELSE u.unit || '/' || u.team END, '')",
                     " LEFT JOIN users u ON u.id = r.filer_id", "COALESCE(" + kTeamOf + "k.staff), '')");
    }

    double completenessAt(std::int64_t at) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare("SELECT COUNT(*), SUM(filed_at IS NOT NULL AND filed_at <= ?1) FROM expectations"
                               " WHERE mandatory = 1 AND due_at <= ?1 AND (waived_at IS NULL OR waived_at > ?1)");
            s.bind(1, at);
            if (!s.step() || s.int64(0) == 0) return 1.0;
            return static_cast<double>(s.optionalInt64(1).value_or(0)) / static_cast<double>(s.int64(0));
        });
    }

private:
    static constexpr const char* kSpotItemSelect =
        "SELECT i.seq, i.lineage_id, d.id, i.unit, c.account_no, d.doc_type, COALESCE(u.username, ''), i.outcome, i.reason"
        " FROM spot_check_items i JOIN documents d ON d.lineage_id = i.lineage_id AND d.superseded_by IS NULL"
        " JOIN customers c ON c.id = d.customer_id JOIN documents f ON f.id = i.lineage_id"
        " LEFT JOIN users u ON u.id = f.archived_by ";

    static SpotCheckItem readSpotItem(const Statement& s) {
        return {s.int64(0), s.int64(1), s.int64(2), s.text(3), s.text(4), s.text(5), s.text(6), s.text(7), s.text(8)};
    }

    // f: an item's first version, d: its current version.
    static constexpr const char* kHandOverSelect =
        "SELECT f.lineage_id, d.id, c.account_no, p.type, p.application_no, d.doc_type, f.archived_at"
        " FROM documents f JOIN documents d ON d.lineage_id = f.lineage_id JOIN processes p ON p.id = f.process_id"
        " JOIN customers c ON c.id = f.customer_id ";

    static std::vector<HandOverItem> readHandOver(Statement& s) {
        std::vector<HandOverItem> out;
        while (s.step())
            out.push_back({s.int64(0), s.int64(1), s.text(2), s.text(3), s.text(4), s.text(5), s.int64(6)});
        return out;
    }

    static constexpr const char* kContractSelect =
        "SELECT d.lineage_id, d.id, d.customer_id, c.account_no, c.name, c.unit, d.doc_type,"
        " COALESCE(t.contract_no, ''), COALESCE(t.signed_on, ''), COALESCE(t.expires_on, ''), COALESCE(t.auto_renew, 0),"
        " COALESCE(t.source, ''),"
        " COALESCE((SELECT e.staff FROM expectations e WHERE e.lineage_id = d.lineage_id LIMIT 1), u.username, '')"
        " FROM documents d JOIN customers c ON c.id = d.customer_id"
        " LEFT JOIN contract_terms t ON t.id = (SELECT MAX(id) FROM contract_terms WHERE lineage_id = d.lineage_id)"
        " JOIN documents f ON f.id = d.lineage_id LEFT JOIN users u ON u.id = f.archived_by ";

    static ContractTerms readContract(const Statement& s) {
        return {s.int64(0), s.int64(1), s.int64(2), s.text(3), s.text(4), s.text(5), s.text(6), s.text(7), s.text(8),
                s.text(9), s.int64(10) != 0, s.text(11), s.text(12)};
    }

    std::vector<PerformanceTally> tally(std::int64_t from, std::int64_t to, const std::string& expectationKey,
                                        const std::string& reviewKey, const std::string& reviewJoin,
                                        const std::string& clockKey) {
        return db_.read([&](Connection& c) {
            std::map<std::string, PerformanceTally> byName;
            auto due = c.prepare("SELECT " + expectationKey +
                                 ", COUNT(*), SUM(e.filed_at IS NOT NULL AND e.filed_at <= e.due_at),"
                                 " SUM(CASE WHEN e.filed_at IS NULL OR e.filed_at >= ?2 THEN 1 ELSE 0 END) FROM expectations e"
                                 " WHERE e.mandatory = 1 AND e.due_at >= ?1 AND e.due_at < ?2"
                                 " AND (e.waived_at IS NULL OR e.waived_at >= ?2) GROUP BY 1");
            due.bind(1, from).bind(2, to);
            while (due.step()) {
                auto& t = byName[due.text(0)];
                t.due = due.int64(1);
                t.onTime = due.optionalInt64(2).value_or(0);
                t.overdue = due.optionalInt64(3).value_or(0);
            }
            auto reviews = c.prepare("SELECT " + reviewKey + ", COUNT(*), SUM(r.passed = 0) FROM quality_reviews r" +
                                     reviewJoin + " WHERE r.gate <> 'self' AND r.reviewed_at >= ?1 AND r.reviewed_at < ?2"
                                                  " GROUP BY 1");
            reviews.bind(1, from).bind(2, to);
            while (reviews.step()) {
                auto& t = byName[reviews.text(0)];
                t.reviewed = reviews.int64(1);
                t.rejected = reviews.optionalInt64(2).value_or(0);
            }
            // 流程时限: the timed steps due in the period, and those completed by their limit.
            auto timed = c.prepare("SELECT " + clockKey + ", COUNT(*), SUM(k.outcome = 'done' AND k.closed_at <= k.due_at)"
                                   " FROM process_clocks k WHERE k.due_at >= ?1 AND k.due_at < ?2"
                                   " AND k.outcome <> 'cancelled' GROUP BY 1");
            timed.bind(1, from).bind(2, to);
            while (timed.step()) {
                auto& t = byName[timed.text(0)];
                t.timedSteps = timed.int64(1);
                t.timedInTime = timed.optionalInt64(2).value_or(0);
            }
            std::vector<PerformanceTally> out;
            for (auto& [name, t] : byName) {
                if (name.empty()) continue;
                t.name = name;
                out.push_back(t);
            }
            return out;
        });
    }

    Database& db_;
};

}  // namespace

std::unique_ptr<OfficeStore> makeSqlOfficeStore(Database& database) {
    return std::make_unique<SqlOfficeStore>(database);
}

}  // namespace dangan::storage
