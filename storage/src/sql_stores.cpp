#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <set>
#include <sstream>
#include <unordered_set>

#include "audit_chain.h"
#include "completeness_sql.h"
#include "reading_sql.h"
#include "sql_slices.h"
#include "dangan/storage/database.h"
#include "dangan/storage/search_text.h"
#include "dangan/storage/stores.h"

namespace dangan::storage {
namespace {

std::string joinRoles(const std::vector<std::string>& roles) {
    std::string out;
    for (const auto& r : roles) {
        if (!out.empty()) out += ',';
        out += r;
    }
    return out;
}

std::vector<std::string> splitRoles(const std::string& text) {
    std::vector<std::string> roles;
    std::string current;
    std::istringstream in(text);
    while (std::getline(in, current, ','))
        if (!current.empty()) roles.push_back(current);
    return roles;
}

// ---- customers ----

constexpr const char* kCustomerColumns =
    "id, account_no, name, address, phone, id_number, voltage, unit, created_at, updated_at";
// The same columns when customers is joined as c.
constexpr const char* kJoinedCustomerColumns =
    "c.id, c.account_no, c.name, c.address, c.phone, c.id_number, c.voltage, c.unit, c.created_at,"
    " c.updated_at";

Customer readCustomer(const Statement& s) {
    Customer c;
    c.id = s.int64(0);
    c.fields = {s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6), s.text(7)};
    c.createdAt = s.int64(8);
    c.updatedAt = s.int64(9);
    return c;
}

Poco::JSON::Object fieldsJson(const CustomerFields& f) {
    Poco::JSON::Object o;
    o.set("account_no", f.accountNo);
    o.set("name", f.name);
    o.set("address", f.address);
    o.set("phone", f.phone);
    o.set("id_number", f.idNumber);
    o.set("voltage", f.voltage);
    o.set("unit", f.unit);
    return o;
}

class SqlCustomerStore final : public CustomerStore {
public:
    explicit SqlCustomerStore(Database& db) : db_(db) {}

    UpsertOutcome upsert(const std::vector<CustomerFields>& rows, const Actor& actor) override {
        return db_.write([&](Connection& c) {
            UpsertOutcome outcome;
            std::int64_t now = db_.clock().nowMillis();
            for (const auto& row : rows) {
                std::optional<Customer> existing;
                {
                    auto find = c.prepare(std::string("SELECT ") + kCustomerColumns +
                                          " FROM customers WHERE account_no=?");
                    find.bind(1, row.accountNo);
                    if (find.step()) existing = readCustomer(find);
                }
                if (!existing) {
                    auto insert = c.prepare(
                        "INSERT INTO customers(account_no, name, address, phone, id_number, voltage,"
                        " unit, created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?)");
                    bindFields(insert, row).bind(8, now).bind(9, now).run();
                    std::int64_t id = c.lastInsertRowId();
                    indexCustomer(c, id, searchDocument(row.name, row.address, row.phone));
                    appendAudit(c, {actor, "customer.create", "customer", row.accountNo,
                                    toJson(fieldsJson(row))});
                    ++outcome.created;
                } else if (existing->fields == row) {
                    ++outcome.unchanged;
                } else {
                    auto update = c.prepare(
                        "UPDATE customers SET account_no=?, name=?, address=?, phone=?, id_number=?,"
                        " voltage=?, unit=?, updated_at=? WHERE id=?");
                    bindFields(update, row).bind(8, now).bind(9, existing->id).run();
                    indexCustomer(c, existing->id, searchDocument(row.name, row.address, row.phone));
                    appendAudit(c, {actor, "customer.update", "customer", row.accountNo,
                                    toJson(changes(existing->fields, row))});
                    ++outcome.updated;
                }
            }
            return outcome;
        });
    }

    std::optional<Customer> findByAccountNo(std::string_view accountNo) override {
        return db_.read([&](Connection& c) -> std::optional<Customer> {
            auto find = c.prepare(std::string("SELECT ") + kCustomerColumns +
                                  " FROM customers WHERE account_no=?");
            find.bind(1, accountNo);
            if (find.step()) return readCustomer(find);
            return std::nullopt;
        });
    }

    std::optional<Customer> findById(std::int64_t id) override {
        return db_.read([&](Connection& c) -> std::optional<Customer> {
            auto find = c.prepare(std::string("SELECT ") + kCustomerColumns + " FROM customers WHERE id=?");
            find.bind(1, id);
            if (find.step()) return readCustomer(find);
            return std::nullopt;
        });
    }

    std::vector<Customer> findByKeys(std::string_view accountNo, std::string_view idNumber, std::string_view name,
                                     int limit) override {
        return db_.read([&](Connection& c) {
            auto find = c.prepare(std::string("SELECT ") + kCustomerColumns +
                                  " FROM customers WHERE (?1 <> '' AND account_no = ?1) OR (?2 <> '' AND id_number = ?2)"
                                  " OR (?3 <> '' AND name = ?3) LIMIT ?4");
            find.bind(1, accountNo).bind(2, idNumber).bind(3, name).bind(4, std::int64_t{limit});
            std::vector<Customer> found;
            while (find.step()) found.push_back(readCustomer(find));
            return found;
        });
    }

    bool knowsText(char field, std::string_view text) override { return knowTexts({{field, std::string(text)}}).front(); }

    std::vector<bool> knowTexts(const std::vector<std::pair<char, std::string>>& texts) override {
        // Every text's bigrams, asked of the vocabulary together (IN slices), then each text known
        // when all of its are. A single character says nothing: known.
        std::vector<std::vector<std::string>> termsOf;
        std::set<std::string> asked;
        for (const auto& [field, text] : texts) {
            termsOf.emplace_back();
            if (searchCharacters(text).size() < 2) continue;
            const std::string grams = bigramText(text, field);
            for (auto term : searchTokens(grams)) {
                termsOf.back().emplace_back(term);
                asked.emplace(term);
            }
        }
        std::set<std::string> known;
        if (!asked.empty())
            db_.read([&](Connection& c) {
                forEachSlice(std::vector<std::string>(asked.begin(), asked.end()), [&](const std::string& in, const SliceBinder& bindSlice) {
                    auto s = c.prepare("SELECT term FROM customer_search_terms WHERE term IN " + in);
                    bindSlice(s);
                    while (s.step()) known.insert(s.text(0));
                });
            });
        std::vector<bool> answers;
        for (const auto& terms : termsOf)
            answers.push_back(std::all_of(terms.begin(), terms.end(), [&](const std::string& t) { return known.contains(t); }));
        return answers;
    }

