// The HTTP face of the archive: routing by method and path, sign-in and permission checks, the
// web application's static files, and one request's life (its id, the access log, 500 for the
// unexpected). The endpoints themselves live in the *_api.cpp files.
#include "dangan/http/http_api.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include <chrono>
#include <sstream>

#include "dangan/scanner/scan_file.h"
#include "dangan/storage/database.h"
#include "http_call.h"
#include "static_files.h"
#include "reading_api.h"

namespace dangan::server {
namespace {

using Poco::JSON::Object;
using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

// ---- routing ----

struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{name}" captures one segment
    std::optional<Permission> permission;  // nullopt: open to everyone (health, login)
    bool signedIn;                         // needs a session even without a permission
    Reply (*handler)(Call&);
};

std::vector<std::string> split(const std::string& path) {
    std::vector<std::string> parts;
    std::istringstream in(path);
    std::string part;
    while (std::getline(in, part, '/'))
        if (!part.empty()) parts.push_back(part);
    return parts;
}

const std::vector<Route>& routes() {
    static const std::vector<Route> kRoutes = [] {
        std::vector<Route> r;
        for (auto* group : {archiveRoutes, paperRoutes, completenessRoutes, officeRoutes, readingRoutes, notificationRoutes})
            for (auto& spec : group()) r.push_back({spec.method, split(spec.path), spec.permission, spec.signedIn, spec.handler});
        return r;
    }();
    return kRoutes;
}

const Route* match(const std::string& method, const std::vector<std::string>& path,
                   std::map<std::string, std::string>& params, bool& pathKnown) {
    for (const auto& route : routes()) {
        if (route.segments.size() != path.size()) continue;
        std::map<std::string, std::string> captured;
        bool same = true;
        for (std::size_t i = 0; i < path.size() && same; ++i) {
            const auto& s = route.segments[i];
            if (s.front() == '{') captured[s.substr(1, s.size() - 2)] = path[i];
            else same = s == path[i];
        }
        if (!same) continue;
        pathKnown = true;
        if (route.method == method) {
            params = std::move(captured);
            return &route;
        }
    }
    return nullptr;
}

// ---- the handler ----

class ApiRequest final : public Poco::Net::HTTPRequestHandler {
public:
    ApiRequest(Desks& desks, StaticFiles& files, const HttpLimits& limits, Poco::Logger& log, std::uint64_t id, bool overTls)
        : desks_(desks), files_(files), limits_(limits), log_(log), id_(id), overTls_(overTls) {}

    void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
        auto start = std::chrono::steady_clock::now();
        std::string path;
        Reply reply;
        try {
            Poco::URI uri(request.getURI());
            path = uri.getPath();
            reply = dispatch(request, uri);
        } catch (const storage::StorageFullError& e) {
            // The data folder's disk is full: what the request wrote was dropped or rolled back.
            log_.error("request %s %s %s: disk full: %s", std::to_string(id_), request.getMethod(), path, std::string(e.what()));
            Object::Ptr error = new Object;
            error->set("error", "the archive's disk is full: nothing of this request was kept; free space on the data folder and send it again");
            error->set("message", "档案服务器磁盘已满：本次提交的内容均未保存，请联系管理员释放空间后重新提交");
            reply = jsonReply(507, error);
        } catch (const std::exception& e) {
            // Anything unexpected: logged with the request id, answered without internals.
            log_.error("request %s %s %s failed: %s", std::to_string(id_), request.getMethod(), path, std::string(e.what()));
            Object::Ptr error = new Object;
            error->set("error", "internal error (request " + std::to_string(id_) + "); the server log has the details");
            error->set("message", "服务器出错（请求编号 " + std::to_string(id_) + "），请稍后重试或联系管理员");
            reply = jsonReply(500, error);
        }
        // A request refused before its body was read (401, 403, 413 ...): read the rest, so the
        // client can see the answer instead of a reset connection; past a limit, close instead.
        if (!drainBody(request)) response.setKeepAlive(false);
        response.setStatusAndReason(static_cast<HTTPResponse::HTTPStatus>(reply.status));
        response.setContentType(reply.contentType);
        response.set("X-Request-Id", std::to_string(id_));
        addSecurityHeaders(response, reply, path.starts_with("/api/"));
        // Served over TLS: the browser keeps to HTTPS for this host for a year (HSTS).
        if (overTls_) response.set("Strict-Transport-Security", "max-age=31536000");
        for (const auto& [k, v] : reply.headers) response.set(k, v);
        if (reply.status == 204 || reply.status == 304) {
            response.setContentLength(0);
            response.send();
        } else {
            response.sendBuffer(reply.body.data(), reply.body.size());
        }
        double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        if (log_.information())
            log_.information("%s %s %d %.1fms rid=%s", request.getMethod(), path, reply.status, ms, std::to_string(id_));
    }

private:
    // The armour every answer wears (等保: no sniffing, no framing, no referrer leaking a
    // customer's address; the page runs only its own script, and opens only its own blobs: the
    // PDFs it prints and the pages it shows). A JSON answer may carry ID numbers and contracts:
    // never stored by a browser or a proxy.
    static void addSecurityHeaders(HTTPServerResponse& response, const Reply& reply, bool api) {
        response.set("X-Content-Type-Options", "nosniff");
        response.set("X-Frame-Options", "DENY");
        response.set("Referrer-Policy", "no-referrer");
        response.set("Cross-Origin-Opener-Policy", "same-origin");
        if (reply.contentType.starts_with("text/html"))
            response.set("Content-Security-Policy",
                         "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; "
                         "connect-src 'self' blob:; font-src 'self'; object-src 'self' blob:; base-uri 'none'; form-action 'self'; "
                         "frame-ancestors 'none'");
        if (api && reply.contentType.starts_with("application/json")) response.set("Cache-Control", "no-store");
    }

