#include "dangan/desks/notification_desk.h"

#include <Poco/Logger.h>

#include <algorithm>

#include "dangan/desks/access.h"
#include "dangan/desks/calendar.h"

namespace dangan::server {
namespace {

constexpr std::int64_t kHourMs = 3600LL * 1000;
constexpr std::size_t kItemsInBody = 20;

}  // namespace

void writeNotification(const storage::NotificationDraft& fresh, std::int64_t now, storage::Notification& out) {
    const std::string n = std::to_string(out.items), late = std::to_string(out.overdue);
    const std::string& kind = fresh.kind;
    if (kind == "to_add") out.title = "待添加档案：" + n + " 份应归档资料尚未归档，其中 " + late + " 份已超期";
    else if (kind == "to_send") out.title = "待自查发送：" + n + " 份已归档资料等待本人自查后发送";
    else if (kind == "process_deadline") out.title = "业扩时限预警：" + n + " 个流程环节将到或已过服务时限，其中 " + late + " 个已超时";
    else if (kind == "contract") out.title = "合同预警：" + n + " 份供用电合同即将到期或已到期";
    else out.title = "整改到期：" + n + " 项整改通知将到期或已逾期";
    std::string body = out.person + "，您好：\n" + out.title + "。\n\n";
    std::size_t shown = 0;
    for (const auto& item : fresh.items) {
        if (shown++ == kItemsInBody) break;
        body += "· " + item.label + "（时限 " + chinaMinute(item.dueAt) + (item.dueAt < now ? "，已超期" : "") + "）\n";
    }
    if (fresh.items.size() > kItemsInBody) body += "……另有 " + std::to_string(fresh.items.size() - kItemsInBody) + " 项\n";
    body += "\n请登录档案系统，在「我的待办」中处理。";
    out.body = std::move(body);
}

NotificationDesk::NotificationDesk(storage::Stores& stores, CompletenessDesk& completeness, NotificationOptions options)
    : stores_(stores), completeness_(completeness), options_(options) {}

NotificationDesk::~NotificationDesk() { loop_.stop(); }

void NotificationDesk::start() { loop_.start(1, [this] { work(); }); }

void NotificationDesk::work() {
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            if (!loop_.waitFor(lock, options_.tick, [] { return false; })) return;
        }
        try {
            std::int64_t now = stores_.clock->nowMillis();
            std::string day = chinaDate(now);
            std::int64_t runAt = dayStart(day) + (options_.hour * 60LL + options_.minute) * 60 * 1000;
            // The daily run, unless the day has had a run since its hour (one on demand earlier
            // in the day does not count).
            if (now >= runAt) {
                auto run = stores_.notifications->dayRun(day);
                if (!run || run->lastRunAt < runAt) (void)runToday({std::nullopt, "system"});
            }
            (void)deliverDue();
        } catch (const std::exception& e) {
            // The next tick tries again; what went wrong is in the server log.
            Poco::Logger::get("dangan.notify").error("notifications: %s", std::string(e.what()));
        }
    }
}

std::vector<storage::NotificationDraft> NotificationDesk::drafts(std::int64_t now) {
    auto items = stores_.notifications->dueItems(now, now + kYellowWindowMs, now - 24 * kHourMs);
    const std::string today = chinaDate(now);
    for (auto& watch : completeness_.contracts(today, "", true)) {
        if (watch.status == "unrecorded" || watch.terms.staff.empty()) continue;
        items.push_back({"contract", watch.terms.staff, watch.terms.lineageId, dayStart(addDays(watch.effectiveExpiry, 1)),
                         watch.terms.accountNo + " " + watch.terms.customerName + " " + watch.terms.docType + " " +
                             watch.terms.contractNo + " 到期日 " + watch.effectiveExpiry});
    }
    const std::string soon = addDays(today, 2);
    for (const auto& order : stores_.office->rectifications("open", std::nullopt, 100000))
        if (order.dueOn <= soon && !order.owner.empty())
            items.push_back({"rectification", order.owner, order.id, dayStart(addDays(order.dueOn, 1)),
                             "整改通知 " + std::to_string(order.id) + " " + order.accountNo + " " + order.description});
    std::sort(items.begin(), items.end(), [](const storage::DueItem& a, const storage::DueItem& b) {
        return std::tie(a.person, a.kind, a.dueAt, a.item) < std::tie(b.person, b.kind, b.dueAt, b.item);
    });
    std::vector<storage::NotificationDraft> out;
    for (auto& item : items) {
        if (item.person.empty()) continue;
        if (out.empty() || out.back().person != item.person || out.back().kind != item.kind)
            out.push_back({item.person, item.kind, {}});
        out.back().items.push_back(std::move(item));
    }
    return out;
}

