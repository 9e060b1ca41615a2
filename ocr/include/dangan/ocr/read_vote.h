#pragma once
// Several reads of one printed value that no two agree on, voted character by character, as ROVER
// (Fiscus, 1997) votes the words of several recognisers: each read misreads a different glyph of
// clean print (3362979298 read as 3362972298 and as 3302979296), and together they read it whole.

#include <string>
#include <vector>

namespace dangan::ocr {

// Among the reads of the length most of them have (at least three), each character is the one a
// strict majority of them read in its place. Empty when a place has no majority or fewer than
// three reads share a length: a read that dropped or added a glyph does not vote. The caller
// checks the result as it checks any read.
[[nodiscard]] std::string votedByCharacter(const std::vector<std::string>& reads);

}  // namespace dangan::ocr
