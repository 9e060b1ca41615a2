#pragma once
// 一户一档: a customer's e-file, its current documents sorted into the five categories.

#include <string_view>
#include <vector>

#include "dangan/desks/problem.h"
#include "dangan/desks/process_catalog.h"
#include "dangan/storage/stores.h"

namespace dangan::server {

struct CategoryFile {
    Category category;
    std::vector<storage::Document> documents;  // newest archive date first
};

struct CustomerFile {
    storage::Customer customer;
    std::vector<CategoryFile> categories;  // all five, in kCategoryOrder
};

class CustomerFiles {
public:
    CustomerFiles(storage::CustomerStore& customers, storage::DocumentStore& documents)
        : customers_(customers), documents_(documents) {}

    [[nodiscard]] Outcome<CustomerFile> open(std::string_view accountNo);

private:
    storage::CustomerStore& customers_;
    storage::DocumentStore& documents_;
};

// Sorts documents (already newest first) into the five categories by their process type.
[[nodiscard]] std::vector<CategoryFile> sortIntoCategories(std::vector<storage::Document> documents);

}  // namespace dangan::server
