#pragma once
// Text for the customer search index. SQLite's trigram tokenizer cannot find strings shorter than
// three characters (two-character names such as 张伟 are common), so the index holds overlapping
// character bigrams as tokens and a query becomes a phrase of its bigrams: an exact substring
// match for any query of two or more characters, and a prefix match for a single character.
//
// Every token carries a one-letter field marker (n: name, a: address, p: phone), so that each
// field has its own doclists: a name-only query never walks the address and phone postings, and
// a phrase can never straddle two fields.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dangan::storage {

// Lower-cases ASCII, folds full-width forms to ASCII, and drops spaces and punctuation; returns
// the remaining characters (UTF-8 code points), each as its own string.
[[nodiscard]] std::vector<std::string> searchCharacters(std::string_view text);

// ("张伟明", 'n') -> "n张伟 n伟明"; a single character stays alone ("n张"); empty text gives "".
[[nodiscard]] std::string bigramText(std::string_view text, char field);

// `text`'s characters (see searchCharacters) with every run one character off a term of `terms`
// (of four characters or more) replaced by the term: against its customer's address, a page's
// 湖南省长沙市岳蔓区庆丰路225号 becomes 湖南省长沙市岳麓区庆丰路225号 (OCR misreads a rare
// character the record holds). A run two characters off a term of eight or more is replaced too
// when none of its character pairs that differ from the term's is `known` (a pair the archive's
// names and places hold: 邱蔓 for 岳麓 is corrected, 开福 for 岳麓 is another district). Nothing
// when no run was corrected. For the search index only; what was read is never changed.
[[nodiscard]] std::optional<std::string> correctedByTerms(
    std::string_view text, const std::vector<std::string>& terms,
    const std::function<bool(const std::string& pair)>& known = [](const std::string&) { return true; });

// The indexed text of one customer: the marked bigrams of name, address and phone.
[[nodiscard]] std::string searchDocument(std::string_view name, std::string_view address,
                                         std::string_view phone);

// An FTS5 MATCH expression requiring every whitespace-separated term of `query` to occur in one
// of `fields` (markers, e.g. "n" or "nap"), or nullopt when the query has no searchable
// characters.
[[nodiscard]] std::optional<std::string> searchExpression(std::string_view query,
                                                          std::string_view fields);

// The space-separated tokens of `grams` (bigramText's or searchDocument's), as views into it.
[[nodiscard]] std::vector<std::string_view> searchTokens(std::string_view grams);

// PostgreSQL's forms of the same index and query. tsvectorText: `grams` (bigramText's or
// searchDocument's tokens) as a tsvector literal, each token at its position, so a phrase of
// bigrams (<->) matches as FTS5's phrase does. tsqueryText: searchExpression's condition as a
// tsquery ("a" | "n" fields, & between terms, :* for a single character's prefix).
[[nodiscard]] std::string tsvectorText(std::string_view grams);
[[nodiscard]] std::optional<std::string> tsqueryText(std::string_view query, std::string_view fields);

}  // namespace dangan::storage
