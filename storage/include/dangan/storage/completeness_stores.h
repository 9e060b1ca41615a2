#pragma once
// Completeness: the process rules' versions, the marketing system's step completions and the
// documents they expect, completeness audits; and the office work around them: the three quality
// gates, spot checks, supply contracts' terms and rectification orders.
//
// Meeting an expectation happens inside DocumentStore::file, in the filing's own transaction: a
// filed document closes what it can however it arrived (see meetExpectation in the .cpp).

#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dangan/storage/records.h"
#include "dangan/storage/work_leases.h"

namespace dangan::storage {

class Database;

struct RulesVersion {
    int version = 0;
    std::string text;
    std::string source;          // the file it came from, or "api"
    std::int64_t inForceFrom = 0;
    std::string createdBy;
};

// One year of the working-day calendar as installed (see server/desks/working_days.h).
struct CalendarVersion {
    int year = 0;
    int version = 0;
    std::string text;
    std::string source;          // the file it came from, or "api"
    std::int64_t installedAt = 0;
    std::string installedBy;
};

// A service time limit a completed step starts (worked out by the desk on the working-day
// calendar).
struct ClockStart {
    std::string step;            // the step that must follow in time
    std::string fromStep;
    int workingDays = 0;
    int yellowDays = 0;
    std::int64_t yellowAt = 0;
    std::int64_t dueAt = 0;
};

// One timed step of a process.
struct ProcessClock {
    std::int64_t id = 0;
    std::int64_t processId = 0;
    std::string applicationNo;
    std::string accountNo;
    std::string customerName;
    std::string step;
    std::string fromStep;
    int workingDays = 0;
    int yellowDays = 0;
    std::int64_t startedAt = 0;
    std::int64_t yellowAt = 0;
    std::int64_t dueAt = 0;
    std::string unit;
    std::string processType;
    std::string team;
    std::string staff;           // who started it; who completed the step once done
    std::optional<std::int64_t> closedAt;
    std::string outcome;         // open, done, cancelled
};

// One document a completed step requires, as the rules say.
struct RequiredAtStep {
    std::string docType;
    bool mandatory = true;
    int deadlineHours = 48;
};

// A step completion reported by the marketing system.
struct StepCompletion {
    std::string eventId;
    std::int64_t customerId = 0;
    std::string unit;            // the customer's supply unit
    std::string processType;     // e.g. 低压居民新装
    std::string applicationNo;   // the marketing system's process id
    std::string step;
    std::int64_t completedAt = 0;
    std::string staff;           // who completed it: the person responsible for its documents
    bool cancels = false;        // the process was cancelled (撤销): its open expectations are waived
};

struct Expectation {
    std::int64_t id = 0;
    std::int64_t processId = 0;
    std::string applicationNo;
    std::int64_t customerId = 0;
    std::string accountNo;
    std::string customerName;
    std::string processType;
    std::string unit;
    std::string step;
    std::string docType;
    bool mandatory = true;
    std::string staff;
    std::int64_t stepCompletedAt = 0;
    std::int64_t dueAt = 0;
    std::optional<std::int64_t> lineageId;   // the document that met it
    std::optional<std::int64_t> filedAt;
    std::string waiverReason;                // a waiver proposed or confirmed
    std::string waiverProposedBy;
    std::optional<std::int64_t> waiverProposedAt;
    std::string waivedBy;                    // who confirmed it (or cancelled the process)
    std::optional<std::int64_t> waivedAt;    // set: the document is no longer expected
};

// A step completion as recorded.
struct StepEvent {
    std::string eventId;
    std::string step;
    std::int64_t completedAt = 0;
    std::string staff;
};

// A process instance with everything the archive knows of it.
struct ProcessRecord {
    std::int64_t id = 0;
    std::string applicationNo;
    std::string processType;
    std::int64_t customerId = 0;
    std::string accountNo;
    std::string customerName;
    std::string unit;
    std::int64_t startedAt = 0;
    int rulesVersion = 0;
    std::optional<std::int64_t> cancelledAt;
    std::string cancelReason;
    std::vector<StepEvent> events;           // in order of completion
    std::vector<Expectation> expectations;
    std::vector<ProcessClock> clocks;
};

// Processes in flight (with an open clock) of one unit, process type and team, by their worst
// clock's signal.
struct FlightCounts {
    std::string unit;
    std::string processType;
    std::string team;
    std::int64_t green = 0;
    std::int64_t yellow = 0;
    std::int64_t red = 0;
};

struct ClockQuery {
    std::optional<std::string> staff, unit, processType, team;
    std::optional<std::int64_t> yellowBy;    // only clocks yellow (or red) by this instant
    std::optional<std::int64_t> dueBefore;   // only clocks past due (red) at this instant
    std::optional<std::int64_t> dueFrom;     // only clocks not yet due at this instant
    std::optional<std::int64_t> greenAt;     // only clocks still green at this instant
    int limit = 200;
};

enum class WaiverRefusal { NoSuchExpectation, AlreadyFiled, AlreadyWaived, NotProposed, AlreadyProposed, OwnProposal };

enum class EventOutcome { Recorded, Duplicate, ProcessOfAnotherCustomer };

struct EventRecord {
    EventOutcome outcome = EventOutcome::Recorded;
    std::int64_t processId = 0;
    int rulesVersion = 0;
    std::vector<Expectation> expectations;   // the step's (new or, for a duplicate, as they stand)
};

struct ExpectationQuery {
    std::optional<std::int64_t> customerId;
    std::optional<std::string> applicationNo;
    std::optional<std::string> unit;
    std::optional<std::string> processType;
    std::optional<std::string> staff;
    bool openOnly = false;                   // not yet filed (mandatory ones)
    std::optional<std::int64_t> dueBefore;   // with openOnly: overdue or about to be
    int limit = 200;
};

// Open mandatory expectations of one unit and process type by their signal at an instant.
struct SignalCounts {
    std::string unit;
    std::string processType;
    std::int64_t green = 0;
    std::int64_t yellow = 0;
    std::int64_t red = 0;
};

struct AuditScope {
    std::optional<std::string> unit;
    std::optional<std::string> processType;
    std::optional<std::string> voltage;
    std::optional<std::int64_t> from;        // steps completed at or after
    std::optional<std::int64_t> to;          // steps completed before
};

// One expectation as an audit reads it.
struct ExpectationRow {
    std::int64_t id = 0;
    std::int64_t customerId = 0;
    std::int64_t processId = 0;
    bool mandatory = true;
    std::int64_t dueAt = 0;
    std::optional<std::int64_t> filedAt;
    bool waived = false;
};

// An audit's scope as requested: unit, process, voltage, from, to (each optional).
using AuditFilter = std::map<std::string, std::string>;

// What an audit counted.
struct AuditTotals {
    std::int64_t customers = 0;
    std::int64_t processes = 0;
    std::int64_t expected = 0;   // mandatory documents
    std::int64_t onTime = 0;
    std::int64_t late = 0;
    std::int64_t missing = 0;
    std::int64_t pending = 0;    // not filed, deadline still ahead
    std::int64_t waived = 0;     // no longer expected (waived by two people, or the process cancelled)
};

struct AuditRecord {
    std::int64_t id = 0;
    AuditFilter filter;          // as requested
    std::string state;           // queued, running, done, failed
    std::int64_t asOf = 0;
    std::int64_t requestedAt = 0;
    std::string requestedBy;
    std::optional<std::int64_t> finishedAt;
    std::optional<AuditTotals> totals;  // once done
    std::string error;
};

struct AuditFinding {
    std::int64_t seq = 0;
    std::string kind;            // missing, late, waived
    Expectation expectation;
};

struct FindingCount {
    std::string unit;
    std::string processType;
    std::int64_t missing = 0;
    std::int64_t late = 0;
    std::int64_t waived = 0;
};

struct NewFinding {
    std::int64_t expectationId = 0;
    std::string kind;
};

class CompletenessStore {
public:
    virtual ~CompletenessStore() = default;

