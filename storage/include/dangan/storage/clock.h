#pragma once
// The archive's clock: every instant the archive records (an *_at column, a deadline, today's
// date) is read from one Clock, chosen at start-up. The system clock serves production; a clock
// file lets tests of deadlines move time (`dangan serve --clock-file`); a fixed clock serves unit
// tests.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>

namespace dangan::storage {

class Clock {
public:
    virtual ~Clock() = default;
    // Milliseconds since the Unix epoch.
    [[nodiscard]] virtual std::int64_t nowMillis() const = 0;
};

class SystemClock final : public Clock {
public:
    [[nodiscard]] std::int64_t nowMillis() const override;
};

// Reads the instant written in a file (an ISO 8601 instant such as 2026-11-23T08:00:00Z, or
// milliseconds since the epoch) on every call, so a test may move it at any moment; while the
// file is absent or unreadable, the system clock.
class FileClock final : public Clock {
public:
    explicit FileClock(std::filesystem::path file) : file_(std::move(file)) {}
    [[nodiscard]] std::int64_t nowMillis() const override;

private:
    std::filesystem::path file_;
};

// A clock that stands still until moved (unit tests).
class FixedClock final : public Clock {
public:
    explicit FixedClock(std::int64_t millis) : millis_(millis) {}
    [[nodiscard]] std::int64_t nowMillis() const override { return millis_.load(); }
    void set(std::int64_t millis) { millis_.store(millis); }
    void advance(std::int64_t millis) { millis_.fetch_add(millis); }

private:
    std::atomic<std::int64_t> millis_;
};

// The system clock, shared.
[[nodiscard]] std::shared_ptr<const Clock> systemClock();

// An ISO 8601 instant (2026-11-23T08:00:00Z, 2026-11-23T16:00:00.5+08:00) or a whole number of
// milliseconds since the epoch, in milliseconds; nullopt for anything else.
[[nodiscard]] std::optional<std::int64_t> parseInstant(std::string_view text);

}  // namespace dangan::storage
