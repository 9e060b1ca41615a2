#pragma once
// The parsers that take bytes from outside the archive, each as one fuzz target: JSON bodies,
// multipart uploads, CSV imports, the rules and calendar files, scanned images (through
// Leptonica, with the size caps the server applies) and the archive's own codes. A target returns
// normally for any input: bad bytes are refused as values, as the server refuses them. A crash, an
// exception escaping or a broken invariant (abort) is a finding.
//
// Driven by AFL++ through dangan-fuzz (bench/run_fuzz.sh), and by the regression test
// (fuzz_regressions_test.cpp) over every kept input: the seed corpus, what the fuzzer added to it,
// and every input that once crashed.

#include <string_view>
#include <vector>

namespace dangan::fuzz {

struct Target {
    std::string_view name;  // also the folder of its inputs under tests/fuzz/corpus and crashes
    void (*run)(std::string_view bytes);
};

[[nodiscard]] const std::vector<Target>& targets();

}  // namespace dangan::fuzz
