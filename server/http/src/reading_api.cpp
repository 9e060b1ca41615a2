// OCR's endpoints: what was read on a page, people's corrections, the reading desk's queue; and
// the reading shown with filed pages, review pages and search results.
#include "reading_api.h"

#include <cmath>

#include "dangan/ocr/page_reader.h"
#include "dangan/desks/page_linker.h"

namespace dangan::server {
namespace {

storage::Digest imageOf(const storage::Page& page) { return page.cleanedSha256 ? *page.cleanedSha256 : page.sha256; }

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

Reply pageReading(Call& call) {
    auto id = idParam(call, "id");
    if (!id) return problemReply(ProblemCode::BadRequest, "page id must be a positive number");
    auto page = call.archive.stores().documents->page(*id);
    if (!page) return problemReply(ProblemCode::NotFound, "no page " + std::to_string(*id));
    recordView(call, "page.reading.view", "page", std::to_string(*id));
    auto reading = call.archive.stores().readings->reading(imageOf(*page));
    Object::Ptr o = reading ? readingJson(*reading) : Object::Ptr(new Object);
    if (!reading) o->set("state", "not_read");
    o->set("page_id", *id);
    auto corrections = call.archive.stores().readings->corrections(*id);
    auto document = call.archive.stores().documents->document(page->documentId);
    auto customer = document ? call.archive.stores().customers->findById(document->customerId) : std::nullopt;
    o->set("fields", fieldsJson(reading, corrections, customer ? &*customer : nullptr));
    Array correctionList;
    for (const auto& c : corrections) {
        Object item(Poco::JSON_PRESERVE_KEY_ORDER);
        item.set("field", c.field);
        item.set("value", c.value);
        item.set("original", c.original);
        item.set("corrected_at", json::isoTime(c.correctedAt));
        item.set("corrected_by", c.correctedBy);
        correctionList.add(item);
    }
    o->set("corrections", correctionList);
    return jsonReply(200, o);
}

// PUT /api/pages/{id}/fields {"account_no": "...", ...}: each value a person's correction.
Reply correctFields(Call& call) {
    auto id = idParam(call, "id");
    if (!id) return problemReply(ProblemCode::BadRequest, "page id must be a positive number");
    auto body = call.jsonObject();
    if (!body) return problemReply(body.error());
    auto page = call.archive.stores().documents->page(*id);
    if (!page) return problemReply(ProblemCode::NotFound, "no page " + std::to_string(*id));
    if ((*body)->size() == 0) return problemReply(ProblemCode::BadRequest, "name at least one field to correct");
    std::vector<std::pair<std::string, std::string>> changes;
    for (const auto& [name, value] : **body) {
        if (!value.isString()) return problemReply(ProblemCode::BadRequest, name + " must be a string");
        std::string v = Poco::trim(value.convert<std::string>());
        if (auto problem = ocr::fieldValueProblem(name, v)) return problemReply(ProblemCode::BadRequest, *problem);
        changes.emplace_back(name, v);
    }
    auto current = pageFieldsJson(call.archive.stores(), *page);
    for (const auto& [name, value] : changes) {
        std::string original;
        if (auto f = current->getObject(name)) original = f->getValue<std::string>("value");
        call.archive.stores().readings->correct(*id, name, value, original, call.actor());
    }
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("page_id", *id);
    o->set("fields", pageFieldsJson(call.archive.stores(), *page));
    return jsonReply(200, o);
}

Reply readingQueue(Call& call) {
    auto counts = call.archive.stores().readings->counts();
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("enabled", call.archive.readingDesk().enabled());
    o->set("queued", counts.queued);
    o->set("done", counts.done);
    o->set("failed", counts.failed);
    o->set("text_to_read", counts.textToRead);
    return jsonReply(200, o);
}

}  // namespace

Object::Ptr pageFieldsJson(storage::Stores& stores, const storage::Page& page) {
    return fieldsJson(stores.readings->reading(imageOf(page)), stores.readings->corrections(page.id));
}

Object::Ptr fieldsJson(const std::optional<storage::StoredReading>& reading,
                       const std::vector<storage::FieldCorrection>& corrections, const storage::Customer* customer) {
    Object::Ptr fields = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    std::map<std::string, Object::Ptr> byName;
    ReadFields read;
    if (reading)
        for (const auto& f : reading->fields) read[f.name] = f.value;
    if (reading)
        for (const auto& f : reading->fields) {
            auto standing = standingOf(f.name, f.value, f.confidence / 100.0, customer);
            Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
            // A name or address a character off the record, on a page whose account or ID number
            // agrees with it, shows the record's value; what was read stays beside it.
            auto fromRecord = customer ? recordedValueFor(f.name, f.value, read, *customer) : std::nullopt;
            o->set("value", fromRecord ? *fromRecord : f.value);
            if (fromRecord) {
                o->set("read", f.value);
                standing.recorded.reset();
            }
            o->set("confidence", std::round(standing.confidence * 100) / 100);
            o->set("basis", standing.basis == FieldStanding::Basis::Record           ? "record"
                            : standing.basis == FieldStanding::Basis::CheckCharacter ? "check_character"
                                                                                     : "reads");
            o->set("read_confidence", f.confidence / 100.0);
            if (standing.recorded) o->set("recorded", *standing.recorded);
            byName[f.name] = o;
        }
    for (const auto& c : corrections) {
        Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("value", c.value);
        o->set("confidence", 1.0);
        o->set("basis", "person");
        o->set("corrected_by", c.correctedBy);
        byName[c.field] = o;
    }
    for (auto name : ocr::kFieldNames) {
        auto it = byName.find(std::string(name));
        if (it != byName.end()) fields->set(std::string(name), it->second);
    }
    return fields;
}

void addReadings(storage::Stores& stores, const storage::Document& document, Object& documentJson) {
    auto pages = documentJson.getArray("pages");
    if (!pages) return;
    auto customer = stores.customers->findById(document.customerId);
    for (std::size_t i = 0; i < document.pages.size() && i < pages->size(); ++i) {
        const auto& page = document.pages[i];
        auto o = pages->getObject(static_cast<unsigned>(i));
        auto reading = stores.readings->reading(imageOf(page));
        o->set("reading_state", reading ? reading->state : "not_read");
        o->set("doc_type_read", reading && !reading->docType.empty() ? Poco::Dynamic::Var(reading->docType) : Poco::Dynamic::Var());
        // Degrees clockwise that show the page upright (180 when it was scanned upside down and
        // only its reading found out).
        o->set("upright_rotation", reading ? reading->quarterTurns * 90 : 0);
        auto fields = fieldsJson(reading, stores.readings->corrections(page.id), customer ? &*customer : nullptr);
        // The page is as sure as its least sure field.
        double least = 1;
        for (const auto& name : fields->getNames()) least = std::min(least, fields->getObject(name)->getValue<double>("confidence"));
        o->set("confidence", fields->size() == 0 ? Poco::Dynamic::Var() : Poco::Dynamic::Var(least));
        o->set("fields", fields);
    }
}

Array::Ptr pageHitsJson(storage::Stores& stores, const std::string& query, int limit) {
    Array::Ptr list = new Array;
    for (const auto& hit : stores.readings->searchText(query, limit)) {
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
        {"PUT", "/api/pages/{id}/fields", Permission::FileDocuments, true, correctFields},
        {"GET", "/api/ocr", Permission::FileDocuments, true, readingQueue},
    };
}

}  // namespace dangan::server