    std::vector<std::string> units() override {
        return db_.read([](Connection& c) {
            std::vector<std::string> names;
            auto s = c.prepare("SELECT name FROM units ORDER BY name");
            while (s.step()) names.push_back(s.text(0));
            return names;
        });
    }

    std::vector<Customer> holdingDocument(const std::string& docType, const std::optional<std::vector<std::int64_t>>& among,
                                          int limit) override {
        return db_.read([&](Connection& c) {
            std::vector<Customer> found;
            if (among) {
                for (auto id : *among) {
                    if (static_cast<int>(found.size()) >= limit) break;
                    auto holds = c.prepare(std::string("SELECT ") + kCustomerColumns +
                                           " FROM customers WHERE id=?1 AND EXISTS (SELECT 1 FROM documents d"
                                           " WHERE d.doc_type=?2 AND d.customer_id=?1 AND d.superseded_by IS NULL)");
                    holds.bind(1, id).bind(2, docType);
                    if (holds.step()) found.push_back(readCustomer(holds));
                }
                return found;
            }
            auto s = c.prepare(std::string("SELECT ") + kJoinedCustomerColumns +
                               " FROM (SELECT customer_id, MAX(archived_at) newest FROM documents"
                               " WHERE doc_type=? AND superseded_by IS NULL GROUP BY customer_id ORDER BY newest DESC LIMIT ?) d"
                               " JOIN customers c ON c.id = d.customer_id ORDER BY d.newest DESC");
            s.bind(1, docType).bind(2, std::int64_t{limit});
            while (s.step()) found.push_back(readCustomer(s));
            return found;
        });
    }

    std::vector<Customer> search(std::string_view query, int limit) override {
        std::string trimmed = trim(query);
        bool oneTerm = trimmed.find_first_of(" \t") == std::string::npos;
        return db_.read([&](Connection& c) {
            std::vector<Customer> found;
            std::unordered_set<std::int64_t> seen;
            auto collect = [&](Statement& s) {
                while (static_cast<int>(found.size()) < limit && s.step()) {
                    Customer customer = readCustomer(s);
                    if (seen.insert(customer.id).second) found.push_back(std::move(customer));
                }
            };
            // Best first: what names one customer exactly (an archive number, a process id, a full
            // ID number), then account-number prefix, exact name, name contains, any field contains.
            if (oneTerm && !trimmed.empty() && trimmed.size() <= 64) {
                auto byArchiveNo = c.prepare(std::string("SELECT ") + kJoinedCustomerColumns +
                                             " FROM documents d JOIN customers c ON c.id=d.customer_id WHERE d.archive_no=? LIMIT 1");
                byArchiveNo.bind(1, trimmed);
                collect(byArchiveNo);
                auto byProcess = c.prepare(std::string("SELECT ") + kJoinedCustomerColumns +
                                           " FROM processes p JOIN customers c ON c.id=p.customer_id"
                                           " WHERE p.application_no=? AND p.application_no<>'' LIMIT ?");
                byProcess.bind(1, trimmed).bind(2, limit);
                collect(byProcess);
                if (trimmed.size() == 18 || trimmed.size() == 15) {
                    auto byIdNumber = c.prepare(std::string("SELECT ") + kCustomerColumns +
                                                " FROM customers WHERE id_number=? AND id_number<>'' LIMIT ?");
                    std::string id = trimmed;
                    if (id.back() == 'x') id.back() = 'X';
                    byIdNumber.bind(1, id).bind(2, limit);
                    collect(byIdNumber);
                }
            }
            if (isDigits(trimmed)) {
                auto s = c.prepare(std::string("SELECT ") + kCustomerColumns +
                                   " FROM customers WHERE account_no>=?1 AND account_no<?1||':'"
                                   " ORDER BY account_no LIMIT ?2");
                s.bind(1, trimmed).bind(2, limit);
                collect(s);
            }
            if (!trimmed.empty()) {
                auto s = c.prepare(std::string("SELECT ") + kCustomerColumns +
                                   " FROM customers WHERE name=? LIMIT ?");
                s.bind(1, trimmed).bind(2, limit);
                collect(s);
            }
            // Names first (for a single term: a name is one word), then any field.
            for (std::string_view fields : {oneTerm ? "n" : "", "nap"}) {
                if (fields.empty() || static_cast<int>(found.size()) >= limit) continue;
                auto expression = searchCondition(c, query, fields);
                if (!expression) continue;
                auto s = c.prepare(customerMatchSql(c, kJoinedCustomerColumns));
                s.bind(1, *expression).bind(2, limit * 2);
                collect(s);
            }
            return found;
        });
    }

private:
    static Statement& bindFields(Statement& s, const CustomerFields& f) {
        s.bind(1, f.accountNo).bind(2, f.name).bind(3, f.address).bind(4, f.phone);
        s.bind(5, f.idNumber).bind(6, f.voltage).bind(7, f.unit);
        return s;
    }
    static Poco::JSON::Object changes(const CustomerFields& before, const CustomerFields& after) {
        Poco::JSON::Object out;
        auto b = fieldsJson(before);
        auto a = fieldsJson(after);
        for (const auto& [key, value] : a) {
            std::string was = b.getValue<std::string>(key);
            std::string now = value.convert<std::string>();
            if (was != now) {
                Poco::JSON::Array pair;
                pair.add(was);
                pair.add(now);
                out.set(key, pair);
            }
        }
        return out;
    }
    static std::string trim(std::string_view s) {
        auto b = s.find_first_not_of(" \t\r\n");
        if (b == std::string_view::npos) return {};
        auto e = s.find_last_not_of(" \t\r\n");
        return std::string(s.substr(b, e - b + 1));
    }
    static bool isDigits(const std::string& s) {
        return !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    }