    // ---- rules ----
    [[nodiscard]] virtual std::vector<RulesVersion> rulesVersions() = 0;   // oldest first, with text
    virtual RulesVersion addRules(const std::string& text, const std::string& source, const Actor& actor) = 0;

    // ---- events ----
    // Records a step completion once per event id. The process (found by its application number,
    // or opened) keeps the rules version in force when it started; `required` names what that
    // version asks of the step. Each required document becomes an expectation, met at once by a
    // document of that type already filed for the process and not meeting another.
    // The step's completion also closes its own clock (done) and starts the clocks `clocks` names
    // for the rules version; a cancelling step waives every open expectation and closes every
    // open clock (cancelled).
    [[nodiscard]] virtual EventRecord recordEvent(
        const StepCompletion& event, const std::function<std::vector<RequiredAtStep>(int rulesVersion)>& required,
        const std::function<std::vector<ClockStart>(int rulesVersion)>& clocks, const Actor& actor) = 0;
    // Cancels a process by hand: as a cancelling step; nullopt when there is no such process.
    // Returns the expectations waived.
    virtual std::optional<int> cancelProcess(const std::string& applicationNo, const std::string& reason,
                                             const Actor& actor) = 0;
    [[nodiscard]] virtual std::optional<ProcessRecord> process(const std::string& applicationNo) = 0;

