#include "dangan/http/json_views.h"

#include <Poco/JSON/Parser.h>

#include <map>

#include <ctime>

#include "dangan/desks/process_catalog.h"
#include "dangan/http/plain_words.h"

namespace dangan::server::json {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string isoTime(std::int64_t millis) {
    std::time_t seconds = static_cast<std::time_t>(millis / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>(millis % 1000));
    return buffer;
}

std::string maskedIdNumber(const std::string& idNumber) {
    if (idNumber.size() < 10) return idNumber.empty() ? "" : std::string(idNumber.size(), '*');
    return idNumber.substr(0, 6) + std::string(idNumber.size() - 10, '*') + idNumber.substr(idNumber.size() - 4);
}

Object::Ptr customer(const storage::Customer& c, bool maskIdNumber) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("account_no", c.fields.accountNo);
    o->set("name", c.fields.name);
    o->set("address", c.fields.address);
    o->set("phone", c.fields.phone);
    o->set("id_number", maskIdNumber ? maskedIdNumber(c.fields.idNumber) : c.fields.idNumber);
    o->set("voltage", c.fields.voltage);
    o->set("unit", c.fields.unit);
    o->set("created_at", isoTime(c.createdAt));
    o->set("updated_at", isoTime(c.updatedAt));
    return o;
}

Object::Ptr page(const storage::Page& p) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", p.id);
    o->set("seq", p.seq);
    o->set("sha256", storage::toHex(p.sha256));
    o->set("frame", p.frame);
    o->set("width", p.width);
    o->set("height", p.height);
    if (p.dpi) o->set("dpi", *p.dpi);
    else o->set("dpi", Poco::Dynamic::Var());
    return o;
}

Object::Ptr document(const storage::Document& d) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", d.id);
    o->set("archive_no", d.archiveNo);
    o->set("doc_type", d.docType);
    o->set("process", d.processType);
    o->set("category", std::string(categoryName(categoryOf(d.processType).value_or(Category::Other))));
    o->set("application_no", d.applicationNo);
    o->set("version", d.version);
    o->set("lineage_id", d.lineageId);
    if (d.supersededBy) o->set("superseded_by", *d.supersededBy);
    o->set("note", d.note);
    o->set("archived_at", isoTime(d.archivedAt));
    o->set("archived_by", d.archivedByName);
    Array::Ptr pages = new Array;
    for (const auto& p : d.pages) pages->add(page(p));
    o->set("pages", pages);
    return o;
}

Object::Ptr customerFile(const CustomerFile& file) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("customer", customer(file.customer, false));
    Array::Ptr categories = new Array;
    for (const auto& category : file.categories) {
        Object::Ptr c = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        c->set("name", std::string(categoryName(category.category)));
        Array::Ptr docs = new Array;
        for (const auto& d : category.documents) docs->add(document(d));
        c->set("documents", docs);
        categories->add(c);
    }
    o->set("categories", categories);
    return o;
}

Object::Ptr user(const storage::User& u) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", u.id);
    o->set("username", u.username);
    o->set("display_name", u.displayName);
    Array::Ptr roles = new Array;
    for (const auto& r : u.roles) roles->add(r);
    o->set("roles", roles);
    o->set("disabled", u.disabled);
    o->set("unit", u.unit);
    o->set("team", u.team);
    o->set("email", u.email);
    o->set("locked_until", u.lockedUntil ? Poco::Dynamic::Var(isoTime(*u.lockedUntil)) : Poco::Dynamic::Var());
    o->set("must_change_password", u.mustChangePassword);
    o->set("created_at", isoTime(u.createdAt));
    o->set("updated_at", isoTime(u.updatedAt));
    return o;
}

Object::Ptr auditEntry(const storage::AuditEntry& e) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", e.id);
    o->set("at", isoTime(e.at));
    o->set("username", e.username);
    o->set("action", e.action);
    o->set("object_type", e.objectType);
    o->set("object_id", e.objectId);
    o->set("detail", e.detail);
    o->set("hash", storage::toHex(e.hash));
    return o;
}

