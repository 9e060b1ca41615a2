#pragma once
// The server's expected failures: a closed set of codes, each with one HTTP status (see
// http_call.h, statusOf), and a message in plain English naming the problem.
//
// The error policy, layer by layer:
// - A desk returns what can go wrong in the archive's terms (bad input, not found, not allowed,
//   a conflict with the archive's state) as a value: Outcome<T>.
// - The stores return their refusals as values too (std::expected<T, SomethingRefusal>, or a
//   result that says it was refused); a refusal found part-way through a transaction rolls it
//   back by its value (Database::writeIf), never by a thrown exception. Desks translate them
//   into Problems.
// - Exceptions are for the truly unexpected: the disk, the database, a font that will not load
//   for printing. The HTTP layer answers them 500 with a request id and logs them; background
//   work logs what it gave up and why. Nothing is swallowed without a log line.

#include <expected>
#include <string>
#include <vector>

namespace dangan::server {

enum class ProblemCode {
    BadRequest,            // malformed request or invalid field
    Unauthenticated,       // no or bad credentials
    Forbidden,             // the user's roles do not allow this
    NotFound,              // no such object
    Conflict,              // the change contradicts the archive's state
    PayloadTooLarge,       // a file or the request is over the limit
    UnsupportedMediaType,  // not an accepted format
    Unprocessable,         // well-formed, but refers to something that is not there or not valid
    InsufficientStorage,   // the data folder's disk has no room for it (nothing was written)
};

// One bad row of an import, by its line in the submitted text (CSV: the physical line, header
// included; JSON: the 1-based position in the array).
struct RowProblem {
    int line = 0;
    std::string field;
    std::string message;
};

struct Problem {
    ProblemCode code;
    std::string message;
    std::vector<RowProblem> rows;
};

template <class T>
using Outcome = std::expected<T, Problem>;

inline std::unexpected<Problem> fail(ProblemCode code, std::string message) {
    return std::unexpected(Problem{code, std::move(message), {}});
}

}  // namespace dangan::server
