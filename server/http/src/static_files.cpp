#include "static_files.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DeflatingStream.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Timestamp.h>

#include <sstream>

#include "dangan/scanner/page_image.h"
#include "dangan/storage/sha256.h"

namespace dangan::server {
namespace fs = std::filesystem;
namespace {

const std::map<std::string, std::string>& contentTypes() {
    static const std::map<std::string, std::string> kTypes{
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},   {".svg", "image/svg+xml"},
        {".png", "image/png"},                 {".ico", "image/x-icon"},
        {".json", "application/json"},         {".map", "application/json"},
        {".txt", "text/plain; charset=utf-8"}, {".woff2", "font/woff2"}};
    return kTypes;
}

bool compressible(const std::string& type) {
    return type.starts_with("text/") || type.starts_with("application/json") || type == "image/svg+xml";
}

std::string gzip(const std::string& bytes) {
    std::ostringstream out;
    {
        Poco::DeflatingOutputStream deflate(out, Poco::DeflatingStreamBuf::STREAM_GZIP, 9);
        deflate.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        deflate.close();
    }
    return out.str();
}

std::string httpDate(const Poco::Timestamp& modified) {
    return Poco::DateTimeFormatter::format(modified, Poco::DateTimeFormat::HTTP_FORMAT);
}

}  // namespace

std::shared_ptr<const StaticFiles::File> StaticFiles::load(const fs::path& file) {
    Poco::Timestamp modified;
    try {
        modified = Poco::File(file.string()).getLastModified();
    } catch (const Poco::Exception&) {
        return nullptr;
    }
    {
        std::lock_guard lock(mutex_);
        auto it = files_.find(file);
        if (it != files_.end() && it->second->modified == modified) return it->second;
    }
    auto loaded = std::make_shared<File>();
    loaded->modified = modified;
    auto type = contentTypes().find(file.extension().string());
    loaded->contentType = type == contentTypes().end() ? "application/octet-stream" : type->second;
    loaded->bytes = scanner::readFile(file);
    if (file.filename() == "index.html") {
        // The bundle's files by their version, so that they can be cached for good.
        for (const char* name : {"app.js", "app.css"}) {
            auto bundled = load(file.parent_path() / name);
            if (!bundled) continue;
            std::string plain = std::string("\"") + name + "\"";
            auto at = loaded->bytes.find(plain);
            if (at != std::string::npos)
                loaded->bytes.replace(at, plain.size(), std::string("\"") + name + "?v=" + bundled->etag.substr(1, 16) + "\"");
        }
    }
    if (compressible(loaded->contentType)) loaded->gzipped = gzip(loaded->bytes);
    // Brotli comes from the web build (web/build.mjs), which made it from these very bytes.
    try {
        Poco::File brotli(file.string() + ".br");
        if (brotli.exists() && brotli.getLastModified() >= modified) loaded->brotli = scanner::readFile(file.string() + ".br");
    } catch (const Poco::Exception&) {
        // no brotli form: gzip serves
    }
    loaded->etag = "\"" + storage::toHex(storage::Sha256::of(loaded->bytes)) + "\"";
    loaded->lastModified = httpDate(modified);
    std::lock_guard lock(mutex_);
    files_[file] = loaded;
    return loaded;
}

Reply StaticFiles::get(const std::string& path, const std::string& version, const std::string& ifNoneMatch,
                       const std::string& acceptEncoding) {
    std::vector<std::string> parts;
    std::istringstream in(path);
    for (std::string part; std::getline(in, part, '/');)
        if (!part.empty()) parts.push_back(part);
    for (const auto& p : parts)
        if (p == ".." || p == "." || p.find('\\') != std::string::npos) return problemReply(ProblemCode::NotFound, "no such file");
    fs::path file = webDir_;
    for (const auto& p : parts) file /= p;
    std::error_code ec;
    if (parts.empty() || fs::is_directory(file, ec)) file /= "index.html";
    if (!fs::is_regular_file(file, ec)) return problemReply(ProblemCode::NotFound, "no such file: " + path);
    auto f = load(file);
    if (!f) return problemReply(ProblemCode::NotFound, "no such file: " + path);
    Reply r{200, f->contentType, "", {}};
    r.headers.emplace_back("ETag", f->etag);
    r.headers.emplace_back("Last-Modified", f->lastModified);
    r.headers.emplace_back("Vary", "Accept-Encoding");
    bool current = !version.empty() && f->etag.substr(1, 16) == version;
    r.headers.emplace_back("Cache-Control", current ? "public, max-age=31536000, immutable" : "no-cache");
    if (!ifNoneMatch.empty() && ifNoneMatch == f->etag) {
        r.status = 304;
        return r;
    }
    if (acceptEncoding.find("br") != std::string::npos && !f->brotli.empty()) {
        r.body = f->brotli;
        r.headers.emplace_back("Content-Encoding", "br");
    } else if (acceptEncoding.find("gzip") != std::string::npos && !f->gzipped.empty()) {
        r.body = f->gzipped;
        r.headers.emplace_back("Content-Encoding", "gzip");
    } else {
        r.body = f->bytes;
    }
    return r;
}

}  // namespace dangan::server
