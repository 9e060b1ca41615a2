#include "dangan/desks/rules_book.h"

#include <fstream>
#include <sstream>

namespace dangan::server {

void RulesBook::remember(int number, const std::string& text) {
    auto rules = ProcessRules::parse(text);
    if (!rules) throw RulesFileError("rules version " + std::to_string(number) + " in the archive: " + rules.error().describe());
    std::lock_guard lock(mutex_);
    versions_[number] = std::make_shared<const ProcessRules>(std::move(*rules));
}

void RulesBook::load(const std::filesystem::path& file, bool install) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw RulesFileError("cannot read the rules file " + file.string());
    std::ostringstream text;
    text << in.rdbuf();
    if (auto rules = ProcessRules::parse(text.str()); !rules)
        throw RulesFileError("rules file " + file.string() + ", " + rules.error().describe());
    auto stored = store_.rulesVersions();
    for (const auto& v : stored) remember(v.version, v.text);
    storage::Actor system{std::nullopt, "system"};
    if (stored.empty() || (install && stored.back().text != text.str())) {
        auto added = store_.addRules(text.str(), file.string(), system);
        remember(added.version, added.text);
    }
}

Outcome<storage::RulesVersion> RulesBook::install(const std::string& text, const std::string& source,
                                                  const storage::Actor& actor) {
    if (text.size() > 1024 * 1024) return fail(ProblemCode::PayloadTooLarge, "the rules are larger than 1 MiB");
    auto rules = ProcessRules::parse(text);
    if (!rules) {
        Problem p{ProblemCode::Unprocessable, "the rules are not valid: " + rules.error().describe(), {}};
        if (rules.error().line > 0) p.rows.push_back({rules.error().line, "rules", rules.error().message});
        return std::unexpected(p);
    }
    auto added = store_.addRules(text, source, actor);
    std::lock_guard lock(mutex_);
    versions_[added.version] = std::make_shared<const ProcessRules>(std::move(*rules));
    return added;
}

int RulesBook::currentVersion() const {
    std::lock_guard lock(mutex_);
    return versions_.empty() ? 0 : versions_.rbegin()->first;
}

std::shared_ptr<const ProcessRules> RulesBook::current() const {
    std::lock_guard lock(mutex_);
    return versions_.empty() ? nullptr : versions_.rbegin()->second;
}

std::shared_ptr<const ProcessRules> RulesBook::version(int number) const {
    std::lock_guard lock(mutex_);
    auto it = versions_.find(number);
    return it == versions_.end() ? nullptr : it->second;
}

}  // namespace dangan::server
