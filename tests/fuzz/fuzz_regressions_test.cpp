// Every input the fuzzer keeps, run again on every build: the seed corpus and what the fuzzer
// added to it (tests/fuzz/corpus/TARGET) and every input that once crashed a target
// (tests/fuzz/crashes/TARGET). Each must be refused or taken as a value, never crash or throw.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "fuzz_targets.h"

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> inputsOf(std::string_view target, const char* kind) {
    std::vector<fs::path> files;
    fs::path folder = fs::path(DANGAN_SOURCE_DIR) / "tests" / "fuzz" / kind / std::string(target);
    if (fs::is_directory(folder))
        for (const auto& entry : fs::directory_iterator(folder))
            if (entry.is_regular_file()) files.push_back(entry.path());
    return files;
}

std::string bytesOf(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class FuzzRegressions : public ::testing::TestWithParam<dangan::fuzz::Target> {};

TEST_P(FuzzRegressions, EveryKeptInputIsRefusedOrTakenWithoutACrash) {
    const auto& target = GetParam();
    auto seeds = inputsOf(target.name, "corpus");
    // A target without inputs would pass having run nothing.
    ASSERT_GE(seeds.size(), 3u) << "tests/fuzz/corpus/" << target.name << " has fewer than 3 inputs";
    auto crashes = inputsOf(target.name, "crashes");
    seeds.insert(seeds.end(), crashes.begin(), crashes.end());
    for (const auto& file : seeds) EXPECT_NO_THROW(target.run(bytesOf(file))) << file;
}

INSTANTIATE_TEST_SUITE_P(Targets, FuzzRegressions, ::testing::ValuesIn(dangan::fuzz::targets()),
                         [](const auto& info) {
                             std::string name(info.param.name);
                             std::erase(name, '-');
                             return name;
                         });

}  // namespace
