// ZXing-cpp's own published samples (../shared/peer-tests/zxing-samples, reference material beside
// the project): dangan must read every image plain ZXingReader 1.4 reads, with the same text, and
// find nothing on the false-positive images. ZXingReader (Debian's zxing-cpp-tools) runs live as
// the reference.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "dangan/scanner/page_image.h"
#include "server_process.h"

#ifndef DANGAN_PEER_SAMPLES
#error "DANGAN_PEER_SAMPLES must name the peer samples folder"
#endif

namespace dangan::barcode {
namespace {
namespace fs = std::filesystem;

// The texts ZXingReader prints for an image ("Text: "..."" lines).
std::set<std::string> referenceTexts(const fs::path& image) {
    auto run = testing::runCommand({"/usr/bin/ZXingReader", image.string()});
    std::set<std::string> texts;
    std::size_t at = 0;
    while ((at = run.output.find("Text:", at)) != std::string::npos) {
        auto open = run.output.find('"', at);
        auto close = run.output.find("\"\nBytes:", open);
        if (open == std::string::npos || close == std::string::npos) break;
        texts.insert(run.output.substr(open + 1, close - open - 1));
        at = close;
    }
    return texts;
}

std::vector<fs::path> images(const fs::path& folder) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(folder))
        if (e.path().extension() == ".png" || e.path().extension() == ".jpg") out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

class PeerSamples : public ::testing::TestWithParam<std::string> {};

TEST_P(PeerSamples, ReadsEverythingZXingReaderReadsAndInventsNothing) {
    fs::path folder = fs::path(DANGAN_PEER_SAMPLES) / GetParam();
    if (!fs::exists(folder)) GTEST_SKIP() << folder << " is not beside the project";
    ASSERT_TRUE(fs::exists("/usr/bin/ZXingReader")) << "install zxing-cpp-tools (scripts/setup.sh does)";
    bool falsePositives = GetParam().starts_with("falsepositives");
    int reference = 0, ours = 0;
    for (const auto& image : images(folder)) {
        auto frames = scanner::findBarcodes(scanner::readFile(image), {});
        ASSERT_TRUE(frames) << image << ": " << frames.error().message;
        std::set<std::string> found;
        for (const auto& code : frames->at(0)) found.insert(code.text);
        auto expected = referenceTexts(image);
        if (falsePositives) {
            EXPECT_TRUE(found.empty()) << image << " has no barcode, but dangan read " << *found.begin();
            EXPECT_TRUE(expected.empty()) << "the reference invented a code on " << image;
            continue;
        }
        reference += !expected.empty();
        ours += !found.empty();
        for (const auto& text : expected)
            EXPECT_TRUE(found.count(text)) << image << ": ZXingReader reads \"" << text << "\", dangan does not";
    }
    RecordProperty("zxingreader_images_read", reference);
    RecordProperty("dangan_images_read", ours);
    std::cout << GetParam() << ": ZXingReader read " << reference << " images, dangan " << ours << "\n";
    EXPECT_GE(ours, reference);
}

INSTANTIATE_TEST_SUITE_P(ZXingSamples, PeerSamples,
                         ::testing::Values("code128-1", "code128-2", "qrcode-1", "qrcode-2", "qrcode-3", "datamatrix-1",
                                           "datamatrix-2", "falsepositives-1", "falsepositives-2"),
                         [](const auto& info) {
                             std::string name = info.param;
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

}  // namespace
}  // namespace dangan::barcode
