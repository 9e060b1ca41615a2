#pragma once
// Linking a page that came without a cover sheet to its customer, from the fields OCR read on it.
// A page is filed on its own only when one customer, and no other, matches an anchor (account
// number, ID number, or name and address together) and every other field read agrees with that
// customer's record; anything less goes to a person with the candidates ranked. Silent
// mis-filing is the worst outcome the archive can have, so disagreement always means review.

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
};

// How `customer` compares with the fields read.
[[nodiscard]] LinkCandidate compareWith(const storage::Customer& customer, const ReadFields& fields);

// Decides among `customers`: every customer the read fields could point to (those sharing an
// account number, ID number or name with them).
[[nodiscard]] LinkDecision decideLink(const ReadFields& fields, const std::vector<storage::Customer>& customers);

}  // namespace dangan::server
