#include "dangan/http/reading_json.h"

#include <Poco/JSON/Array.h>

#include <cmath>

#include "dangan/desks/reading_desk.h"
#include "dangan/http/plain_words.h"

namespace dangan::server {

namespace {
double rounded(float confidence) { return std::round(confidence * 100.0) / 100.0; }
}  // namespace

Poco::JSON::Object::Ptr readingJson(const ocr::PageReading& reading) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("doc_type", reading.docType.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(reading.docType));
    o->set("doc_type_confidence", rounded(reading.docTypeConfidence));
    Poco::JSON::Array guesses;
    for (const auto& guess : reading.docTypeGuesses) {
        Poco::JSON::Object g(Poco::JSON_PRESERVE_KEY_ORDER);
        g.set("doc_type", guess.type);
        g.set("confidence", rounded(guess.confidence));
        guesses.add(g);
    }
    o->set("doc_type_guesses", guesses);
    o->set("continues_document", reading.continuesDocument);
    Poco::JSON::Object fields(Poco::JSON_PRESERVE_KEY_ORDER);
    for (auto name : ocr::kFieldNames) {
        auto it = reading.fields.find(std::string(name));
        if (it == reading.fields.end()) continue;
        Poco::JSON::Object f(Poco::JSON_PRESERVE_KEY_ORDER);
        f.set("value", it->second.value);
        f.set("confidence", rounded(it->second.confidence));
        fields.set(std::string(name), f);
    }
    o->set("fields", fields);
    Poco::JSON::Array unreadable;
    for (const auto& u : reading.unreadable) unreadable.add(u);
    o->set("unreadable", unreadable);
    o->set("text", reading.text);
    o->set("quarter_turns", reading.quarterTurns);
    return o;
}

Poco::JSON::Object::Ptr readingJson(const storage::StoredReading& stored) {
    auto o = readingJson(pageReadingOf(stored));
    o->set("state", stored.state);
    o->set("full_text", stored.fullText);
    if (!stored.message.empty()) {
        o->set("message", stored.message);
        o->set("message_zh", plainChinese(stored.message, 0));
    }
    return o;
}

}  // namespace dangan::server
