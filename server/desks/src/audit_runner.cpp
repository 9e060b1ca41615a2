#include "dangan/desks/audit_runner.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <sstream>
#include <vector>

#include "dangan/desks/calendar.h"
#include "dangan/print/audit_report.h"
#include "dangan/desks/process_catalog.h"

namespace dangan::server {
namespace {

constexpr std::size_t kFindingsPerWrite = 20000;

storage::Actor auditor() { return {std::nullopt, "system"}; }

}  // namespace

std::optional<std::string_view> judge(const storage::ExpectationRow& row, std::int64_t asOf) {
    if (!row.mandatory) return std::nullopt;
    if (!row.filedAt && row.waived) return std::optional<std::string_view>("waived");
    if (!row.filedAt) return row.dueAt < asOf ? std::optional<std::string_view>("missing") : std::nullopt;
    return *row.filedAt > row.dueAt ? std::optional<std::string_view>("late") : std::nullopt;
}

Outcome<storage::AuditScope> auditScopeFrom(const AuditFilter& filter) {
    storage::AuditScope scope;
    for (const auto& [name, text] : filter) {
        if (text.empty()) continue;
        if (name == "unit") scope.unit = text;
        else if (name == "voltage") scope.voltage = text;
        else if (name == "process") {
            if (!processByName(text)) return fail(ProblemCode::BadRequest, "filter.process: unknown process '" + text + "'");
            scope.processType = text;
        } else if (name == "from" || name == "to") {
            if (!isDate(text)) return fail(ProblemCode::BadRequest, "filter." + name + " must be a date (YYYY-MM-DD)");
            if (name == "from") scope.from = dayStart(text);
            else scope.to = dayStart(addDays(text, 1));
        } else {
            return fail(ProblemCode::BadRequest, "unknown filter '" + name + "' (unit, process, voltage, from, to)");
        }
    }
    if (scope.from && scope.to && *scope.from >= *scope.to)
        return fail(ProblemCode::BadRequest, "filter.from is after filter.to");
    return scope;
}

std::string scopeInWords(const AuditFilter& filter) {
    static const std::vector<std::pair<std::string, std::string>> kNames{
        {"unit", "供电单位"}, {"process", "业务类型"}, {"voltage", "电压等级"}, {"from", "起"}, {"to", "止"}};
    std::string words;
    for (const auto& [key, name] : kNames)
        if (auto it = filter.find(key); it != filter.end() && !it->second.empty())
            words += (words.empty() ? "" : "，") + name + " " + it->second;
    return words.empty() ? "全部客户档案" : words;
}

AuditRunner::AuditRunner(storage::CompletenessStore& store, storage::WorkLeaseStore& leases, storage::WorkClaim claim,
                         const storage::Clock& clock, const print::PrintOptions& printing)
    : store_(store), leases_(leases), claim_(std::move(claim)), clock_(clock), printing_(printing) {
    loop_.start(1, [this] { work(); });
}

AuditRunner::~AuditRunner() {
    keeper_.reset();
    loop_.stop();
    idle_.notify_all();
}

Outcome<std::int64_t> AuditRunner::request(const AuditFilter& filter, std::int64_t asOf,
                                           const storage::Actor& actor) {
    if (auto scope = auditScopeFrom(filter); !scope) return std::unexpected(scope.error());
    auto id = store_.createAudit(filter, asOf, actor, claim_);
    enqueue({id});
    return id;
}

void AuditRunner::enqueue(const std::vector<std::int64_t>& ids) {
    {
        std::lock_guard lock(mutex_);
        for (auto id : ids)
            if (running_ != id && std::find(queue_.begin(), queue_.end(), id) == queue_.end()) queue_.push_back(id);
    }
    loop_.wakeAll();
}

void AuditRunner::takeUpWork() {
    enqueue(store_.unfinishedAudits(claim_.node));
    if (keeper_) return;
    keeper_ = std::make_unique<LeaseKeeper>(
        leases_, storage::LeasedWork::Audit, claim_,
        [this] {
            std::lock_guard lock(mutex_);
            return queue_.empty() && !running_;
        },
        [this](const std::vector<std::int64_t>& ids) { enqueue(ids); });
}

bool AuditRunner::held(std::int64_t id) {
    if (leases_.holds(storage::LeasedWork::Audit, id, claim_.node)) return true;
    Poco::Logger::get("dangan.audits").warning("audit %s was taken over by another node; this node leaves it", std::to_string(id));
    return false;
}

std::optional<double> AuditRunner::progress(std::int64_t id) const {
    std::lock_guard lock(mutex_);
    if (running_ != id) return std::nullopt;
    return std::min(1.0, static_cast<double>(read_.load()) / static_cast<double>(std::max<std::int64_t>(1, ceiling_.load())));
}

void AuditRunner::waitUntilIdle() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [&] { return loop_.stopping() || (queue_.empty() && !running_); });
}

void AuditRunner::work() {
    for (;;) {
        std::int64_t id = 0;
        {
            std::unique_lock lock(mutex_);
            if (!loop_.wait(lock, [&] { return !queue_.empty(); })) return;
            id = queue_.front();
            queue_.pop_front();
            running_ = id;
        }
        try {
            if (!run(id)) return;  // stopped part-way: the audit resumes at the next start
        } catch (const std::exception& e) {
            Poco::Logger::get("dangan.audits").error("audit %s failed: %s", std::to_string(id), std::string(e.what()));
            store_.finishAudit(id, "failed", std::nullopt, e.what(), auditor());
        }
        {
            std::lock_guard lock(mutex_);
            running_.reset();
        }
        idle_.notify_all();
    }
}

