#pragma once
// Text for the customer search index. SQLite's trigram tokenizer cannot find strings shorter than
// three characters (two-character names such as 张伟 are common), so the index holds overlapping
// character bigrams as tokens and a query becomes a phrase of its bigrams: an exact substring
// match for any query of two or more characters, and a prefix match for a single character.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dangan::storage {

// Lower-cases ASCII, folds full-width forms to ASCII, and drops spaces and punctuation; returns
// the remaining characters (UTF-8 code points), each as its own string.
[[nodiscard]] std::vector<std::string> searchCharacters(std::string_view text);

// "张伟明" -> "张伟 伟明"; a single character stays as it is; empty text gives "".
[[nodiscard]] std::string bigramText(std::string_view text);

// An FTS5 MATCH expression requiring every whitespace-separated term of `query`, or nullopt when
// the query has no searchable characters.
[[nodiscard]] std::optional<std::string> searchExpression(std::string_view query);

}  // namespace dangan::storage
