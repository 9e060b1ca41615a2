#include "dangan/desks/process_rules.h"

#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

#include <algorithm>
#include <cmath>

#include "dangan/desks/process_catalog.h"

namespace dangan::server {
namespace {

using Tokens = Poco::StringTokenizer;

std::optional<barcode::Retention> parseRetention(const std::string& text) {
    if (text == "永久") return barcode::Retention::Permanent;
    if (text == "30年") return barcode::Retention::Years30;
    if (text == "10年") return barcode::Retention::Years10;
    return std::nullopt;
}

// Longer keeping first: Permanent < Years30 < Years10 in the enum.
bool keepsLonger(barcode::Retention a, barcode::Retention b) { return static_cast<int>(a) < static_cast<int>(b); }

}  // namespace

std::string RulesError::describe() const {
    return line > 0 ? "line " + std::to_string(line) + ": " + message : message;
}

std::string_view retentionName(barcode::Retention retention) {
    switch (retention) {
        case barcode::Retention::Permanent: return "永久";
        case barcode::Retention::Years30: return "30年";
        case barcode::Retention::Years10: return "10年";
    }
    return "30年";
}

std::expected<ProcessRules, RulesError> ProcessRules::parse(std::string_view text) {
    ProcessRules rules;
    bool weightSeen[3] = {false, false, false};
    int lineNo = 0;
    std::size_t start = 0;
    auto bad = [&](std::string message) { return std::unexpected(RulesError{lineNo, std::move(message)}); };
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string line(text.substr(start, end - start));
        start = end + 1;
        ++lineNo;
        if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
        Poco::trimInPlace(line);
        if (line.empty()) {
            if (end == text.size()) break;
            continue;
        }
        Tokens fields(line, ",", Tokens::TOK_TRIM);
        const std::string& kind = fields[0];
        if (kind == "document") {
            if (fields.count() != 7)
                return bad("a document rule has 7 fields (document,process,step,document type,mandatory|optional,"
                           "retention,deadline hours), this one has " + std::to_string(fields.count()));
            const std::string& process = fields[1];
            const std::string& step = fields[2];
            const std::string& docType = fields[3];
            if (!processByName(process)) return bad("unknown process '" + process + "'");
            if (step.empty() || step.size() > 64) return bad("the step name must be 1 to 64 bytes");
            if (!documentTypeByName(docType)) return bad("unknown document type '" + docType + "'");
            if (fields[4] != "mandatory" && fields[4] != "optional")
                return bad("the fifth field must be 'mandatory' or 'optional', not '" + fields[4] + "'");
            auto retention = parseRetention(fields[5]);
            if (!retention) return bad("retention must be 永久, 30年 or 10年, not '" + fields[5] + "'");
            int hours = 0;
            if (!Poco::NumberParser::tryParse(fields[6], hours) || hours < 1 || hours > 8760)
                return bad("the deadline must be a whole number of hours from 1 to 8760, not '" + fields[6] + "'");

            auto p = std::find_if(rules.processes_.begin(), rules.processes_.end(),
                                  [&](const ProcessRule& r) { return r.process == process; });
            if (p == rules.processes_.end()) p = rules.processes_.insert(rules.processes_.end(), ProcessRule{process, {}, {}});
            auto s = std::find_if(p->steps.begin(), p->steps.end(), [&](const StepRule& r) { return r.step == step; });
            if (s == p->steps.end()) s = p->steps.insert(p->steps.end(), StepRule{step, hours, {}});
            if (s->deadlineHours != hours)
                return bad("step " + process + "/" + step + " already has a deadline of " +
                           std::to_string(s->deadlineHours) + " hours; one step has one deadline");
            if (std::any_of(s->documents.begin(), s->documents.end(),
                            [&](const RequiredDocument& d) { return d.docType == docType; }))
                return bad(docType + " is already required at " + process + "/" + step);
            s->documents.push_back({docType, fields[4] == "mandatory", *retention});
        } else if (kind == "limit") {
            if (fields.count() != 6)
                return bad("a limit has 6 fields (limit,process,step,from step,working days,yellow days), this one has " +
                           std::to_string(fields.count()));
            const std::string& process = fields[1];
            if (!processByName(process)) return bad("unknown process '" + process + "'");
            for (int i : {2, 3})
                if (fields[i].empty() || fields[i].size() > 64) return bad("a step name must be 1 to 64 bytes");
            if (fields[2] == fields[3]) return bad("a step's limit must start from another step");
            int days = 0, yellow = -1;
            if (!Poco::NumberParser::tryParse(fields[4], days) || days < 1 || days > 365)
                return bad("the limit must be a whole number of working days from 1 to 365, not '" + fields[4] + "'");
            if (!Poco::NumberParser::tryParse(fields[5], yellow) || yellow < 0 || yellow >= days)
                return bad("the yellow days must be a whole number from 0 to " + std::to_string(days - 1) + ", not '" +
                           fields[5] + "'");
            auto p = std::find_if(rules.processes_.begin(), rules.processes_.end(),
                                  [&](const ProcessRule& r) { return r.process == process; });
            if (p == rules.processes_.end()) p = rules.processes_.insert(rules.processes_.end(), ProcessRule{process, {}, {}});
            if (std::any_of(p->limits.begin(), p->limits.end(), [&](const StepLimit& l) { return l.step == fields[2]; }))
                return bad(process + "/" + fields[2] + " already has a time limit");
            p->limits.push_back({fields[2], fields[3], days, yellow});
        } else if (kind == "weight") {
            if (fields.count() != 3) return bad("a weight has 3 fields (weight,name,points)");
            static constexpr std::string_view kNames[3] = {"timeliness", "quality", "deadlines"};
            auto which = std::find(std::begin(kNames), std::end(kNames), fields[1]);
            if (which == std::end(kNames))
                return bad("unknown weight '" + fields[1] + "' (timeliness, quality or deadlines)");
            double points = 0;
            if (!Poco::NumberParser::tryParseFloat(fields[2], points) || points < 0 || points > 100)
                return bad("a weight is a number of points from 0 to 100, not '" + fields[2] + "'");
            auto index = which - std::begin(kNames);
            if (weightSeen[index]) return bad("weight " + fields[1] + " is given twice");
            weightSeen[index] = true;
            (index == 0 ? rules.weights_.timeliness : index == 1 ? rules.weights_.quality : rules.weights_.deadlines) = points;
        } else {
            return bad("a rule starts with 'document', 'limit' or 'weight', not '" + kind + "'");
        }
        if (end == text.size()) break;
    }
    lineNo = 0;
    if (rules.processes_.empty()) return bad("the rules name no documents");
    const auto& w = rules.weights_;
    if (std::abs(w.timeliness + w.quality + w.deadlines - 100) > 1e-9)
        return bad("the weights timeliness, quality and deadlines must add up to 100");
    return rules;
}