    Database& db_;
};

// ---- documents ----

constexpr const char* kDocumentSelect =
    "SELECT d.id, d.customer_id, d.process_id, p.type, p.application_no, d.doc_type, d.lineage_id,"
    " d.version, d.superseded_by, d.note, d.archived_at, d.archived_by, u.username,"
    " pg.id, pg.seq, pg.sha256, pg.frame, pg.width, pg.height, pg.dpi, d.archive_no, pg.cleaned_sha256"
    " FROM documents d JOIN processes p ON p.id=d.process_id JOIN users u ON u.id=d.archived_by"
    " LEFT JOIN pages pg ON pg.document_id=d.id ";

// Reads rows of kDocumentSelect (ordered by document, then page) into documents.
std::vector<Document> readDocuments(Statement& s) {
    std::vector<Document> docs;
    while (s.step()) {
        std::int64_t id = s.int64(0);
        if (docs.empty() || docs.back().id != id) {
            Document d;
            d.id = id;
            d.customerId = s.int64(1);
            d.processId = s.int64(2);
            d.processType = s.text(3);
            d.applicationNo = s.text(4);
            d.docType = s.text(5);
            d.lineageId = s.int64(6);
            d.version = static_cast<int>(s.int64(7));
            d.supersededBy = s.optionalInt64(8);
            d.note = s.text(9);
            d.archivedAt = s.int64(10);
            d.archivedBy = s.int64(11);
            d.archivedByName = s.text(12);
            d.archiveNo = s.text(20);
            docs.push_back(std::move(d));
        }
        if (!s.isNull(13)) {
            Page p;
            p.id = s.int64(13);
            p.documentId = id;
            p.seq = static_cast<int>(s.int64(14));
            p.sha256 = s.digest(15);
            p.frame = static_cast<int>(s.int64(16));
            p.width = static_cast<int>(s.int64(17));
            p.height = static_cast<int>(s.int64(18));
            p.dpi = s.optionalInt64(19);
            if (!s.isNull(21)) p.cleanedSha256 = s.digest(21);
            docs.back().pages.push_back(p);
        }
    }
    return docs;
}

void catalogueBlob(Connection& c, const Digest& sha256, std::uint64_t size, const std::string& mediaType,
                   std::int64_t now) {
    c.prepare("INSERT INTO blobs(sha256, byte_size, media_type, stored_at) VALUES(?,?,?,?) ON CONFLICT DO NOTHING")
        .bind(1, sha256).bind(2, static_cast<std::int64_t>(size)).bind(3, mediaType).bind(4, now).run();
}

class SqlDocumentStore final : public DocumentStore {
public:
    explicit SqlDocumentStore(Database& db) : db_(db) {}

    // A refusal found part-way (a batch page filed already) undoes the whole filing.
    std::expected<Document, FilingRefusal> file(const NewDocument& doc, const Actor& actor) override {
        using Filed = std::expected<Document, FilingRefusal>;
        return db_.writeIf([&](Connection& c) -> Filed {
            std::int64_t now = db_.clock().nowMillis();
            std::optional<std::int64_t> lineage;
            int version = 1;
            std::string archiveNo;
            if (doc.supersedes) {
                auto old = c.prepare(
                    "SELECT customer_id, lineage_id, version, superseded_by, archive_no FROM documents WHERE id=?");
                old.bind(1, *doc.supersedes);
                if (!old.step()) return std::unexpected(FilingRefusal::SupersededDocumentMissing);
                if (old.int64(0) != doc.customerId)
                    return std::unexpected(FilingRefusal::WrongCustomer);
                if (!old.isNull(3))
                    return std::unexpected(FilingRefusal::SupersededDocumentNotCurrent);
                lineage = old.int64(1);
                version = static_cast<int>(old.int64(2)) + 1;
                archiveNo = old.text(4);
            }
            if (archiveNo.empty() && doc.archiveNumber) {
                auto next = c.prepare(
                    "INSERT INTO archive_sequences(prefix, last) VALUES(?, 1)"
                    " ON CONFLICT(prefix) DO UPDATE SET last=archive_sequences.last+1 RETURNING last");
                next.bind(1, doc.archiveNumberPrefix);
                if (!next.step()) throw StorageError("no item number for " + doc.archiveNumberPrefix);
                archiveNo = doc.archiveNumber(next.int64(0));
            }
            std::int64_t processId = findOrOpenProcess(c, doc, now);
            {
                auto insert = c.prepare(
                    "INSERT INTO documents(customer_id, process_id, doc_type, lineage_id, version,"
                    " note, archived_at, archived_by, archive_no) VALUES(?,?,?,0,?,?,?,?,?)");
                insert.bind(1, doc.customerId).bind(2, processId).bind(3, doc.docType);
                insert.bind(4, std::int64_t{version}).bind(5, doc.note).bind(6, now);
                insert.bind(7, actor.userId.value_or(0));
                if (archiveNo.empty()) insert.bindNull(8);
                else insert.bind(8, archiveNo);
                insert.run();
            }
            std::int64_t id = c.lastInsertRowId();
            c.prepare("UPDATE documents SET lineage_id=? WHERE id=?").bind(1, lineage.value_or(id)).bind(2, id).run();
            if (doc.supersedes)
                c.prepare("UPDATE documents SET superseded_by=? WHERE id=?").bind(1, id).bind(2, *doc.supersedes).run();
            int seq = 0;
            for (const auto& page : doc.pages) {
                catalogueBlob(c, page.sha256, page.byteSize, page.mediaType, now);
                if (page.cleanedSha256) catalogueBlob(c, *page.cleanedSha256, page.cleanedByteSize, "image/jpeg", now);
                auto insert = c.prepare(
                    "INSERT INTO pages(document_id, seq, sha256, frame, width, height, dpi, cleaned_sha256)"
                    " VALUES(?,?,?,?,?,?,?,?)");
                insert.bind(1, id).bind(2, std::int64_t{++seq}).bind(3, page.sha256);
                insert.bind(4, std::int64_t{page.frame}).bind(5, std::int64_t{page.width});
                insert.bind(6, std::int64_t{page.height}).bind(7, page.dpi);
                if (page.cleanedSha256) insert.bind(8, *page.cleanedSha256);
                else insert.bindNull(8);
                insert.run();
                // OCR reads the page in the background; a page read before filing (a batch page
                // linked by its fields) has its words indexed now.
                const Digest& image = page.cleanedSha256 ? *page.cleanedSha256 : page.sha256;
                enqueueReading(c, image, false, now);
                indexFiledPage(c, c.lastInsertRowId(), image);
            }
            for (std::int64_t batchPage : doc.batchPageIds) {
                // Only a page not filed yet: a second filing of it is refused and rolls back.
                auto mark = c.prepare(
                    "UPDATE batch_pages SET outcome='filed', message='', in_review=0, document_id=?"
                    " WHERE id=? AND document_id IS NULL AND outcome NOT IN ('filed', 'discarded')");
                mark.bind(1, id).bind(2, batchPage).run();
                if (c.changes() != 1) return std::unexpected(FilingRefusal::BatchPageTaken);
            }
            if (!doc.supersedes)
                settleFiledItem(c, {doc.customerId, processId, doc.processType, doc.applicationNo, doc.docType, id, now,
                                    actor.userId.value_or(0)});
            Poco::JSON::Object detail;
            detail.set("customer_id", doc.customerId);
            detail.set("process", doc.processType);
            detail.set("doc_type", doc.docType);
            detail.set("version", version);
            detail.set("archive_no", archiveNo);
            detail.set("pages", static_cast<int>(doc.pages.size()));
            if (doc.supersedes) detail.set("supersedes", *doc.supersedes);
            appendAudit(c, {actor, doc.supersedes ? "document.supersede" : "document.file",
                            "document", std::to_string(id), toJson(detail)});
            auto select = c.prepare(std::string(kDocumentSelect) + "WHERE d.id=? ORDER BY pg.seq");
            select.bind(1, id);
            return readDocuments(select).at(0);
        }, [](const Filed& filed) { return filed.has_value(); });
    }