DayReport NotificationDesk::runToday(const storage::Actor& actor) {
    std::lock_guard run(runMutex_);
    std::int64_t now = stores_.clock->nowMillis();
    DayReport report;
    report.day = chinaDate(now);
    auto list = drafts(now);
    for (const auto& d : list) report.itemsDue += static_cast<std::int64_t>(d.items.size());
    std::map<std::string, std::string> emails;
    if (options_.email)
        for (const auto& u : stores_.users->list())
            if (!u.email.empty() && !u.disabled) emails[u.username] = u.email;
    auto route = [&](const storage::Notification& n) {
        std::vector<std::pair<std::string, std::string>> out;
        if (auto e = emails.find(n.person); e != emails.end()) out.emplace_back("email", e->second);
        if (options_.webhook) out.emplace_back("webhook", "");
        return out;
    };
    // What was notified over a week ago can no longer be notified twice on its day: forgotten.
    report.notifications =
        stores_.notifications->recordDay(report.day, addDays(report.day, -7), list, writeNotification, route, actor);
    if (auto day = stores_.notifications->dayRun(report.day)) report.runs = day->runs;
    loop_.wakeAll();
    return report;
}

NotificationList NotificationDesk::mine(const std::string& person, bool unreadOnly, int limit) {
    return {stores_.notifications->unread(person), stores_.notifications->notifications(person, unreadOnly, limit)};
}

Outcome<std::int64_t> NotificationDesk::markRead(const std::string& person, std::int64_t id) {
    if (id != 0) {
        auto n = stores_.notifications->notification(id);
        if (!n || n->person != person) return fail(ProblemCode::NotFound, "no notification " + std::to_string(id) + " of yours");
    }
    return stores_.notifications->markRead(person, id);
}

Outcome<std::pair<storage::Notification, std::vector<storage::Delivery>>> NotificationDesk::notification(
    std::int64_t id, const storage::User& viewer) {
    auto n = stores_.notifications->notification(id);
    if (!n || (n->person != viewer.username && !allows(viewer, Permission::RunAudits)))
        return fail(ProblemCode::NotFound, "no notification " + std::to_string(id) + " of yours");
    return std::pair{*n, stores_.notifications->deliveries(id)};
}

int NotificationDesk::deliverDue() {
    int attempted = 0;
    for (const auto& d : stores_.notifications->deliveriesDue(stores_.clock->nowMillis(), 100)) {
        DeliveryChannel* channel = d.channel == "email" ? options_.email : d.channel == "webhook" ? options_.webhook : nullptr;
        auto n = stores_.notifications->notification(d.notificationId);
        std::optional<std::string> error = "no " + d.channel + " channel is configured";
        if (channel && n) {
            try {
                error = channel->send(*n, d);
            } catch (const std::exception& e) {
                error = e.what();
            }
        }
        ++attempted;
        std::optional<std::int64_t> retryAt;
        if (error && channel && d.attempts + 1 < options_.maxAttempts)
            retryAt = stores_.clock->nowMillis() + std::min<std::int64_t>(60LL * 1000 << d.attempts, kHourMs);
        stores_.notifications->attempted(d.id, !error, error.value_or(""), retryAt);
    }
    return attempted;
}

}  // namespace dangan::server
