// The paper desks' pure rules: voltage areas, loan dates and reminders, the stocktake comparison.
#include <gtest/gtest.h>

#include "dangan/barcode/own_code.h"
#include "dangan/desks/lending_desk.h"
#include "dangan/desks/paper_desk.h"

namespace dangan::server {
namespace {

std::string box(int id) { return barcode::encodeOwnCode({barcode::OwnCodeKind::Box, {std::to_string(id)}}).value(); }
std::string shelf(int id) { return barcode::encodeOwnCode({barcode::OwnCodeKind::Location, {std::to_string(id)}}).value(); }

TEST(PaperRules, VoltageAreas) {
    for (const char* v : {"0.4kV", "220V", "380 V", "低压", "", "0.4 KV"}) EXPECT_EQ(voltageAreaOf(v), "low") << v;
    for (const char* v : {"10kV", "35kV", "110 kV", "高压", "6KV", "10000V"}) EXPECT_EQ(voltageAreaOf(v), "high") << v;
}

TEST(PaperRules, LoanDates) {
    EXPECT_TRUE(isDate("2026-02-28"));
    EXPECT_FALSE(isDate("2026-02-30"));
    EXPECT_FALSE(isDate("2026-2-3"));
    EXPECT_EQ(addDays("2026-12-20", 15), "2027-01-04");
    EXPECT_EQ(daysBetween("2026-11-23", "2026-12-08"), 15);
    EXPECT_EQ(reminderLevel(1), 1);
    EXPECT_EQ(reminderLevel(7), 2);
    EXPECT_EQ(reminderLevel(30), 3);
    ASSERT_TRUE(loanPurpose("judicial"));
    EXPECT_EQ(loanPurpose("judicial")->renewals, 2);
    EXPECT_FALSE(loanPurpose("fun"));
}

TEST(PaperRules, StocktakeNamesEveryDifference) {
    // Records: shelf 1 holds boxes 1 2, shelf 2 holds 3 4 (4 is on loan? no: 5 is), shelf 3 is not read.
    std::unordered_map<std::string, std::int64_t> recorded{{box(1), 1}, {box(2), 1}, {box(3), 2}, {box(4), 2},
                                                           {box(5), 2}, {box(6), 3}, {box(9), 7}};
    std::map<std::int64_t, std::vector<std::string>> reads{
        {1, {box(1), box(3), "INV-88", box(1)}},  // box 3 belongs on shelf 2; box 1 read twice
        {2, {box(4), box(9)}},                     // box 9 is recorded on shelf 7, outside the scope
    };
    auto report = compareStocktake({1, 2, 3}, reads, recorded, {box(5)});
    auto codes = [](const std::vector<StocktakeFinding>& list) {
        std::vector<std::string> c;
        for (const auto& f : list) c.push_back(f.code);
        return c;
    };
    EXPECT_EQ(codes(report.missing), std::vector<std::string>{box(2)});
    EXPECT_EQ(codes(report.misplaced), (std::vector<std::string>{box(3), box(9)}));
    EXPECT_EQ(report.misplaced[0].foundOn, shelf(1));
    EXPECT_EQ(report.misplaced[0].belongsOn, shelf(2));
    EXPECT_EQ(codes(report.unexpected), std::vector<std::string>{"INV-88"});
    EXPECT_EQ(codes(report.onLoan), std::vector<std::string>{box(5)});
    EXPECT_EQ(report.shelvesNotRead, std::vector<std::string>{shelf(3)});  // box 6 is not called missing
    EXPECT_EQ(report.read, 5);
    EXPECT_EQ(report.expected, 6);
}

}  // namespace
}  // namespace dangan::server
