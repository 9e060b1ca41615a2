#include "dangan/desks/working_days.h"

#include <Poco/DateTime.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

#include <fstream>
#include <sstream>

#include "dangan/desks/calendar.h"
#include "dangan/desks/rules_book.h"

namespace dangan::server {
namespace {

int yearOf(const std::string& date) { return std::stoi(date.substr(0, 4)); }

int dayOfWeek(const std::string& date) {  // 0 Sunday … 6 Saturday
    return Poco::DateTime(yearOf(date), std::stoi(date.substr(5, 2)), std::stoi(date.substr(8, 2))).dayOfWeek();
}

}  // namespace

std::expected<CalendarYear, RulesError> CalendarYear::parse(std::string_view text) {
    CalendarYear year;
    int lineNo = 0;
    auto bad = [&](std::string message) { return std::unexpected(RulesError{lineNo, std::move(message)}); };
    std::istringstream in{std::string(text)};
    std::string line;
    while (std::getline(in, line)) {
        ++lineNo;
        if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
        Poco::trimInPlace(line);
        if (line.empty()) continue;
        Poco::StringTokenizer fields(line, ",", Poco::StringTokenizer::TOK_TRIM);
        if (fields[0] == "year") {
            if (fields.count() != 2 || fields[1].size() != 4 || !isDate(fields[1] + "-01-01"))
                return bad("the year line is 'year,YYYY'");
            if (year.year != 0) return bad("the year is given twice");
            year.year = std::stoi(fields[1]);
            continue;
        }
        if (fields[0] != "holiday" && fields[0] != "workday")
            return bad("a line starts with 'year', 'holiday' or 'workday', not '" + fields[0] + "'");
        if (year.year == 0) return bad("the first line must name the year (year,YYYY)");
        if (fields.count() != 3) return bad(fields[0] + " lines have 3 fields (" + fields[0] + ",YYYY-MM-DD,name)");
        const std::string& date = fields[1];
        if (!isDate(date)) return bad("'" + date + "' is not a date (YYYY-MM-DD)");
        if (yearOf(date) != year.year) return bad(date + " is not in " + std::to_string(year.year));
        if (year.holidays.contains(date) || year.workdays.contains(date)) return bad(date + " is given twice");
        bool weekend = dayOfWeek(date) == 0 || dayOfWeek(date) == 6;
        if (fields[0] == "workday" && !weekend) return bad(date + " is a weekday already; only weekend days are worked in exchange");
        (fields[0] == "holiday" ? year.holidays : year.workdays)[date] = fields[2];
    }
    lineNo = 0;
    if (year.year == 0) return bad("the calendar names no year (year,YYYY)");
    return year;
}

WorkingCalendar::WorkingCalendar(std::vector<CalendarYear> years) {
    for (auto& y : years) years_[y.year] = std::move(y);
}

bool WorkingCalendar::isWorkingDay(const std::string& date) const {
    if (auto y = years_.find(yearOf(date)); y != years_.end()) {
        if (y->second.holidays.contains(date)) return false;
        if (y->second.workdays.contains(date)) return true;
    }
    int dow = dayOfWeek(date);
    return dow != 0 && dow != 6;
}

LimitTimes WorkingCalendar::limit(std::int64_t start, int workingDays, int yellowDays) const {
    LimitTimes times{start, start};
    std::string day = chinaDate(start);
    const int yellowAfter = workingDays - yellowDays;  // working days counted when yellow begins
    for (int counted = 0; counted < workingDays;) {
        day = addDays(day, 1);
        if (!isWorkingDay(day)) continue;
        ++counted;
        if (counted == yellowAfter) times.yellowAt = dayStart(addDays(day, 1));
    }
    times.dueAt = dayStart(addDays(day, 1));
    return times;
}

void CalendarBook::rebuild(const std::map<int, CalendarYear>& years) {
    std::vector<CalendarYear> list;
    for (const auto& [year, days] : years) list.push_back(days);
    current_ = std::make_shared<const WorkingCalendar>(std::move(list));
}

void CalendarBook::load(const std::filesystem::path& folder) {
    std::map<int, CalendarYear> years;
    for (const auto& v : store_.calendarVersions()) {  // oldest first: the newest of a year wins
        auto parsed = CalendarYear::parse(v.text);
        if (!parsed) throw RulesFileError("calendar " + std::to_string(v.year) + " in the archive: " + parsed.error().describe());
        years[v.year] = std::move(*parsed);
    }
    std::error_code ec;
    if (std::filesystem::is_directory(folder, ec)) {
        std::vector<std::filesystem::path> files;
        for (const auto& entry : std::filesystem::directory_iterator(folder))
            if (entry.path().extension() == ".csv") files.push_back(entry.path());
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            std::ifstream in(file, std::ios::binary);
            std::ostringstream text;
            text << in.rdbuf();
            auto parsed = CalendarYear::parse(text.str());
            if (!parsed) throw RulesFileError("calendar file " + file.string() + ", " + parsed.error().describe());
            if (years.contains(parsed->year)) continue;
            (void)store_.addCalendarYear(parsed->year, text.str(), file.string(), {std::nullopt, "system"});
            years[parsed->year] = std::move(*parsed);
        }
    }
    std::lock_guard lock(mutex_);
    years_ = std::move(years);
    rebuild(years_);
}

Outcome<storage::CalendarVersion> CalendarBook::install(int year, const std::string& text, const storage::Actor& actor) {
    if (text.size() > 64 * 1024) return fail(ProblemCode::PayloadTooLarge, "a calendar year is larger than 64 KiB");
    auto parsed = CalendarYear::parse(text);
    if (!parsed) {
        Problem p{ProblemCode::Unprocessable, "the calendar is not valid: " + parsed.error().describe(), {}};
        if (parsed.error().line > 0) p.rows.push_back({parsed.error().line, "calendar", parsed.error().message});
        return std::unexpected(p);
    }
    if (parsed->year != year)
        return fail(ProblemCode::Unprocessable, "the calendar is of " + std::to_string(parsed->year) + ", not " + std::to_string(year));
    auto added = store_.addCalendarYear(year, text, "api", actor);
    std::lock_guard lock(mutex_);
    years_[year] = std::move(*parsed);
    rebuild(years_);
    return added;
}

std::shared_ptr<const WorkingCalendar> CalendarBook::current() const {
    std::lock_guard lock(mutex_);
    return current_;
}

}  // namespace dangan::server
