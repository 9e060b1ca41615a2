#pragma once
// Validation of the key fields printed on customer papers and held in the customer record:
// 户号 (account number), 证件号码 (resident ID or unified social credit code) and phone numbers.
// Pure functions, thread-safe, no allocation beyond the returned message.

#include <optional>
#include <string>
#include <string_view>

namespace dangan::ocr {

// A field that failed validation: a message in plain English naming the problem.
struct FieldProblem {
    std::string message;
};

// 户号: digits only, 6 to 20 of them (typically 10).
[[nodiscard]] std::optional<FieldProblem> checkAccountNumber(std::string_view value);

// 18-character resident ID (GB 11643): 17 digits, a valid birth date, and the ISO 7064 MOD 11-2
// check character (0-9 or X; a lower-case x is rejected so stored values are canonical).
[[nodiscard]] std::optional<FieldProblem> checkResidentId(std::string_view value);

// 18-character unified social credit code (GB 32100) with its MOD 31 check character.
[[nodiscard]] std::optional<FieldProblem> checkCreditCode(std::string_view value);

// 证件号码: either a resident ID or a unified social credit code.
[[nodiscard]] std::optional<FieldProblem> checkIdNumber(std::string_view value);

// Mobile (1[3-9] + 9 digits) or landline (0 + area code 2-3 digits, '-' optional, 7-8 digits,
// optional '-' extension of 1-6 digits), or a bare 7-8 digit local number.
[[nodiscard]] std::optional<FieldProblem> checkPhone(std::string_view value);

// A customer's name as printed: a person's (two to six Chinese characters, a middle dot allowed in
// transliterated names) or an organisation's (see isOrganisationName). Anything else, a clause
// of prose or a name with stray Latin letters or digits in it, is no name.
[[nodiscard]] std::optional<FieldProblem> checkCustomerName(std::string_view value);

// Whether `value` has the form of an organisation's name: Chinese characters (with brackets and
// digits for a branch: 第一分公司), at least four, ending in what organisations are called
// (有限公司, 厂, 医院, 合作社, 委员会, …).
[[nodiscard]] bool isOrganisationName(std::string_view value);

// The expected ISO 7064 MOD 11-2 check character for the first 17 digits of a resident ID.
[[nodiscard]] char residentIdCheckCharacter(std::string_view first17);

}  // namespace dangan::ocr
