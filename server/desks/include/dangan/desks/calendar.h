#pragma once
// The archive's calendar: dates as YYYY-MM-DD in China time (UTC+8, no daylight saving), read
// from the archive's clock (storage::Clock, which tests may set).

#include <cstdint>
#include <string>

#include "dangan/storage/clock.h"

namespace dangan::server {

inline constexpr std::int64_t kChinaOffsetMs = 8LL * 3600 * 1000;
inline constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

// The date in China at an instant (milliseconds since the epoch).
[[nodiscard]] std::string chinaDate(std::int64_t millis);
// Today in China by the archive's clock.
[[nodiscard]] std::string today(const storage::Clock& clock);
// The time of day in China at an instant, HH:MM.
[[nodiscard]] std::string chinaClock(std::int64_t millis);
// "2026-12-06 12:30": the date and time of day in China at an instant.
[[nodiscard]] std::string chinaMinute(std::int64_t millis);
[[nodiscard]] bool isDate(const std::string& text);
[[nodiscard]] std::string addDays(const std::string& date, int days);
[[nodiscard]] int daysBetween(const std::string& from, const std::string& to);
// Midnight in China at the start of a valid date, as an instant.
[[nodiscard]] std::int64_t dayStart(const std::string& date);
// A month as YYYY-MM: whether it is one, and its first day.
[[nodiscard]] bool isMonth(const std::string& text);
[[nodiscard]] std::string nextMonth(const std::string& month);

}  // namespace dangan::server