    std::vector<Document> currentDocuments(std::int64_t customerId) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare(std::string(kDocumentSelect) +
                               "WHERE d.customer_id=? AND d.superseded_by IS NULL"
                               " ORDER BY d.archived_at DESC, d.id DESC, pg.seq");
            s.bind(1, customerId);
            return readDocuments(s);
        });
    }

    AnswerAhead<std::vector<Document>> currentDocumentsAhead(std::string accountNo) override {
        return askAhead(db_, [accountNo](Connection& c) {
            return askBySlices<std::string, std::vector<Document>>(
                c, {accountNo}, std::string(kDocumentSelect) + "WHERE d.customer_id=(SELECT id FROM customers WHERE account_no IN ",
                ") AND d.superseded_by IS NULL ORDER BY d.archived_at DESC, d.id DESC, pg.seq",
                [](Statement& s, std::vector<Document>& documents) { documents = readDocuments(s); });
        });
    }

    std::optional<Document> document(std::int64_t id) override {
        return db_.read([&](Connection& c) -> std::optional<Document> {
            auto s = c.prepare(std::string(kDocumentSelect) + "WHERE d.id=? ORDER BY pg.seq");
            s.bind(1, id);
            auto docs = readDocuments(s);
            if (docs.empty()) return std::nullopt;
            return docs.front();
        });
    }

    std::vector<Document> versions(std::int64_t lineageId) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare(std::string(kDocumentSelect) +
                               "WHERE d.lineage_id=? ORDER BY d.version, pg.seq");
            s.bind(1, lineageId);
            return readDocuments(s);
        });
    }

    std::optional<Page> page(std::int64_t id) override {
        return db_.read([&](Connection& c) -> std::optional<Page> {
            auto s = c.prepare(
                "SELECT id, document_id, seq, sha256, frame, width, height, dpi, cleaned_sha256 FROM pages WHERE id=?");
            s.bind(1, id);
            if (!s.step()) return std::nullopt;
            Page p;
            p.id = s.int64(0);
            p.documentId = s.int64(1);
            p.seq = static_cast<int>(s.int64(2));
            p.sha256 = s.digest(3);
            p.frame = static_cast<int>(s.int64(4));
            p.width = static_cast<int>(s.int64(5));
            p.height = static_cast<int>(s.int64(6));
            p.dpi = s.optionalInt64(7);
            if (!s.isNull(8)) p.cleanedSha256 = s.digest(8);
            return p;
        });
    }

    void forEachBlob(const std::function<void(const Digest&, std::uint64_t)>& visit) override {
        // In pages of 10,000 after the last seen, in one snapshot: PostgreSQL's client holds a
        // query's whole answer, and an archive has hundreds of millions of images.
        constexpr std::int64_t kPage = 10000;
        db_.read([&](Connection& c) {
            std::optional<Digest> last;
            for (;;) {
                auto s = last ? c.prepare("SELECT sha256, byte_size FROM blobs WHERE sha256 > ? ORDER BY sha256 LIMIT ?")
                              : c.prepare("SELECT sha256, byte_size FROM blobs ORDER BY sha256 LIMIT ?");
                if (last) s.bind(1, *last).bind(2, kPage);
                else s.bind(1, kPage);
                std::int64_t seen = 0;
                while (s.step()) {
                    last = s.digest(0);
                    visit(*last, static_cast<std::uint64_t>(s.int64(1)));
                    ++seen;
                }
                if (seen < kPage) return;
            }
        });
    }

    bool blobReferenced(const Digest& digest) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare("SELECT 1 FROM blobs WHERE sha256=?");
            s.bind(1, digest);
            return s.step();
        });
    }

private:
    static std::int64_t findOrOpenProcess(Connection& c, const NewDocument& doc, std::int64_t now) {
        {
            auto find = c.prepare(
                "SELECT id FROM processes WHERE customer_id=? AND type=? AND application_no=?"
                " ORDER BY id DESC LIMIT 1");
            find.bind(1, doc.customerId).bind(2, doc.processType).bind(3, doc.applicationNo);
            if (find.step()) return find.int64(0);
        }
        c.prepare("INSERT INTO processes(customer_id, type, application_no, started_at) VALUES(?,?,?,?)")
            .bind(1, doc.customerId).bind(2, doc.processType).bind(3, doc.applicationNo).bind(4, now).run();
        return c.lastInsertRowId();
    }

    Database& db_;
};

// ---- users and sessions ----

constexpr const char* kUserColumns =
    "u.id, u.username, u.display_name, u.password_hash, u.roles, u.disabled, u.created_at,"
    " u.updated_at, u.unit, u.team, u.email, u.failed_logins, u.locked_until, u.must_change_password, u.password_set_at";
constexpr int kUserColumnCount = 15;  // the columns above: what follows them in a query comes after

User readUser(const Statement& s) {
    User u;
    u.id = s.int64(0);
    u.username = s.text(1);
    u.displayName = s.text(2);
    u.passwordHash = s.text(3);
    u.roles = splitRoles(s.text(4));
    u.disabled = s.int64(5) != 0;
    u.createdAt = s.int64(6);
    u.updatedAt = s.int64(7);
    u.unit = s.text(8);
    u.team = s.text(9);
    u.email = s.text(10);
    u.failedLogins = static_cast<int>(s.int64(11));
    u.lockedUntil = s.optionalInt64(12);
    u.mustChangePassword = s.int64(13) != 0;
    u.passwordSetAt = s.int64(14);
    return u;
}

Poco::JSON::Array rolesJson(const std::vector<std::string>& roles) {
    Poco::JSON::Array a;
    for (const auto& r : roles) a.add(r);
    return a;
}

class SqlUserStore final : public UserStore {
public:
    explicit SqlUserStore(Database& db) : db_(db) {}

