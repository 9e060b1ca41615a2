#pragma once
// What every HTTP handler works with: the call (request, the desks, signed-in user), the reply it
// returns, and the small readers of input shared by the API's files. Internal to server/http.

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/URI.h>

#include <expected>
#include <map>
#include <sstream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dangan/desks/access.h"
#include "dangan/desks/desks.h"
#include "dangan/http/http_api.h"
#include "dangan/desks/problem.h"
#include "dangan/http/json_views.h"
#include "dangan/desks/positive_number.h"
#include "dangan/http/plain_words.h"
#include "dangan/http/json_text.h"

namespace dangan::server {

using Poco::JSON::Array;
using Poco::JSON::Object;

// ---- replies ----

struct Reply {
    int status = 200;
    std::string contentType = "application/json; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

inline std::string stringify(const Poco::Dynamic::Var& value) { return jsonText(value); }

inline Reply jsonReply(int status, const Poco::Dynamic::Var& value) { return Reply{status, "application/json; charset=utf-8", stringify(value), {}}; }

// The one map from expected failures to HTTP statuses.
inline int statusOf(ProblemCode code) {
    switch (code) {
        case ProblemCode::BadRequest: return 400;
        case ProblemCode::Unauthenticated: return 401;
        case ProblemCode::Forbidden: return 403;
        case ProblemCode::NotFound: return 404;
        case ProblemCode::Conflict: return 409;
        case ProblemCode::PayloadTooLarge: return 413;
        case ProblemCode::UnsupportedMediaType: return 415;
        case ProblemCode::Unprocessable: return 422;
        case ProblemCode::InsufficientStorage: return 507;
    }
    return 400;
}

// An expected failure's answer: `error` in stable English for programs, `message` in Chinese for
// the people at the screens (rows of an import likewise, see json::problem).
inline Reply problemReply(const Problem& p) {
    auto body = json::problem(p);
    body->set("message", plainChinese(p.message, statusOf(p.code)));
    if (body->has("rows"))
        for (const auto& row : *body->getArray("rows")) {
            auto o = row.extract<Object::Ptr>();
            o->set("message", plainChinese(o->getValue<std::string>("error"), statusOf(p.code)));
        }
    Reply r = jsonReply(statusOf(p.code), body);
    if (p.code == ProblemCode::Unauthenticated) r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return r;
}

inline Reply problemReply(ProblemCode code, std::string message) { return problemReply(Problem{code, std::move(message), {}}); }

// A JSON body that must be an object: the object, or a problem naming what is wrong with it.
inline Outcome<Object::Ptr> parseJsonObject(const std::string& text) {
    try {
        Poco::JSON::Parser parser;
        auto value = parser.parse(text);
        if (value.type() != typeid(Object::Ptr)) return fail(ProblemCode::BadRequest, "body must be a JSON object");
        return value.extract<Object::Ptr>();
    } catch (const Poco::Exception& e) {
        return fail(ProblemCode::BadRequest, "body is not valid JSON: " + e.message());
    }
}

// ---- request context ----

struct Call {
    Poco::Net::HTTPServerRequest& http;
    Desks& desks;
    const HttpLimits& limits;
    std::map<std::string, std::string> params;  // from the path
    Poco::URI uri;
    std::optional<storage::User> user;
    std::string token;

    [[nodiscard]] storage::Actor actor() const { return {user->id, user->username}; }

    [[nodiscard]] std::string query(const std::string& name, const std::string& fallback = "") const {
        for (const auto& [k, v] : uri.getQueryParameters())
            if (k == name) return v;
        return fallback;
    }

    // Reads the whole body, refusing one over `limit` bytes.
    [[nodiscard]] Outcome<std::string> body(std::uint64_t limit) {
        if (http.hasContentLength() && static_cast<std::uint64_t>(http.getContentLength64()) > limit)
            return fail(ProblemCode::PayloadTooLarge, "request body is larger than " + std::to_string(limit >> 20) + " MiB");
        std::string text;
        char buffer[65536];
        while (http.stream()) {
            http.stream().read(buffer, sizeof buffer);
            text.append(buffer, static_cast<std::size_t>(http.stream().gcount()));
            if (text.size() > limit)
                return fail(ProblemCode::PayloadTooLarge, "request body is larger than " + std::to_string(limit >> 20) + " MiB");
        }
        return text;
    }

