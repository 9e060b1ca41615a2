#pragma once
// Reading a batch of customer records (JSON array or CSV with a header row) and validating every
// row. Either every row is good and the batch can be applied, or the problems are reported by
// line and nothing is applied.

#include <string>
#include <string_view>
#include <vector>

#include "dangan/desks/problem.h"
#include "dangan/storage/records.h"

namespace dangan::server {

enum class ImportFormat { Json, Csv };

struct CustomerImport {
    std::vector<storage::CustomerFields> rows;
    std::vector<std::string> ignoredColumns;  // CSV header columns that are not customer fields
};

// Parses and validates. CSV headers may be the API names (account_no, name, address, phone,
// id_number, voltage, unit) or the marketing system's Chinese ones (户号, 户名, 地址, 联系电话,
// 证件号码, 电压等级, 供电单位). Text that is not UTF-8 is read as GB18030 (Excel's default here).
[[nodiscard]] Outcome<CustomerImport> readCustomerImport(std::string_view text, ImportFormat format);

// Validates and canonicalises one row (trims fields, upper-cases an ID number's check letter);
// appends its problems, tagged with `line`.
void validateCustomer(storage::CustomerFields& row, int line, std::vector<RowProblem>& problems);

}  // namespace dangan::server
