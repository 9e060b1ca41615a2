#include "dangan/http/customer_import.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/UTF8String.h>
#include <csv.h>
#include <iconv.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>

#include "dangan/ocr/field_validation.h"

namespace dangan::server {
namespace {

using storage::CustomerFields;

std::string trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

std::size_t characters(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

bool validUtf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (len == 0 || i + len > s.size()) return false;
        for (int k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += len;
    }
    return true;
}

// GB18030 (a superset of GBK) to UTF-8 through glibc's iconv.
std::optional<std::string> fromGb18030(std::string_view text) {
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
    std::unique_ptr<void, int (*)(iconv_t)> guard(cd, iconv_close);
    std::string out(text.size() * 2 + 16, '\0');
    char* in = const_cast<char*>(text.data());
    std::size_t inLeft = text.size();
    char* dst = out.data();
    std::size_t outLeft = out.size();
    if (iconv(cd, &in, &inLeft, &dst, &outLeft) == static_cast<std::size_t>(-1)) return std::nullopt;
    out.resize(out.size() - outLeft);
    return out;
}

// Field names accepted in a CSV header or a JSON object.
const std::map<std::string, std::string CustomerFields::*, std::less<>>& columnNames() {
    static const std::map<std::string, std::string CustomerFields::*, std::less<>> kColumns{
        {"account_no", &CustomerFields::accountNo}, {"户号", &CustomerFields::accountNo},
        {"name", &CustomerFields::name},            {"户名", &CustomerFields::name},
        {"address", &CustomerFields::address},      {"地址", &CustomerFields::address},
        {"用电地址", &CustomerFields::address},     {"phone", &CustomerFields::phone},
        {"电话", &CustomerFields::phone},           {"联系电话", &CustomerFields::phone},
        {"id_number", &CustomerFields::idNumber},   {"证件号码", &CustomerFields::idNumber},
        {"voltage", &CustomerFields::voltage},      {"电压等级", &CustomerFields::voltage},
        {"unit", &CustomerFields::unit},            {"供电单位", &CustomerFields::unit},
    };
    return kColumns;
}

struct NumberedRow {
    int line;
    CustomerFields fields;
};

Outcome<std::vector<NumberedRow>> parseJson(std::string_view text, std::vector<RowProblem>& problems) {
    Poco::Dynamic::Var root;
    try {
        Poco::JSON::Parser parser;
        root = parser.parse(std::string(text));
    } catch (const Poco::Exception& e) {
        return fail(ProblemCode::BadRequest, "body is not valid JSON: " + e.message());
    }
    if (root.type() != typeid(Poco::JSON::Array::Ptr))
        return fail(ProblemCode::BadRequest, "body must be a JSON array of customer objects");
    auto array = root.extract<Poco::JSON::Array::Ptr>();
    std::vector<NumberedRow> rows;
    for (std::size_t i = 0; i < array->size(); ++i) {
        int line = static_cast<int>(i) + 1;
        auto object = array->getObject(static_cast<unsigned>(i));
        if (!object) {
            problems.push_back({line, "", "row must be a JSON object"});
            continue;
        }
        NumberedRow row{line, {}};
        for (const auto& [key, value] : *object) {
            auto column = columnNames().find(key);
            if (column == columnNames().end() || value.isEmpty()) continue;
            if (!value.isString()) {
                problems.push_back({line, key, key + " must be a string"});
                continue;
            }
            row.fields.*(column->second) = value.convert<std::string>();
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

// libcsv delivers fields and row ends through callbacks; this collects them with the physical
// line each row started on.
struct CsvReader {
    std::vector<std::vector<std::string>> records;
    std::vector<int> recordLines;
    std::vector<std::string> current;
    int line = 0;         // physical line being fed
    int recordStart = 0;  // line the current record began on
    bool inRecord = false;

    static void onField(void* s, size_t len, void* self) {
        auto* r = static_cast<CsvReader*>(self);
        r->current.emplace_back(static_cast<const char*>(s), len);
    }
    static void onRow(int, void* self) {
        auto* r = static_cast<CsvReader*>(self);
        r->records.push_back(std::move(r->current));
        r->recordLines.push_back(r->recordStart);
        r->current.clear();
        r->inRecord = false;
    }
};

Outcome<std::vector<NumberedRow>> parseCsv(std::string_view text, std::vector<std::string>& ignored) {
    csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        throw std::runtime_error("libcsv cannot initialise");
    std::unique_ptr<csv_parser, void (*)(csv_parser*)> guard(&parser, csv_free);
    CsvReader reader;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        std::size_t next = end == std::string_view::npos ? text.size() : end + 1;
        std::string_view physical = text.substr(pos, next - pos);
        ++reader.line;
        if (!reader.inRecord && !trim(physical).empty()) {
            reader.inRecord = true;
            reader.recordStart = reader.line;
        }
        if (csv_parse(&parser, physical.data(), physical.size(), CsvReader::onField, CsvReader::onRow,
                      &reader) != physical.size())
            return fail(ProblemCode::BadRequest, "CSV line " + std::to_string(reader.line) + ": " +
                                                     csv_strerror(csv_error(&parser)));
        pos = next;
    }
    if (csv_fini(&parser, CsvReader::onField, CsvReader::onRow, &reader) != 0)
        return fail(ProblemCode::BadRequest, "CSV ends inside a quoted field (line " +
                                                 std::to_string(reader.recordStart) + ")");
    if (reader.records.empty()) return fail(ProblemCode::BadRequest, "CSV has no header row");

    std::vector<std::string CustomerFields::*> mapping;
    bool hasAccount = false, hasName = false;
    for (const auto& raw : reader.records.front()) {
        std::string name = trim(raw);
        auto column = columnNames().find(Poco::UTF8::toLower(name));
        if (column == columnNames().end()) column = columnNames().find(name);
        if (column == columnNames().end()) {
            ignored.push_back(name);
            mapping.push_back(nullptr);
            continue;
        }
        hasAccount |= column->second == &CustomerFields::accountNo;
        hasName |= column->second == &CustomerFields::name;
        mapping.push_back(column->second);
    }
    if (!hasAccount || !hasName)
        return fail(ProblemCode::BadRequest,
                    "CSV header must name at least the columns account_no and name (or 户号 and 户名)");
    std::vector<NumberedRow> rows;
    for (std::size_t r = 1; r < reader.records.size(); ++r) {
        NumberedRow row{reader.recordLines[r], {}};
        const auto& record = reader.records[r];
        for (std::size_t c = 0; c < record.size() && c < mapping.size(); ++c)
            if (mapping[c]) row.fields.*(mapping[c]) = record[c];
        rows.push_back(std::move(row));
    }
    return rows;
}

void checkLength(const std::string& value, std::size_t max, int line, const char* field,
                 std::vector<RowProblem>& problems) {
    if (characters(value) > max)
        problems.push_back({line, field, std::string(field) + " is longer than " + std::to_string(max) + " characters"});
}

}  // namespace

void validateCustomer(CustomerFields& row, int line, std::vector<RowProblem>& problems) {
    for (auto member : {&CustomerFields::accountNo, &CustomerFields::name, &CustomerFields::address,
                        &CustomerFields::phone, &CustomerFields::idNumber, &CustomerFields::voltage,
                        &CustomerFields::unit})
        row.*member = trim(row.*member);
    if (!row.idNumber.empty() && row.idNumber.back() == 'x') row.idNumber.back() = 'X';

    if (auto p = ocr::checkAccountNumber(row.accountNo)) problems.push_back({line, "account_no", p->message});
    if (row.name.empty()) problems.push_back({line, "name", "name is required"});
    checkLength(row.name, 100, line, "name", problems);
    checkLength(row.address, 200, line, "address", problems);
    checkLength(row.voltage, 20, line, "voltage", problems);
    checkLength(row.unit, 100, line, "unit", problems);
    if (!row.phone.empty())
        if (auto p = ocr::checkPhone(row.phone)) problems.push_back({line, "phone", p->message});
    if (!row.idNumber.empty())
        if (auto p = ocr::checkIdNumber(row.idNumber)) problems.push_back({line, "id_number", p->message});
}

Outcome<CustomerImport> readCustomerImport(std::string_view text, ImportFormat format) {
    std::string converted;
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // Excel's UTF-8 byte order mark
    if (!validUtf8(text)) {
        auto gb = fromGb18030(text);
        if (!gb) return fail(ProblemCode::BadRequest, "text is neither UTF-8 nor GB18030");
        converted = std::move(*gb);
        text = converted;
    }
    std::vector<RowProblem> problems;
    CustomerImport result;
    auto parsed = format == ImportFormat::Json ? parseJson(text, problems)
                                               : parseCsv(text, result.ignoredColumns);
    if (!parsed) return std::unexpected(parsed.error());
    if (parsed->empty() && problems.empty()) return fail(ProblemCode::BadRequest, "the batch has no rows");

    std::unordered_map<std::string, int> firstLine;
    for (auto& row : *parsed) {
        validateCustomer(row.fields, row.line, problems);
        if (row.fields.accountNo.empty()) continue;
        auto [it, inserted] = firstLine.emplace(row.fields.accountNo, row.line);
        if (!inserted)
            problems.push_back({row.line, "account_no",
                                "account_no " + row.fields.accountNo + " also appears on line " +
                                    std::to_string(it->second)});
    }
    if (!problems.empty()) {
        std::sort(problems.begin(), problems.end(),
                  [](const RowProblem& a, const RowProblem& b) { return a.line < b.line; });
        Problem problem{ProblemCode::BadRequest,
                        std::to_string(problems.size()) + " problem(s) in the batch, first on line " +
                            std::to_string(problems.front().line) + ": " + problems.front().message +
                            "; nothing was imported",
                        std::move(problems)};
        return std::unexpected(std::move(problem));
    }
    for (auto& row : *parsed) result.rows.push_back(std::move(row.fields));
    return result;
}

}  // namespace dangan::server
