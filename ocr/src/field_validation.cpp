#include "dangan/ocr/field_validation.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "text_units.h"

namespace dangan::ocr {
namespace {

bool allDigits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int digitsToInt(std::string_view s) {
    int v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    return v;
}

bool validDate(int y, int m, int d) {
    if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
    static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int max = kDays[m - 1] + ((m == 2 && leap) ? 1 : 0);
    return d <= max;
}

FieldProblem problem(std::string message) { return FieldProblem{std::move(message)}; }

bool isHan(char32_t c) { return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF); }

// What organisations are called at the end of their names.
constexpr std::array<std::string_view, 44> kOrganisationEndings{
    "公司", "厂", "店", "医院", "卫生院", "诊所", "学校", "小学", "中学", "大学", "学院", "幼儿园", "委员会", "村委会",
    "居委会", "合作社", "中心", "局", "所", "站", "集团", "酒店", "宾馆", "超市", "商行", "经营部", "门市部", "银行",
    "支行", "分行", "协会", "基金会", "研究院", "办事处", "政府", "部", "队", "场", "馆", "院", "社", "处", "会", "厅"};

}  // namespace

bool isOrganisationName(std::string_view value) {
    auto points = codePointValues(value);
    if (!points || points->size() < 4 || points->size() > 40) return false;
    for (char32_t c : *points)
        if (!isHan(c) && c != U'（' && c != U'）' && c != U'(' && c != U')' && !(c >= U'0' && c <= U'9')) return false;
    if (!isHan(points->back())) return false;
    return std::any_of(kOrganisationEndings.begin(), kOrganisationEndings.end(),
                       [&](std::string_view ending) { return value.ends_with(ending); });
}

std::optional<FieldProblem> checkCustomerName(std::string_view value) {
    if (isOrganisationName(value)) return std::nullopt;
    auto points = codePointValues(value);
    if (!points) return problem("name is not valid UTF-8");
    if (points->size() < 2 || points->size() > 6)
        return problem("name must be a person's name (2 to 6 Chinese characters) or an organisation's");
    for (std::size_t i = 0; i < points->size(); ++i)
        if (!isHan((*points)[i]) && !((*points)[i] == U'·' && i > 0 && i + 1 < points->size()))
            return problem("name must be a person's name (2 to 6 Chinese characters) or an organisation's");
    return std::nullopt;
}

std::optional<FieldProblem> checkAccountNumber(std::string_view value) {
    if (value.empty()) return problem("account_no is required");
    if (!allDigits(value)) return problem("account_no must contain digits only");
    if (value.size() < 6 || value.size() > 20)
        return problem("account_no must have 6 to 20 digits");
    return std::nullopt;
}

char residentIdCheckCharacter(std::string_view first17) {
    static constexpr std::array<int, 17> kWeights{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static constexpr std::string_view kCheck = "10X98765432";
    int sum = 0;
    for (std::size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
    return kCheck[sum % 11];
}

std::optional<FieldProblem> checkResidentId(std::string_view value) {
    if (value.size() != 18) return problem("resident ID must have 18 characters");
    std::string_view body = value.substr(0, 17);
    if (!allDigits(body)) return problem("resident ID must start with 17 digits");
    int year = digitsToInt(value.substr(6, 4));
    int month = digitsToInt(value.substr(10, 2));
    int day = digitsToInt(value.substr(12, 2));
    if (!validDate(year, month, day)) return problem("resident ID has an invalid birth date");
    char expected = residentIdCheckCharacter(body);
    if (value[17] != expected)
        return problem(std::string("resident ID check character is wrong (expected ") + expected +
                       ")");
    return std::nullopt;
}

std::optional<FieldProblem> checkCreditCode(std::string_view value) {
    // GB 32100-2015: alphabet of 31 characters (no I, O, Z, S, V).
    static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    static constexpr std::array<int, 17> kWeights{1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                  29, 25, 13, 8,  24, 10, 30, 28};
    if (value.size() != 18) return problem("credit code must have 18 characters");
    int sum = 0;
    for (std::size_t i = 0; i < 17; ++i) {
        auto pos = kAlphabet.find(value[i]);
        if (pos == std::string_view::npos)
            return problem("credit code contains a character outside its alphabet");
        sum += static_cast<int>(pos) * kWeights[i];
    }
    auto last = kAlphabet.find(value[17]);
    if (last == std::string_view::npos)
        return problem("credit code contains a character outside its alphabet");
    int expected = (31 - sum % 31) % 31;
    if (static_cast<int>(last) != expected)
        return problem(std::string("credit code check character is wrong (expected ") +
                       kAlphabet[expected] + ")");
    return std::nullopt;
}

std::optional<FieldProblem> checkIdNumber(std::string_view value) {
    if (value.size() != 18)
        return problem("id_number must have 18 characters (resident ID or credit code)");
    if (allDigits(value.substr(0, 17)) && (std::isdigit(static_cast<unsigned char>(value[17])) ||
                                           value[17] == 'X')) {
        // Resident IDs are all digits; a credit code can be too, so accept either check.
        auto resident = checkResidentId(value);
        if (!resident) return std::nullopt;
        if (!checkCreditCode(value)) return std::nullopt;
        return problem("id_number: " + resident->message);
    }
    if (auto credit = checkCreditCode(value)) return problem("id_number: " + credit->message);
    return std::nullopt;
}

std::optional<FieldProblem> checkPhone(std::string_view value) {
    if (value.empty()) return problem("phone is empty");
    if (allDigits(value) && value.size() == 11 && value[0] == '1' && value[1] >= '3')
        return std::nullopt;  // mobile
    if (allDigits(value) && (value.size() == 7 || value.size() == 8) && value[0] != '0')
        return std::nullopt;  // local number without area code
    if (value[0] == '0') {
        // Landline: area code (3-4 digits incl. the leading 0), optional '-', 7-8 digits, optional
        // '-' and extension; 10 to 18 digits in all.
        std::size_t digits = 0;
        std::size_t dashes = 0;
        for (char c : value) {
            if (c == '-') {
                ++dashes;
            } else if (c >= '0' && c <= '9') {
                ++digits;
            } else {
                return problem("phone contains characters other than digits and '-'");
            }
        }
        if (dashes > 2) return problem("phone has too many '-'");
        if (digits >= 10 && digits <= 18) return std::nullopt;
        return problem("landline phone must have an area code and 7-8 digits");
    }
    return problem("phone must be a mobile number (11 digits starting 13-19) or a landline with area code");
}

}  // namespace dangan::ocr
