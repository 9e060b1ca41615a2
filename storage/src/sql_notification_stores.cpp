// SQLite implementation of the notification store.
#include <Poco/JSON/Object.h>

#include "audit_chain.h"
#include "dangan/storage/database.h"
#include "dangan/storage/notification_stores.h"

namespace dangan::storage {
namespace {

constexpr const char* kNotificationColumns =
    "id, day, person, kind, items, overdue, title, body, created_at, read_at FROM notifications ";

Notification readNotification(const Statement& s) {
    return {s.int64(0), s.text(1), s.text(2), s.text(3), s.int64(4), s.int64(5), s.text(6), s.text(7), s.int64(8),
            s.optionalInt64(9)};
}

constexpr const char* kDeliveryColumns =
    "id, notification_id, channel, address, state, attempts, next_at, sent_at, last_error FROM deliveries ";

Delivery readDelivery(const Statement& s) {
    return {s.int64(0), s.int64(1), s.text(2), s.text(3), s.text(4), static_cast<int>(s.int64(5)), s.int64(6),
            s.optionalInt64(7), s.text(8)};
}

class SqlNotificationStore final : public NotificationStore {
public:
    explicit SqlNotificationStore(Database& db) : db_(db) {}

    std::vector<DueItem> dueItems(std::int64_t now, std::int64_t soon, std::int64_t selfCheckBefore) override {
        return db_.read([&](Connection& c) {
            std::vector<DueItem> out;
            auto collect = [&](Statement s, const char* kind) {
                while (s.step()) out.push_back({kind, s.text(0), s.int64(1), s.int64(2), s.text(3)});
            };
            auto toAdd = c.prepare(
                "SELECT e.staff, e.id, e.due_at, c.account_no || ' ' || c.name || ' ' || e.process_type || '/' || e.step ||"
                " ' ' || e.doc_type FROM expectations e JOIN customers c ON c.id = e.customer_id"
                " WHERE e.filed_at IS NULL AND e.mandatory = 1 AND e.waived_at IS NULL AND e.due_at < ?");
            toAdd.bind(1, soon);
            collect(std::move(toAdd), "to_add");
            auto toSend = c.prepare(
                "SELECT u.username, q.lineage_id, q.updated_at, c.account_no || ' ' || c.name || ' ' || d.doc_type"
                " FROM quality_states q JOIN users u ON u.id = q.filer_id JOIN documents d ON d.id = q.lineage_id"
                " JOIN customers c ON c.id = d.customer_id WHERE q.gate = 'self' AND q.updated_at < ?");
            toSend.bind(1, selfCheckBefore);
            collect(std::move(toSend), "to_send");
            auto deadlines = c.prepare(
                "SELECT k.staff, k.id, k.due_at, p.application_no || ' ' || c.account_no || ' ' || c.name || ' ' ||"
                " k.process_type || '/' || k.step FROM process_clocks k JOIN processes p ON p.id = k.process_id"
                " JOIN customers c ON c.id = p.customer_id WHERE k.closed_at IS NULL AND k.yellow_at <= ?");
            deadlines.bind(1, now);
            collect(std::move(deadlines), "process_deadline");
            return out;
        });
    }

    std::int64_t recordDay(const std::string& day, const std::string& forgetBefore, const std::vector<NotificationDraft>& drafts,
                           const NotificationWriter& write, const DeliveryRoute& route, const Actor& actor) override {
        return db_.write([&](Connection& c) {
            std::int64_t now = db_.clock().nowMillis();
            std::int64_t made = 0, items = 0;
            for (const auto& draft : drafts) {
                NotificationDraft fresh{draft.person, draft.kind, {}};
                for (const auto& item : draft.items) {
                    c.prepare("INSERT INTO notified_items(day, kind, item) VALUES(?,?,?) ON CONFLICT DO NOTHING")
                        .bind(1, day).bind(2, draft.kind).bind(3, item.item).run();
                    if (c.changes() == 1) fresh.items.push_back(item);
                }
                if (fresh.items.empty()) continue;
                Notification n;
                n.day = day;
                n.person = draft.person;
                n.kind = draft.kind;
                n.items = static_cast<std::int64_t>(fresh.items.size());
                for (const auto& item : fresh.items) n.overdue += item.dueAt < now ? 1 : 0;
                n.createdAt = now;
                write(fresh, now, n);
                c.prepare("INSERT INTO notifications(day, person, kind, items, overdue, title, body, created_at)"
                          " VALUES(?,?,?,?,?,?,?,?)")
                    .bind(1, day).bind(2, n.person).bind(3, n.kind).bind(4, n.items).bind(5, n.overdue).bind(6, n.title)
                    .bind(7, n.body).bind(8, now).run();
                n.id = c.lastInsertRowId();
                for (const auto& [channel, address] : route(n))
                    c.prepare("INSERT INTO deliveries(notification_id, channel, address, state, next_at) VALUES(?,?,?,'pending',?)")
                        .bind(1, n.id).bind(2, channel).bind(3, address).bind(4, now).run();
                ++made;
                items += n.items;
            }
            c.prepare("DELETE FROM notified_items WHERE day < ?").bind(1, forgetBefore).run();
            c.prepare("INSERT INTO notification_runs(day, runs, last_run_at, notifications) VALUES(?, 1, ?, ?)"
                      " ON CONFLICT(day) DO UPDATE SET runs = notification_runs.runs + 1, last_run_at = excluded.last_run_at,"
                      " notifications = notification_runs.notifications + excluded.notifications")
                .bind(1, day).bind(2, now).bind(3, made).run();
            Poco::JSON::Object detail;
            detail.set("notifications", made);
            detail.set("items", items);
            appendAudit(c, {actor, "notifications.run", "day", day, toJson(detail)});
            return made;
        });
    }

