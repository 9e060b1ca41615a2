#pragma once
// The audit office's work on the archive: the three quality gates (the filer's self-check, the
// archive collector's review, the audit post's spot check), reproducible spot-check samples,
// rectification orders followed to closure, the office's monthly rates and the monthly scores and
// ranking of staff and units; and the recorded terms of supply contracts.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dangan/desks/completeness_desk.h"
#include "dangan/desks/filing_desk.h"
#include "dangan/storage/image_store.h"
#include "dangan/desks/problem.h"
#include "dangan/desks/process_rules.h"
#include "dangan/storage/stores.h"

namespace dangan::server {

// Draws up to `perUnit` items of each unit: the candidates of a unit ordered by id, shuffled by
// a Fisher–Yates pass driven by std::mt19937_64(seed) (whose output the C++ standard fixes), so
// the same seed over the same items draws the same sample on every machine.
[[nodiscard]] std::vector<storage::SampleCandidate> drawSample(std::vector<storage::SampleCandidate> candidates,
                                                               std::uint64_t seed, int perUnit);

// The audit office's monthly rates (in percent; nullopt when the denominator is zero).
struct OfficeRates {
    std::string month;                  // YYYY-MM
    std::int64_t raised = 0;            // orders raised in the month
    std::int64_t completed = 0;         // of those, closed (verified) by the month's end
    std::int64_t rectified = 0;         // of those, rectified (or closed) by the month's end
    std::int64_t overdue = 0;           // of those, not closed by their due date
    std::int64_t openAtStart = 0;       // anomalies (open orders) when the month began
    std::int64_t openAtEnd = 0;
    std::optional<double> completionRate;      // 稽查问题完成率 = completed / raised
    std::optional<double> rectificationRate;   // 整改完成率 = rectified / raised
    std::optional<double> overdueRate;         // 稽查超期率 = overdue / raised
    double completenessAtStart = 0;            // the indicator: share of due documents filed
    double completenessAtEnd = 0;
    std::optional<double> indicatorChange;     // 指标改变率 = (end − start) / start
    std::optional<double> cumulativeCompletion;  // 累计完成率 = (open at start − open at end) / open at start
};

// `monthStart`/`monthEnd` are the instants the month begins and ends (China time), `until` the
// instant the month is judged at (its end, or now for the current month).
[[nodiscard]] OfficeRates officeRates(const std::string& month, const std::vector<storage::Rectification>& orders,
                                      std::int64_t monthStart, std::int64_t until, double completenessAtStart,
                                      double completenessAtEnd);

struct Score {
    std::string name;
    int rank = 0;
    double score = 0;            // 0 to 100
    double timeliness = 1;       // shares 0 to 1
    double quality = 1;
    double deadlines = 1;
    storage::PerformanceTally tally;
    std::int64_t ordersDue = 0;
    std::int64_t ordersOverdue = 0;
};

// Whom a score is of: a person, a team (班组, "unit/team") or a supply unit.
enum class ScoreBy { Person, Team, Unit };

// Scores and ranks (best first; equal scores share a rank): weights.timeliness × on-time share of
// the expected documents + weights.quality × (1 − rejected share) + weights.deadlines × the
// 流程时限 share: timed steps completed within their limit and rectification orders closed by
// their due date, among those due in the month. A share with nothing behind it counts as 1.
// Orders count as overdue by `judgedAt` (the month's end, or now in the current month); an order
// counts for its owner, the owner's team (`teamOf`: username → "unit/team") or its unit.
[[nodiscard]] std::vector<Score> rankScores(std::vector<storage::PerformanceTally> tallies,
                                            const std::vector<storage::Rectification>& ordersDue,
                                            const std::string& monthStart, const std::string& monthEnd,
                                            std::int64_t judgedAt, ScoreBy by, const ScoreWeights& weights,
                                            const std::map<std::string, std::string>& teamOf = {});

// The three quality gates: the filer's self-check, the archive collector's review, the audit
// post's spot check.
enum class Gate { Self, Collect, Audit };
[[nodiscard]] std::optional<Gate> gateNamed(std::string_view name);  // self, collect, audit
[[nodiscard]] std::string_view gateName(Gate gate);
// Where filed documents wait: for their self-check, for the collector, or past the collector.
enum class GateQueue { Self, Collect, Collected };
[[nodiscard]] std::optional<GateQueue> gateQueueNamed(std::string_view name);  // self, collect, collected
[[nodiscard]] std::string_view gateQueueName(GateQueue queue);

// A rectification order as it stands today.
struct ShownOrder {
    storage::Rectification order;
    bool overdue = false;  // past its due date and not closed
};

class OfficeDesk {
public:
    OfficeDesk(storage::Stores& stores, storage::ImageStore& images) : stores_(stores), images_(images) {}

