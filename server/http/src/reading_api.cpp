// OCR's endpoints: what was read on a page, people's corrections, the reading desk's queue; and
// the reading shown with filed pages, review pages and search results.
#include "reading_api.h"

#include <Poco/String.h>

#include "dangan/http/reading_json.h"

namespace dangan::server {
namespace {

// A snippet of the page text around the first query term, for search results.
std::string snippetOf(const std::string& text, const std::string& query) {
    std::string term = query.substr(0, query.find(' '));
    auto at = text.find(term);
    if (at == std::string::npos) at = 0;
    std::size_t from = at > 45 ? at - 45 : 0;
    while (from > 0 && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80) --from;  // a whole character
    std::size_t to = std::min(text.size(), at + term.size() + 60);
    while (to < text.size() && (static_cast<unsigned char>(text[to]) & 0xC0) == 0x80) ++to;
    std::string out = text.substr(from, to - from);
    for (auto& c : out)
        if (c == '\n') c = ' ';
    return (from > 0 ? "…" : "") + out + (to < text.size() ? "…" : "");
}

Object::Ptr pageReadingJson(const PageFacts& facts) {
    Object::Ptr o = facts.reading ? readingJson(*facts.reading) : Object::Ptr(new Object);
    if (!facts.reading) o->set("state", "not_read");
    o->set("page_id", facts.pageId);
    o->set("fields", fieldsJson(facts.fields));
    Array correctionList;
    for (const auto& c : facts.corrections) {
        Object item(Poco::JSON_PRESERVE_KEY_ORDER);
        item.set("field", c.field);
        item.set("value", c.value);
        item.set("original", c.original);
        item.set("corrected_at", json::isoTime(c.correctedAt));
        item.set("corrected_by", c.correctedBy);
        correctionList.add(item);
    }
    o->set("corrections", correctionList);
    return o;
}

Reply pageReading(Call& call) {
    auto id = idParam(call, "id");
    if (!id) return problemReply(ProblemCode::BadRequest, "page id must be a positive number");
    auto facts = call.desks.reading.facts(*id);
    if (!facts) return problemReply(facts.error());
    recordView(call, "page.reading.view", "page", std::to_string(*id));
    return jsonReply(200, pageReadingJson(*facts));
}

// PUT /api/pages/{id}/fields {"account_no": "...", ...}: each value a person's correction.
Reply correctFields(Call& call) {
    auto id = idParam(call, "id");
    if (!id) return problemReply(ProblemCode::BadRequest, "page id must be a positive number");
    auto body = call.jsonObject();
    if (!body) return problemReply(body.error());
    std::vector<std::pair<std::string, std::string>> changes;
    for (const auto& [name, value] : **body) {
        if (!value.isString()) return problemReply(ProblemCode::BadRequest, name + " must be a string");
        changes.emplace_back(name, Poco::trim(value.convert<std::string>()));
    }
    auto facts = call.desks.reading.correct(*id, changes, call.actor());
    if (!facts) return problemReply(facts.error());
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("page_id", *id);
    o->set("fields", fieldsJson(facts->fields));
    return jsonReply(200, o);
}

Reply readingQueue(Call& call) {
    auto counts = call.desks.reading.counts();
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("enabled", call.desks.reading.enabled());
    o->set("queued", counts.queued);
    o->set("done", counts.done);
    o->set("failed", counts.failed);
    o->set("text_to_read", counts.textToRead);
    return jsonReply(200, o);
}

}  // namespace

Object::Ptr fieldsJson(const std::vector<ShownField>& fields) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& f : fields) {
        Object::Ptr field = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        field->set("value", f.value);
        if (f.read) field->set("read", *f.read);
        field->set("confidence", f.confidence);
        field->set("basis", std::string(basisName(f.basis)));
        if (f.readConfidence) field->set("read_confidence", *f.readConfidence);
        if (f.recorded) field->set("recorded", *f.recorded);
        if (!f.correctedBy.empty()) field->set("corrected_by", f.correctedBy);
        o->set(f.name, field);
    }
    return o;
}

void addReadings(const DocumentShown& shown, Object& documentJson) {
    auto pages = documentJson.getArray("pages");
    if (!pages) return;
    for (std::size_t i = 0; i < shown.pages.size() && i < pages->size(); ++i) {
        const auto& facts = shown.pages[i];
        auto o = pages->getObject(static_cast<unsigned>(i));
        const auto& reading = facts.reading;
        o->set("reading_state", reading ? reading->state : "not_read");
        o->set("doc_type_read", reading && !reading->docType.empty() ? Poco::Dynamic::Var(reading->docType) : Poco::Dynamic::Var());
        // Degrees clockwise that show the page upright (180 when it was scanned upside down and
        // only its reading found out).
        o->set("upright_rotation", reading ? reading->quarterTurns * 90 : 0);
        o->set("confidence", facts.confidence ? Poco::Dynamic::Var(*facts.confidence) : Poco::Dynamic::Var());
        o->set("fields", fieldsJson(facts.fields));
    }
}

Array::Ptr pageHitsJson(const std::vector<storage::PageTextHit>& hits, const std::string& query) {
    Array::Ptr list = new Array;
    for (const auto& hit : hits) {
        Object o(Poco::JSON_PRESERVE_KEY_ORDER);
        o.set("page_id", hit.pageId);
        o.set("document_id", hit.documentId);
        o.set("seq", hit.seq);
        o.set("doc_type", hit.docType);
        o.set("account_no", hit.accountNo);
        o.set("name", hit.customerName);
        o.set("snippet", snippetOf(hit.text, Poco::trim(query)));
        list->add(o);
    }
    return list;
}

void addSuggestion(const ReviewSuggestion& suggestion, Object& pageJson) {
    if (suggestion.reading) {
        auto r = readingJson(*suggestion.reading);
        r->remove("text");
        pageJson.set("reading", r);
    } else {
        pageJson.set("reading", Poco::Dynamic::Var());
    }
    Array candidates;
    for (const auto& c : suggestion.link.candidates) {
        Object o(Poco::JSON_PRESERVE_KEY_ORDER);
        o.set("account_no", c.customer.fields.accountNo);
        o.set("name", c.customer.fields.name);
        o.set("address", c.customer.fields.address);
        o.set("score", c.score);
        Array agreeing, differing;
        for (const auto& a : c.agreeing) agreeing.add(a);
        for (const auto& d : c.differing) differing.add(d);
        o.set("agreeing", agreeing);
        o.set("differing", differing);
        candidates.add(o);
    }
    pageJson.set("candidates", candidates);
}

std::vector<RouteSpec> readingRoutes() {
    return {
        {"GET", "/api/pages/{id}/reading", Permission::ReadArchive, true, pageReading},
        {"PUT", "/api/pages/{id}/fields", Permission::CurateArchive, true, correctFields},
        {"GET", "/api/ocr", Permission::FileDocuments, true, readingQueue},
    };
}

}  // namespace dangan::server
