#include "dangan/barcode/archive_number.h"

#include <gtest/gtest.h>

#include "dangan/desks/process_catalog.h"

namespace dangan::barcode {
namespace {

TEST(ArchiveNumber, FollowsDaT22) {
    ArchiveNumberRule rule;
    auto prefix = archiveNumberPrefix(rule, "YK", 2026, Retention::Years30);
    EXPECT_EQ(prefix, "J001-YK·2026-D30-YXB-");
    EXPECT_EQ(archiveNumber(prefix, 1, rule.itemDigits), "J001-YK·2026-D30-YXB-0001");
    EXPECT_EQ(archiveNumber(prefix, 12345, rule.itemDigits), "J001-YK·2026-D30-YXB-12345");  // room to grow
    EXPECT_EQ(retentionCode(Retention::Permanent), "Y");
    EXPECT_EQ(retentionCode(Retention::Years10), "D10");
}

TEST(ArchiveNumber, ParsesWhatItWrites) {
    auto parts = parseArchiveNumber("J001-YK·2026-D30-YXB-0042");
    ASSERT_TRUE(parts);
    EXPECT_EQ(parts->fonds, "J001");
    EXPECT_EQ(parts->categoryCode, "YK");
    EXPECT_EQ(parts->year, 2026);
    EXPECT_EQ(parts->retention, "D30");
    EXPECT_EQ(parts->organisation, "YXB");
    EXPECT_EQ(parts->item, 42);
}

TEST(ArchiveNumber, RejectsWhatIsNotANumber) {
    for (auto text : {"", "J001-YK-2026-D30-YXB-0042", "J001-YK·2026-D31-YXB-0042", "J001-YK·26x-D30-YXB-1",
                      "J001-YK·2026-D30-YXB-0", "J001-yk·2026-D30-YXB-0001", "METER-8812345", "J001-YK·2026-D30-YXB"})
        EXPECT_FALSE(parseArchiveNumber(text)) << text;
}

TEST(ArchiveNumber, CategoriesHaveTheirCodesAndRetention) {
    using server::Category;
    EXPECT_EQ(server::categoryCode(Category::Connection), "YK");
    EXPECT_EQ(server::categoryCode(Category::Billing), "DF");
    EXPECT_EQ(server::retentionOf(Category::Connection), Retention::Years30);
    EXPECT_EQ(server::retentionOf(Category::Metering), Retention::Years10);
}

}  // namespace
}  // namespace dangan::barcode
