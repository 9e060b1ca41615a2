#include "dangan/desks/calendar.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>
#include <Poco/Timespan.h>
#include <Poco/Timestamp.h>

#include "dangan/storage/database.h"

namespace dangan::server {
namespace {

Poco::DateTime parseDate(const std::string& text) {
    int zone = 0;
    return Poco::DateTimeParser::parse("%Y-%m-%d", text, zone);
}

std::string formatDate(const Poco::DateTime& date) { return Poco::DateTimeFormatter::format(date, "%Y-%m-%d"); }

}  // namespace

std::string chinaDate(std::int64_t millis) {
    return formatDate(Poco::DateTime(Poco::Timestamp((millis + kChinaOffsetMs) * 1000)));
}

std::string today(const storage::Clock& clock) { return chinaDate(clock.nowMillis()); }

std::string chinaClock(std::int64_t millis) {
    return Poco::DateTimeFormatter::format(Poco::DateTime(Poco::Timestamp((millis + kChinaOffsetMs) * 1000)), "%H:%M");
}

std::string chinaMinute(std::int64_t millis) { return chinaDate(millis) + " " + chinaClock(millis); }

bool isDate(const std::string& text) {
    if (text.size() != 10) return false;
    try {
        return formatDate(parseDate(text)) == text;  // 2026-02-30 does not survive the round trip
    } catch (const Poco::Exception&) {
        return false;
    }
}

std::string addDays(const std::string& date, int days) {
    return formatDate(parseDate(date) + Poco::Timespan(days, 0, 0, 0, 0));
}

int daysBetween(const std::string& from, const std::string& to) { return (parseDate(to) - parseDate(from)).days(); }

std::int64_t dayStart(const std::string& date) {
    return parseDate(date).timestamp().epochMicroseconds() / 1000 - kChinaOffsetMs;
}

bool isMonth(const std::string& text) { return text.size() == 7 && isDate(text + "-01"); }

std::string nextMonth(const std::string& month) {
    int year = std::stoi(month.substr(0, 4)), m = std::stoi(month.substr(5, 2));
    if (++m == 13) {
        m = 1;
        ++year;
    }
    char out[8];
    std::snprintf(out, sizeof out, "%04d-%02d", year, m);
    return out;
}

}  // namespace dangan::server
