#include "dangan/desks/customer_file.h"

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

Outcome<CustomerFile> CustomerFiles::open(std::string_view accountNo) {
    auto customer = customers_.findByAccountNo(accountNo);
    if (!customer) return fail(ProblemCode::NotFound, "no customer with account_no " + std::string(accountNo));
    return CustomerFile{*customer, sortIntoCategories(documents_.currentDocuments(customer->id))};
}

}  // namespace dangan::server
