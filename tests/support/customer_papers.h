#pragma once
// Generated customer papers with known truth, for the OCR tests and benchmark: customers with
// valid account numbers, resident IDs (with their check character), phones and addresses; and
// forms of the archive's document types printed in several fonts (Song print, Kai fills that
// look handwritten), in table, two-column and inline layouts with the fields in varied order,
// then scanned at 200 or 300 dpi with skew, blur, speckles and some pages upside down.

#include <map>
#include <random>
#include <string>
#include <vector>

#include "scanned_forms.h"

namespace dangan::testing {

struct PaperCustomer {
    std::string accountNo;
    std::string name;
    std::string idNumber;
    std::string phone;
    std::string address;
};

// `count` distinct customers, reproducible from `seed`.
std::vector<PaperCustomer> paperCustomers(int count, unsigned seed);

struct PaperTruth {
    std::string docType;
    std::string businessType;
    std::map<std::string, std::string> fields;  // API field names -> printed value (dates YYYY-MM-DD)
    std::vector<std::string> prose;             // the lines of small print below the fields
    int dpi = 300;
    int quarters = 0;
};

struct PaperScan {
    std::string jpeg;
    PaperTruth truth;
};

enum class PaperLayout { Table, TwoColumns, Inline };

struct PaperOptions {
    std::string docType = "用电申请书";
    std::string businessType = "低压居民新装";
    PaperLayout layout = PaperLayout::Table;
    bool handwrittenFill = false;  // values in a Kai font with a wavering baseline
    int dpi = 300;
    ScanDamage damage;
    unsigned seed = 1;
};

// One scanned page of `customer`'s papers.
PaperScan customerPaper(const PaperCustomer& customer, const PaperOptions& options);

// A varied mix for benchmarks: layout, fonts, resolution, damage and document type drawn from
// `seed` (1 page in 10 upside down, half at 200 dpi).
PaperOptions variedPaper(unsigned seed);

}  // namespace dangan::testing