    // ---- waivers: proposed by one person, confirmed (or turned down) by another ----
    [[nodiscard]] virtual std::optional<Expectation> expectation(std::int64_t id) = 0;
    virtual std::expected<Expectation, WaiverRefusal> proposeWaiver(std::int64_t id, const std::string& reason,
                                                                    const Actor& actor) = 0;
    virtual std::expected<Expectation, WaiverRefusal> decideWaiver(std::int64_t id, bool confirmed, const std::string& note,
                                                                   const Actor& actor) = 0;
    [[nodiscard]] virtual std::vector<Expectation> proposedWaivers(int limit) = 0;

    // ---- time limits ----
    [[nodiscard]] virtual std::vector<FlightCounts> flightCounts(std::int64_t now) = 0;
    // Open clocks, most urgent first.
    [[nodiscard]] virtual std::vector<ProcessClock> openClocks(const ClockQuery& query) = 0;
    // Every open clock (for a new calendar), and its new times.
    [[nodiscard]] virtual std::vector<ProcessClock> allOpenClocks() = 0;
    virtual void retimeClocks(const std::vector<ProcessClock>& clocks) = 0;

    // ---- the working-day calendar ----
    [[nodiscard]] virtual std::vector<CalendarVersion> calendarVersions() = 0;   // oldest first, with text
    virtual CalendarVersion addCalendarYear(int year, const std::string& text, const std::string& source,
                                            const Actor& actor) = 0;
    [[nodiscard]] virtual std::vector<Expectation> expectations(const ExpectationQuery& query) = 0;
    [[nodiscard]] virtual std::vector<SignalCounts> signalCounts(std::int64_t now, std::int64_t yellowWindowMs) = 0;

