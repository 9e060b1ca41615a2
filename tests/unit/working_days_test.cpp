// The working-day calendar of service time limits: public holidays and the weekend days worked in
// exchange, as the shipped 2026 file gives them.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "dangan/desks/calendar.h"
#include "dangan/desks/working_days.h"

namespace dangan::server {
namespace {

WorkingCalendar shipped2026() {
    std::ifstream in(std::string(DANGAN_DEFAULT_CALENDAR) + "/2026.csv");
    std::ostringstream text;
    text << in.rdbuf();
    auto year = CalendarYear::parse(text.str());
    EXPECT_TRUE(year) << year.error().describe();
    return WorkingCalendar({*year});
}

constexpr std::int64_t kHour = 3600LL * 1000;

TEST(WorkingDays, HolidaysAreOffAndAdjustedWeekendDaysAreWorked) {
    auto calendar = shipped2026();
    EXPECT_FALSE(calendar.isWorkingDay("2026-10-01")) << "国庆节";
    EXPECT_FALSE(calendar.isWorkingDay("2026-10-07"));
    EXPECT_TRUE(calendar.isWorkingDay("2026-10-10")) << "a Saturday worked in exchange";
    EXPECT_TRUE(calendar.isWorkingDay("2026-09-20")) << "a Sunday worked in exchange";
    EXPECT_FALSE(calendar.isWorkingDay("2026-10-17")) << "an ordinary Saturday";
    EXPECT_TRUE(calendar.isWorkingDay("2026-10-08"));
    EXPECT_TRUE(WorkingCalendar().isWorkingDay("2026-10-01")) << "without the year's file: Monday to Friday";
}

TEST(WorkingDays, ALimitSkipsTheHolidayAndCountsTheAdjustedWorkingDay) {
    auto calendar = shipped2026();
    // 受理 on Wednesday 30 September at 10:00: the resident's supply plan (3 working days) skips
    // 1–7 October, then counts Thursday 8, Friday 9 and Saturday 10 (worked in exchange).
    std::int64_t accepted = dayStart("2026-09-30") + 10 * kHour;
    auto limit = calendar.limit(accepted, 3, 1);
    EXPECT_EQ(limit.dueAt, dayStart("2026-10-11"));
    EXPECT_EQ(limit.yellowAt, dayStart("2026-10-10")) << "one working day left";
    auto weekdaysOnly = WorkingCalendar().limit(accepted, 3, 1);
    EXPECT_EQ(weekdaysOnly.dueAt, dayStart("2026-10-06")) << "the same count without the holiday";
    // 8 working days from Friday 18 September: Sunday 20 is worked, 25–27 are 中秋节.
    EXPECT_EQ(calendar.limit(dayStart("2026-09-18") + 9 * kHour, 8, 2).dueAt, dayStart("2026-10-01"));
    // A limit with no yellow days turns yellow only when it turns red.
    auto noYellow = calendar.limit(accepted, 3, 0);
    EXPECT_EQ(noYellow.yellowAt, noYellow.dueAt);
}

TEST(WorkingDays, ABadCalendarIsNamedByItsLine) {
    auto error = [](const std::string& text) {
        auto year = CalendarYear::parse(text);
        return year ? std::string("parsed") : year.error().describe();
    };
    EXPECT_EQ(error("holiday,2026-10-01,国庆节\n"), "line 1: the first line must name the year (year,YYYY)");
    EXPECT_EQ(error("year,2026\nholiday,2027-01-01,元旦\n"), "line 2: 2027-01-01 is not in 2026");
    EXPECT_EQ(error("year,2026\nworkday,2026-10-09,x\n"), "line 2: 2026-10-09 is a weekday already; only weekend days are worked in exchange");
    EXPECT_EQ(error("year,2026\nholiday,2026-10-01,a\nholiday,2026-10-01,b\n"), "line 3: 2026-10-01 is given twice");
    EXPECT_EQ(error("year,2026\nholiday,2026-02-30,x\n"), "line 2: '2026-02-30' is not a date (YYYY-MM-DD)");
    EXPECT_EQ(error("# nothing\n"), "the calendar names no year (year,YYYY)");
}

}  // namespace
}  // namespace dangan::server