Object::Ptr problem(const Problem& p) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("error", p.message);
    if (!p.rows.empty()) {
        Array::Ptr rows = new Array;
        for (const auto& r : p.rows) {
            Object::Ptr row = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
            row->set("line", r.line);
            row->set("field", r.field);
            row->set("error", r.message);
            rows->add(row);
        }
        o->set("rows", rows);
    }
    return o;
}

Object::Ptr batchPage(const storage::BatchPage& p) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", p.id);
    o->set("batch_id", p.batchId);
    o->set("seq", p.seq);
    o->set("file", p.filename);
    o->set("frame", p.frame);
    o->set("outcome", p.outcome);
    o->set("message", p.message);
    if (!p.message.empty()) o->set("message_zh", plainChinese(p.message, 0));
    o->set("document_id", p.documentId ? Poco::Dynamic::Var(*p.documentId) : Poco::Dynamic::Var());
    o->set("in_review", p.inReview);
    if (p.outcome != "failed") {
        const auto& c = p.cleanup;
        o->set("blank", c.blank);
        o->set("rotation", c.rotation);
        o->set("skew", c.skew);
        Array flags;
        for (const auto& f : c.flags) flags.add(f);
        o->set("flags", flags);
        Array codes;
        for (const auto& b : c.barcodes) {
            Object code(Poco::JSON_PRESERVE_KEY_ORDER);
            code.set("symbology", b.symbology);
            code.set("text", b.text);
            code.set("own", b.own);
            code.set("x", b.x);
            code.set("y", b.y);
            codes.add(code);
        }
        o->set("barcodes", codes);
    }
    o->set("width", p.width);
    o->set("height", p.height);
    o->set("dpi", p.dpi ? Poco::Dynamic::Var(*p.dpi) : Poco::Dynamic::Var());
    o->set("preview", "/api/review/" + std::to_string(p.id) + "/preview");
    return o;
}

Object::Ptr batch(const storage::Batch& b, bool withPages) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", b.id);
    o->set("state", b.state);
    o->set("source", b.source);
    o->set("name", b.sourceName);
    o->set("process_id", b.processId);
    o->set("created_at", isoTime(b.createdAt));
    o->set("created_by", b.createdByName);
    o->set("finished_at", b.finishedAt ? Poco::Dynamic::Var(isoTime(*b.finishedAt)) : Poco::Dynamic::Var());
    o->set("pages_total", b.pagesTotal);
    o->set("pages_done", b.pagesDone);
    o->set("error", b.error);
    if (!b.error.empty()) o->set("error_zh", plainChinese(b.error, 0));
    Array::Ptr files = new Array;
    for (const auto& f : b.files) {
        Object::Ptr file = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        file->set("seq", f.seq);
        file->set("filename", f.filename);
        file->set("outcome", f.outcome);
        file->set("message", f.message);
        if (!f.message.empty()) file->set("message_zh", plainChinese(f.message, 0));
        files->add(file);
    }
    o->set("files", files);
    Object::Ptr summary = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [outcome, count] : b.pageOutcomes) summary->set(outcome, count);
    o->set("summary", summary);
    if (withPages) {
        Array::Ptr pages = new Array;
        for (const auto& p : b.pages) pages->add(batchPage(p));
        o->set("pages", pages);
    }
    return o;
}

Object::Ptr itemOut(const storage::ItemOut& out) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("loan_id", out.loanId);
    o->set("borrower", out.borrower);
    o->set("lent_at", isoTime(out.lentAt));
    o->set("due_on", out.dueOn);
    return o;
}

Object::Ptr quality(const storage::QualityState& q) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("document_id", q.documentId);
    o->set("lineage_id", q.lineageId);
    o->set("account_no", q.accountNo);
    o->set("doc_type", q.docType);
    o->set("unit", q.unit);
    o->set("gate", q.gate);
    o->set("filer", q.filer);
    o->set("rejections", q.rejections);
    o->set("last_reason", q.lastReason);
    o->set("archived_at", isoTime(q.archivedAt));
    return o;
}

}  // namespace dangan::server::json
