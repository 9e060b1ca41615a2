#pragma once
// Working days in China: Monday to Friday, less the public holidays, plus the weekend days worked
// in exchange (调休上班), as the State Council publishes them each year. A year's days are kept as
// a small text file (server/rules/calendar/<year>.csv) that an admin can replace; a year with no
// file counts Monday to Friday.
//
// Service time limits (业扩时限) count in working days from the day a step starts: the start day
// itself does not count, and the limit ends at midnight (China time) after its last working day.

#include <cstdint>
#include <expected>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "dangan/desks/problem.h"
#include "dangan/desks/process_rules.h"
#include "dangan/storage/completeness_stores.h"

namespace dangan::server {

// One year's exceptions to the working week.
struct CalendarYear {
    int year = 0;
    std::map<std::string, std::string> holidays;   // date → name (weekdays off)
    std::map<std::string, std::string> workdays;   // date → name (weekend days worked)

    // Lines "year,2026", "holiday,2026-10-01,国庆节", "workday,2026-10-10,国庆节调休上班"; '#'
    // starts a comment. Every date must lie in the year; a day is not both.
    [[nodiscard]] static std::expected<CalendarYear, RulesError> parse(std::string_view text);
};

// When a time limit turns yellow and red.
struct LimitTimes {
    std::int64_t yellowAt = 0;   // no more than the limit's yellow days left
    std::int64_t dueAt = 0;      // the limit has passed
};

class WorkingCalendar {
public:
    WorkingCalendar() = default;
    explicit WorkingCalendar(std::vector<CalendarYear> years);

    [[nodiscard]] bool isWorkingDay(const std::string& date) const;
    // The limit of `workingDays` working days from the day of `start`, yellow when `yellowDays`
    // or fewer remain.
    [[nodiscard]] LimitTimes limit(std::int64_t start, int workingDays, int yellowDays) const;
    // Whether the calendar knows the year's holidays.
    [[nodiscard]] bool knowsYear(int year) const { return years_.contains(year); }
    [[nodiscard]] const std::map<int, CalendarYear>& years() const { return years_; }

private:
    std::map<int, CalendarYear> years_;
};

// The calendar in force: the archive's own years (replaced through the API), and for a year the
// archive lacks, the file shipped in the calendar folder.
class CalendarBook {
public:
    explicit CalendarBook(storage::CompletenessStore& store) : store_(store) {}

    // At start-up: the archive's years, then each `<year>.csv` of `folder` for a year the archive
    // lacks (stored as its first version). A bad file throws RulesFileError naming it.
    void load(const std::filesystem::path& folder);
    // Checks the text (it must be the year named) and puts it in force (audited).
    [[nodiscard]] Outcome<storage::CalendarVersion> install(int year, const std::string& text, const storage::Actor& actor);
    [[nodiscard]] std::shared_ptr<const WorkingCalendar> current() const;
    [[nodiscard]] std::vector<storage::CalendarVersion> versions() { return store_.calendarVersions(); }

private:
    void rebuild(const std::map<int, CalendarYear>& years);

    storage::CompletenessStore& store_;
    mutable std::mutex mutex_;
    std::map<int, CalendarYear> years_;
    std::shared_ptr<const WorkingCalendar> current_ = std::make_shared<const WorkingCalendar>();
};

}  // namespace dangan::server