bool AuditRunner::run(std::int64_t id) {
    auto record = store_.audit(id);
    if (!record) return true;
    auto scope = auditScopeFrom(record->filter);
    if (!scope) {
        store_.finishAudit(id, "failed", std::nullopt, scope.error().message, auditor());
        return true;
    }
    if (!held(id)) return true;
    store_.startAudit(id);
    read_ = 0;
    ceiling_ = store_.expectationCeiling();

    AuditTotals totals;
    std::vector<bool> customers, processes;
    auto mark = [](std::vector<bool>& seen, std::int64_t id, std::int64_t& count) {
        auto i = static_cast<std::size_t>(id);
        if (i >= seen.size()) seen.resize(i + 1 + i / 2);
        if (!seen[i]) {
            seen[i] = true;
            ++count;
        }
    };
    const std::int64_t asOf = record->asOf;
    std::vector<storage::NewFinding> findings;
    std::int64_t rows = 0;
    bool whole = store_.scanExpectations(*scope, [&](const storage::ExpectationRow& row) {
        if ((++rows & 0xFFFF) == 0) {
            read_ = row.id;  // ids ascend: the share of the ceiling read
            std::lock_guard lock(mutex_);
            if (loop_.stopping()) return false;
        }
        mark(customers, row.customerId, totals.customers);
        mark(processes, row.processId, totals.processes);
        if (!row.mandatory) return true;
        auto kind = judge(row, asOf);
        if (kind != "waived") ++totals.expected;
        if (!kind) {
            (row.filedAt ? totals.onTime : totals.pending) += 1;
            return true;
        }
        (*kind == "missing" ? totals.missing : *kind == "late" ? totals.late : totals.waived) += 1;
        findings.push_back({row.id, std::string(*kind)});
        return true;
    });
    if (!whole) return false;
    // Written after the scan, in slices, so that filing goes on between them; by the node that
    // holds the audit, once.
    for (std::size_t i = 0; i < findings.size(); i += kFindingsPerWrite) {
        if (!held(id)) return true;
        auto end = std::min(findings.size(), i + kFindingsPerWrite);
        store_.addFindings(id, static_cast<std::int64_t>(i) + 1,
                           {findings.begin() + static_cast<std::ptrdiff_t>(i), findings.begin() + static_cast<std::ptrdiff_t>(end)});
    }
    if (!held(id)) return true;
    store_.finishAudit(id, "done", totals, "", auditor());
    return true;
}

// ---- what auditors read ----

Outcome<storage::AuditRecord> AuditRunner::audit(std::int64_t id) {
    auto record = store_.audit(id);
    if (!record) return fail(ProblemCode::NotFound, "no audit " + std::to_string(id));
    return *record;
}

std::vector<storage::AuditRecord> AuditRunner::audits(int limit) { return store_.audits(limit); }

Outcome<std::vector<storage::AuditFinding>> AuditRunner::findings(std::int64_t id, std::int64_t after, int limit) {
    auto record = audit(id);
    if (!record) return std::unexpected(record.error());
    if (record->state != "done") return std::vector<storage::AuditFinding>{};
    return store_.findings(id, after, limit);
}

Outcome<PrintedPaper> AuditRunner::report(std::int64_t id, const storage::User& by) {
    auto audit = this->audit(id);
    if (!audit) return std::unexpected(audit.error());
    if (audit->state != "done") return fail(ProblemCode::Conflict, "audit " + std::to_string(id) + " is " + audit->state + ", not done");
    print::AuditReportPaper paper;
    paper.auditNo = std::to_string(audit->id);
    paper.scope = scopeInWords(audit->filter);
    paper.asOf = chinaMinute(audit->asOf);
    const auto t = audit->totals.value_or(storage::AuditTotals{});
    for (const auto& [label, value] : std::vector<std::pair<std::string, std::int64_t>>{
             {"客户数", t.customers}, {"流程数", t.processes}, {"应归档资料", t.expected}, {"按时归档", t.onTime},
             {"逾期归档", t.late}, {"缺失", t.missing}, {"时限内未归档", t.pending}, {"已豁免（不计入应归档）", t.waived}})
        paper.totals.emplace_back(label, std::to_string(value));
    std::map<std::string, print::FindingTally> byUnit, byProcess;
    for (const auto& c : store_.findingSummary(audit->id)) {
        for (auto* t : {&byUnit[c.unit], &byProcess[c.processType]}) {
            t->missing += c.missing;
            t->late += c.late;
        }
        paper.findingsTotal += c.missing + c.late;
    }
    for (auto& [name, t] : byUnit) paper.byUnit.push_back({name, t.missing, t.late});
    for (auto& [name, t] : byProcess) paper.byProcess.push_back({name, t.missing, t.late});
    for (const auto& f : store_.findings(audit->id, 0, 300)) {
        const auto& e = f.expectation;
        paper.findings.push_back({e.accountNo, e.customerName, e.processType, e.step, e.docType,
                                  f.kind == "missing" ? "缺失" : f.kind == "late" ? "逾期归档" : "已豁免：" + e.waiverReason});
    }
    paper.printedBy = by.username;
    paper.printedAt = chinaMinute(clock_.nowMillis());
    return printed(print::auditReportPdf(paper, printing_), "audit-" + std::to_string(audit->id) + ".pdf");
}

}  // namespace dangan::server
