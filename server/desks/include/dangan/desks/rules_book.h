#pragma once
// The process rules in force and every earlier version, as the archive keeps them. A process is
// judged by the version in force when it started, so old versions stay readable for good.

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "dangan/desks/problem.h"
#include "dangan/desks/process_rules.h"
#include "dangan/storage/completeness_stores.h"

namespace dangan::server {

// A rules file that does not parse; what() names the file and the line.
class RulesFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class RulesBook {
public:
    explicit RulesBook(storage::CompletenessStore& store) : store_(store) {}

    // The longest retention the rules in force give a document type in a process, if they name it there.
    [[nodiscard]] std::optional<barcode::Retention> retentionOf(const std::string& process, const std::string& docType) {
        auto rules = current();
        return rules ? rules->retentionOf(process, docType) : std::nullopt;
    }

    // Whether the rules in force ask for `docType` at some step of `process`.
    [[nodiscard]] bool requiresDocument(const std::string& process, const std::string& docType) {
        auto rules = current();
        return rules && rules->requiresDocument(process, docType);
    }

    // At start-up: reads and checks `file` (throws RulesFileError naming the line of a bad rule).
    // It becomes version 1 of an archive without rules; with `install` it becomes a new version
    // when it differs from the rules in force. Otherwise the archive's own rules stay in force
    // (an admin may have changed them through the API).
    void load(const std::filesystem::path& file, bool install);

    // Checks the text and puts it in force as the next version (audited).
    [[nodiscard]] Outcome<storage::RulesVersion> install(const std::string& text, const std::string& source,
                                                         const storage::Actor& actor);

    [[nodiscard]] int currentVersion() const;
    [[nodiscard]] std::shared_ptr<const ProcessRules> current() const;
    // The rules of a version; nullptr for one that does not exist.
    [[nodiscard]] std::shared_ptr<const ProcessRules> version(int number) const;
    [[nodiscard]] std::vector<storage::RulesVersion> versions() { return store_.rulesVersions(); }

private:
    void remember(int number, const std::string& text);

    storage::CompletenessStore& store_;
    mutable std::mutex mutex_;
    std::map<int, std::shared_ptr<const ProcessRules>> versions_;
};

}  // namespace dangan::server
