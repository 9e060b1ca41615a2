#pragma once
// Completeness of customer files against the business: the marketing system reports each step it
// completes; the rules in force when the process started say which documents that step must
// leave in the file and by when; every open expectation shows green, yellow (due within 12
// hours) or red (overdue) until a filed document meets it. Reminders gather, per responsible
// person, everything waiting on them; supply contracts are watched for expiry.

#include <optional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "dangan/desks/problem.h"
#include "dangan/desks/rules_book.h"
#include "dangan/desks/working_days.h"
#include "dangan/storage/stores.h"

namespace dangan::server {

enum class Signal { Green, Yellow, Red };
inline constexpr std::int64_t kYellowWindowMs = 12LL * 3600 * 1000;

[[nodiscard]] Signal signalOf(std::int64_t dueAt, std::int64_t now);
[[nodiscard]] std::string_view signalName(Signal signal);  // green, yellow, red

// Where an expected document stands: filed (on time or late), waived, or still open with its signal.
enum class ExpectationState { Filed, FiledLate, Waived, Green, Yellow, Red };
[[nodiscard]] ExpectationState stateOf(const storage::Expectation& e, std::int64_t now);
[[nodiscard]] std::string_view stateName(ExpectationState state);  // filed, filed_late, waived, green, yellow, red

struct ShownExpectation {
    storage::Expectation expectation;
    ExpectationState state = ExpectationState::Green;
};

// Which expectations to list. `signal`: open (any colour), red, yellow, green, or empty for all.
struct ExpectationFilter {
    std::string accountNo;
    std::optional<std::string> processId, unit, process, staff;
    std::string signal;
    int limit = 200;
};

struct ExpectationList {
    std::int64_t asOf = 0;
    std::vector<ShownExpectation> expectations;
};

// Red, yellow and green counts over the whole archive, per unit, per process and per cell.
struct Dashboard {
    std::int64_t asOf = 0;
    storage::SignalCounts totals;
    std::map<std::string, storage::SignalCounts> byUnit, byProcess;
    std::vector<storage::SignalCounts> cells;  // one per unit and process
};

// A step completion as the marketing system sends it.
struct StepReport {
    std::string eventId;
    std::string accountNo;
    std::string processId;     // the marketing system's process instance (its application number)
    std::string process;       // process type, e.g. 低压居民新装
    std::string step;
    std::string completedAt;   // ISO 8601
    std::string staff;
};

struct RecordedStep {
    bool duplicate = false;
    int rulesVersion = 0;
    std::vector<ShownExpectation> expectations;
};

// Where a supply contract stands on a given day.
struct ContractWatch {
    storage::ContractTerms terms;
    std::string status;        // unrecorded, valid, remind (≤ 30 days), warn (≤ 7 days), expired
    std::string effectiveExpiry;  // rolled forward term by term when it renews itself
    std::optional<int> daysLeft;
};

// 有效期: remind 30 days before expiry, warn 7 days before; an auto-renewing contract runs on
// in terms as long as the first.
[[nodiscard]] ContractWatch watchContract(const storage::ContractTerms& terms, const std::string& today);

// The supply contracts' document types.
[[nodiscard]] const std::vector<std::string>& contractTypes();

struct Reminders {
    std::string staff;
    std::int64_t asOf = 0;
    std::vector<ShownExpectation> toAdd;              // 待添加: expected documents not filed yet
    std::vector<storage::QualityState> toSend;        // 待发送: filed, awaiting the filer's self-check
    std::vector<storage::HandOverItem> toHandOver;    // 待移交: paper not yet in the archive room
    std::vector<storage::HandOverItem> filesToHandOver;  // 待移交卷宗: complete files with paper out
    std::vector<ContractWatch> contracts;             // 合同预警
    std::vector<storage::ProcessClock> deadlines;     // 业扩时限预警: the person's processes whose time limit is yellow or red
};

// Where a timed step stands: done in time or late, cancelled, or still running with its signal.
enum class ClockState { Done, Late, Cancelled, Green, Yellow, Red };
[[nodiscard]] ClockState clockStateOf(const storage::ProcessClock& clock, std::int64_t now);
[[nodiscard]] std::string_view clockStateName(ClockState state);  // done, late, cancelled, green, yellow, red

// One step of a process as the archive sees it: when it was completed and by whom, its time limit,
// and the documents it expects.
struct ProcessStepView {
    std::string step;
    std::optional<storage::StepEvent> completed;
    std::optional<storage::ProcessClock> limit;
    std::optional<ClockState> limitState;
    std::vector<ShownExpectation> documents;
};

struct ProcessView {
    storage::ProcessRecord record;
    std::string state;                 // in_flight, completed, cancelled
    std::optional<Signal> signal;      // in flight: its worst running time limit
    std::vector<ProcessStepView> steps;  // the rules' steps and limits in order, then any other reported
};

// Processes in flight by their worst time limit, per unit, process type and team.
struct ProcessBoard {
    std::int64_t asOf = 0;
    storage::FlightCounts totals;
    std::map<std::string, storage::FlightCounts> byUnit, byProcess, byTeam;  // team: "unit/team"
    std::vector<storage::FlightCounts> cells;
};

// The waivers an auditor has to decide.
struct WaiverList {
    std::int64_t asOf = 0;
    std::vector<ShownExpectation> proposed;
};

// Steps that cancel a process when the marketing system reports them.
[[nodiscard]] bool isCancellingStep(std::string_view step);  // 撤销, 作废

// Whether a step of a process may close (档案管节点、节点控流程): every mandatory paper of the step
// filed and through the filer's self-check.
struct StepGate {
    struct Missing {
        std::string docType;
        std::string state;  // not_filed, not_checked
    };
    std::string processId;
    std::string step;
    bool ready = false;
    std::vector<Missing> missing;
};

// The supply contracts needing attention, and the contract documents expected but never filed.
struct ContractList {
    std::string today;
    std::vector<ContractWatch> contracts;
    std::vector<ShownExpectation> missing;
};

class CompletenessDesk {
public:
    CompletenessDesk(storage::Stores& stores, RulesBook& rules, CalendarBook& calendar)
        : stores_(stores), rules_(rules), calendar_(calendar) {}

