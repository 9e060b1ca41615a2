#include "dangan/storage/clock.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <string>

namespace dangan::storage {

std::int64_t SystemClock::nowMillis() const {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::int64_t FileClock::nowMillis() const {
    std::ifstream in(file_);
    if (!in) return SystemClock().nowMillis();
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return parseInstant(text).value_or(SystemClock().nowMillis());
}

std::shared_ptr<const Clock> systemClock() {
    static const auto clock = std::make_shared<const SystemClock>();
    return clock;
}

std::optional<std::int64_t> parseInstant(std::string_view written) {
    std::string text = Poco::trim(std::string(written));
    Poco::Int64 millis = 0;
    if (Poco::NumberParser::tryParse64(text, millis)) return millis;
    Poco::DateTime at;
    int zone = 0;
    if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FORMAT, text, at, zone) &&
        !Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, text, at, zone))
        return std::nullopt;
    at.makeUTC(zone);
    return at.timestamp().epochMicroseconds() / 1000;
}

}  // namespace dangan::storage