    // ---- audits ----
    // Records an audit, queued, leased to `claim`'s node.
    [[nodiscard]] virtual std::int64_t createAudit(const AuditFilter& filter, std::int64_t asOf, const Actor& actor,
                                                   const WorkClaim& claim) = 0;
    [[nodiscard]] virtual std::optional<AuditRecord> audit(std::int64_t id) = 0;
    [[nodiscard]] virtual std::vector<AuditRecord> audits(int limit) = 0;
    // The audits node `node` holds still queued or running, oldest first.
    [[nodiscard]] virtual std::vector<std::int64_t> unfinishedAudits(const std::string& node) = 0;
    virtual void startAudit(std::int64_t id) = 0;   // running, earlier findings dropped
    // Streams the expectations in scope, in id order, in one read transaction, while `visit`
    // returns true; false when it stopped the scan.
    virtual bool scanExpectations(const AuditScope& scope, const std::function<bool(const ExpectationRow&)>& visit) = 0;
    virtual void addFindings(std::int64_t auditId, std::int64_t firstSeq, const std::vector<NewFinding>& findings) = 0;
    virtual void finishAudit(std::int64_t id, const std::string& state, const std::optional<AuditTotals>& totals,
                             const std::string& error, const Actor& actor) = 0;
    // Findings after seq `offset`, in order.
    [[nodiscard]] virtual std::vector<AuditFinding> findings(std::int64_t auditId, std::int64_t offset, int limit) = 0;
    // Findings counted by unit and process type.
    [[nodiscard]] virtual std::vector<FindingCount> findingSummary(std::int64_t auditId) = 0;
    // An upper bound of the expectations an audit may read (for its progress).
    [[nodiscard]] virtual std::int64_t expectationCeiling() = 0;
};

// ---- quality gates, spot checks, contracts, rectification ----

struct QualityState {
    std::int64_t lineageId = 0;
    std::int64_t documentId = 0;   // the current version
    std::string gate;              // self, collect, collected, audited
    std::int64_t filerId = 0;
    std::string filer;
    int rejections = 0;
    std::string lastReason;
    std::string accountNo;
    std::string docType;
    std::string unit;
    std::int64_t archivedAt = 0;
};

enum class ReviewRefusal { NoSuchDocument, NotAtThisGate };

struct SpotCheckItem {
    std::int64_t seq = 0;
    std::int64_t lineageId = 0;
    std::int64_t documentId = 0;
    std::string unit;
    std::string accountNo;
    std::string docType;
    std::string filer;
    std::string outcome;   // pending, passed, failed
    std::string reason;
};

struct SpotCheck {
    std::int64_t id = 0;
    std::int64_t seed = 0;
    int perUnit = 0;
    std::string filter;
    std::int64_t createdAt = 0;
    std::string createdBy;
    std::vector<SpotCheckItem> items;
};

// A filed item a spot check may draw.
struct SampleCandidate {
    std::int64_t lineageId = 0;
    std::string unit;
};

struct ContractTerms {
    std::int64_t lineageId = 0;
    std::int64_t documentId = 0;   // the current version
    std::int64_t customerId = 0;
    std::string accountNo;
    std::string customerName;
    std::string unit;
    std::string docType;
    std::string contractNo;        // empty: terms not recorded yet
    std::string signedOn;
    std::string expiresOn;
    bool autoRenew = false;
    std::string source;            // entered, ocr
    std::string staff;             // who is responsible: the contract step's staff, else the filer
};

struct NewContractTerms {
    std::string contractNo;
    std::string signedOn;
    std::string expiresOn;
    bool autoRenew = false;
    std::string source = "entered";
};

// An image the owner of a rectification order attached to their report (证据页).
struct EvidencePage {
    int seq = 0;
    Digest sha256{};
    std::string mediaType;
    std::uint64_t bytes = 0;
    std::int64_t addedAt = 0;
    std::string addedBy;
};

struct Rectification {
    std::int64_t id = 0;
    std::string source;
    std::string sourceRef;
    std::optional<std::int64_t> customerId;
    std::string accountNo;
    std::string unit;
    std::string description;
    std::string owner;
    std::string dueOn;
    std::string state;            // open, rectified, closed
    std::int64_t raisedAt = 0;
    std::string raisedBy;
    std::optional<std::int64_t> rectifiedAt;
    std::string rectifiedNote;
    std::optional<std::int64_t> closedAt;
};

struct NewRectification {
    std::string source;
    std::string sourceRef;
    std::optional<std::int64_t> customerId;
    std::string unit;
    std::string description;
    std::string owner;
    std::string dueOn;
};

struct SpotCheckVerdict {
    SpotCheckItem item;
    std::optional<std::int64_t> rectificationId;
};

// A filed item whose paper is still to reach the archive room, or a process with one.
struct HandOverItem {
    std::int64_t lineageId = 0;
    std::int64_t documentId = 0;
    std::string accountNo;
    std::string processType;
    std::string applicationNo;
    std::string docType;
    std::int64_t archivedAt = 0;
};

// What one person (or unit) did in a period, for the monthly score.
struct PerformanceTally {
    std::string name;
    std::int64_t due = 0;          // mandatory documents due in the period
    std::int64_t onTime = 0;       // of those, filed by their deadline
    std::int64_t overdue = 0;      // of those, still not filed at the period's end, plus orders overdue
    std::int64_t reviewed = 0;     // gate verdicts on the person's documents in the period
    std::int64_t rejected = 0;
    std::int64_t timedSteps = 0;   // 流程时限: timed steps due in the period (cancelled ones aside)
    std::int64_t timedInTime = 0;  // of those, completed by their limit
};

class OfficeStore {
public:
    virtual ~OfficeStore() = default;

    // ---- quality gates ----
    [[nodiscard]] virtual std::optional<QualityState> quality(std::int64_t lineageId) = 0;
    // Items waiting at a gate (self: for the filer `filerId` if given), oldest first.
    [[nodiscard]] virtual std::vector<QualityState> atGate(const std::string& gate, std::optional<std::int64_t> filerId,
                                                           int limit) = 0;
    // Records a verdict at the item's gate: a pass moves it on (self → collect → collected →
    // audited), a rejection sends it back to the filer's self-check and is counted.
    virtual std::expected<QualityState, ReviewRefusal> review(std::int64_t lineageId, const std::string& gate, bool passed,
                                                              const std::string& reason, const Actor& actor) = 0;

