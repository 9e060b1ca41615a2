#include "dangan/desks/page_facts.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "dangan/desks/page_linker.h"
#include "dangan/ocr/page_reader.h"

namespace dangan::server {

std::string_view basisName(ShownField::Basis basis) {
    switch (basis) {
        case ShownField::Basis::Record: return "record";
        case ShownField::Basis::CheckCharacter: return "check_character";
        case ShownField::Basis::Reads: return "reads";
        case ShownField::Basis::Person: return "person";
    }
    return "reads";
}

std::vector<ShownField> shownFields(const std::optional<storage::StoredReading>& reading,
                                    const std::vector<storage::FieldCorrection>& corrections,
                                    const storage::Customer* customer) {
    std::map<std::string, ShownField> byName;
    ReadFields read;
    if (reading)
        for (const auto& f : reading->fields) read[f.name] = f.value;
    if (reading)
        for (const auto& f : reading->fields) {
            auto standing = standingOf(f.name, f.value, f.confidence / 100.0, customer);
            ShownField shown;
            shown.name = f.name;
            // A name or address a character off the record, on a page whose account or ID number
            // agrees with it, shows the record's value; what was read stays beside it.
            auto fromRecord = customer ? recordedValueFor(f.name, f.value, read, *customer) : std::nullopt;
            shown.value = fromRecord ? *fromRecord : f.value;
            if (fromRecord) {
                shown.read = f.value;
                standing.recorded.reset();
            }
            shown.confidence = std::round(standing.confidence * 100) / 100;
            shown.basis = standing.basis == FieldStanding::Basis::Record           ? ShownField::Basis::Record
                          : standing.basis == FieldStanding::Basis::CheckCharacter ? ShownField::Basis::CheckCharacter
                                                                                   : ShownField::Basis::Reads;
            shown.readConfidence = f.confidence / 100.0;
            shown.recorded = standing.recorded;
            byName[f.name] = std::move(shown);
        }
    for (const auto& c : corrections) {
        ShownField shown;
        shown.name = c.field;
        shown.value = c.value;
        shown.confidence = 1.0;
        shown.basis = ShownField::Basis::Person;
        shown.correctedBy = c.correctedBy;
        byName[c.field] = std::move(shown);
    }
    std::vector<ShownField> fields;
    for (auto name : ocr::kFieldNames)
        if (auto it = byName.find(std::string(name)); it != byName.end()) fields.push_back(std::move(it->second));
    return fields;
}

storage::Digest readImageOf(const storage::Page& page) { return page.cleanedSha256 ? *page.cleanedSha256 : page.sha256; }

namespace {

// The doubtUnknownText of many readings, their names and addresses asked of the gazetteer together.
void doubtUnknownTexts(const std::vector<storage::StoredReading*>& readings, storage::CustomerStore& customers) {
    std::vector<storage::ReadField*> asked;
    std::vector<std::pair<char, std::string>> texts;
    for (auto* reading : readings)
        for (auto& f : reading->fields) {
            char marker = f.name == "name" ? 'n' : f.name == "address" ? 'a' : 0;
            if (!marker || f.confidence <= kDoubtedConfidence) continue;
            asked.push_back(&f);
            texts.emplace_back(marker, f.value);
        }
    if (texts.empty()) return;
    auto known = customers.knowTexts(texts);
    for (std::size_t i = 0; i < asked.size(); ++i)
        if (!known[i]) asked[i]->confidence = kDoubtedConfidence;
}

}  // namespace

void doubtUnknownText(storage::StoredReading& reading, storage::CustomerStore& customers) {
    doubtUnknownTexts({&reading}, customers);
}

PageFacts pageFacts(storage::ReadingStore& readings, storage::CustomerStore& customers, const storage::Page& page,
                    const storage::Customer* customer) {
    return std::move(pageFacts(readings, customers, std::vector<const storage::Page*>{&page}, customer).front());
}

std::vector<PageFacts> pageFacts(storage::ReadingStore& readings, storage::CustomerStore& customers,
                                 const std::vector<const storage::Page*>& pages, const storage::Customer* customer) {
    std::vector<storage::Digest> images;
    std::vector<std::int64_t> ids;
    for (const auto* page : pages) {
        images.push_back(readImageOf(*page));
        ids.push_back(page->id);
    }
    auto [read, corrected] = readings.pagesRead(images, ids);
    std::vector<PageFacts> all(pages.size());
    std::vector<storage::StoredReading*> toDoubt;
    for (std::size_t i = 0; i < pages.size(); ++i) {
        all[i].pageId = ids[i];
        if (auto found = read.find(images[i]); found != read.end()) {
            all[i].reading = found->second;
            toDoubt.push_back(&*all[i].reading);
        }
        if (auto found = corrected.find(ids[i]); found != corrected.end()) all[i].corrections = found->second;
    }
    doubtUnknownTexts(toDoubt, customers);
    for (auto& facts : all) {
        facts.fields = shownFields(facts.reading, facts.corrections, customer);
        // The page is as sure as its least sure field.
        for (const auto& f : facts.fields) facts.confidence = std::min(facts.confidence.value_or(1.0), f.confidence);
    }
    return all;
}

}  // namespace dangan::server
