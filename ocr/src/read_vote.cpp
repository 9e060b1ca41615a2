#include "dangan/ocr/read_vote.h"

#include <algorithm>
#include <map>

#include "text_units.h"

namespace dangan::ocr {

std::string votedByCharacter(const std::vector<std::string>& reads) {
    std::map<std::size_t, std::vector<std::vector<std::string>>> byLength;
    for (const auto& read : reads) {
        auto characters = codePoints(read);
        byLength[characters.size()].push_back(std::move(characters));
    }
    const std::vector<std::vector<std::string>>* voters = nullptr;
    for (const auto& [length, group] : byLength)
        if (!voters || group.size() > voters->size()) voters = &group;
    if (!voters || voters->size() < 3 || voters->front().empty()) return {};
    std::string voted;
    for (std::size_t place = 0; place < voters->front().size(); ++place) {
        std::map<std::string, std::size_t> votes;
        for (const auto& read : *voters) ++votes[read[place]];
        auto most = std::max_element(votes.begin(), votes.end(),
                                     [](const auto& a, const auto& b) { return a.second < b.second; });
        if (2 * most->second <= voters->size()) return {};
        voted += most->first;
    }
    return voted;
}

}  // namespace dangan::ocr
