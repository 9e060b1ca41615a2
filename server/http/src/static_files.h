#pragma once
// The web application's files as the browser gets them (internal to dangan_http): each read once
// and kept with its gzip form, its ETag (SHA-256 of the bytes) and Last-Modified, and read again
// when it changes on disk. index.html names app.js and app.css with their version
// (app.js?v=<etag>), so that a versioned file is cached for a year and a new build is fetched at
// once; everything else is revalidated (304 when unchanged).

#include <Poco/Timestamp.h>

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "http_call.h"

namespace dangan::server {

class StaticFiles {
public:
    explicit StaticFiles(std::filesystem::path webDir) : webDir_(std::move(webDir)) {}

    // GET of `path` (with its query `version`), given the request's If-None-Match and
    // Accept-Encoding.
    [[nodiscard]] Reply get(const std::string& path, const std::string& version, const std::string& ifNoneMatch,
                            const std::string& acceptEncoding);

private:
    struct File {
        Poco::Timestamp modified;
        std::string contentType;
        std::string bytes;
        std::string gzipped;     // empty: not worth compressing (images)
        std::string brotli;      // the build's <file>.br when it is as new as the file; else empty
        std::string etag;        // "\"<sha256 hex>\""
        std::string lastModified;
    };
    [[nodiscard]] std::shared_ptr<const File> load(const std::filesystem::path& file);

    std::filesystem::path webDir_;
    std::mutex mutex_;
    std::map<std::filesystem::path, std::shared_ptr<const File>> files_;
};

}  // namespace dangan::server