    std::optional<User> create(const User& user, const Actor& actor) override {
        return db_.write([&](Connection& c) -> std::optional<User> {
            {
                auto taken = c.prepare("SELECT 1 FROM users WHERE username=?");
                taken.bind(1, user.username);
                if (taken.step()) return std::nullopt;
            }
            std::int64_t now = db_.clock().nowMillis();
            c.prepare("INSERT INTO users(username, display_name, password_hash, roles, disabled,"
                      " created_at, updated_at, unit, team, email, must_change_password, password_set_at)"
                      " VALUES(?,?,?,?,?,?,?,?,?,?,?,?)")
                .bind(1, user.username).bind(2, user.displayName).bind(3, user.passwordHash)
                .bind(4, joinRoles(user.roles)).bind(5, std::int64_t{user.disabled}).bind(6, now)
                .bind(7, now).bind(8, user.unit).bind(9, user.team).bind(10, user.email)
                .bind(11, std::int64_t{user.mustChangePassword}).bind(12, now).run();
            User created = user;
            created.id = c.lastInsertRowId();
            created.createdAt = created.updatedAt = created.passwordSetAt = now;
            Poco::JSON::Object detail;
            detail.set("username", user.username);
            detail.set("roles", rolesJson(user.roles));
            detail.set("disabled", user.disabled);
            if (!user.team.empty()) detail.set("team", user.unit + "/" + user.team);
            appendAudit(c, {actor, "user.create", "user", std::to_string(created.id), toJson(detail)});
            return created;
        });
    }

    std::optional<User> change(std::int64_t id, const UserChange& change, const Actor& actor) override {
        return db_.write([&](Connection& c) -> std::optional<User> {
            auto current = load(c, id);
            if (!current) return std::nullopt;
            User next = *current;
            Poco::JSON::Object detail;
            if (change.displayName) {
                next.displayName = *change.displayName;
                detail.set("display_name", next.displayName);
            }
            if (change.passwordHash) {
                next.passwordHash = *change.passwordHash;
                detail.set("password", "changed");
            }
            if (change.roles) {
                next.roles = *change.roles;
                detail.set("roles", rolesJson(next.roles));
            }
            if (change.disabled) {
                next.disabled = *change.disabled;
                detail.set("disabled", next.disabled);
            }
            if (change.mustChangePassword) {
                next.mustChangePassword = *change.mustChangePassword;
                detail.set("must_change_password", next.mustChangePassword);
            }
            for (auto [value, field, name] : {std::tuple{&change.unit, &next.unit, "unit"}, {&change.team, &next.team, "team"},
                                              {&change.email, &next.email, "email"}})
                if (*value) {
                    *field = **value;
                    detail.set(name, *field);
                }
            if (change.unlock) {
                next.failedLogins = 0;
                next.lockedUntil.reset();
                detail.set("unlocked", true);
                c.prepare("UPDATE users SET failed_logins=0, locked_until=NULL WHERE id=?").bind(1, id).run();
            }
            next.updatedAt = db_.clock().nowMillis();
            if (change.passwordHash) next.passwordSetAt = next.updatedAt;
            c.prepare("UPDATE users SET display_name=?, password_hash=?, roles=?, disabled=?,"
                      " updated_at=?, unit=?, team=?, email=?, must_change_password=?, password_set_at=? WHERE id=?")
                .bind(1, next.displayName).bind(2, next.passwordHash).bind(3, joinRoles(next.roles))
                .bind(4, std::int64_t{next.disabled}).bind(5, next.updatedAt).bind(6, next.unit).bind(7, next.team)
                .bind(8, next.email).bind(9, std::int64_t{next.mustChangePassword}).bind(10, next.passwordSetAt).bind(11, id).run();
            // A disabled account, or one whose password was set anew, is signed out everywhere
            // (but for the session that changed its own password).
            if (next.disabled || (change.passwordHash && !change.keepSession))
                c.prepare("DELETE FROM sessions WHERE user_id=?").bind(1, id).run();
            else if (change.passwordHash)
                c.prepare("DELETE FROM sessions WHERE user_id=? AND token_hash<>?").bind(1, id).bind(2, *change.keepSession).run();
            appendAudit(c, {actor, "user.change", "user", std::to_string(id), toJson(detail)});
            return next;
        });
    }

    std::vector<User> list() override {
        return db_.read([&](Connection& c) {
            std::vector<User> users;
            auto s = c.prepare(std::string("SELECT ") + kUserColumns + " FROM users u ORDER BY u.id");
            while (s.step()) users.push_back(readUser(s));
            return users;
        });
    }

    std::optional<User> findByUsername(std::string_view username) override {
        return db_.read([&](Connection& c) -> std::optional<User> {
            auto s = c.prepare(std::string("SELECT ") + kUserColumns + " FROM users u WHERE u.username=?");
            s.bind(1, username);
            if (s.step()) return readUser(s);
            return std::nullopt;
        });
    }

    std::optional<User> findById(std::int64_t id) override {
        return db_.read([&](Connection& c) { return load(c, id); });
    }

