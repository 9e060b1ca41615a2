// SQLite implementation of the reading store.
#include <Poco/JSON/Object.h>

#include <functional>
#include <map>

#include "audit_chain.h"
#include "dangan/storage/database.h"
#include "dangan/storage/reading_stores.h"
#include "reading_sql.h"
#include "search_sql.h"
#include "sql_slices.h"

namespace dangan::storage {
namespace {

std::vector<std::string> splitCommas(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find(',', start);
        if (end == std::string::npos) end = text.size();
        if (end > start) out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

std::string joinCommas(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : ",") + p;
    return out;
}

// One chunk of SqlReadingStore::pagesRead, at most one slice of images (by hex) and one of pages:
// the readings, their fields and the corrections asked ahead together, one round trip.
void readChunk(Connection& c, const std::vector<std::string>& images, const std::vector<std::int64_t>& pageIds,
               ReadingStore::PagesRead& found) {
    using Readings = std::map<Digest, StoredReading>;
    using Fields = std::vector<std::pair<Digest, ReadField>>;
    using Corrections = std::map<std::int64_t, std::vector<FieldCorrection>>;
    auto readings = askBySlices<std::string, Readings>(
        c, images,
        "SELECT image, state, doc_type, doc_type_confidence, unreadable, text, cpu_ms, message, read_at, full_text,"
        " quarter_turns, doc_type_second, doc_type_second_confidence, continues FROM page_readings WHERE image IN ",
        "", [](Statement& s, Readings& rows) {
            while (s.step())
                if (auto image = digestFromHex(s.text(0)))
                    rows[*image] = StoredReading{*image,     s.text(1),  s.text(2),
                                                 static_cast<int>(s.int64(3)), {},  splitCommas(s.text(4)),
                                                 s.text(5),  s.int64(6), s.text(7),
                                                 s.optionalInt64(8), s.int64(9) != 0, static_cast<int>(s.int64(10)),
                                                 s.text(11), static_cast<int>(s.int64(12)), s.int64(13) != 0};
        });
    auto fields = askBySlices<std::string, Fields>(
        c, images, "SELECT image, field, value, confidence FROM reading_fields WHERE image IN ", " ORDER BY image, field",
        [](Statement& s, Fields& rows) {
            while (s.step())
                if (auto image = digestFromHex(s.text(0)))
                    rows.emplace_back(*image, ReadField{s.text(1), s.text(2), static_cast<int>(s.int64(3))});
        });
    auto corrections = askBySlices<std::int64_t, Corrections>(
        c, pageIds,
        "SELECT f.id, f.page_id, f.field, f.value, f.original, f.corrected_at, COALESCE(u.username, '')"
        " FROM field_corrections f LEFT JOIN users u ON u.id = f.corrected_by WHERE f.page_id IN ",
        " ORDER BY f.id", [](Statement& s, Corrections& rows) {
            while (s.step()) rows[s.int64(1)].push_back({s.int64(0), s.int64(1), s.text(2), s.text(3), s.text(4), s.int64(5), s.text(6)});
        });
    auto chunk = readings();
    for (auto& [image, field] : fields())
        if (auto reading = chunk.find(image); reading != chunk.end()) reading->second.fields.push_back(std::move(field));
    for (auto& [image, reading] : chunk) found.readings.insert_or_assign(image, std::move(reading));
    for (auto& [page, list] : corrections())
        found.corrections[page].insert(found.corrections[page].end(), std::make_move_iterator(list.begin()), std::make_move_iterator(list.end()));
}

class SqlReadingStore final : public ReadingStore {
public:
    explicit SqlReadingStore(Database& db) : db_(db) {}

    void enqueue(const std::vector<Digest>& images, bool urgent) override {
        if (images.empty()) return;
        db_.write([&](Connection& c) {
            auto now = db_.clock().nowMillis();
            for (const auto& image : images) enqueueReading(c, image, urgent, now);
            return 0;
        });
    }

