#include "dangan/desks/page_linker.h"

#include <algorithm>

#include "dangan/ocr/doc_type_classifier.h"
#include "dangan/ocr/field_validation.h"
#include "dangan/ocr/page_reader.h"
#include "dangan/desks/process_catalog.h"

namespace dangan::server {
namespace {

// Spaces and punctuation do not tell two names or addresses apart; everything else does.
std::string folded(const std::string& text) {
    std::string out;
    for (char c : text)
        if (c != ' ' && c != '-' && c != '(' && c != ')') out += c;
    return out;
}

// The characters (code points) of UTF-8 `text`.
std::size_t characters(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// Whether folded `read` is the folded `recorded` with at most one character misread.
bool oneCharacterOff(const std::string& read, const std::string& recorded) {
    return (1.0 - ocr::containment(read, recorded)) * static_cast<double>(characters(recorded)) <= 1.0 + 1e-9;
}

// Whether a name read can be held against the name on record: an organisation's papers carry its
// people's names too (the legal representative's ID card, the agent's), which are not its own.
bool comparableNames(const std::string& read, const std::string& recorded) {
    return !ocr::isOrganisationName(recorded) || ocr::isOrganisationName(read);
}

// Whether an ID number read can be held against the one on record: a licence's unified social
// credit code and a resident ID (an organisation's record holds its representative's) are
// numbers of different kinds.
bool comparableIds(const std::string& read, const std::string& recorded) {
    return ocr::checkResidentId(read).has_value() == ocr::checkResidentId(recorded).has_value();
}

const std::string* fieldOf(const ReadFields& fields, const std::string& name) {
    auto it = fields.find(name);
    return it == fields.end() || it->second.empty() ? nullptr : &it->second;
}

constexpr int kWeightAccount = 8, kWeightId = 8, kWeightName = 4, kWeightAddress = 3, kWeightPhone = 2;

}  // namespace

std::string readField(const ReadFields& fields, const std::string& name) {
    auto it = fields.find(name);
    return it == fields.end() ? std::string() : it->second;
}

// What short of equal still does not contradict a record.
enum class Leeway {
    None,      // numbers: any difference contradicts
    Near,      // names: a character or two off
    CutShort,  // addresses: also a part of the record alone, one character in five misread (an ID
               // card wraps the address onto a second line, read apart or not at all; and the part
               // read holds the district, whose rarer characters are misread as often as not)
};

LinkCandidate compareWith(const storage::Customer& customer, const ReadFields& fields) {
    LinkCandidate c{customer, 0, {}, {}};
    auto compare = [&](const std::string& name, const std::string& recorded, int weight, Leeway leeway) {
        const std::string* read = fieldOf(fields, name);
        if (!read || recorded.empty()) return;
        std::string r = folded(*read), f = folded(recorded);
        if (r == f) {
            c.agreeing.push_back(name);
            c.score += weight;
            return;
        }
        // A value one or two characters off (one, in a name of two or three) is neither agreement
        // nor contradiction.
        bool near = leeway != Leeway::None && (ocr::containment(r, f) >= 0.75 || oneCharacterOff(r, f) ||
                                               (leeway == Leeway::CutShort && ocr::containment(f, r) >= 0.8));
        if (!near) {
            c.differing.push_back(name);
            c.score -= weight;
        }
    };
    const auto& f = customer.fields;
    compare("account_no", f.accountNo, kWeightAccount, Leeway::None);
    // Values of different kinds neither agree nor contradict (see comparableIds, comparableNames).
    const std::string* id = fieldOf(fields, "id_number");
    if (!id || comparableIds(*id, f.idNumber)) compare("id_number", f.idNumber, kWeightId, Leeway::None);
    const std::string* name = fieldOf(fields, "name");
    if (!name || comparableNames(*name, f.name)) compare("name", f.name, kWeightName, Leeway::Near);
    compare("address", f.address, kWeightAddress, Leeway::CutShort);
    compare("phone", f.phone, kWeightPhone, Leeway::None);
    return c;
}

LinkDecision decideLink(const ReadFields& fields, const std::vector<storage::Customer>& customers) {
    LinkDecision decision;
    for (const auto& customer : customers) decision.candidates.push_back(compareWith(customer, fields));
    std::stable_sort(decision.candidates.begin(), decision.candidates.end(),
                     [](const LinkCandidate& a, const LinkCandidate& b) { return a.score > b.score; });
    auto has = [](const LinkCandidate& c, const char* field) {
        return std::find(c.agreeing.begin(), c.agreeing.end(), field) != c.agreeing.end();
    };
    // An anchor: the account number, the ID number, or name and address together.
    auto anchored = [&](const LinkCandidate& c) {
        return has(c, "account_no") || has(c, "id_number") || (has(c, "name") && has(c, "address"));
    };
    std::vector<const LinkCandidate*> anchoredOnes;
    for (const auto& c : decision.candidates)
        if (anchored(c)) anchoredOnes.push_back(&c);
    if (decision.candidates.empty()) {
        decision.reason = fields.empty() ? "no key field could be read on this page"
                                         : "no customer matches the fields read on this page";
        return decision;
    }
    if (anchoredOnes.empty()) {
        // A name alone is no anchor; but a page whose name is one customer's, and nothing else read
        // on it contradicts that customer (a property certificate: its owner and a misread
        // address), may be linked by its place in the pile (see linkByNeighbours).
        const LinkCandidate* named = nullptr;
        int count = 0;
        for (const auto& c : decision.candidates)
            if (has(c, "name") && c.differing.empty()) {
                named = &c;
                ++count;
            }
        if (count == 1) decision.soleAnchor = named->customer;
        decision.reason = "no customer matches this page's account number, ID number, or name and address";
        return decision;
    }
    if (anchoredOnes.size() > 1) {
        decision.reason = "the fields read point to more than one customer";
        return decision;
    }
    const LinkCandidate& best = *anchoredOnes.front();
    if (!best.differing.empty()) {
        std::string list;
        for (const auto& d : best.differing) list += (list.empty() ? "" : ", ") + d;
        decision.reason = "customer " + best.customer.fields.accountNo + " matches, but " + list +
                          " read on the page differ from the record";
        return decision;
    }
    if (best.agreeing.size() < 2) {
        decision.soleAnchor = best.customer;
        decision.reason = "only one field (" + best.agreeing.front() + ") matches customer " +
                          best.customer.fields.accountNo + "; a second must agree";
        return decision;
    }
    decision.customer = best.customer;
    return decision;
}

std::vector<PileDocument> splitPile(const std::vector<PileReading>& pile) {
    // A page's account or ID number that differs from its document's: another customer's paper,
    // whatever its type says.
    auto anotherCustomers = [](const ReadFields& document, const ReadFields& page) {
        for (const char* anchor : {"account_no", "id_number"}) {
            const std::string* a = fieldOf(document, anchor);
            const std::string* b = fieldOf(page, anchor);
            if (a && b && *a != *b) return true;
        }
        return false;
    };
    std::vector<PileDocument> documents;
    for (std::size_t i = 0; i < pile.size(); ++i) {
        const auto& page = pile[i];
        // A page of its document's type that carries none of the keys a new one would (a contract's
        // later page printed with its title again) goes on too.
        bool keyless = !fieldOf(page.fields, "account_no") && !fieldOf(page.fields, "id_number") && !fieldOf(page.fields, "name");
        bool sameType = !documents.empty() && (documents.back().docType == page.docType || documents.back().docType == page.docTypeSecond);
        // A page on which nothing known was read, neither a type nor a field, could be anyone's:
        // filed by its place alone it would go to the customer before it (the first page of the
        // next customer's papers, unreadable, did). It waits for a person instead.
        bool unknown = page.docType.empty() && page.fields.empty();
        bool goesOn = !documents.empty() && !unknown && !anotherCustomers(documents.back().fields, page.fields) &&
                      (page.docType.empty() || (sameType && (page.continues || keyless)));
        if (!goesOn) documents.push_back({{}, page.docType, page.docTypeConfidence, page.docTypeSecond, {}});
        auto& document = documents.back();
        document.pages.push_back(i);
        for (const auto& [name, value] : page.fields) document.fields.try_emplace(name, value);
    }
    return documents;
}

void linkByNeighbours(std::vector<LinkDecision>& decisions) {
    // The customer of the nearest document linked on its own, before and after each one.
    std::vector<std::optional<std::int64_t>> before(decisions.size()), after(decisions.size());
    std::optional<std::int64_t> last;
    for (std::size_t i = 0; i < decisions.size(); ++i) {
        before[i] = last;
        if (decisions[i].customer) last = decisions[i].customer->id;
    }
    last.reset();
    for (std::size_t i = decisions.size(); i-- > 0;) {
        after[i] = last;
        if (decisions[i].customer) last = decisions[i].customer->id;
    }
    for (std::size_t i = 0; i < decisions.size(); ++i) {
        auto& d = decisions[i];
        if (d.customer || !d.soleAnchor) continue;
        if (before[i] == d.soleAnchor->id || after[i] == d.soleAnchor->id) {
            d.customer = d.soleAnchor;
            d.reason.clear();
        }
    }
}

namespace {

// The copies of ID cards: whose card one is (a resident's, a legal representative's, an agent's)
// is the requirement it fills in its process, so its type names no process.
const std::vector<std::string> kIdCards = {"居民身份证复印件", "法定代表人身份证复印件", "经办人身份证复印件"};

bool isIdCardCopy(const std::string& type) { return std::find(kIdCards.begin(), kIdCards.end(), type) != kIdCards.end(); }

}  // namespace

std::vector<std::string> pileProcesses(const std::vector<PileDocument>& documents, const std::vector<LinkDecision>& decisions,
                                       const ProcessRequires& processRequires) {
    std::vector<std::string> processes(documents.size());
    for (std::size_t i = 0; i < documents.size(); ++i) {
        processes[i] = readField(documents[i].fields, "business_type");
        if (!processes[i].empty() || documents[i].docType.empty() || isIdCardCopy(documents[i].docType) || !processRequires)
            continue;
        std::vector<std::string> requiring;
        for (const auto& process : processTypes())
            if (processRequires(std::string(process.name), documents[i].docType)) requiring.emplace_back(process.name);
        if (requiring.size() == 1) processes[i] = requiring.front();
    }
    auto near = processes;
    for (std::size_t i = 0; i < documents.size(); ++i) {
        if (!processes[i].empty() || !decisions[i].customer) continue;
        for (std::size_t distance = 1; distance < documents.size() && near[i].empty(); ++distance)
            for (std::size_t j : {i - distance, i + distance})
                if (j < documents.size() && decisions[j].customer && decisions[j].customer->id == decisions[i].customer->id &&
                    !processes[j].empty() && categoryOf(processes[j])) {
                    near[i] = processes[j];
                    break;
                }
    }
    return near;
}

FiledType filedTypeFor(const PileDocument& document, const storage::Customer& customer, const std::string& process,
                       const ProcessRequires& processRequires) {
    // Of `types`, the ones the process asks for.
    auto asked = [&](const std::vector<std::string>& types) {
        std::vector<std::string> out;
        if (processRequires && !process.empty())
            for (const auto& type : types)
                if (!type.empty() && processRequires(process, type)) out.push_back(type);
        return out;
    };
    FiledType filed{document.docType, document.docTypeConfidence >= ocr::kSureDocType};
    if (!filed.sure && !document.docTypeSecond.empty())
        if (auto one = asked({document.docType, document.docTypeSecond}); one.size() == 1) filed = {one.front(), true};

    if (!isIdCardCopy(filed.docType)) return filed;
    // Both guesses cards: the page is an ID card for certain, and only whose is in doubt.
    bool aCard = filed.sure || isIdCardCopy(document.docTypeSecond);
    if (auto card = asked(kIdCards); card.size() == 1) {
        filed = {card.front(), aCard};
    } else if (filed.docType == kIdCards[0] && ocr::isOrganisationName(customer.fields.name)) {
        const std::string* id = fieldOf(document.fields, "id_number");
        bool representative = id && *id == customer.fields.idNumber;
        filed = {representative ? kIdCards[1] : kIdCards[2], representative ? aCard : filed.sure};
    }
    return filed;
}

FieldStanding standingOf(const std::string& field, const std::string& value, double readConfidence,
                         const storage::Customer* customer) {
    FieldStanding standing{FieldStanding::Basis::Reads, readConfidence, std::nullopt};
    if (customer) {
        const auto& f = customer->fields;
        const std::string* recorded = field == "account_no" ? &f.accountNo
                                      : field == "id_number" ? &f.idNumber
                                      : field == "phone"     ? &f.phone
                                      : field == "name"      ? &f.name
                                      : field == "address"   ? &f.address
                                                             : nullptr;
        bool comparable = recorded && !recorded->empty();
        if (comparable && field == "name") comparable = comparableNames(value, f.name);
        if (comparable && field == "id_number") comparable = comparableIds(value, *recorded);
        if (comparable) {
            std::string r = folded(value), k = folded(*recorded);
            standing.basis = FieldStanding::Basis::Record;
            standing.confidence = r == k ? 1.0 : std::max(0.0, ocr::containment(r, k));
            if (r != k) standing.recorded = *recorded;
            return standing;
        }
    }
    if (field == "id_number" && !ocr::checkIdNumber(value)) {
        standing.basis = FieldStanding::Basis::CheckCharacter;
        standing.confidence = std::max(readConfidence, 0.99);
    }
    return standing;
}

std::optional<std::string> recordedValueFor(const std::string& field, const std::string& value, const ReadFields& read,
                                            const storage::Customer& customer) {
    const std::string& recorded = field == "name" ? customer.fields.name : field == "address" ? customer.fields.address : "";
    if (recorded.empty()) return std::nullopt;
    std::string r = folded(value), k = folded(recorded);
    if (r == k || characters(r) != characters(k) || !oneCharacterOff(r, k)) return std::nullopt;
    auto agrees = [&](const char* anchor, const std::string& onRecord) {
        const std::string* v = fieldOf(read, anchor);
        return v && !onRecord.empty() && *v == onRecord;
    };
    if (!agrees("account_no", customer.fields.accountNo) && !agrees("id_number", customer.fields.idNumber)) return std::nullopt;
    return recorded;
}

}  // namespace dangan::server