    [[nodiscard]] Outcome<Object::Ptr> jsonObject() {
        auto text = body(limits.maxJsonBody);
        if (!text) return std::unexpected(text.error());
        return parseJsonObject(*text);
    }
};

// A text field of a JSON body: nullopt when absent, a problem when it is not a string.
inline Outcome<std::optional<std::string>> textField(const Object::Ptr& body, const std::string& name) {
    auto value = body->get(name);
    if (value.isEmpty()) return std::optional<std::string>();
    if (!value.isString()) return fail(ProblemCode::BadRequest, name + " must be a string");
    return std::optional(value.convert<std::string>());
}

// A true/false field of a JSON body: nullopt when absent, a problem when it is anything but a
// boolean (null included).
inline Outcome<std::optional<bool>> boolField(const Object::Ptr& body, const std::string& name) {
    if (!body->has(name)) return std::optional<bool>();
    auto value = body->get(name);
    if (!value.isBoolean()) return fail(ProblemCode::BadRequest, name + " must be true or false");
    return std::optional(value.convert<bool>());
}

inline std::optional<std::int64_t> idParam(const Call& call, const std::string& name) {
    return positiveNumber(call.params.at(name));
}

inline void recordView(Call& call, std::string action, std::string objectType, std::string objectId) {
    call.desks.trail.recordView(call.actor(), std::move(action), std::move(objectType), std::move(objectId));
}

inline Reply pdfReply(const Outcome<PrintedPaper>& paper) {
    if (!paper) return problemReply(paper.error());
    Reply r{200, "application/pdf", paper->pdf, {}};
    r.headers.emplace_back("Content-Disposition", "inline; filename=\"" + paper->filename + "\"");
    return r;
}

// A reply from an outcome: the problem, or `status` with the value in JSON.
template <class T, class View>
Reply outcomeReply(int status, const Outcome<T>& outcome, View view) {
    if (!outcome) return problemReply(outcome.error());
    return jsonReply(status, view(*outcome));
}

// ---- small readers and writers shared by the endpoints ----

inline Poco::Dynamic::Var optionalTime(const std::optional<std::int64_t>& millis) {
    return millis ? Poco::Dynamic::Var(json::isoTime(*millis)) : Poco::Dynamic::Var();
}

inline Poco::Dynamic::Var optionalNumber(const std::optional<double>& value) {
    return value ? Poco::Dynamic::Var(*value) : Poco::Dynamic::Var();
}

// The path's {id} and the JSON body, or what is wrong with them.
struct IdAndBody {
    std::int64_t id;
    Object::Ptr body;
};
inline Outcome<IdAndBody> idAndBody(Call& call, const std::string& what) {
    auto id = idParam(call, "id");
    if (!id) return fail(ProblemCode::BadRequest, what + " id must be a positive number");
    auto body = call.jsonObject();
    if (!body) return std::unexpected(body.error());
    return IdAndBody{*id, *body};
}

// A true/false field that must be there.
inline Outcome<bool> flag(const Object::Ptr& body, const std::string& name) {
    auto value = body->get(name);
    if (value.isEmpty() || !value.isBoolean()) return fail(ProblemCode::BadRequest, name + " must be true or false");
    return value.convert<bool>();
}

// One endpoint: method, path ("{name}" captures a segment), who may call it, and its handler.
struct RouteSpec {
    std::string method;
    std::string path;
    std::optional<Permission> permission;  // nullopt: open to everyone (health, login)
    bool signedIn;                         // needs a session even without a permission
    Reply (*handler)(Call&);
};

// The paper originals' endpoints: shelving, where-is, loans, stocktakes (paper_api.cpp).
[[nodiscard]] std::vector<RouteSpec> paperRoutes();
// Completeness: rules, events, expectations, dashboard, reminders, contracts (completeness_api.cpp).
[[nodiscard]] std::vector<RouteSpec> completenessRoutes();
// The audit office: gates, audits, spot checks, rectification, rates, scores (office_api.cpp).
[[nodiscard]] std::vector<RouteSpec> officeRoutes();
// One's notifications, marking them read, the day's run on demand (notification_api.cpp).
[[nodiscard]] std::vector<RouteSpec> notificationRoutes();
// Sign-in, the counter, filing and the scanning desk, users, the audit log (archive_api.cpp).
[[nodiscard]] std::vector<RouteSpec> archiveRoutes();

}  // namespace dangan::server