    std::vector<Digest> claimQueued(int limit, const std::string& node, std::chrono::milliseconds lease) override {
        return claimWhere("state = 'queued'", "urgent DESC, queued_at", limit, node, lease);
    }

    std::vector<Digest> claimTextToRead(int limit, const std::string& node, std::chrono::milliseconds lease) override {
        return claimWhere("state = 'done' AND full_text = 0", "read_at", limit, node, lease);
    }

    bool claim(const Digest& image, const std::string& node, std::chrono::milliseconds lease) override {
        return db_.write([&](Connection& c) {
            const std::int64_t now = db_.clock().nowMillis();
            c.prepare("UPDATE page_readings SET claimed_by = ?1, claimed_until = ?2 WHERE image = ?3"
                      " AND (state = 'queued' OR (state = 'done' AND full_text = 0))"
                      " AND (claimed_until < ?4 OR claimed_by = ?1)")
                .bind(1, node)
                .bind(2, now + lease.count())
                .bind(3, toHex(image))
                .bind(4, now)
                .run();
            return c.changes() == 1;
        });
    }

    void record(const StoredReading& r) override {
        db_.write([&](Connection& c) {
            auto hex = toHex(r.image);
            auto now = db_.clock().nowMillis();
            c.prepare(
                 "INSERT INTO page_readings(image, state, urgent, queued_at, read_at, doc_type, doc_type_confidence,"
                 " unreadable, text, cpu_ms, message, full_text, quarter_turns, doc_type_second, doc_type_second_confidence,"
                 " continues) VALUES(?,?,0,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                 " ON CONFLICT(image) DO UPDATE SET state=excluded.state, urgent=0, read_at=excluded.read_at,"
                 " doc_type=excluded.doc_type, doc_type_confidence=excluded.doc_type_confidence,"
                 " unreadable=excluded.unreadable, text=excluded.text, cpu_ms=excluded.cpu_ms,"
                 " message=excluded.message, full_text=excluded.full_text, quarter_turns=excluded.quarter_turns,"
                 " doc_type_second=excluded.doc_type_second, doc_type_second_confidence=excluded.doc_type_second_confidence,"
                 " continues=excluded.continues")
                .bind(1, hex)
                .bind(2, r.state)
                .bind(3, now)
                .bind(4, now)
                .bind(5, r.docType)
                .bind(6, std::int64_t{r.docTypeConfidence})
                .bind(7, joinCommas(r.unreadable))
                .bind(8, r.text)
                .bind(9, r.cpuMs)
                .bind(10, r.message)
                .bind(11, std::int64_t{r.fullText ? 1 : 0})
                .bind(12, std::int64_t{r.quarterTurns})
                .bind(13, r.docTypeSecond)
                .bind(14, std::int64_t{r.docTypeSecondConfidence})
                .bind(15, std::int64_t{r.continues ? 1 : 0})
                .run();
            c.prepare("DELETE FROM reading_fields WHERE image = ?").bind(1, hex).run();
            for (const auto& f : r.fields)
                c.prepare("INSERT INTO reading_fields(image, field, value, confidence) VALUES(?,?,?,?)")
                    .bind(1, hex)
                    .bind(2, f.name)
                    .bind(3, f.value)
                    .bind(4, std::int64_t{f.confidence})
                    .run();
            if (r.state == "done") {
                auto pages = c.prepare(
                    "SELECT id FROM pages WHERE cleaned_sha256 = ?1"
                    " UNION SELECT id FROM pages WHERE sha256 = ?1 AND cleaned_sha256 IS NULL");
                pages.bind(1, r.image);
                std::vector<std::int64_t> ids;
                while (pages.step()) ids.push_back(pages.int64(0));
                std::string values;
                for (const auto& f : r.fields) values += (values.empty() ? "" : " ") + f.value;
                for (auto id : ids) indexPageText(c, id, r.text, values);
            }
            return 0;
        });
    }

