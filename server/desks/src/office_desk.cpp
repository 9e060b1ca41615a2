#include "dangan/desks/office_desk.h"

#include <algorithm>
#include <limits>
#include <map>
#include <random>

#include "dangan/desks/access.h"
#include "dangan/desks/calendar.h"
#include "dangan/desks/completeness_desk.h"
#include "dangan/storage/database.h"

namespace dangan::server {
namespace {

// A uniform draw from [0, n) by rejection, from the engine's exact output (not through
// std::uniform_int_distribution, whose algorithm each standard library chooses).
std::uint64_t below(std::mt19937_64& engine, std::uint64_t n) {
    const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
    std::uint64_t x = 0;
    do x = engine();
    while (x >= limit);
    return x % n;
}

std::optional<double> percent(std::int64_t part, std::int64_t whole) {
    if (whole == 0) return std::nullopt;
    return 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

double share(std::int64_t part, std::int64_t whole) {
    return whole == 0 ? 1.0 : static_cast<double>(part) / static_cast<double>(whole);
}

// The instant a due date has passed: the end of that day in China.
std::int64_t endOfDay(const std::string& date) { return dayStart(addDays(date, 1)); }

bool closedLate(const storage::Rectification& r, std::int64_t at) {
    std::int64_t due = endOfDay(r.dueOn);
    return r.closedAt ? *r.closedAt > due : at > due;
}

Outcome<std::string> reasonFor(bool passed, const std::string& reason) {
    if (!passed && reason.empty()) return fail(ProblemCode::BadRequest, "a rejection needs a reason");
    if (reason.size() > 500) return fail(ProblemCode::BadRequest, "reason is longer than 500 bytes");
    return reason;
}

}  // namespace

std::vector<storage::SampleCandidate> drawSample(std::vector<storage::SampleCandidate> candidates, std::uint64_t seed,
                                                 int perUnit) {
    std::map<std::string, std::vector<std::int64_t>> byUnit;
    for (const auto& c : candidates) byUnit[c.unit].push_back(c.lineageId);
    std::mt19937_64 engine(seed);
    std::vector<storage::SampleCandidate> drawn;
    for (auto& [unit, ids] : byUnit) {
        std::sort(ids.begin(), ids.end());
        std::size_t take = std::min(ids.size(), static_cast<std::size_t>(std::max(perUnit, 0)));
        for (std::size_t i = 0; i < take; ++i) {
            std::size_t j = i + static_cast<std::size_t>(below(engine, ids.size() - i));
            std::swap(ids[i], ids[j]);
            drawn.push_back({ids[i], unit});
        }
    }
    return drawn;
}

OfficeRates officeRates(const std::string& month, const std::vector<storage::Rectification>& orders,
                        std::int64_t monthStart, std::int64_t until, double completenessAtStart,
                        double completenessAtEnd) {
    OfficeRates r;
    r.month = month;
    for (const auto& o : orders) {
        if (o.raisedAt < monthStart && (!o.closedAt || *o.closedAt >= monthStart)) ++r.openAtStart;
        if (o.raisedAt < until && (!o.closedAt || *o.closedAt >= until)) ++r.openAtEnd;
        if (o.raisedAt < monthStart || o.raisedAt >= until) continue;
        ++r.raised;
        bool closed = o.closedAt && *o.closedAt < until;
        if (closed) ++r.completed;
        if (closed || (o.rectifiedAt && *o.rectifiedAt < until)) ++r.rectified;
        if (closedLate(o, until)) ++r.overdue;
    }
    r.completionRate = percent(r.completed, r.raised);
    r.rectificationRate = percent(r.rectified, r.raised);
    r.overdueRate = percent(r.overdue, r.raised);
    r.completenessAtStart = completenessAtStart;
    r.completenessAtEnd = completenessAtEnd;
    if (completenessAtStart > 0)
        r.indicatorChange = 100.0 * (completenessAtEnd - completenessAtStart) / completenessAtStart;
    if (r.openAtStart > 0)
        r.cumulativeCompletion = 100.0 * static_cast<double>(r.openAtStart - r.openAtEnd) / static_cast<double>(r.openAtStart);
    return r;
}

std::vector<Score> rankScores(std::vector<storage::PerformanceTally> tallies,
                              const std::vector<storage::Rectification>& orders, const std::string& monthStart,
                              const std::string& monthEnd, std::int64_t judgedAt, ScoreBy by,
                              const ScoreWeights& weights, const std::map<std::string, std::string>& teamOf) {
    std::map<std::string, Score> scores;
    for (auto& t : tallies) scores[t.name].tally = t;
    for (const auto& o : orders) {
        if (o.dueOn < monthStart || o.dueOn >= monthEnd) continue;
        std::string key = by == ScoreBy::Unit ? o.unit : o.owner;
        if (by == ScoreBy::Team) {
            auto team = teamOf.find(o.owner);
            key = team == teamOf.end() ? "" : team->second;
        }
        auto& s = scores[key];
        ++s.ordersDue;
        if (closedLate(o, judgedAt)) ++s.ordersOverdue;
    }
    std::vector<Score> out;
    for (auto& [name, s] : scores) {
        if (name.empty()) continue;
        s.name = name;
        s.timeliness = share(s.tally.onTime, s.tally.due);
        s.quality = share(s.tally.reviewed - s.tally.rejected, s.tally.reviewed);
        s.deadlines = share(s.tally.timedInTime + s.ordersDue - s.ordersOverdue, s.tally.timedSteps + s.ordersDue);
        s.score = weights.timeliness * s.timeliness + weights.quality * s.quality + weights.deadlines * s.deadlines;
        out.push_back(s);
    }
    std::sort(out.begin(), out.end(), [](const Score& a, const Score& b) {
        return a.score != b.score ? a.score > b.score : a.name < b.name;
    });
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i].rank = i > 0 && out[i].score == out[i - 1].score ? out[i - 1].rank : static_cast<int>(i + 1);
    return out;
}

std::optional<Gate> gateNamed(std::string_view name) {
    if (name == "self") return Gate::Self;
    if (name == "collect") return Gate::Collect;
    if (name == "audit") return Gate::Audit;
    return std::nullopt;
}

std::string_view gateName(Gate gate) {
    switch (gate) {
        case Gate::Self: return "self";
        case Gate::Collect: return "collect";
        case Gate::Audit: return "audit";
    }
    return "self";
}

std::optional<GateQueue> gateQueueNamed(std::string_view name) {
    if (name == "self") return GateQueue::Self;
    if (name == "collect") return GateQueue::Collect;
    if (name == "collected") return GateQueue::Collected;
    return std::nullopt;
}

std::string_view gateQueueName(GateQueue queue) {
    switch (queue) {
        case GateQueue::Self: return "self";
        case GateQueue::Collect: return "collect";
        case GateQueue::Collected: return "collected";
    }
    return "self";
}

Outcome<storage::QualityState> OfficeDesk::review(std::int64_t documentId, Gate gate, bool passed,
                                                  const std::string& reason, const storage::User& user) {
    // The filer self-checks, the archive collector (who keeps the paper) reviews, auditors audit.
    Permission needed = gate == Gate::Self ? Permission::FileDocuments : gate == Gate::Collect ? Permission::KeepPaper : Permission::RunAudits;
    if (!allows(user, needed))
        return fail(ProblemCode::Forbidden, "your roles do not allow verdicts at the " + std::string(gateName(gate)) + " gate");
    auto why = reasonFor(passed, reason);
    if (!why) return std::unexpected(why.error());
    auto document = stores_.documents->document(documentId);
    if (!document) return fail(ProblemCode::NotFound, "no document " + std::to_string(documentId));
    auto state = stores_.office->quality(document->lineageId);
    if (!state) return fail(ProblemCode::NotFound, "document " + std::to_string(documentId) + " has no quality record");
    bool admin = hasRole(user, "admin");
    if (gate == Gate::Self && state->filerId != user.id && !admin)
        return fail(ProblemCode::Forbidden, "only the filer (" + state->filer + ") self-checks a document");
    if (gate != Gate::Self && state->filerId == user.id)
        return fail(ProblemCode::Forbidden, "a filer does not review their own document");
    auto verdict = stores_.office->review(document->lineageId, std::string(gateName(gate)), passed, reason, {user.id, user.username});
    if (!verdict) {
        static const std::map<std::string, std::string> kWaiting{
            {"self", "self-check"}, {"collect", "the collector's review"}, {"collected", "the audit spot check"},
            {"audited", "nothing (it passed every gate)"}};
        return fail(ProblemCode::Conflict, "document " + std::to_string(documentId) + " is not at the " + std::string(gateName(gate)) +
                                               " gate: it waits for " + kWaiting.at(state->gate));
    }
    return *verdict;
}

Outcome<std::int64_t> OfficeDesk::drawSpotCheck(std::uint64_t seed, int perUnit, const std::string& from,
                                                const std::string& to, const storage::Actor& actor) {
    if (perUnit < 1 || perUnit > 500) return fail(ProblemCode::BadRequest, "per_unit must be from 1 to 500");
    if (!from.empty() && !isDate(from)) return fail(ProblemCode::BadRequest, "from must be a date (YYYY-MM-DD)");
    if (!to.empty() && !isDate(to)) return fail(ProblemCode::BadRequest, "to must be a date (YYYY-MM-DD)");
    std::optional<std::int64_t> fromAt, toAt;
    if (!from.empty()) fromAt = dayStart(from);
    if (!to.empty()) toAt = dayStart(addDays(to, 1));
    auto drawn = drawSample(stores_.office->sampleCandidates(fromAt, toAt), seed, perUnit);
    if (drawn.empty()) return fail(ProblemCode::Unprocessable, "no filed documents in that period to draw from");
    std::string filter = storage::textFieldsJson({{"from", from}, {"to", to}});
    return stores_.office->createSpotCheck(static_cast<std::int64_t>(seed), perUnit, filter, drawn, actor);
}

Outcome<storage::SpotCheckVerdict> OfficeDesk::checkSpotItem(std::int64_t id, std::int64_t seq, bool passed,
                                                             const std::string& reason, int days,
                                                             const storage::Actor& actor) {
    auto why = reasonFor(passed, reason);
    if (!why) return std::unexpected(why.error());
    if (days < 1 || days > 90) return fail(ProblemCode::BadRequest, "days must be from 1 to 90");
    auto check = stores_.office->spotCheck(id);
    if (!check) return fail(ProblemCode::NotFound, "no spot check " + std::to_string(id));
    auto item = std::find_if(check->items.begin(), check->items.end(), [&](const auto& i) { return i.seq == seq; });
    if (item == check->items.end()) return fail(ProblemCode::NotFound, "spot check " + std::to_string(id) + " has no item " + std::to_string(seq));
    std::optional<storage::NewRectification> order;
    if (!passed) {
        auto customer = stores_.customers->findByAccountNo(item->accountNo);
        order = storage::NewRectification{"spot_check", std::to_string(id) + "/" + std::to_string(seq),
                                          customer ? std::optional(customer->id) : std::nullopt, item->unit,
                                          "抽查不合格：" + item->docType + "（户号 " + item->accountNo + "）：" + reason,
                                          item->filer, addDays(today(*stores_.clock), days)};
    }
    auto verdict = stores_.office->checkSpotItem(id, seq, passed, reason, order, actor);
    if (!verdict) return fail(ProblemCode::Conflict, "item " + std::to_string(seq) + " of spot check " + std::to_string(id) + " is checked already");
    return *verdict;
}

Outcome<std::int64_t> OfficeDesk::raise(storage::NewRectification order, const storage::Actor& actor) {
    if (order.description.empty() || order.description.size() > 1000)
        return fail(ProblemCode::BadRequest, "description must be 1 to 1000 bytes");
    if (!stores_.users->findByUsername(order.owner))
        return fail(ProblemCode::Unprocessable, "owner '" + order.owner + "' is not a user of the archive");
    if (!isDate(order.dueOn)) return fail(ProblemCode::BadRequest, "due_on must be a date (YYYY-MM-DD)");
    if (order.dueOn < today(*stores_.clock)) return fail(ProblemCode::BadRequest, "due_on " + order.dueOn + " is in the past");
    return stores_.office->raise(order, actor);
}

Outcome<std::int64_t> OfficeDesk::raiseForFinding(std::int64_t auditId, std::int64_t seq, std::string owner,
                                                  const std::string& dueOn, const storage::Actor& actor) {
    auto found = stores_.completeness->findings(auditId, seq - 1, 1);
    if (found.empty() || found.front().seq != seq)
        return fail(ProblemCode::NotFound, "audit " + std::to_string(auditId) + " has no finding " + std::to_string(seq));
    const auto& e = found.front().expectation;
    if (owner.empty()) owner = e.staff;
    std::string what = found.front().kind == "missing" ? "缺少" : "逾期归档";
    return raise({"audit", std::to_string(auditId) + "/" + std::to_string(seq), e.customerId, e.unit,
                  "稽查发现：户号 " + e.accountNo + "，" + e.processType + "（" + e.applicationNo + "）" + e.step + "环节" +
                      what + e.docType,
                  owner, dueOn},
                 actor);
}

Outcome<storage::Rectification> OfficeDesk::markRectified(std::int64_t id, const std::string& note,
                                                          std::vector<Upload> evidence, const storage::User& user) {
    if (note.empty() || note.size() > 1000) return fail(ProblemCode::BadRequest, "note must say what was done (1 to 1000 bytes)");
    if (evidence.size() > 20) return fail(ProblemCode::BadRequest, "at most 20 evidence pages with one report");
    auto order = stores_.office->rectification(id);
    if (!order) return fail(ProblemCode::NotFound, "no rectification order " + std::to_string(id));
    bool admin = hasRole(user, "admin");
    if (order->owner != user.username && !admin)
        return fail(ProblemCode::Forbidden, "only the owner (" + order->owner + ") reports an order rectified");
    if (order->state != "open") return fail(ProblemCode::Conflict, "order " + std::to_string(id) + " is " + order->state + ", not open");
    // Every page must be an image that opens before anything is kept.
    std::vector<storage::EvidencePage> pages;
    for (std::size_t i = 0; i < evidence.size(); ++i) {
        auto& upload = evidence[i];
        std::string name = "evidence " + std::to_string(i + 1) + " (" + upload.filename + ")";
        if (upload.refused) return fail(upload.refused->code, name + ": " + upload.refused->message);
        auto info = scanner::inspectImage(scanner::readFile(upload.staged->file()), scanner::ImageLimits{});
        if (!info) return fail(ProblemCode::UnsupportedMediaType, name + ": " + info.error().message);
        pages.push_back({0, upload.staged->digest(), info->mediaType, upload.staged->size(), 0, user.username});
    }
    std::vector<std::pair<storage::Digest, bool>> committed;
    auto discard = [&] {
        for (auto& [digest, fresh] : committed)
            if (fresh && !stores_.documents->blobReferenced(digest)) images_.discardUnreferenced(digest);
    };
    try {
        for (auto& upload : evidence) committed.emplace_back(upload.staged->digest(), images_.commit(*upload.staged));
        auto done = stores_.office->markRectified(id, note, pages, {user.id, user.username});
        if (!done) {
            discard();
            return fail(ProblemCode::Conflict, "order " + std::to_string(id) + " is no longer open");
        }
        return *done;
    } catch (...) {
        discard();
        throw;
    }
}

Outcome<std::pair<storage::EvidencePage, std::string>> OfficeDesk::evidencePage(std::int64_t id, int seq,
                                                                                const storage::User& viewer) {
    auto order = stores_.office->rectification(id);
    if (!order || (order->owner != viewer.username && !allows(viewer, Permission::RunAudits)))
        return fail(ProblemCode::NotFound, "no rectification order " + std::to_string(id) + " of yours");
    for (const auto& page : stores_.office->evidence(id)) {
        if (page.seq != seq) continue;
        auto in = images_.open(page.sha256);
        if (!in) return fail(ProblemCode::NotFound, "evidence page " + std::to_string(seq) + " is missing from the image store");
        std::string bytes((std::istreambuf_iterator<char>(*in)), std::istreambuf_iterator<char>());
        return std::pair{page, std::move(bytes)};
    }
    return fail(ProblemCode::NotFound, "order " + std::to_string(id) + " has no evidence page " + std::to_string(seq));
}

Outcome<storage::Rectification> OfficeDesk::verify(std::int64_t id, bool verified, const std::string& note,
                                                   const storage::Actor& actor) {
    if (!verified && note.empty()) return fail(ProblemCode::BadRequest, "sending an order back needs a note");
    if (note.size() > 1000) return fail(ProblemCode::BadRequest, "note is longer than 1000 bytes");
    auto order = stores_.office->rectification(id);
    if (!order) return fail(ProblemCode::NotFound, "no rectification order " + std::to_string(id));
    auto done = stores_.office->verify(id, verified, note, actor);
    if (!done) return fail(ProblemCode::Conflict, "order " + std::to_string(id) + " is " + order->state + ", not rectified");
    return *done;
}

Outcome<OfficeRates> OfficeDesk::rates(const std::string& month) {
    if (!isMonth(month)) return fail(ProblemCode::BadRequest, "month must be YYYY-MM");
    std::int64_t start = dayStart(month + "-01");
    std::int64_t end = dayStart(nextMonth(month) + "-01");
    std::int64_t until = std::min(end, stores_.clock->nowMillis() + 1);  // up to and including now
    if (until < start) return fail(ProblemCode::BadRequest, "month " + month + " has not begun");
    return officeRates(month, stores_.office->rectificationsRaisedBefore(until), start, until,
                       stores_.office->completenessAt(start), stores_.office->completenessAt(until));
}

Outcome<std::vector<Score>> OfficeDesk::scores(const std::string& month, ScoreBy by, const ScoreWeights& weights) {
    if (!isMonth(month)) return fail(ProblemCode::BadRequest, "month must be YYYY-MM");
    std::string first = month + "-01", next = nextMonth(month) + "-01";
    std::int64_t start = dayStart(first), end = dayStart(next);
    auto tallies = by == ScoreBy::Unit   ? stores_.office->tallyByUnit(start, end)
                   : by == ScoreBy::Team ? stores_.office->tallyByTeam(start, end)
                                         : stores_.office->tallyByPerson(start, end);
    std::map<std::string, std::string> teamOf;
    if (by == ScoreBy::Team)
        for (const auto& u : stores_.users->list())
            if (!u.team.empty()) teamOf[u.username] = u.unit + "/" + u.team;
    return rankScores(std::move(tallies), stores_.office->rectificationsRaisedBefore(end), first, next,
                      std::min(end, stores_.clock->nowMillis() + 1), by, weights, teamOf);
}

Outcome<ContractWatch> OfficeDesk::recordContract(std::int64_t documentId, storage::NewContractTerms terms,
                                                           const storage::Actor& actor) {
    if (terms.contractNo.empty() || terms.contractNo.size() > 64)
        return fail(ProblemCode::BadRequest, "contract_no must be 1 to 64 bytes");
    if (!isDate(terms.signedOn)) return fail(ProblemCode::BadRequest, "signed_on must be a date (YYYY-MM-DD)");
    if (!isDate(terms.expiresOn)) return fail(ProblemCode::BadRequest, "expires_on must be a date (YYYY-MM-DD)");
    if (terms.expiresOn <= terms.signedOn) return fail(ProblemCode::BadRequest, "expires_on must be after signed_on");
    auto document = stores_.documents->document(documentId);
    if (!document) return fail(ProblemCode::NotFound, "no document " + std::to_string(documentId));
    const auto& types = contractTypes();
    if (std::find(types.begin(), types.end(), document->docType) == types.end())
        return fail(ProblemCode::Unprocessable, "document " + std::to_string(documentId) + " is a " + document->docType +
                                                    ", not a supply contract");
    if (document->supersededBy)
        return fail(ProblemCode::Conflict, "document " + std::to_string(documentId) + " has a newer version; record the terms on it");
    auto recorded = stores_.office->recordContract(document->lineageId, terms, actor);
    if (!recorded) return fail(ProblemCode::NotFound, "no document " + std::to_string(documentId));
    return watchContract(*recorded, today(*stores_.clock));
}

void OfficeDesk::recordReadTerms(const storage::StoredReading& reading) {
    if (reading.state != "done") return;
    auto field = [&](const char* name) {
        for (const auto& f : reading.fields)
            if (f.name == name) return f.value;
        return std::string();
    };
    if (field("contract_no").empty() || field("signed_on").empty() || field("expires_on").empty()) return;
    const auto& types = contractTypes();
    for (const auto& shown : stores_.readings->documentsShowing(reading.image)) {
        if (shown.hasContractTerms || std::find(types.begin(), types.end(), shown.docType) == types.end()) continue;
        auto recorded = recordContract(shown.documentId, {field("contract_no"), field("signed_on"), field("expires_on"), false, "ocr"},
                                       {std::nullopt, "ocr"});
        (void)recorded;  // terms failing their checks (an expiry before signing) wait for a person
    }
}

std::string OfficeDesk::thisMonth() { return today(*stores_.clock).substr(0, 7); }

// ---- what the office and the owners see ----

std::vector<storage::QualityState> OfficeDesk::atGate(GateQueue queue, const storage::User& viewer) {
    // At the self-check gate each filer sees their own documents.
    std::optional<std::int64_t> filer;
    if (queue == GateQueue::Self) filer = viewer.id;
    return stores_.office->atGate(std::string(gateQueueName(queue)), filer, 500);
}

Outcome<storage::SpotCheck> OfficeDesk::spotCheck(std::int64_t id) {
    auto check = stores_.office->spotCheck(id);
    if (!check) return fail(ProblemCode::NotFound, "no spot check " + std::to_string(id));
    return *check;
}

Outcome<storage::Rectification> OfficeDesk::rectification(std::int64_t id) {
    auto order = stores_.office->rectification(id);
    if (!order) return fail(ProblemCode::NotFound, "no rectification order " + std::to_string(id));
    return *order;
}

Outcome<std::vector<ShownOrder>> OfficeDesk::rectifications(std::optional<std::string> state,
                                                            std::optional<std::string> owner,
                                                            const storage::User& viewer) {
    if (state && *state != "open" && *state != "rectified" && *state != "closed")
        return fail(ProblemCode::BadRequest, "state must be open, rectified or closed");
    // Auditors see every order; anyone else the orders they own.
    if (!allows(viewer, Permission::RunAudits)) {
        if (owner && *owner != viewer.username) return fail(ProblemCode::Forbidden, "only auditors see others' rectification orders");
        owner = viewer.username;
    }
    std::string now = today(*stores_.clock);  // one day for the whole list
    std::vector<ShownOrder> shown;
    for (auto& order : stores_.office->rectifications(state, owner, 1000)) {
        bool late = overdueOn(order, now);
        shown.push_back({std::move(order), late});
    }
    return shown;
}

bool OfficeDesk::overdue(const storage::Rectification& order) { return overdueOn(order, today(*stores_.clock)); }

bool OfficeDesk::overdueOn(const storage::Rectification& order, const std::string& day) {
    return order.state != "closed" && order.dueOn < day;
}

Outcome<std::int64_t> OfficeDesk::raiseManual(const std::string& accountNo, const std::string& description,
                                              const std::string& owner, const std::string& dueOn,
                                              const storage::Actor& actor) {
    storage::NewRectification order{"manual", "", std::nullopt, "", description, owner, dueOn};
    if (!accountNo.empty()) {
        auto customer = stores_.customers->findByAccountNo(accountNo);
        if (!customer) return fail(ProblemCode::Unprocessable, "no customer with account_no " + accountNo);
        order.customerId = customer->id;
        order.unit = customer->fields.unit;
    }
    return raise(order, actor);
}

}  // namespace dangan::server
