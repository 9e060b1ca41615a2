#pragma once
// Many keys in one query: `IN (?1, ?2, …)` over slices of a fixed size, so that a screen that
// needs the rows of twenty keys asks in one round trip instead of twenty, and every such query
// keeps one of two texts (and stays prepared).

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

namespace dangan::storage {

// Runs `query(in, slice)` over `keys` in slices: `in` is "(?1, ?2, …)" with as many placeholders
// as the slice holds. A short slice repeats its last key: a slice is 1 key or kSlice.
inline void forEachSlice(const std::vector<std::string>& keys,
                         const std::function<void(const std::string&, const std::vector<std::string>&)>& query) {
    constexpr std::size_t kSlice = 16;
    for (std::size_t at = 0; at < keys.size(); at += kSlice) {
        std::vector<std::string> slice(keys.begin() + static_cast<std::ptrdiff_t>(at),
                                       keys.begin() + static_cast<std::ptrdiff_t>(std::min(keys.size(), at + kSlice)));
        std::size_t size = keys.size() <= 1 ? 1 : kSlice;
        while (slice.size() < size) slice.push_back(slice.back());
        std::string in = "(";
        for (std::size_t i = 1; i <= slice.size(); ++i) in += (i > 1 ? ", ?" : "?") + std::to_string(i);
        query(in + ")", slice);
    }
}

}  // namespace dangan::storage
