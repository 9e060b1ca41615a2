#pragma once
// Reminders that reach the person: each day's notifications (one per person and kind, naming the
// items new that day), whether the person has read them in the web, and their delivery beyond
// the web (e-mail, the company's messaging webhook) with retries.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dangan/storage/records.h"

namespace dangan::storage {

class Database;

// Something due soon or overdue that a person must act on.
struct DueItem {
    std::string kind;            // to_add, to_send, process_deadline, contract, rectification
    std::string person;          // a username
    std::int64_t item = 0;       // expectation, lineage, clock, lineage, order id (by kind)
    std::int64_t dueAt = 0;
    std::string label;           // one line naming it
};

struct Notification {
    std::int64_t id = 0;
    std::string day;             // YYYY-MM-DD, China time
    std::string person;
    std::string kind;
    std::int64_t items = 0;
    std::int64_t overdue = 0;
    std::string title;
    std::string body;
    std::int64_t createdAt = 0;
    std::optional<std::int64_t> readAt;
};

// A notification to record, before the items notified already that day are taken out.
struct NotificationDraft {
    std::string person;
    std::string kind;
    std::vector<DueItem> items;  // most urgent first
};

struct Delivery {
    std::int64_t id = 0;
    std::int64_t notificationId = 0;
    std::string channel;         // email, webhook
    std::string address;
    std::string state;           // pending, sent, failed
    int attempts = 0;
    std::int64_t nextAt = 0;
    std::optional<std::int64_t> sentAt;
    std::string lastError;
};

struct DayRun {
    std::string day;
    int runs = 0;
    std::int64_t lastRunAt = 0;
    std::int64_t notifications = 0;
};

// Turns a draft whose new items are known into the notification's title and body.
using NotificationWriter = std::function<void(const NotificationDraft& fresh, std::int64_t now, Notification& out)>;
// The deliveries a new notification gets: (channel, address) pairs.
using DeliveryRoute = std::function<std::vector<std::pair<std::string, std::string>>(const Notification&)>;

class NotificationStore {
public:
    virtual ~NotificationStore() = default;

    // Everything due before `soon` (or overdue) of the three kinds the store can find by itself:
    // expected documents not filed (to_add), filings waiting for their filer's self-check since
    // before `selfCheckBefore` (to_send), and time limits yellow or red at `now` (process_deadline).
    [[nodiscard]] virtual std::vector<DueItem> dueItems(std::int64_t now, std::int64_t soon, std::int64_t selfCheckBefore) = 0;
    // Records the day's notifications in one transaction: each draft keeps only the items not yet
    // notified on `day` (recorded as notified now); a draft with none left makes nothing. Each
    // new notification gets the deliveries `route` names. What was notified before `forgetBefore`
    // (a day) is forgotten. Returns the notifications made.
    virtual std::int64_t recordDay(const std::string& day, const std::string& forgetBefore,
                                   const std::vector<NotificationDraft>& drafts,
                                   const NotificationWriter& write, const DeliveryRoute& route, const Actor& actor) = 0;
    [[nodiscard]] virtual std::optional<DayRun> dayRun(const std::string& day) = 0;

    [[nodiscard]] virtual std::vector<Notification> notifications(const std::string& person, bool unreadOnly, int limit) = 0;
    [[nodiscard]] virtual std::int64_t unread(const std::string& person) = 0;
    [[nodiscard]] virtual std::optional<Notification> notification(std::int64_t id) = 0;
    // Marks one (or, with id 0, every) unread notification of `person` read; the number marked.
    virtual std::int64_t markRead(const std::string& person, std::int64_t id) = 0;

    // Deliveries pending whose time has come, oldest first.
    [[nodiscard]] virtual std::vector<Delivery> deliveriesDue(std::int64_t now, int limit) = 0;
    [[nodiscard]] virtual std::vector<Delivery> deliveries(std::int64_t notificationId) = 0;
    // Records an attempt: sent, or failed with `error` and tried again at `retryAt` (none: given up).
    virtual void attempted(std::int64_t deliveryId, bool sent, const std::string& error,
                           std::optional<std::int64_t> retryAt) = 0;
};

[[nodiscard]] std::unique_ptr<NotificationStore> makeSqlNotificationStore(Database& database);

}  // namespace dangan::storage
