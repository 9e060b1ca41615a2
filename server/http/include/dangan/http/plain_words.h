#pragma once
// The API's messages in plain Chinese, for the people at the screens. Errors keep a stable English
// `error` for programs; beside it each answer carries `message`, these words, which the web shows
// as they are (issue 25); English text inside an answer (why a scanned page waits for a person, a
// failed batch's error) has its Chinese beside it, named with `_zh`.

#include <string>
#include <string_view>

namespace dangan::server {

// `message` (an error, or why a page waits for review) in plain Chinese, the values it names kept.
// One the table does not know is shown under a sentence that says what kind of problem it is
// (by `status`, the HTTP status; 0 for a reason that is no error), with the server's words kept
// after it so nothing is hidden; one already written in Chinese stays as it is.
[[nodiscard]] std::string plainChinese(std::string_view message, int status);

}  // namespace dangan::server