    static bool drainBody(HTTPServerRequest& request) {
        constexpr std::streamsize kLimit = 64 << 20;
        std::streamsize drained = 0;
        char buffer[65536];
        try {
            auto& in = request.stream();
            while (in && drained <= kLimit) {
                in.read(buffer, sizeof buffer);
                drained += in.gcount();
            }
        } catch (const Poco::Exception&) {
            return false;
        }
        return drained <= kLimit;
    }

    Reply dispatch(HTTPServerRequest& request, const Poco::URI& uri) {
        const std::string& path = uri.getPath();
        if (!path.starts_with("/api/") && path != "/api") {
            if (request.getMethod() != "GET" && request.getMethod() != "HEAD")
                return problemReply(ProblemCode::NotFound, "no such page");
            auto encodings = request.get("Accept-Encoding", "");
            std::string version;
            for (const auto& [k, v] : uri.getQueryParameters())
                if (k == "v") version = v;
            return files_.get(path, version, request.get("If-None-Match", ""), encodings);
        }
        std::map<std::string, std::string> params;
        bool pathKnown = false;
        const Route* route = match(request.getMethod(), split(path), params, pathKnown);
        if (!route) {
            Reply r = problemReply(ProblemCode::NotFound, pathKnown ? "method " + request.getMethod() + " is not allowed on " + path : "no API endpoint " + path);
            if (pathKnown) r.status = 405;
            return r;
        }
        Call call{request, desks_, limits_, std::move(params), uri, std::nullopt, ""};
        if (route->signedIn) {
            std::string auth = request.get("Authorization", "");
            if (!auth.starts_with("Bearer ")) return problemReply(ProblemCode::Unauthenticated, "sign in first: send 'Authorization: Bearer <token>' from POST /api/login");
            call.token = auth.substr(7);
            call.user = desks_.authenticator.authenticate(call.token);
            if (!call.user) return problemReply(ProblemCode::Unauthenticated, "the session is invalid or has expired; sign in again");
            // A password an administrator set opens nothing but changing it (and who one is).
            if (call.user->mustChangePassword && route->permission)
                return problemReply(ProblemCode::Forbidden, "change the password an administrator set first (POST /api/me/password)");
            const bool bootstrapAdmin = hasRole(*call.user, "admin");
            if (route->permission && !allows(*call.user, *route->permission, bootstrapAdmin && call.desks.users.dutiesSeparated()))
                return problemReply(ProblemCode::Forbidden, "your roles do not allow " + request.getMethod() + " " + path);
        }
        return route->handler(call);
    }

    Desks& desks_;
    StaticFiles& files_;
    const HttpLimits& limits_;
    Poco::Logger& log_;
    std::uint64_t id_;
    bool overTls_;
};
}  // namespace

HttpApi::HttpApi(Desks& desks, std::filesystem::path webDir, HttpLimits limits, Poco::Logger& accessLog, bool overTls)
    : desks_(desks), files_(std::make_unique<StaticFiles>(std::move(webDir))), limits_(limits), accessLog_(accessLog), overTls_(overTls) {}

HttpApi::~HttpApi() = default;

Poco::Net::HTTPRequestHandler* HttpApi::createRequestHandler(const HTTPServerRequest&) {
    return new ApiRequest(desks_, *files_, limits_, accessLog_, nextRequestId_++, overTls_);  // Poco owns it
}

}  // namespace dangan::server