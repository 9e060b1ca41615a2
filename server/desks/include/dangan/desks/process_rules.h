#pragma once
// The process rules: per business process, its steps and the documents each step must leave in
// the customer file, whether each is mandatory, how long it is kept, and how many hours after
// the step it is due; and the weights of the monthly performance score. Read from a text file
// (server/rules/process_rules.csv is the default) and checked whole: a bad line is named.

#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dangan/barcode/archive_number.h"

namespace dangan::server {

struct RequiredDocument {
    std::string docType;            // one of the archive's document types
    bool mandatory = true;
    barcode::Retention retention = barcode::Retention::Years30;
};

struct StepRule {
    std::string step;               // e.g. 受理, 装表接电
    int deadlineHours = 48;         // after the marketing system completes the step
    std::vector<RequiredDocument> documents;
};

// A service time limit (业扩时限): `step` must be completed within `workingDays` working days of
// the completion of `fromStep`; yellow when `yellowDays` or fewer remain.
struct StepLimit {
    std::string step;               // e.g. 供电方案答复
    std::string fromStep;           // e.g. 受理: the clock starts when this step is completed
    int workingDays = 0;
    int yellowDays = 0;
};

struct ProcessRule {
    std::string process;            // a known process type, e.g. 低压居民新装
    std::vector<StepRule> steps;    // in the order the file gives them
    std::vector<StepLimit> limits;  // the service time limits of its steps
};

// Points of the monthly score (they add up to 100).
struct ScoreWeights {
    double timeliness = 50;  // share of expected documents filed by their deadline
    double quality = 30;     // share of reviewed documents that passed every gate
    double deadlines = 20;   // 流程时限: share of timed steps and rectification orders done in time
};

struct RulesError {
    int line = 0;            // 1-based; 0 when the problem is the file as a whole
    std::string message;
    [[nodiscard]] std::string describe() const;  // "line 12: unknown document type 'x'"
};

class ProcessRules {
public:
    // Parses and checks the rules text: known process and document types, retention 永久, 30年
    // or 10年, deadlines of 1 to 8760 hours, one deadline per step, no rule twice, weights adding
    // up to 100; time limits (limit,process,step,from step,working days,yellow days) of 1 to 365
    // working days, yellow from 0 to one less, one limit per step.
    [[nodiscard]] static std::expected<ProcessRules, RulesError> parse(std::string_view text);

    [[nodiscard]] const std::vector<ProcessRule>& processes() const { return processes_; }
    [[nodiscard]] const ProcessRule* process(std::string_view name) const;
    [[nodiscard]] const StepRule* step(std::string_view process, std::string_view step) const;
    // The time limits whose clock the completion of `fromStep` starts.
    [[nodiscard]] std::vector<StepLimit> limitsStartedBy(std::string_view process, std::string_view fromStep) const;
    // Whether any step of `process` requires `docType`.
    [[nodiscard]] bool requiresDocument(std::string_view process, std::string_view docType) const;
    [[nodiscard]] const ScoreWeights& weights() const { return weights_; }
    // Retention of a document type as the rules give it anywhere (the longest), if at all.
    [[nodiscard]] std::optional<barcode::Retention> retentionOf(std::string_view docType) const;
    // Retention of a document type in one process (the longest its steps give it), if named there.
    [[nodiscard]] std::optional<barcode::Retention> retentionOf(std::string_view process, std::string_view docType) const;

private:
    std::vector<ProcessRule> processes_;
    ScoreWeights weights_;
};

// 永久, 30年, 10年
[[nodiscard]] std::string_view retentionName(barcode::Retention retention);

}  // namespace dangan::server