    [[nodiscard]] Outcome<RecordedStep> record(const StepReport& report, const storage::Actor& actor);
    [[nodiscard]] Outcome<ExpectationList> expectations(const ExpectationFilter& filter);
    [[nodiscard]] Dashboard dashboard();
    // Everything waiting on one person (a username; the marketing system names its staff alike).
    [[nodiscard]] Reminders reminders(const std::string& staff, std::int64_t now, int limit);
    // The reminders `viewer` asks for: their own, or (auditors only) another person's.
    [[nodiscard]] Outcome<Reminders> remindersFor(const std::string& staff, const storage::User& viewer);
    // The marketing system's question before it closes a step; a refusal is recorded in the
    // audit log. Asked before the step's completion was reported, the rules in force say what
    // the step needs.
    [[nodiscard]] Outcome<StepGate> gate(const std::string& processId, const std::string& step, const storage::Actor& asker);
    // The contract list of one status today (see contracts()); an unknown status is refused.
    [[nodiscard]] Outcome<ContractList> contractList(const std::string& status);
    // Contracts of one status on `today`; with `status` empty, every one that needs attention
    // (remind, warn, expired, unrecorded), fewest days left first. With `recordedOnly`, only
    // contracts whose terms are recorded (the ones that can run out: reminders).
    [[nodiscard]] std::vector<ContractWatch> contracts(const std::string& today, const std::string& status,
                                                       bool recordedOnly = false);

    // A process and each of its steps (documents and time limits).
    [[nodiscard]] Outcome<ProcessView> process(const std::string& processId);
    [[nodiscard]] ProcessBoard processBoard();
    // Open time limits, most urgent first; `signal`: empty (all), red, yellow or green.
    [[nodiscard]] Outcome<std::vector<storage::ProcessClock>> timeLimits(storage::ClockQuery query, const std::string& signal);
    // Cancels a process by hand (the marketing system could not report it): every open
    // expectation waived, every running limit stopped.
    [[nodiscard]] Outcome<int> cancel(const std::string& processId, const std::string& reason, const storage::Actor& actor);
    // Waivers: an archivist proposes with a reason, an auditor (another person) confirms or turns
    // it down.
    [[nodiscard]] Outcome<ShownExpectation> proposeWaiver(std::int64_t expectationId, const std::string& reason,
                                                          const storage::Actor& actor);
    [[nodiscard]] Outcome<ShownExpectation> decideWaiver(std::int64_t expectationId, bool confirmed, const std::string& note,
                                                         const storage::Actor& actor);
    [[nodiscard]] WaiverList waivers();
    [[nodiscard]] std::vector<storage::CalendarVersion> calendarVersions() { return calendar_.versions(); }
    [[nodiscard]] std::int64_t now() const { return stores_.clock->nowMillis(); }
    // A new year of the calendar: installed, and every running limit timed again by it.
    [[nodiscard]] Outcome<storage::CalendarVersion> installCalendar(int year, const std::string& text, const storage::Actor& actor);

private:
    [[nodiscard]] std::vector<storage::ClockStart> clocksStartedBy(int rulesVersion, const std::string& process,
                                                                   const std::string& step, std::int64_t at);

    storage::Stores& stores_;
    RulesBook& rules_;
    CalendarBook& calendar_;
};

}  // namespace dangan::server