    std::int64_t count() override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare("SELECT COUNT(*) FROM users");
            return s.step() ? s.int64(0) : 0;
        });
    }

    void openSession(const Digest& tokenHash, const User& user, std::int64_t expiresAt,
                     const AuditDraft& login) override {
        db_.write([&](Connection& c) {
            std::int64_t now = db_.clock().nowMillis();
            c.prepare("DELETE FROM sessions WHERE expires_at<=?").bind(1, now).run();
            c.prepare("INSERT INTO sessions(token_hash, user_id, created_at, expires_at, last_seen) VALUES(?,?,?,?,?)")
                .bind(1, tokenHash).bind(2, user.id).bind(3, now).bind(4, expiresAt).bind(5, now).run();
            c.prepare("UPDATE users SET failed_logins=0, locked_until=NULL WHERE id=? AND failed_logins>0").bind(1, user.id).run();
            appendAudit(c, login);
        });
    }

    std::optional<User> sessionUser(const Digest& tokenHash, std::int64_t now, std::int64_t idleSince) override {
        constexpr std::int64_t kNoteEveryMs = 60'000;
        std::int64_t lastSeen = 0;
        // One statement behind every request: read alone, with no transaction around it.
        auto user = db_.readAlone([&](Connection& c) -> std::optional<User> {
            auto s = c.prepare(std::string("SELECT ") + kUserColumns +
                               ", s.last_seen FROM sessions s JOIN users u ON u.id=s.user_id"
                               " WHERE s.token_hash=? AND s.expires_at>? AND u.disabled=0");
            s.bind(1, tokenHash).bind(2, now);
            if (!s.step()) return std::nullopt;
            lastSeen = s.int64(kUserColumnCount);
            return readUser(s);
        });
        if (!user) return std::nullopt;
        if (lastSeen <= idleSince) {
            db_.write([&](Connection& c) { c.prepare("DELETE FROM sessions WHERE token_hash=?").bind(1, tokenHash).run(); });
            return std::nullopt;
        }
        if (now - lastSeen >= kNoteEveryMs)
            db_.write([&](Connection& c) {
                c.prepare("UPDATE sessions SET last_seen=? WHERE token_hash=?").bind(1, now).bind(2, tokenHash).run();
            });
        return user;
    }

    int closeSessionsOf(std::int64_t userId, const AuditDraft& signOut) override {
        return db_.write([&](Connection& c) {
            c.prepare("DELETE FROM sessions WHERE user_id=?").bind(1, userId).run();
            int closed = c.changes();
            appendAudit(c, signOut);
            return closed;
        });
    }

    std::optional<User> recordFailedLogin(std::int64_t userId, int maxFailures, std::int64_t lockedUntil,
                                          const AuditDraft& failure) override {
        return db_.write([&](Connection& c) -> std::optional<User> {
            c.prepare("UPDATE users SET failed_logins = failed_logins + 1 WHERE id=?").bind(1, userId).run();
            appendAudit(c, failure);
            auto user = load(c, userId);
            if (user && user->failedLogins >= maxFailures && !(user->lockedUntil && *user->lockedUntil > db_.clock().nowMillis())) {
                c.prepare("UPDATE users SET locked_until=?, failed_logins=0 WHERE id=?").bind(1, lockedUntil).bind(2, userId).run();
                appendAudit(c, {failure.actor, "login.locked", "user", user->username,
                                textFieldsJson({{"failures", std::to_string(maxFailures)}})});
                user = load(c, userId);
            }
            return user;
        });
    }

    void closeSession(const Digest& tokenHash, const AuditDraft& logout) override {
        db_.write([&](Connection& c) {
            c.prepare("DELETE FROM sessions WHERE token_hash=?").bind(1, tokenHash).run();
            appendAudit(c, logout);
        });
    }

private:
    static std::optional<User> load(Connection& c, std::int64_t id) {
        auto s = c.prepare(std::string("SELECT ") + kUserColumns + " FROM users u WHERE u.id=?");
        s.bind(1, id);
        if (s.step()) return readUser(s);
        return std::nullopt;
    }

    Database& db_;
};

// ---- audit log ----

class SqlAuditLog final : public AuditLog {
public:
    explicit SqlAuditLog(Database& db) : db_(db) {}

    void append(const std::vector<AuditDraft>& drafts) override {
        if (drafts.empty()) return;
        db_.write([&](Connection& c) { appendAudits(c, drafts); });
    }

    std::vector<AuditEntry> list(const AuditQuery& q) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare(std::string(
                "SELECT id, at, user_id, username, action, object_type, object_id, detail,"
                " prev_hash, hash FROM audit_log"
                " WHERE (CAST(?1 AS TEXT) IS NULL OR object_type=?1) AND (CAST(?2 AS TEXT) IS NULL OR object_id=?2)"
                " AND (CAST(?3 AS TEXT) IS NULL OR username=?3) AND (CAST(?4 AS BIGINT) IS NULL OR id<?4) AND (CAST(?6 AS BIGINT) IS NULL OR id>?6)") +
                (q.afterId ? " ORDER BY id LIMIT ?5" : " ORDER BY id DESC LIMIT ?5"));
            if (q.objectType) s.bind(1, *q.objectType);
            if (q.objectId) s.bind(2, *q.objectId);
            if (q.username) s.bind(3, *q.username);
            s.bind(4, q.beforeId);
            s.bind(5, std::int64_t{q.limit});
            s.bind(6, q.afterId);
            std::vector<AuditEntry> out;
            while (s.step()) out.push_back(read(s));
            return out;
        });
    }

    ChainCheck verifyChain(const std::function<bool()>& keepGoing) override {
        constexpr int kChunk = 10000;
        ChainCheck check;
        Digest previous{};
        std::int64_t after = 0;
        for (bool more = true; more;) {
            if (keepGoing && !keepGoing()) {
                check.complete = false;
                break;
            }
            more = db_.read([&](Connection& c) {
                auto s = c.prepare(
                    "SELECT id, at, user_id, username, action, object_type, object_id, detail,"
                    " prev_hash, hash FROM audit_log WHERE id>? ORDER BY id LIMIT ?");
                s.bind(1, after).bind(2, kChunk);
                int read = 0;
                while (s.step()) {
                    AuditEntry e = this->read(s);
                    ++read;
                    ++check.entries;
                    if (!check.firstBrokenId && (e.prevHash != previous || chainHash(e) != e.hash))
                        check.firstBrokenId = e.id;
                    previous = e.hash;
                    after = e.id;
                }
                return read == kChunk;
            });
        }
        return check;
    }

private:
    static AuditEntry read(const Statement& s) {
        AuditEntry e;
        e.id = s.int64(0);
        e.at = s.int64(1);
        e.userId = s.optionalInt64(2);
        e.username = s.text(3);
        e.action = s.text(4);
        e.objectType = s.text(5);
        e.objectId = s.text(6);
        e.detail = s.text(7);
        e.prevHash = s.digest(8);
        e.hash = s.digest(9);
        return e;
    }

    Database& db_;
};

// ---- scan batches ----

// A page's clean-up as its row keeps it: {"blank", "ink", "rotation", "skew", "flags",
// "barcodes": [{"symbology", "text", "own", "x", "y"}]}.
std::string cleanupText(const PageCleanup& p) {
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("blank", p.blank);
    o.set("ink", p.ink);
    o.set("rotation", p.rotation);
    o.set("skew", p.skew);
    Poco::JSON::Array flags;
    for (const auto& f : p.flags) flags.add(f);
    o.set("flags", flags);
    Poco::JSON::Array codes;
    for (const auto& b : p.barcodes) {
        Poco::JSON::Object c(Poco::JSON_PRESERVE_KEY_ORDER);
        c.set("symbology", b.symbology);
        c.set("text", b.text);
        c.set("own", b.own);
        c.set("x", b.x);
        c.set("y", b.y);
        codes.add(c);
    }
    o.set("barcodes", codes);
    return toJson(o);
}

