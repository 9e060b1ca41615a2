#pragma once
// The HTTP face of the archive: the JSON API under /api/ and the web application's files at /.

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <atomic>
#include <filesystem>

#include "dangan/desks/desks.h"

namespace dangan::server {

class StaticFiles;

struct HttpLimits {
    std::uint64_t maxJsonBody = 64ull << 20;   // customer imports and other JSON/CSV bodies
    std::uint64_t maxUploadBody = 1ull << 30;  // one multipart upload, all files together
    std::size_t maxUploadFiles = 1000;         // files in one multipart upload
};

class HttpApi final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    // `overTls`: the server answers over HTTPS only, and tells browsers to keep to it (HSTS).
    HttpApi(Desks& desks, std::filesystem::path webDir, HttpLimits limits, Poco::Logger& accessLog, bool overTls = false);
    ~HttpApi() override;

    // Poco takes ownership of the returned handler.
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

private:
    Desks& desks_;
    std::unique_ptr<StaticFiles> files_;
    HttpLimits limits_;
    Poco::Logger& accessLog_;
    bool overTls_;
    std::atomic<std::uint64_t> nextRequestId_{1};
};

}  // namespace dangan::server
