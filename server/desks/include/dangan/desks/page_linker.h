#pragma once
// Linking a page that came without a cover sheet to its customer, from the fields OCR read on it.
// A page is filed on its own only when one customer, and no other, matches an anchor (account
// number, ID number, or name and address together) and every other field read agrees with that
// customer's record; anything less goes to a person with the candidates ranked. Silent
// mis-filing is the worst outcome the archive can have, so disagreement always means review.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dangan/storage/records.h"

namespace dangan::server {

// Fields read on a page (or on the pages of one document), by API name.
using ReadFields = std::map<std::string, std::string>;

// The value read for a field; empty when it was not read.
[[nodiscard]] std::string readField(const ReadFields& fields, const std::string& name);

struct LinkCandidate {
    storage::Customer customer;
    int score = 0;                       // higher first
    std::vector<std::string> agreeing;   // fields read that match the customer's record
    std::vector<std::string> differing;  // fields read that contradict it
};

struct LinkDecision {
    std::optional<storage::Customer> customer;  // set when the page may be filed without a person
    std::vector<LinkCandidate> candidates;      // ranked, best first
    std::string reason;                         // why a person must decide (empty when linked)
    // The one customer a single anchor points to, with nothing read against it, when no second
    // field agrees (an ID card copy: its ID number, and a person's name on an organisation's file).
    std::optional<storage::Customer> soleAnchor;
};

// How `customer` compares with the fields read.
[[nodiscard]] LinkCandidate compareWith(const storage::Customer& customer, const ReadFields& fields);

// How sure a value read on a filed page is, from what agrees with it rather than from
// Tesseract's word confidence alone: the customer's record (character by character), the value's
// own check character, or the reads of it that agreed.
struct FieldStanding {
    enum class Basis { Record, CheckCharacter, Reads };
    Basis basis = Basis::Reads;
    double confidence = 0;                // 0..1
    std::optional<std::string> recorded;  // the record's value, when it differs from the one read
};

// `field`'s `value` (read with `readConfidence`) on a page of `customer`'s file (nullptr when the
// page is not filed). A name or address compares by the share of its characters the record has
// in place; a person's name on an organisation's file, or a credit code against a resident ID,
// has no record to compare with.
[[nodiscard]] FieldStanding standingOf(const std::string& field, const std::string& value, double readConfidence,
                                       const storage::Customer* customer);

// The record's value for a name or address read a single character off it on a page of
// `customer`'s file, when another field read on the page (the account or ID number) agrees with
// the record exactly: the two agreeing fields outweigh one misread character (郭攀 for 郭艳, 岳蔓
// for 岳麓). Nothing otherwise: a key field is never corrected without a second agreeing field.
[[nodiscard]] std::optional<std::string> recordedValueFor(const std::string& field, const std::string& value,
                                                          const ReadFields& read, const storage::Customer& customer);

// Decides among `customers`: every customer the read fields could point to (those sharing an
// account number, ID number or name with them).
[[nodiscard]] LinkDecision decideLink(const ReadFields& fields, const std::vector<storage::Customer>& customers);

// A page of a pile scanned without cover sheets, as OCR read it.
struct PileReading {
    ReadFields fields;
    std::string docType;  // the best guess at its type; empty when nothing on it names one
    float docTypeConfidence = 0;
    std::string docTypeSecond;  // the second guess, or empty
    bool continues = false;     // it goes on from an earlier page (a contract's later page)
};

// A document found in a pile: its pages, by their place in the pile, and what they read.
struct PileDocument {
    std::vector<std::size_t> pages;
    std::string docType;
    float docTypeConfidence = 0;
    std::string docTypeSecond;
    ReadFields fields;  // the first reading of each field over its pages
};

// Splits a pile into documents: a page whose content names a type begins one, unless it goes on
// from the document before it (it says it is page 2, or carries a contract's clauses without
// its title, and that document is of its type); a page that names no type continues the
// document before it, if anything known was read on it (a field). A page whose account or ID
// number differs from its document's, or on which nothing known was read, begins one of its own.
[[nodiscard]] std::vector<PileDocument> splitPile(const std::vector<PileReading>& pile);

// Whether the rules in force require `docType` in `process`.
using ProcessRequires = std::function<bool(const std::string& process, const std::string& docType)>;

// The process each document of a pile is filed under (empty when none can be told): the business
// type read on it; else the one process whose rules require its type (not an ID card copy's: whose
// card it is follows from its process, see filedTypeFor); else that of the nearest document of the
// same customer in the pile (a certificate copy names no process). `decisions` are the documents'
// links, in order.
[[nodiscard]] std::vector<std::string> pileProcesses(const std::vector<PileDocument>& documents,
                                                     const std::vector<LinkDecision>& decisions, const ProcessRequires& processRequires);

// The type a document of a pile is filed as, and whether it is sure enough to file without a
// person. Its best guess when sure; else, of its two guesses, the one its process asks for when
// just one is (a contract's first page whose title was not read: 高压新装 asks for the high-voltage
// contract). An ID card copy is the card its process asks for (过户 a resident's, 高压新装 the legal
// representative's, 低压非居民新装 the agent's: the requirement it fills); when the process asks for
// none or several, a copy filed to an organisation is its legal representative's when its ID
// number is the one on record (an organisation's record holds its representative's), and an
// agent's otherwise. When both of its guesses are ID cards, the process or the record that tells
// whose card it is makes the type sure.
struct FiledType {
    std::string docType;  // empty when nothing on the document names a type
    bool sure = false;
};
[[nodiscard]] FiledType filedTypeFor(const PileDocument& document, const storage::Customer& customer, const std::string& process,
                                     const ProcessRequires& processRequires);

// A pile is one customer's papers in a row more often than not. A document that one anchor alone
// points to (see LinkDecision::soleAnchor) is linked when the nearest linked document before or
// after it in the pile went to the same customer: the anchor and its place in the pile agree.
// `decisions` are the pile's documents' in order.
void linkByNeighbours(std::vector<LinkDecision>& decisions);

}  // namespace dangan::server