PageCleanup cleanupOf(const std::string& text) {
    PageCleanup p;
    Poco::JSON::Parser parser;
    auto o = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
    p.blank = o->optValue("blank", false);
    p.ink = o->optValue("ink", 0.0);
    p.rotation = o->optValue("rotation", 0);
    p.skew = o->optValue("skew", 0.0);
    if (auto flags = o->getArray("flags"))
        for (const auto& f : *flags) p.flags.push_back(f.convert<std::string>());
    if (auto codes = o->getArray("barcodes"))
        for (std::size_t i = 0; i < codes->size(); ++i) {
            auto c = codes->getObject(static_cast<unsigned>(i));
            p.barcodes.push_back({c->optValue<std::string>("symbology", ""), c->optValue<std::string>("text", ""),
                                  c->optValue("own", false), c->optValue("x", 0), c->optValue("y", 0)});
        }
    return p;
}

constexpr const char* kBatchPageSelect =
    "SELECT bp.id, bp.batch_id, bp.seq, bp.file_id, bp.frame, bp.outcome, bp.message, bp.detail,"
    " bp.cleaned_sha256, bp.width, bp.height, bp.dpi, bp.document_id, bp.in_review, bf.sha256, bf.filename"
    " FROM batch_pages bp JOIN batch_files bf ON bf.id=bp.file_id ";

BatchPage readBatchPage(const Statement& s) {
    BatchPage p;
    p.id = s.int64(0);
    p.batchId = s.int64(1);
    p.seq = static_cast<int>(s.int64(2));
    p.fileId = s.int64(3);
    p.frame = static_cast<int>(s.int64(4));
    p.outcome = s.text(5);
    p.message = s.text(6);
    p.cleanup = cleanupOf(s.text(7));
    if (!s.isNull(8)) p.cleanedSha256 = s.digest(8);
    p.width = static_cast<int>(s.int64(9));
    p.height = static_cast<int>(s.int64(10));
    p.dpi = s.optionalInt64(11);
    p.documentId = s.optionalInt64(12);
    p.inReview = s.int64(13) != 0;
    p.fileSha256 = s.digest(14);
    p.filename = s.text(15);
    return p;
}

constexpr const char* kBatchSelect =
    "SELECT b.id, b.state, b.source, b.source_name, b.created_at, b.created_by, COALESCE(u.username, ''),"
    " b.finished_at, b.pages_total, b.pages_done, b.error, b.process_id"
    " FROM batches b LEFT JOIN users u ON u.id=b.created_by ";

// A batch row of kBatchSelect, with its files and how many pages went where.
Batch readBatch(Connection& c, Statement& s) {
    Batch b{s.int64(0), s.text(1), s.text(2), s.text(3), s.int64(4), s.int64(5), s.text(6), s.text(11),
            s.optionalInt64(7), static_cast<int>(s.int64(8)), static_cast<int>(s.int64(9)), s.text(10), {}, {}, {}};
    auto files = c.prepare("SELECT id, seq, filename, sha256, outcome, message FROM batch_files WHERE batch_id=? ORDER BY seq");
    files.bind(1, b.id);
    while (files.step())
        b.files.push_back({files.int64(0), static_cast<int>(files.int64(1)), files.text(2), files.digest(3),
                           files.text(4), files.text(5)});
    auto outcomes = c.prepare("SELECT outcome, COUNT(*) FROM batch_pages WHERE batch_id=? GROUP BY outcome");
    outcomes.bind(1, b.id);
    while (outcomes.step()) b.pageOutcomes[outcomes.text(0)] = static_cast<int>(outcomes.int64(1));
    return b;
}

class SqlBatchStore final : public BatchStore {
public:
    explicit SqlBatchStore(Database& db) : db_(db) {}

    std::int64_t registerCoverSheet(std::int64_t customerId, const std::string& processType,
                                    const std::string& applicationNo, const Actor& actor) override {
        return db_.write([&](Connection& c) {
            c.prepare("INSERT INTO scan_sheets(customer_id, process_type, application_no, printed_at, printed_by)"
                      " VALUES(?,?,?,?,?)")
                .bind(1, customerId).bind(2, processType).bind(3, applicationNo).bind(4, db_.clock().nowMillis())
                .bind(5, actor.userId.value_or(0)).run();
            std::int64_t id = c.lastInsertRowId();
            Poco::JSON::Object detail;
            detail.set("customer_id", customerId);
            detail.set("process", processType);
            detail.set("application_no", applicationNo);
            appendAudit(c, {actor, "cover_sheet.print", "cover_sheet", std::to_string(id), toJson(detail)});
            return id;
        });
    }

    std::optional<CoverSheetRecord> coverSheet(std::int64_t id) override {
        return db_.read([&](Connection& c) -> std::optional<CoverSheetRecord> {
            auto s = c.prepare("SELECT id, customer_id, process_type, application_no, printed_at FROM scan_sheets WHERE id=?");
            s.bind(1, id);
            if (!s.step()) return std::nullopt;
            return CoverSheetRecord{s.int64(0), s.int64(1), s.text(2), s.text(3), s.int64(4)};
        });
    }

    std::int64_t create(const std::string& source, const std::string& sourceName, const std::string& processId,
                        const std::vector<NewBatchFile>& files, const Actor& actor, const WorkClaim& claim) override {
        return db_.write([&](Connection& c) {
            std::int64_t now = db_.clock().nowMillis();
            c.prepare("INSERT INTO batches(state, source, source_name, created_at, created_by, process_id, node, lease_until)"
                      " VALUES('queued',?,?,?,?,?,?,?)")
                .bind(1, source).bind(2, sourceName).bind(3, now).bind(4, actor.userId.value_or(0)).bind(5, processId)
                .bind(6, claim.node).bind(7, now + claim.lease.count()).run();
            std::int64_t id = c.lastInsertRowId();
            int seq = 0;
            for (const auto& f : files) {
                catalogueBlob(c, f.sha256, f.byteSize, f.mediaType, now);
                c.prepare("INSERT INTO batch_files(batch_id, seq, filename, sha256) VALUES(?,?,?,?)")
                    .bind(1, id).bind(2, std::int64_t{++seq}).bind(3, f.filename).bind(4, f.sha256).run();
            }
            Poco::JSON::Object detail;
            detail.set("source", source);
            detail.set("source_name", sourceName);
            if (!processId.empty()) detail.set("process_id", processId);
            detail.set("files", static_cast<int>(files.size()));
            appendAudit(c, {actor, "batch.create", "batch", std::to_string(id), toJson(detail)});
            return id;
        });
    }

    void start(std::int64_t batchId, int pagesTotal) override {
        db_.write([&](Connection& c) {
            c.prepare("UPDATE batches SET state='running', pages_total=? WHERE id=?")
                .bind(1, std::int64_t{pagesTotal}).bind(2, batchId).run();
        });
    }

