#pragma once
// Reminders that reach the person (催办): once a day (at a set hour, China time) and on demand,
// the desk works out who has what overdue or due soon and records one notification per person
// and kind, naming only the items not notified yet that day; the web shows them with an unread
// count, and each new notification is delivered beyond the web through the channels configured
// (e-mail through a mail relay, the company's messaging webhook), retried with growing pauses.
//
// The kinds: to_add (expected documents not filed, due within 12 h or overdue), to_send (filings
// waiting for their filer's self-check for more than a day), process_deadline (time limits
// yellow or red), contract (supply contracts within 30 days of expiry or expired),
// rectification (orders due within two days or overdue).

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "dangan/desks/completeness_desk.h"
#include "dangan/desks/problem.h"
#include "dangan/desks/worker_loop.h"
#include "dangan/storage/stores.h"

namespace dangan::server {

// A way out of the archive for a notification (see server/notify/). send() returns nullopt when
// the channel took it, else what went wrong.
class DeliveryChannel {
public:
    virtual ~DeliveryChannel() = default;
    [[nodiscard]] virtual std::optional<std::string> send(const storage::Notification& notification,
                                                          const storage::Delivery& delivery) = 0;
};

struct NotificationOptions {
    int hour = 8;                 // the daily run, China time
    int minute = 0;
    std::chrono::milliseconds tick{1000};   // how often the worker looks for work
    int maxAttempts = 8;          // a delivery is given up after this many failures
    DeliveryChannel* email = nullptr;       // none: no e-mail
    DeliveryChannel* webhook = nullptr;     // none: no webhook
};

struct DayReport {
    std::string day;
    std::int64_t notifications = 0;   // made by this run
    std::int64_t itemsDue = 0;        // everything due soon or overdue, notified before or not
    int runs = 0;                     // runs of the day so far
};

struct NotificationList {
    std::int64_t unread = 0;
    std::vector<storage::Notification> notifications;
};

class NotificationDesk {
public:
    NotificationDesk(storage::Stores& stores, CompletenessDesk& completeness, NotificationOptions options);
    ~NotificationDesk();

    // Starts the worker: the daily run when its hour has come and the day has none yet, and the
    // deliveries due.
    void start();
    // Works out today's notifications now (the daily run, or on demand).
    [[nodiscard]] DayReport runToday(const storage::Actor& actor);
    [[nodiscard]] NotificationList mine(const std::string& person, bool unreadOnly, int limit);
    [[nodiscard]] Outcome<std::int64_t> markRead(const std::string& person, std::int64_t id);
    // One notification with its deliveries: its person's, or any for auditors.
    [[nodiscard]] Outcome<std::pair<storage::Notification, std::vector<storage::Delivery>>> notification(
        std::int64_t id, const storage::User& viewer);
    // Attempts every delivery whose time has come; the number attempted.
    int deliverDue();

private:
    void work();
    [[nodiscard]] std::vector<storage::NotificationDraft> drafts(std::int64_t now);

    storage::Stores& stores_;
    CompletenessDesk& completeness_;
    NotificationOptions options_;
    std::mutex runMutex_;   // one run at a time
    std::mutex mutex_;      // the worker's
    WorkerLoop loop_{mutex_};
};

// The title and body of a notification of `fresh` items (Chinese, as its person reads it).
void writeNotification(const storage::NotificationDraft& fresh, std::int64_t now, storage::Notification& out);

}  // namespace dangan::server
