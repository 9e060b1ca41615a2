#pragma once
// A reply's JSON as text: the very text Poco's Stringifier writes (compact, each object's keys in
// its own order, strings escaped as Poco escapes them), written straight into one string. Poco's
// Stringifier writes a string's every character to a stream one at a time, which took a sixth of
// a node's time on an e-file (measured with perf, bench/README.md); here a plain string is
// appended whole, and whatever is not plain (a string to escape, a floating-point number, a type
// of value not listed) is still written by Poco.

#include <Poco/Dynamic/Var.h>

#include <string>

namespace dangan::server {

[[nodiscard]] std::string jsonText(const Poco::Dynamic::Var& value);

}  // namespace dangan::server
