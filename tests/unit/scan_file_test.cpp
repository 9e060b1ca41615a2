// Page clean-up on realistic scans: Chinese forms rendered by pdftoppm and damaged as scanners do.
#include "dangan/scanner/scan_file.h"

#include <gtest/gtest.h>

#include <cmath>

#include "scanned_forms.h"

namespace dangan::scanner {
namespace {

using dangan::testing::FormSpec;

const std::string& formPng300() {
    static const std::string png = [] {
        FormSpec form{"用电申请书", {{"户号", "3300000001"}, {"户名", "张三"}, {"用电地址", "福州市鼓楼区五四路158号"},
                                  {"联系电话", "13800138000"}, {"申请容量", "8 千瓦"}}, 3};
        return dangan::testing::renderPdfPages(dangan::testing::formPdf({form}), 300).at(0);
    }();
    return png;
}

CleanPage clean(std::string bytes, const CleanupOptions& options = {}) {
    auto file = ScanFile::open(std::make_shared<const std::string>(std::move(bytes)), {});
    EXPECT_TRUE(file) << (file ? "" : file.error().message);
    EXPECT_EQ(file->pageCount(), 1);
    auto page = file->cleanPage(0, options);
    EXPECT_TRUE(page) << (page ? "" : page.error().message);
    return *page;
}

TEST(ScanFile, TurnsEveryOrientationUprightAndDeskews) {
    for (int quarters = 0; quarters < 4; ++quarters) {
        for (double skew : {0.0, 2.5, -1.5}) {
            auto page = clean(dangan::testing::damagedScan(formPng300(), {quarters, skew, false, 0.0005, 80, 7}));
            EXPECT_EQ(page.rotation, (4 - quarters) % 4 * 90) << "turned " << quarters << " skew " << skew;
            EXPECT_FALSE(page.blank);
            if (skew == 0) {
                EXPECT_EQ(page.skew, 0.0);
            } else {
                // The skew as seen after turning upright: opposite sign when turned half way.
                EXPECT_NEAR(std::fabs(page.skew), std::fabs(skew), 0.3) << "turned " << quarters << " skew " << skew;
            }
            EXPECT_EQ(page.cleanedJpeg.has_value(), quarters != 0 || skew != 0);
            if (page.cleanedJpeg) {
                auto cleaned = inspectImage(*page.cleanedJpeg, {});
                ASSERT_TRUE(cleaned);
                EXPECT_LT(cleaned->frames[0].width, cleaned->frames[0].height) << "portrait again";
            }
        }
    }
}

TEST(ScanFile, BlankBacksAreBlankAndSparsePagesAreNot) {
    for (unsigned seed : {1u, 2u, 3u}) EXPECT_TRUE(clean(dangan::testing::blankBack(2480, 3508, 300, seed)).blank) << seed;
    // One short line of text on an otherwise empty page is a page.
    FormSpec sparse{"备注", {}, 1};
    auto png = dangan::testing::renderPdfPages(dangan::testing::formPdf({sparse}), 300).at(0);
    EXPECT_FALSE(clean(dangan::testing::damagedScan(png, {})).blank);
}

TEST(ScanFile, FlagsLowResolutionAndDarkScans) {
    FormSpec form{"现场勘查记录", {{"户号", "3300000002"}}, 2};
    auto png150 = dangan::testing::renderPdfPages(dangan::testing::formPdf({form}), 150).at(0);
    auto low = clean(dangan::testing::damagedScan(png150, {}));
    EXPECT_NE(std::find(low.flags.begin(), low.flags.end(), kLowResolution), low.flags.end());
    auto fine = clean(dangan::testing::damagedScan(formPng300(), {}));
    EXPECT_TRUE(fine.flags.empty());
    EXPECT_EQ(fine.dpi, 300);
}

TEST(ScanFile, ReadsPdfPagesAndTiffFrames) {
    std::vector<FormSpec> forms{{"用电申请书", {{"户号", "1"}}, 1}, {"装表接电工作单", {{"户号", "2"}}, 2}};
    auto pdf = dangan::testing::formPdf(forms);
    auto file = ScanFile::open(std::make_shared<const std::string>(pdf), {});
    ASSERT_TRUE(file);
    EXPECT_EQ(file->mediaType(), "application/pdf");
    ASSERT_EQ(file->pageCount(), 2);
    auto page = file->cleanPage(1, {});
    ASSERT_TRUE(page);
    EXPECT_EQ(page->dpi, 300);
    EXPECT_TRUE(page->cleanedJpeg) << "a PDF page is kept as its rendering";
    EXPECT_NEAR(page->width, 2480, 2);
    EXPECT_FALSE(file->cleanPage(2, {}));
}

TEST(ScanFile, RefusesWhatIsNotAScan) {
    for (std::string bytes : {std::string("hello, world, this is text"), std::string("%PDF-1.4 garbage"), std::string()}) {
        auto file = ScanFile::open(std::make_shared<const std::string>(bytes), {});
        EXPECT_FALSE(file) << bytes;
    }
    // A truncated JPEG opens (its header is there) but its page does not decode.
    auto jpeg = dangan::testing::damagedScan(formPng300(), {});
    auto file = ScanFile::open(std::make_shared<const std::string>(jpeg.substr(0, jpeg.size() / 3)), {});
    if (file) {
        auto page = file->cleanPage(0, {});
        EXPECT_FALSE(page && !page->blank) << "a third of a form is not a clean page";
    }
}

}  // namespace
}  // namespace dangan::scanner
