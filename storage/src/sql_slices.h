#pragma once
// Many keys in one query: `IN (?1, ?2, …)` over slices of a fixed size, so that a screen that
// needs the rows of twenty keys asks in one round trip instead of twenty, and every such query
// keeps one of two texts (and stays prepared).

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dangan/storage/database.h"

namespace dangan::storage {

// Binds a slice's keys to a statement's placeholders ?1, ?2, ….
using SliceBinder = std::function<void(Statement&)>;

// The keys a slice holds.
inline constexpr std::size_t kSliceKeys = 16;

// Runs `query(in, bindSlice)` over `keys` (text or integers) in slices: `in` is "(?1, ?2, …)"
// with as many placeholders as the slice holds, and `bindSlice` binds the slice to a statement
// prepared with it. A short slice repeats its last key: a slice is 1 key or kSliceKeys.
template <class Key>
void forEachSlice(const std::vector<Key>& keys, const std::function<void(const std::string&, const SliceBinder&)>& query) {
    constexpr std::size_t kSlice = kSliceKeys;
    for (std::size_t at = 0; at < keys.size(); at += kSlice) {
        std::vector<Key> slice(keys.begin() + static_cast<std::ptrdiff_t>(at),
                               keys.begin() + static_cast<std::ptrdiff_t>(std::min(keys.size(), at + kSlice)));
        std::size_t size = keys.size() <= 1 ? 1 : kSlice;
        while (slice.size() < size) slice.push_back(slice.back());
        std::string in = "(";
        for (std::size_t i = 1; i <= slice.size(); ++i) in += (i > 1 ? ", ?" : "?") + std::to_string(i);
        query(in + ")", [&slice](Statement& s) {
            for (std::size_t i = 0; i < slice.size(); ++i) s.bind(static_cast<int>(i) + 1, slice[i]);
        });
    }
}

// Reads by many keys in slices (`sql` IN (…) `after`, see forEachSlice), asked ahead: keys that
// fit in one slice are sent at once and read when the answer is called for; more are read in
// slices then.
template <class Key, class Row>
AnswerAhead<Row> askBySlices(Connection& c, std::vector<Key> keys, std::string sql, std::string after,
                             std::function<void(Statement&, Row&)> readRows) {
    auto all = [&c, keys, sql, after, readRows] {
        Row found;
        forEachSlice(keys, [&](const std::string& in, const SliceBinder& bindSlice) {
            auto s = c.prepare(sql + in + after);
            bindSlice(s);
            readRows(s, found);
        });
        return found;
    };
    if (keys.empty() || keys.size() > kSliceKeys) return all;
    std::optional<Statement> sent;
    forEachSlice(keys, [&](const std::string& in, const SliceBinder& bindSlice) {
        sent.emplace(c.prepare(sql + in + after));
        bindSlice(*sent);
        sent->send();
    });
    return [s = std::move(*sent), readRows]() mutable {
        Row found;
        Statement answer = std::move(s);  // released once read: the store may be asked again
        readRows(answer, found);
        return found;
    };
}

// A read asked ahead (AnswerAhead) of `db`: inside a SharedRead, `ask(connection)` sends its
// statements now and its answer reads them; outside one, nothing is sent and the answer reads all
// in a read of its own when called.
template <class Ask>
auto askAhead(Database& db, Ask ask) -> std::invoke_result_t<Ask, Connection&> {
    if (!db.sharesReads()) return [&db, ask] { return db.read([&](Connection& c) { return ask(c)(); }); };
    return db.read(ask);
}

}  // namespace dangan::storage