    std::optional<DayRun> dayRun(const std::string& day) override {
        return db_.read([&](Connection& c) -> std::optional<DayRun> {
            auto s = c.prepare("SELECT day, runs, last_run_at, notifications FROM notification_runs WHERE day=?");
            s.bind(1, day);
            if (!s.step()) return std::nullopt;
            return DayRun{s.text(0), static_cast<int>(s.int64(1)), s.int64(2), s.int64(3)};
        });
    }

    std::vector<Notification> notifications(const std::string& person, bool unreadOnly, int limit) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare(std::string("SELECT ") + kNotificationColumns + "WHERE person=?" +
                               (unreadOnly ? " AND read_at IS NULL" : "") + " ORDER BY id DESC LIMIT ?");
            s.bind(1, person).bind(2, std::int64_t{limit});
            std::vector<Notification> out;
            while (s.step()) out.push_back(readNotification(s));
            return out;
        });
    }

    std::int64_t unread(const std::string& person) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare("SELECT COUNT(*) FROM notifications WHERE person=? AND read_at IS NULL");
            s.bind(1, person);
            return s.step() ? s.int64(0) : 0;
        });
    }

    std::optional<Notification> notification(std::int64_t id) override {
        return db_.read([&](Connection& c) -> std::optional<Notification> {
            auto s = c.prepare(std::string("SELECT ") + kNotificationColumns + "WHERE id=?");
            s.bind(1, id);
            if (!s.step()) return std::nullopt;
            return readNotification(s);
        });
    }

    std::int64_t markRead(const std::string& person, std::int64_t id) override {
        return db_.write([&](Connection& c) {
            c.prepare("UPDATE notifications SET read_at=? WHERE person=? AND read_at IS NULL AND (?3 = 0 OR id = ?3)")
                .bind(1, db_.clock().nowMillis()).bind(2, person).bind(3, id).run();
            return c.changes();
        });
    }

    std::vector<Delivery> deliveriesDue(std::int64_t now, int limit) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare(std::string("SELECT ") + kDeliveryColumns +
                               "WHERE state='pending' AND next_at <= ? ORDER BY next_at, id LIMIT ?");
            s.bind(1, now).bind(2, std::int64_t{limit});
            std::vector<Delivery> out;
            while (s.step()) out.push_back(readDelivery(s));
            return out;
        });
    }

    std::vector<Delivery> deliveries(std::int64_t notificationId) override {
        return db_.read([&](Connection& c) {
            auto s = c.prepare(std::string("SELECT ") + kDeliveryColumns + "WHERE notification_id=? ORDER BY id");
            s.bind(1, notificationId);
            std::vector<Delivery> out;
            while (s.step()) out.push_back(readDelivery(s));
            return out;
        });
    }

    void attempted(std::int64_t id, bool sent, const std::string& error, std::optional<std::int64_t> retryAt) override {
        db_.write([&](Connection& c) {
            std::int64_t now = db_.clock().nowMillis();
            if (sent)
                c.prepare("UPDATE deliveries SET state='sent', attempts=attempts+1, sent_at=?, last_error='' WHERE id=?")
                    .bind(1, now).bind(2, id).run();
            else
                c.prepare("UPDATE deliveries SET state=?, attempts=attempts+1, next_at=?, last_error=? WHERE id=?")
                    .bind(1, std::string(retryAt ? "pending" : "failed")).bind(2, retryAt.value_or(now)).bind(3, error)
                    .bind(4, id).run();
        });
    }

private:
    Database& db_;
};

}  // namespace

std::unique_ptr<NotificationStore> makeSqlNotificationStore(Database& database) {
    return std::make_unique<SqlNotificationStore>(database);
}

}  // namespace dangan::storage