    std::optional<StoredReading> reading(const Digest& image) override {
        auto found = readings({image});
        if (found.empty()) return std::nullopt;
        return std::move(found.begin()->second);
    }

    std::map<Digest, StoredReading> readings(const std::vector<Digest>& images) override {
        return pagesRead(images, {}).readings;
    }

    std::vector<FieldCorrection> corrections(std::int64_t pageId) override {
        auto found = corrections(std::vector<std::int64_t>{pageId});
        return found.empty() ? std::vector<FieldCorrection>{} : std::move(found.begin()->second);
    }

    std::map<std::int64_t, std::vector<FieldCorrection>> corrections(const std::vector<std::int64_t>& pageIds) override {
        return pagesRead({}, pageIds).corrections;
    }

    // A slice of images and one of pages at a time: a slice's readings, their fields and the
    // pages' corrections are sent together and answered in one round trip.
    PagesRead pagesRead(const std::vector<Digest>& images, const std::vector<std::int64_t>& pageIds) override {
        constexpr std::size_t kChunk = kSliceKeys;
        return db_.read([&](Connection& c) {
            PagesRead found;
            for (std::size_t at = 0; at < std::max(images.size(), pageIds.size()); at += kChunk) {
                auto part = [&](const auto& all) {
                    using Key = typename std::decay_t<decltype(all)>::value_type;
                    std::vector<Key> slice;
                    for (std::size_t i = at; i < std::min(all.size(), at + kChunk); ++i) slice.push_back(all[i]);
                    return slice;
                };
                std::vector<std::string> keys;
                for (const auto& image : part(images)) keys.push_back(toHex(image));
                readChunk(c, keys, part(pageIds), found);
            }
            return found;
        });
    }

    FieldCorrection correct(std::int64_t pageId, const std::string& field, const std::string& value,
                            const std::string& original, const Actor& actor) override {
        return db_.write([&](Connection& c) {
            auto now = db_.clock().nowMillis();
            c.prepare(
                 "INSERT INTO field_corrections(page_id, field, value, original, corrected_at, corrected_by)"
                 " VALUES(?,?,?,?,?,?)")
                .bind(1, pageId)
                .bind(2, field)
                .bind(3, value)
                .bind(4, original)
                .bind(5, now)
                .bind(6, actor.userId.value_or(0))
                .run();
            FieldCorrection made{c.lastInsertRowId(), pageId, field, value, original, now, actor.username};
            Poco::JSON::Object detail(Poco::JSON_PRESERVE_KEY_ORDER);
            detail.set("field", field);
            detail.set("value", value);
            detail.set("original", original);
            appendAudit(c, {actor, "page.field.correct", "page", std::to_string(pageId), toJson(detail)});
            return made;
        });
    }

    std::vector<PageTextHit> searchText(std::string_view query, int limit) override {
        return db_.read([&](Connection& c) -> std::vector<PageTextHit> {
            auto match = searchCondition(c, query, "t");
            if (!match) return {};
            auto s = c.prepare(
                "SELECT p.id, p.document_id, p.seq, d.doc_type, d.customer_id, cu.account_no, cu.name,"
                " COALESCE(r.text, '')" + pageTextMatchSql(c) +
                " JOIN documents d ON d.id = p.document_id AND d.superseded_by IS NULL"
                " JOIN customers cu ON cu.id = d.customer_id"
                " LEFT JOIN page_readings r ON r.image = lower(hex(COALESCE(p.cleaned_sha256, p.sha256)))"
                " WHERE " + pageTextCondition(c) + " ORDER BY p.id DESC LIMIT ?");
            s.bind(1, *match).bind(2, std::int64_t{limit});
            std::vector<PageTextHit> out;
            while (s.step())
                out.push_back({s.int64(0), s.int64(1), static_cast<int>(s.int64(2)), s.text(3), s.int64(4), s.text(5),
                               s.text(6), s.text(7)});
            return out;
        });
    }