const ProcessRule* ProcessRules::process(std::string_view name) const {
    auto it = std::find_if(processes_.begin(), processes_.end(), [&](const ProcessRule& r) { return r.process == name; });
    return it == processes_.end() ? nullptr : &*it;
}

std::vector<StepLimit> ProcessRules::limitsStartedBy(std::string_view processName, std::string_view fromStep) const {
    std::vector<StepLimit> out;
    if (const ProcessRule* p = process(processName))
        for (const auto& l : p->limits)
            if (l.fromStep == fromStep) out.push_back(l);
    return out;
}

bool ProcessRules::requiresDocument(std::string_view processName, std::string_view docType) const {
    const ProcessRule* p = process(processName);
    if (!p) return false;
    return std::any_of(p->steps.begin(), p->steps.end(), [&](const StepRule& s) {
        return std::any_of(s.documents.begin(), s.documents.end(), [&](const RequiredDocument& d) { return d.docType == docType; });
    });
}

const StepRule* ProcessRules::step(std::string_view processName, std::string_view stepName) const {
    const ProcessRule* p = process(processName);
    if (!p) return nullptr;
    auto it = std::find_if(p->steps.begin(), p->steps.end(), [&](const StepRule& s) { return s.step == stepName; });
    return it == p->steps.end() ? nullptr : &*it;
}

std::optional<barcode::Retention> ProcessRules::retentionOf(std::string_view docType) const {
    std::optional<barcode::Retention> longest;
    for (const auto& p : processes_)
        for (const auto& s : p.steps)
            for (const auto& d : s.documents)
                if (d.docType == docType && (!longest || keepsLonger(d.retention, *longest))) longest = d.retention;
    return longest;
}

std::optional<barcode::Retention> ProcessRules::retentionOf(std::string_view process, std::string_view docType) const {
    std::optional<barcode::Retention> longest;
    if (const ProcessRule* p = this->process(process))
        for (const auto& s : p->steps)
            for (const auto& d : s.documents)
                if (d.docType == docType && (!longest || keepsLonger(d.retention, *longest))) longest = d.retention;
    return longest;
}

}  // namespace dangan::server
