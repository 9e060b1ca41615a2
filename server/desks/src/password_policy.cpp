#include "dangan/desks/password_policy.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstddef>
#include <mutex>

#include <Poco/String.h>

// CrackLib's header uses size_t without including its definition.
#include <crack.h>

namespace dangan::server {
namespace {

// How many kinds of character `password` mixes: lower-case, upper-case, digits, others (any other
// byte, so a Chinese character counts as an other).
int classesOf(std::string_view password) {
    bool lower = false, upper = false, digit = false, other = false;
    for (unsigned char c : password) {
        if (std::islower(c)) lower = true;
        else if (std::isupper(c)) upper = true;
        else if (std::isdigit(c)) digit = true;
        else other = true;
    }
    return lower + upper + digit + other;
}

// Passwords that pass length and classes and CrackLib's small dictionary, yet are among the first a
// guesser tries on a Chinese company's system (the leaked-password lists' top entries of that form).
// Kept by hand: no Debian package ships such a list.
constexpr std::array<std::string_view, 24> kMostUsed = {
    "p@ssw0rd",   "passw0rd",   "p@ssword",    "p@55w0rd",   "admin@123",  "admin#123",  "admin@1234", "aa123456",
    "aa123456!",  "qq123456",   "abc@123",     "abc@1234",   "1qaz@wsx",   "1qaz2wsx",   "1qaz!qaz",   "qwe@123",
    "qwe123!@#",  "huawei@123", "woaini@1314", "test@123",   "root@123",   "welcome@1",  "sgcc@123",   "dangan@123",
};

// CrackLib's verdict: its dictionary words (turned about, with digits and case changed), and
// passwords too simple or systematic. Its check is not known to be thread-safe.
const char* crackLibVerdict(const std::string& password) {
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    return FascistCheck(password.c_str(), GetDefaultCracklibDict());
}

}  // namespace

std::optional<std::string> passwordWeakness(std::string_view password, std::string_view username, const PasswordPolicy& policy) {
    if (password.size() < policy.minLength)
        return "password must have at least " + std::to_string(policy.minLength) + " characters";
    if (password.size() > 256) return "password must have at most 256 characters";
    if (classesOf(password) < policy.minClasses)
        return "password must mix at least " + std::to_string(policy.minClasses) +
               " of: lower-case letters, upper-case letters, digits, other characters";
    std::string low = Poco::toLower(std::string(password));
    if (username.size() >= 3) {
        std::string name = Poco::toLower(std::string(username)), reversed(name.rbegin(), name.rend());
        if (low.find(name) != std::string::npos || low.find(reversed) != std::string::npos)
            return "password must not contain the username";
    }
    if (std::find(kMostUsed.begin(), kMostUsed.end(), low) != kMostUsed.end())
        return "password is one of the most used passwords";
    if (const char* why = crackLibVerdict(std::string(password))) return std::string("password is too easy to guess: ") + why;
    return std::nullopt;
}

}  // namespace dangan::server
