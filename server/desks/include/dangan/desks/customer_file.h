#pragma once
// 一户一档 at the counter: a customer's record and e-file (its current documents sorted into the
// five categories, newest first), a document with its versions, a page's image, what OCR read on
// every page, and where the paper originals are out on loan; search by customer and by the words
// on pages; and the import of customer records from the marketing system.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dangan/desks/page_facts.h"
#include "dangan/desks/paper_desk.h"
#include "dangan/desks/problem.h"
#include "dangan/desks/process_catalog.h"
#include "dangan/storage/image_store.h"
#include "dangan/storage/paper_stores.h"
#include "dangan/storage/stores.h"

namespace dangan::server {

struct CategoryFile {
    Category category;
    std::vector<storage::Document> documents;  // newest archive date first
};

// What the counter sees with a document besides its record.
struct DocumentShown {
    std::string paperCode;                        // the barcode on its paper original
    std::optional<storage::ItemOut> paperOnLoan;  // while the original is out
    std::string paperPlace;                       // where it is kept: "DGB-12 第7件，1号库房 01架 A面 3层 第4位", or 尚未装盒
    std::vector<PageFacts> pages;                 // one per page, in order
};

struct CustomerFile {
    storage::Customer customer;
    std::vector<CategoryFile> categories;          // all five, in kCategoryOrder
    std::optional<storage::ItemOut> volumeOnLoan;  // while the customer's whole volume is out
    std::map<std::int64_t, DocumentShown> shown;   // by document id
};

struct DocumentView {
    storage::Document document;
    DocumentShown shown;
    std::vector<storage::Document> versions;  // of its lineage, oldest first
};

struct SearchResult {
    std::vector<storage::Customer> customers;
    std::vector<storage::PageTextHit> pages;
};

struct PageImage {
    std::string bytes;
    storage::Digest digest{};
};

// The barcode on a document's paper original.
[[nodiscard]] std::string paperCodeOf(const storage::Document& document);

class CustomerFiles {
public:
    CustomerFiles(storage::Stores& stores, storage::ImageStore& images, PaperDesk& paper)
        : stores_(stores), images_(images), paper_(paper) {}

    [[nodiscard]] Outcome<storage::Customer> customer(std::string_view accountNo);
    [[nodiscard]] Outcome<CustomerFile> open(std::string_view accountNo);
    [[nodiscard]] Outcome<DocumentView> document(std::int64_t id);
    [[nodiscard]] Outcome<storage::Page> page(std::int64_t id);
    // The cleaned page when there is one; `original` for the bytes as scanned.
    [[nodiscard]] Outcome<PageImage> pageImage(const storage::Page& page, bool original);
    // Customers by account number, name, ID number, phone or address; pages by their words.
    [[nodiscard]] SearchResult search(std::string_view query, int limit);
    // The same, narrowed to customers holding a current document of `docType` (a known type, else
    // 422 naming the nearest); with an empty query, those whose newest such document is newest.
    [[nodiscard]] Outcome<SearchResult> search(std::string_view query, const std::string& docType, int limit);
    // The supply units the archive knows (its customers' and its users'), for a unit to be chosen
    // rather than typed.
    [[nodiscard]] std::vector<std::string> units() { return stores_.customers->units(); }
    [[nodiscard]] storage::UpsertOutcome importCustomers(const std::vector<storage::CustomerFields>& rows,
                                                         const storage::Actor& actor);

private:
    // `facts`: the document's pages' facts, in page order; `paperPlace`: where its original is.
    [[nodiscard]] DocumentShown shownOf(const storage::Document& document, const std::map<std::string, storage::ItemOut>& out,
                                        std::vector<PageFacts> facts, std::string paperPlace);

    storage::Stores& stores_;
    storage::ImageStore& images_;
    PaperDesk& paper_;
};

// Sorts documents (already newest first) into the five categories by their process type.
[[nodiscard]] std::vector<CategoryFile> sortIntoCategories(std::vector<storage::Document> documents);

}  // namespace dangan::server
