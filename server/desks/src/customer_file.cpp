#include "dangan/desks/customer_file.h"

#include "dangan/desks/process_catalog.h"

#include <Poco/StreamCopier.h>

#include "dangan/barcode/own_code.h"
#include "dangan/storage/database.h"

namespace dangan::server {

std::vector<CategoryFile> sortIntoCategories(std::vector<storage::Document> documents) {
    std::vector<CategoryFile> categories;
    for (Category c : kCategoryOrder) categories.push_back({c, {}});
    for (auto& doc : documents) {
        Category c = categoryOf(doc.processType).value_or(Category::Other);
        categories[static_cast<std::size_t>(c)].documents.push_back(std::move(doc));
    }
    return categories;
}

std::string paperCodeOf(const storage::Document& document) {
    return barcode::ownCodeText(barcode::OwnCodeKind::Document, std::to_string(document.lineageId));
}

namespace {

std::optional<storage::ItemOut> outOf(const std::map<std::string, storage::ItemOut>& out, const std::string& code) {
    auto found = out.find(code);
    if (found == out.end()) return std::nullopt;
    return found->second;
}

}  // namespace

Outcome<storage::Customer> CustomerFiles::customer(std::string_view accountNo) {
    auto customer = stores_.customers->findByAccountNo(accountNo);
    if (!customer) return fail(ProblemCode::NotFound, "no customer with account_no " + std::string(accountNo));
    return *customer;
}

DocumentShown CustomerFiles::shownOf(const storage::Document& document, const std::map<std::string, storage::ItemOut>& out,
                                     std::vector<PageFacts> facts, std::string paperPlace) {
    DocumentShown shown;
    shown.paperCode = paperCodeOf(document);
    shown.paperOnLoan = outOf(out, shown.paperCode);
    shown.paperPlace = std::move(paperPlace);
    shown.pages = std::move(facts);
    return shown;
}

Outcome<CustomerFile> CustomerFiles::open(std::string_view accountNo) {
    // The customer, documents, loans, paper places and every page's reading in one snapshot.
    // The documents are asked ahead by the account number, so that they come with the customer's
    // record in one round trip to PostgreSQL.
    storage::SharedRead together(*stores_.database);
    auto documentsAhead = stores_.documents->currentDocumentsAhead(std::string(accountNo));
    auto customer = this->customer(accountNo);
    if (!customer) return std::unexpected(customer.error());
    CustomerFile file{*customer, sortIntoCategories(documentsAhead()), std::nullopt, {}};
    // A notice on every document whose paper original (or the customer's whole volume) is out.
    std::vector<std::string> codes{barcode::ownCodeText(barcode::OwnCodeKind::Volume, customer->fields.accountNo)};
    for (const auto& category : file.categories)
        for (const auto& d : category.documents) codes.push_back(paperCodeOf(d));
    // The loans, the originals' places, and every page's reading and corrections, read together
    // for the whole file: asked ahead, the first two go to PostgreSQL with the readings, in one
    // round trip.
    std::vector<const storage::Page*> pages;
    std::vector<std::int64_t> lineages;
    for (const auto& category : file.categories)
        for (const auto& d : category.documents) {
            lineages.push_back(d.lineageId);
            for (const auto& page : d.pages) pages.push_back(&page);
        }
    auto loansAhead = stores_.loans->outAmongAhead(codes);
    auto itemsAhead = stores_.paper->itemsAhead(lineages);
    auto facts = pageFacts(*stores_.readings, *stores_.customers, pages, &file.customer);
    auto out = loansAhead();
    file.volumeOnLoan = outOf(out, codes.front());
    auto places = paper_.placesOfItems(lineages, itemsAhead());
    auto next = facts.begin();
    for (const auto& category : file.categories)
        for (const auto& d : category.documents) {
            auto end = next + static_cast<std::ptrdiff_t>(d.pages.size());
            file.shown.emplace(d.id, shownOf(d, out, {std::make_move_iterator(next), std::make_move_iterator(end)},
                                             places[d.lineageId]));
            next = end;
        }
    return file;
}

Outcome<DocumentView> CustomerFiles::document(std::int64_t id) {
    storage::SharedRead together(*stores_.database);
    auto document = stores_.documents->document(id);
    if (!document) return fail(ProblemCode::NotFound, "no document " + std::to_string(id));
    auto customer = stores_.customers->findById(document->customerId);
    auto out = stores_.loans->outAmong({paperCodeOf(*document)});
    std::vector<const storage::Page*> pages;
    for (const auto& page : document->pages) pages.push_back(&page);
    DocumentView view{*document,
                      shownOf(*document, out, pageFacts(*stores_.readings, *stores_.customers, pages, customer ? &*customer : nullptr),
                              paper_.placesOfItems({document->lineageId})[document->lineageId]),
                      stores_.documents->versions(document->lineageId)};
    return view;
}

Outcome<storage::Page> CustomerFiles::page(std::int64_t id) {
    auto page = stores_.documents->page(id);
    if (!page) return fail(ProblemCode::NotFound, "no page " + std::to_string(id));
    return *page;
}

Outcome<PageImage> CustomerFiles::pageImage(const storage::Page& page, bool original) {
    PageImage image;
    image.digest = original ? page.sha256 : page.cleanedSha256.value_or(page.sha256);
    auto in = images_.open(image.digest);
    if (!in) return fail(ProblemCode::NotFound, "the image of page " + std::to_string(page.id) + " is missing from the store");
    Poco::StreamCopier::copyToString(*in, image.bytes);
    return image;
}

SearchResult CustomerFiles::search(std::string_view query, int limit) {
    return {stores_.customers->search(query, limit), stores_.readings->searchText(std::string(query), limit)};
}

Outcome<SearchResult> CustomerFiles::search(std::string_view query, const std::string& docType, int limit) {
    auto known = knownDocumentType(docType);
    if (!known) return std::unexpected(known.error());
    if (query.find_first_not_of(" \t") == std::string_view::npos)
        return SearchResult{stores_.customers->holdingDocument(*known, std::nullopt, limit), {}};
    std::vector<std::int64_t> ids;
    for (const auto& c : stores_.customers->search(query, 200)) ids.push_back(c.id);
    SearchResult found{stores_.customers->holdingDocument(*known, ids, limit), {}};
    for (auto& hit : stores_.readings->searchText(std::string(query), limit))
        if (hit.docType == *known) found.pages.push_back(std::move(hit));
    return found;
}

storage::UpsertOutcome CustomerFiles::importCustomers(const std::vector<storage::CustomerFields>& rows,
                                                      const storage::Actor& actor) {
    return stores_.customers->upsert(rows, actor);
}

}  // namespace dangan::server
