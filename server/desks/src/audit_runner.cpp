#include "dangan/desks/audit_runner.h"

#include <Poco/JSON/Parser.h>

#include <sstream>
#include <vector>

#include "dangan/desks/calendar.h"
#include "dangan/desks/process_catalog.h"

namespace dangan::server {
namespace {

constexpr std::size_t kFindingsPerWrite = 20000;

// Thrown through the scan to leave it when the server stops; the audit resumes at the next start.
struct Stopping {};

storage::Actor auditor() { return {std::nullopt, "system"}; }

}  // namespace

std::optional<std::string_view> judge(const storage::ExpectationRow& row, std::int64_t asOf) {
    if (!row.mandatory) return std::nullopt;
    if (!row.filedAt) return row.dueAt < asOf ? std::optional<std::string_view>("missing") : std::nullopt;
    return *row.filedAt > row.dueAt ? std::optional<std::string_view>("late") : std::nullopt;
}

Outcome<storage::AuditScope> auditScopeFrom(const Poco::JSON::Object& filter) {
    storage::AuditScope scope;
    for (const auto& [name, value] : filter) {
        if (!value.isString()) return fail(ProblemCode::BadRequest, "filter." + name + " must be a string");
        auto text = value.convert<std::string>();
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

Poco::JSON::Object::Ptr AuditTotals::toJson() const {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("customers", customers);
    o->set("processes", processes);
    o->set("expected", expected);
    o->set("on_time", onTime);
    o->set("late", late);
    o->set("missing", missing);
    o->set("pending", pending);
    return o;
}

AuditRunner::AuditRunner(storage::CompletenessStore& store) : store_(store) {
    for (auto id : store_.unfinishedAudits()) queue_.push_back(id);
    worker_ = std::thread([this] { work(); });
}

AuditRunner::~AuditRunner() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    worker_.join();
}

Outcome<std::int64_t> AuditRunner::request(const Poco::JSON::Object& filter, std::int64_t asOf,
                                           const storage::Actor& actor) {
    if (auto scope = auditScopeFrom(filter); !scope) return std::unexpected(scope.error());
    std::ostringstream json;
    filter.stringify(json);
    auto id = store_.createAudit(json.str(), asOf, actor);
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(id);
    }
    wake_.notify_all();
    return id;
}

std::optional<double> AuditRunner::progress(std::int64_t id) const {
    std::lock_guard lock(mutex_);
    if (running_ != id) return std::nullopt;
    return std::min(1.0, static_cast<double>(read_.load()) / static_cast<double>(std::max<std::int64_t>(1, ceiling_.load())));
}

void AuditRunner::waitUntilIdle() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [&] { return stopping_ || (queue_.empty() && !running_); });
}

void AuditRunner::work() {
    for (;;) {
        std::int64_t id = 0;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            id = queue_.front();
            queue_.pop_front();
            running_ = id;
        }
        try {
            run(id);
        } catch (const Stopping&) {
            return;
        } catch (const std::exception& e) {
            store_.finishAudit(id, "failed", "{}", e.what(), auditor());
        }
        {
            std::lock_guard lock(mutex_);
            running_.reset();
        }
        idle_.notify_all();
    }
}

void AuditRunner::run(std::int64_t id) {
    auto record = store_.audit(id);
    if (!record) return;
    Poco::JSON::Parser parser;
    auto filter = parser.parse(record->filter).extract<Poco::JSON::Object::Ptr>();
    auto scope = auditScopeFrom(*filter);
    if (!scope) {
        store_.finishAudit(id, "failed", "{}", scope.error().message, auditor());
        return;
    }
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
    store_.scanExpectations(*scope, [&](const storage::ExpectationRow& row) {
        if ((++rows & 0xFFFF) == 0) {
            read_ = row.id;  // ids ascend: the share of the ceiling read
            std::lock_guard lock(mutex_);
            if (stopping_) throw Stopping{};
        }
        mark(customers, row.customerId, totals.customers);
        mark(processes, row.processId, totals.processes);
        if (!row.mandatory) return;
        ++totals.expected;
        auto kind = judge(row, asOf);
        if (!kind) {
            (row.filedAt ? totals.onTime : totals.pending) += 1;
            return;
        }
        (*kind == "missing" ? totals.missing : totals.late) += 1;
        findings.push_back({row.id, std::string(*kind)});
    });
    // Written after the scan, in slices, so that filing goes on between them.
    for (std::size_t i = 0; i < findings.size(); i += kFindingsPerWrite) {
        auto end = std::min(findings.size(), i + kFindingsPerWrite);
        store_.addFindings(id, static_cast<std::int64_t>(i) + 1,
                           {findings.begin() + static_cast<std::ptrdiff_t>(i), findings.begin() + static_cast<std::ptrdiff_t>(end)});
    }
    std::ostringstream json;
    totals.toJson()->stringify(json);
    store_.finishAudit(id, "done", json.str(), "", auditor());
}

}  // namespace dangan::server