    void settleFile(std::int64_t fileId, const std::string& outcome, const std::string& message) override {
        db_.write([&](Connection& c) {
            c.prepare("UPDATE batch_files SET outcome=?, message=? WHERE id=?").bind(1, outcome).bind(2, message).bind(3, fileId).run();
        });
    }

    void recordPage(const NewBatchPage& p) override {
        db_.write([&](Connection& c) {
            if (p.cleanedSha256) catalogueBlob(c, *p.cleanedSha256, p.cleanedByteSize, "image/jpeg", db_.clock().nowMillis());
            auto insert = c.prepare(
                "INSERT INTO batch_pages(batch_id, seq, file_id, frame, outcome, message, detail, cleaned_sha256,"
                " width, height, dpi, in_review) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT(batch_id, seq) DO NOTHING");
            insert.bind(1, p.batchId).bind(2, std::int64_t{p.seq}).bind(3, p.fileId).bind(4, std::int64_t{p.frame});
            insert.bind(5, p.outcome).bind(6, p.message).bind(7, cleanupText(p.cleanup));
            if (p.cleanedSha256) insert.bind(8, *p.cleanedSha256);
            else insert.bindNull(8);
            insert.bind(9, std::int64_t{p.width}).bind(10, std::int64_t{p.height}).bind(11, p.dpi);
            insert.bind(12, std::int64_t{p.outcome == "failed" ? 1 : 0});
            insert.run();
            if (c.changes() == 1)
                c.prepare("UPDATE batches SET pages_done=pages_done+1 WHERE id=?").bind(1, p.batchId).run();
        });
    }

    void settlePages(const std::vector<std::int64_t>& pageIds, const std::string& outcome, const std::string& message,
                     bool review) override {
        db_.write([&](Connection& c) {
            for (auto id : pageIds)
                c.prepare("UPDATE batch_pages SET outcome=?, message=?, in_review=? WHERE id=? AND document_id IS NULL")
                    .bind(1, outcome).bind(2, message).bind(3, std::int64_t{review ? 1 : 0}).bind(4, id).run();
        });
    }

    void finish(std::int64_t batchId, const std::string& state, const std::string& error) override {
        db_.write([&](Connection& c) {
            c.prepare("UPDATE batches SET state=?, error=?, finished_at=? WHERE id=?")
                .bind(1, state).bind(2, error).bind(3, db_.clock().nowMillis()).bind(4, batchId).run();
            Poco::JSON::Object detail;
            detail.set("state", state);
            if (!error.empty()) detail.set("error", error);
            appendAudit(c, {{std::nullopt, "system"}, "batch.finish", "batch", std::to_string(batchId), toJson(detail)});
        });
    }

    std::optional<Batch> batch(std::int64_t id, bool withPages) override {
        return db_.read([&](Connection& c) -> std::optional<Batch> {
            auto s = c.prepare(std::string(kBatchSelect) + "WHERE b.id=?");
            s.bind(1, id);
            if (!s.step()) return std::nullopt;
            Batch b = readBatch(c, s);
            if (withPages) {
                auto pages = c.prepare(std::string(kBatchPageSelect) + "WHERE bp.batch_id=? ORDER BY bp.seq");
                pages.bind(1, id);
                while (pages.step()) b.pages.push_back(readBatchPage(pages));
            }
            return b;
        });
    }

    std::vector<Batch> recent(const std::string& source, int limit) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare(std::string(kBatchSelect) + "WHERE ?='' OR b.source=? ORDER BY b.id DESC LIMIT ?");
            s.bind(1, source).bind(2, source).bind(3, std::int64_t{limit});
            std::vector<Batch> list;
            while (s.step()) list.push_back(readBatch(c, s));
            return list;
        });
    }

    std::vector<std::int64_t> unfinished(const std::string& node) override {
        return db_.read([&](Connection& c) {
            std::vector<std::int64_t> ids;
            auto s = c.prepare("SELECT id FROM batches WHERE state IN ('queued', 'running') AND node = ? ORDER BY id");
            s.bind(1, node);
            while (s.step()) ids.push_back(s.int64(0));
            return ids;
        });
    }

    std::optional<BatchPage> page(std::int64_t id) override {
        return db_.read([&](Connection& c) -> std::optional<BatchPage> {
            auto s = c.prepare(std::string(kBatchPageSelect) + "WHERE bp.id=?");
            s.bind(1, id);
            if (!s.step()) return std::nullopt;
            return readBatchPage(s);
        });
    }

    std::vector<BatchPage> reviewQueue(int limit) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare(std::string(kBatchPageSelect) + "WHERE bp.in_review=1 ORDER BY bp.batch_id, bp.seq LIMIT ?");
            s.bind(1, std::int64_t{limit});
            std::vector<BatchPage> pages;
            while (s.step()) pages.push_back(readBatchPage(s));
            return pages;
        });
    }

    bool discard(std::int64_t pageId, const std::string& reason, const Actor& actor) override {
        return db_.write([&](Connection& c) {
            c.prepare("UPDATE batch_pages SET outcome='discarded', message=?, in_review=0 WHERE id=? AND in_review=1")
                .bind(1, reason).bind(2, pageId).run();
            if (c.changes() != 1) return false;
            Poco::JSON::Object detail;
            detail.set("reason", reason);
            appendAudit(c, {actor, "review.discard", "batch_page", std::to_string(pageId), toJson(detail)});
            return true;
        });
    }

    std::optional<std::int64_t> batchWithFile(const Digest& sha256) override {
        return db_.read([&](Connection& c) -> std::optional<std::int64_t> {
            auto s = c.prepare("SELECT MAX(batch_id) FROM batch_files WHERE sha256=?");
            s.bind(1, sha256);
            if (!s.step()) return std::nullopt;
            return s.optionalInt64(0);
        });
    }

private:
    Database& db_;
};

}  // namespace

Stores makeSqlStores(Database& database) {
    return Stores{std::make_unique<SqlCustomerStore>(database),
                  std::make_unique<SqlDocumentStore>(database),
                  std::make_unique<SqlUserStore>(database),
                  std::make_unique<SqlAuditLog>(database),
                  std::make_unique<SqlBatchStore>(database),
                  makeSqlPaperStore(database),
                  makeSqlLoanStore(database),
                  makeSqlStocktakeStore(database),
                  makeSqlCompletenessStore(database),
                  makeSqlOfficeStore(database),
                  makeSqlReadingStore(database),
                  makeSqlNotificationStore(database),
                  makeSqlWorkLeaseStore(database),
                  database.sharedClock(),
                  &database};
}

}  // namespace dangan::storage
