#pragma once
// What a new password must be (等保 2.0: 身份鉴别, 口令复杂度): long enough, of enough kinds of
// character, not the username, and not what a guesser tries first: CrackLib's dictionary words
// and patterns, and the passwords most used in China.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace dangan::server {

struct PasswordPolicy {
    std::size_t minLength = 8;
    int minClasses = 3;  // of: lower-case letters, upper-case letters, digits, other characters
};

// Why `password` may not be `username`'s under `policy`; nullopt when it may.
[[nodiscard]] std::optional<std::string> passwordWeakness(std::string_view password, std::string_view username,
                                                          const PasswordPolicy& policy = {});

}  // namespace dangan::server