    // A verdict at a gate: self-check only by the item's filer; the collector's review never by
    // its filer; a rejection needs a reason.
    [[nodiscard]] Outcome<storage::QualityState> review(std::int64_t documentId, Gate gate, bool passed,
                                                        const std::string& reason, const storage::User& user);

    [[nodiscard]] Outcome<std::int64_t> drawSpotCheck(std::uint64_t seed, int perUnit, const std::string& from,
                                                      const std::string& to, const storage::Actor& actor);
    // A failed item raises a rectification order for its filer, due in `days` days.
    [[nodiscard]] Outcome<storage::SpotCheckVerdict> checkSpotItem(std::int64_t id, std::int64_t seq, bool passed,
                                                                   const std::string& reason, int days,
                                                                   const storage::Actor& actor);

    [[nodiscard]] Outcome<std::int64_t> raise(storage::NewRectification order, const storage::Actor& actor);
    // An order for one finding of an audit: owned by the step's staff unless `owner` is given.
    [[nodiscard]] Outcome<std::int64_t> raiseForFinding(std::int64_t auditId, std::int64_t seq, std::string owner,
                                                        const std::string& dueOn, const storage::Actor& actor);
    // The owner reports the order put right, with what was done and any evidence pages (scanned
    // images, staged as uploads: each must open as an image); the pages are kept with the order.
    [[nodiscard]] Outcome<storage::Rectification> markRectified(std::int64_t id, const std::string& note,
                                                                std::vector<Upload> evidence, const storage::User& user);
    // One evidence page's bytes: for the order's owner and auditors.
    [[nodiscard]] Outcome<std::pair<storage::EvidencePage, std::string>> evidencePage(std::int64_t id, int seq,
                                                                                      const storage::User& viewer);
    [[nodiscard]] std::vector<storage::EvidencePage> evidence(std::int64_t id) { return stores_.office->evidence(id); }
    [[nodiscard]] Outcome<storage::Rectification> verify(std::int64_t id, bool verified, const std::string& note,
                                                         const storage::Actor& actor);
    [[nodiscard]] Outcome<OfficeRates> rates(const std::string& month);
    // Persons (byUnit false) or units ranked for the month.
    [[nodiscard]] Outcome<std::vector<Score>> scores(const std::string& month, ScoreBy by, const ScoreWeights& weights);

    // The documents waiting at a gate (self, collect) or past the collector (collected); at the
    // self-check gate, the viewer's own.
    [[nodiscard]] std::vector<storage::QualityState> atGate(GateQueue queue, const storage::User& viewer);
    [[nodiscard]] Outcome<storage::SpotCheck> spotCheck(std::int64_t id);
    [[nodiscard]] Outcome<storage::Rectification> rectification(std::int64_t id);
    // Auditors see every order; anyone else only their own.
    [[nodiscard]] Outcome<std::vector<ShownOrder>> rectifications(std::optional<std::string> state,
                                                                  std::optional<std::string> owner,
                                                                  const storage::User& viewer);
    // Past its due date and not closed, today.
    [[nodiscard]] bool overdue(const storage::Rectification& order);
    // An order raised by hand, for a customer (by account number) or for none.
    [[nodiscard]] Outcome<std::int64_t> raiseManual(const std::string& accountNo, const std::string& description,
                                                    const std::string& owner, const std::string& dueOn,
                                                    const storage::Actor& actor);
    // Contract terms read by OCR (contract number, signing and expiry dates) are recorded, with
    // source "ocr", on the current contract documents showing the page, unless terms were
    // recorded there already or they fail their checks (left for a person to enter).
    void recordReadTerms(const storage::StoredReading& reading);
    // YYYY-MM, in China, by the archive's clock.
    [[nodiscard]] std::string thisMonth();
    // The terms as recorded, watched as of today.
    [[nodiscard]] Outcome<ContractWatch> recordContract(std::int64_t documentId, storage::NewContractTerms terms,
                                                                 const storage::Actor& actor);

private:
    [[nodiscard]] static bool overdueOn(const storage::Rectification& order, const std::string& day);

    storage::Stores& stores_;
    storage::ImageStore& images_;
};

}  // namespace dangan::server