    // Items filed by `filerId` whose paper is in no box or volume yet (待移交), oldest first.
    [[nodiscard]] virtual std::vector<HandOverItem> paperToHandOver(std::int64_t filerId, int limit) = 0;
    // One item each of `staff`'s processes whose expected documents are all filed but whose paper
    // is not all boxed (待移交卷宗: the process's file is complete and should go to the room).
    [[nodiscard]] virtual std::vector<HandOverItem> filesToHandOver(const std::string& staff, int limit) = 0;

    // ---- spot checks ----
    [[nodiscard]] virtual std::vector<SampleCandidate> sampleCandidates(std::optional<std::int64_t> from,
                                                                        std::optional<std::int64_t> to) = 0;
    [[nodiscard]] virtual std::int64_t createSpotCheck(std::int64_t seed, int perUnit, const std::string& filter,
                                                       const std::vector<SampleCandidate>& drawn, const Actor& actor) = 0;
    [[nodiscard]] virtual std::optional<SpotCheck> spotCheck(std::int64_t id) = 0;
    // Records the check of one drawn item as its audit-gate verdict and, for a failure, raises
    // `order` in the same transaction; nullopt when there is no such pending item.
    virtual std::optional<SpotCheckVerdict> checkSpotItem(std::int64_t spotCheckId, std::int64_t seq, bool passed,
                                                          const std::string& reason,
                                                          const std::optional<NewRectification>& order,
                                                          const Actor& actor) = 0;

    // ---- contracts ----
    virtual std::optional<ContractTerms> recordContract(std::int64_t lineageId, const NewContractTerms& terms,
                                                        const Actor& actor) = 0;
    // Every current supply contract (documents of `contractTypes`) with its latest terms; with
    // `recordedOnly`, only those whose terms are recorded (what can run out).
    [[nodiscard]] virtual std::vector<ContractTerms> contracts(const std::vector<std::string>& contractTypes,
                                                              bool recordedOnly = false) = 0;
    // Open expectations of a contract that are past their deadline (contracts never filed).
    [[nodiscard]] virtual std::vector<Expectation> missingContracts(const std::vector<std::string>& contractTypes,
                                                                    std::int64_t now) = 0;

    // ---- rectification ----
    [[nodiscard]] virtual std::int64_t raise(const NewRectification& order, const Actor& actor) = 0;
    [[nodiscard]] virtual std::optional<Rectification> rectification(std::int64_t id) = 0;
    [[nodiscard]] virtual std::vector<Rectification> rectifications(const std::optional<std::string>& state,
                                                                    const std::optional<std::string>& owner, int limit) = 0;
    // Every order raised before `until` (for the monthly rates).
    [[nodiscard]] virtual std::vector<Rectification> rectificationsRaisedBefore(std::int64_t until) = 0;
    // Reports an open order put right with `note` and the evidence pages (their bytes already
    // durable in the image store), in one transaction; nullopt when the order is not open.
    virtual std::optional<Rectification> markRectified(std::int64_t id, const std::string& note,
                                                       const std::vector<EvidencePage>& evidence, const Actor& actor) = 0;
    [[nodiscard]] virtual std::vector<EvidencePage> evidence(std::int64_t rectificationId) = 0;
    // verified: closed; otherwise back to open with the note.
    virtual std::optional<Rectification> verify(std::int64_t id, bool verified, const std::string& note,
                                                const Actor& actor) = 0;

    // ---- scores ----
    // Per person (staff of the steps, filers, owners) for [from, to): see PerformanceTally.
    [[nodiscard]] virtual std::vector<PerformanceTally> tallyByPerson(std::int64_t from, std::int64_t to) = 0;
    [[nodiscard]] virtual std::vector<PerformanceTally> tallyByUnit(std::int64_t from, std::int64_t to) = 0;
    // Per team, named "unit/team" after the person's team (people without one are left out).
    [[nodiscard]] virtual std::vector<PerformanceTally> tallyByTeam(std::int64_t from, std::int64_t to) = 0;
    // Share of mandatory documents due by `at` that were filed by then (the completeness indicator).
    [[nodiscard]] virtual double completenessAt(std::int64_t at) = 0;
};

[[nodiscard]] std::unique_ptr<CompletenessStore> makeSqlCompletenessStore(Database& database);
[[nodiscard]] std::unique_ptr<OfficeStore> makeSqlOfficeStore(Database& database);

}  // namespace dangan::storage
