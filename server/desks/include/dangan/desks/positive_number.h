#pragma once
// Ids and limits as they arrive in paths, query strings and form fields.

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace dangan::server {

// A whole positive number within [1, max] written in decimal with nothing else, or nullopt.
[[nodiscard]] inline std::optional<std::int64_t> positiveNumber(std::string_view text,
                                                                std::int64_t max = INT64_MAX) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value <= 0 || value > max) return std::nullopt;
    return value;
}

}  // namespace dangan::server