    ReadingCounts counts() override {
        return db_.read([&](Connection& c) {
            ReadingCounts counts;
            auto s = c.prepare("SELECT state, COUNT(*) FROM page_readings GROUP BY state");
            while (s.step()) {
                if (s.text(0) == "queued") counts.queued = s.int64(1);
                else if (s.text(0) == "done") counts.done = s.int64(1);
                else if (s.text(0) == "failed") counts.failed = s.int64(1);
            }
            auto t = c.prepare("SELECT COUNT(*) FROM page_readings WHERE state = 'done' AND full_text = 0");
            if (t.step()) counts.textToRead = t.int64(0);
            return counts;
        });
    }

    std::vector<ImageShownIn> documentsShowing(const Digest& image) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare(
                "SELECT DISTINCT d.id, d.doc_type, EXISTS(SELECT 1 FROM contract_terms t WHERE t.lineage_id = d.lineage_id)"
                " FROM pages p JOIN documents d ON d.id = p.document_id AND d.superseded_by IS NULL"
                " WHERE p.cleaned_sha256 = ?1 OR (p.sha256 = ?1 AND p.cleaned_sha256 IS NULL)");
            s.bind(1, image);
            std::vector<ImageShownIn> out;
            while (s.step()) out.push_back({s.int64(0), s.text(1), s.int64(2) != 0});
            return out;
        });
    }

    void recordLinkDecision(std::int64_t batchPageId, const std::vector<std::string>& candidates,
                            const std::string& chosen, const Actor& actor) override {
        db_.write([&](Connection& c) {
            c.prepare(
                 "INSERT INTO link_decisions(batch_page, candidates, chosen, decided_at, decided_by) VALUES(?,?,?,?,?)")
                .bind(1, batchPageId)
                .bind(2, joinCommas(candidates))
                .bind(3, chosen)
                .bind(4, db_.clock().nowMillis())
                .bind(5, actor.userId.value_or(0))
                .run();
            return 0;
        });
    }

private:
    // The images a query with one LIMIT parameter selects.
    // Claims what `condition` selects, in `order`: looked for in a read (an idle poll writes
    // nothing), then claimed in a write that takes only what no other node claimed meanwhile.
    std::vector<Digest> claimWhere(const std::string& condition, const std::string& order, int limit, const std::string& node,
                                   std::chrono::milliseconds lease) {
        const std::string sql = "SELECT image FROM page_readings WHERE " + condition +
                                " AND (claimed_until < ?1 OR claimed_by = ?2) ORDER BY " + order + " LIMIT ?3";
        auto candidates = db_.read([&](Connection& c) {
            auto s = c.prepare(sql);
            s.bind(1, db_.clock().nowMillis()).bind(2, node).bind(3, std::int64_t{limit});
            std::vector<std::string> out;
            while (s.step()) out.push_back(s.text(0));
            return out;
        });
        if (candidates.empty()) return {};
        return db_.write([&](Connection& c) {
            const std::int64_t now = db_.clock().nowMillis();
            std::vector<Digest> claimed;
            for (const auto& hex : candidates) {
                c.prepare("UPDATE page_readings SET claimed_by = ?1, claimed_until = ?2 WHERE image = ?3 AND " + condition +
                          " AND (claimed_until < ?4 OR claimed_by = ?1)")
                    .bind(1, node)
                    .bind(2, now + lease.count())
                    .bind(3, hex)
                    .bind(4, now)
                    .run();
                if (c.changes() == 1)
                    if (auto d = digestFromHex(hex)) claimed.push_back(*d);
            }
            return claimed;
        });
    }

    Database& db_;
};

}  // namespace

std::unique_ptr<ReadingStore> makeSqlReadingStore(Database& database) {
    return std::make_unique<SqlReadingStore>(database);
}

}  // namespace dangan::storage
