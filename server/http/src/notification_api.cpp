// Reminders that reach the person over HTTP: one's notifications and their unread count, marking
// them read, running the day's notifications on demand. Thin handlers: read the input, call one
// desk, shape the reply.
#include "http_call.h"

namespace dangan::server {
namespace {

Object::Ptr notificationJson(const storage::Notification& n) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", n.id);
    o->set("day", n.day);
    o->set("person", n.person);
    o->set("kind", n.kind);
    o->set("items", n.items);
    o->set("overdue", n.overdue);
    o->set("title", n.title);
    o->set("body", n.body);
    o->set("created_at", json::isoTime(n.createdAt));
    o->set("read_at", optionalTime(n.readAt));
    return o;
}

// GET /api/notifications?unread=1&limit=: the signed-in person's, newest first.
Reply listNotifications(Call& call) {
    auto limit = positiveNumber(call.query("limit", "50"));
    if (!limit || *limit > 500) return problemReply(ProblemCode::BadRequest, "limit must be from 1 to 500");
    auto list = call.desks.notifications.mine(call.user->username, call.query("unread") == "1", static_cast<int>(*limit));
    Array::Ptr a = new Array;
    for (const auto& n : list.notifications) a->add(notificationJson(n));
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("unread", list.unread);
    o->set("notifications", a);
    return jsonReply(200, o);
}

// GET /api/notifications/{id}: one, with its deliveries (its person's; auditors any).
Reply oneNotification(Call& call) {
    auto id = idParam(call, "id");
    if (!id) return problemReply(ProblemCode::BadRequest, "a notification id is a positive number");
    auto found = call.desks.notifications.notification(*id, *call.user);
    if (!found) return problemReply(found.error());
    auto o = notificationJson(found->first);
    Array::Ptr deliveries = new Array;
    for (const auto& d : found->second) {
        Object::Ptr dj = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        dj->set("channel", d.channel);
        dj->set("address", d.address);
        dj->set("state", d.state);
        dj->set("attempts", d.attempts);
        dj->set("sent_at", optionalTime(d.sentAt));
        dj->set("last_error", d.lastError);
        deliveries->add(dj);
    }
    o->set("deliveries", deliveries);
    return jsonReply(200, o);
}

// POST /api/notifications/{id}/read, or /api/notifications/read for all of one's own.
Reply markRead(Call& call) {
    std::int64_t id = 0;
    if (call.params.contains("id")) {
        auto parsed = idParam(call, "id");
        if (!parsed) return problemReply(ProblemCode::BadRequest, "a notification id is a positive number");
        id = *parsed;
    }
    auto marked = call.desks.notifications.markRead(call.user->username, id);
    if (!marked) return problemReply(marked.error());
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("marked", *marked);
    o->set("unread", call.desks.notifications.mine(call.user->username, true, 1).unread);
    return jsonReply(200, o);
}

// POST /api/notifications/run: today's notifications now (the daily run does the same).
Reply runNotifications(Call& call) {
    auto report = call.desks.notifications.runToday(call.actor());
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("day", report.day);
    o->set("notifications", report.notifications);
    o->set("items_due", report.itemsDue);
    o->set("runs", report.runs);
    return jsonReply(200, o);
}

}  // namespace

std::vector<RouteSpec> notificationRoutes() {
    using enum Permission;
    return {
        {"GET", "/api/notifications", SeeReminders, true, listNotifications},
        {"POST", "/api/notifications/read", SeeReminders, true, markRead},
        {"POST", "/api/notifications/run", RunAudits, true, runNotifications},
        {"GET", "/api/notifications/{id}", SeeReminders, true, oneNotification},
        {"POST", "/api/notifications/{id}/read", SeeReminders, true, markRead},
    };
}

}  // namespace dangan::server
