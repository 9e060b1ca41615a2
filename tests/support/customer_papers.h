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
    // For an organisation: the person who signs for it (the ID number above is theirs, as the
    // archive records it) and its unified social credit code. Empty for a person.
    std::string legalRepresentative;
    std::string creditCode;
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

// What the sheet is: a utility's form, a copy of a certificate (an ID card's front and back on one
// sheet, as counters copy them), or a later page of a contract.
enum class PaperKind { Form, IdCardCopy, BusinessLicence, PropertyCertificate, ContractClauses };

// How a page of a customer's file is printed and scanned beyond PaperOptions' first choices; the
// defaults are the original generator's (the benchmark's first 1,000 pages stay the same).
struct PaperStyle {
    std::string header = "国网供电公司";  // the utility named above the title
    std::string printFont;                // a font file for the form's print; empty: AR PL SungtiL
    std::string valueFont;                // for the filled-in values; empty: as handwrittenFill says
    double titleY = 752, titleSize = 24;  // points from the page's foot
    bool titleCentred = true;
    bool titleBold = false;
    int dateForm = -1;                    // 0 ISO, 1 年月日 padded, 2 年月日 unpadded, 3 dotted, 4 slashed; -1: ISO or 1
    bool shuffleAll = false;              // the account number too may come anywhere
    bool stamp = false;                   // a round seal printed over the lower fields
    bool titled = true;                   // a copy or a later page may carry no title
    std::string title;                    // the title printed, when not the type's name
    int pageOf = 0, pagesIn = 0;          // "第 pageOf 页 共 pagesIn 页" at the foot, when set
};

struct PaperOptions {
    std::string docType = "用电申请书";
    std::string businessType = "低压居民新装";
    PaperLayout layout = PaperLayout::Table;
    bool handwrittenFill = false;  // values in a Kai font with a wavering baseline
    int dpi = 300;
    ScanDamage damage;
    unsigned seed = 1;
    PaperKind kind = PaperKind::Form;
    PaperStyle style;
};

// One scanned page of `customer`'s papers.
PaperScan customerPaper(const PaperCustomer& customer, const PaperOptions& options);

// A varied mix for benchmarks: layout, fonts, resolution, damage and document type drawn from
// `seed` (1 page in 10 upside down, half at 200 dpi).
PaperOptions variedPaper(unsigned seed);

// One customer's file for one business process as a scanner takes it in, page by page in a pile:
// forms, copies of the customer's certificates (ID card front and back, business licence,
// property certificate) and a contract of several pages whose later ones carry no title. Fonts
// (Song, Ming and Hei print; two Kai hands), bold or plain titles, header, title height, field order, date forms, layouts,
// seals, resolution (200/300 dpi), skew (±3°), uneven light, noise and upside-down pages are drawn
// from `seed`, so that no one of them dominates.
std::vector<PaperScan> customerFile(const PaperCustomer& customer, unsigned seed);

}  // namespace dangan::testing
