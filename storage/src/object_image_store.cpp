#include "dangan/storage/object_image_store.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <openssl/hmac.h>

#include <chrono>
#include <fstream>
#include <thread>
#include <sstream>

#include "dangan/storage/database.h"

namespace dangan::storage {
namespace fs = std::filesystem;
namespace {

const std::string kEmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::string sha256Hex(std::string_view text) {
    Sha256 hash;
    hash.update(text);
    return toHex(hash.finish());
}

std::string hmac(std::string_view key, std::string_view data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
         data.size(), out, &length);
    return std::string(reinterpret_cast<const char*>(out), length);
}

std::string hex(std::string_view bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

// An object's bytes read as they arrive, with the session that carries them.
class ObjectStream final : public std::istream {
public:
    ObjectStream(std::unique_ptr<Poco::Net::HTTPClientSession> session, std::istream& body)
        : std::istream(body.rdbuf()), session_(std::move(session)) {}

private:
    std::unique_ptr<Poco::Net::HTTPClientSession> session_;
};

}  // namespace

ObjectStoreLocation parseObjectStoreUrl(const std::string& url) {
    Poco::URI uri;
    try {
        uri = Poco::URI(url);
    } catch (const Poco::Exception& e) {
        throw StorageError("the image store's URL " + url + " cannot be read: " + e.message());
    }
    if (uri.getScheme() != "s3" || uri.getHost().empty())
        throw StorageError("the image store's URL must be s3://BUCKET?endpoint=http://HOST:PORT, not " + url);
    ObjectStoreLocation location;
    location.bucket = uri.getHost();
    std::string endpoint;
    for (const auto& [name, value] : uri.getQueryParameters()) {
        if (name == "endpoint") endpoint = value;
        else if (name == "region") location.region = value;
        else if (name == "ca") location.caFile = value;
        else throw StorageError("the image store's URL has an unknown parameter '" + name + "'");
    }
    if (endpoint.empty()) throw StorageError("the image store's URL needs ?endpoint=http://HOST:PORT");
    Poco::URI at(endpoint);
    if (at.getScheme() != "http" && at.getScheme() != "https")
        throw StorageError("the object store's endpoint must be http:// or https://, not " + endpoint);
    if (!location.caFile.empty() && at.getScheme() != "https")
        throw StorageError("ca= is for an https:// endpoint");
    location.scheme = at.getScheme();
    location.host = at.getHost();
    location.port = at.getPort();
    return location;
}

struct ObjectImageStore::Answer {
    int status = 0;
    std::optional<std::uint64_t> length;
    std::string body;
};

ObjectImageStore::ObjectImageStore(ObjectStoreLocation location, ObjectStoreCredentials credentials, fs::path staging,
                                   bool dropLeftovers)
    : location_(std::move(location)), credentials_(std::move(credentials)), staging_(std::move(staging)) {
    if (location_.scheme == "https") {
        try {
            // TLS 1.2 and later; the store's certificate must chain to the given authorities (or
            // the system's) and name the host.
            tls_ = new Poco::Net::Context(
                Poco::Net::Context::TLS_CLIENT_USE, "", "", location_.caFile, Poco::Net::Context::VERIFY_RELAXED, 9,
                location_.caFile.empty(), "HIGH:!aNULL:!MD5");
            tls_->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                                   Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
        } catch (const Poco::Exception& e) {
            throw StorageError("the object store's TLS cannot be set up (" + location_.caFile + "): " + e.displayText());
        }
    }
    if (credentials_.accessKey.empty() || credentials_.secretKey.empty())
        throw StorageError("the object store needs credentials: set DANGAN_S3_ACCESS_KEY and DANGAN_S3_SECRET_KEY");
    std::error_code ec;
    if (dropLeftovers) fs::remove_all(staging_, ec);
    fs::create_directories(staging_, ec);
    if (ec) throw StorageError("cannot create the staging folder " + staging_.string() + ": " + ec.message());
    auto bucket = send("HEAD", "", nullptr, 0, kEmptySha256);
    if (bucket.status == 404) bucket = send("PUT", "", nullptr, 0, kEmptySha256);
    if (bucket.status != 200)
        throw StorageError("the object store at " + location_.host + ":" + std::to_string(location_.port) + " refused bucket " +
                           location_.bucket + " (HTTP " + std::to_string(bucket.status) + ")");
}

ObjectImageStore::~ObjectImageStore() = default;

std::unique_ptr<Poco::Net::HTTPClientSession> ObjectImageStore::connect() const {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    auto port = static_cast<Poco::UInt16>(location_.port);
    if (tls_) session = std::make_unique<Poco::Net::HTTPSClientSession>(location_.host, port, tls_);
    else session = std::make_unique<Poco::Net::HTTPClientSession>(location_.host, port);
    session->setTimeout(Poco::Timespan(60, 0));
    return session;
}

// AWS Signature Version 4 of a path-style request (/BUCKET[/KEY]; keys are hex digests, nothing to
// escape), signing the host, the payload's SHA-256 and the time.
void ObjectImageStore::sign(Poco::Net::HTTPRequest& request, const std::string& payloadSha256) const {
    Poco::DateTime now;
    std::string amzDate = Poco::DateTimeFormatter::format(now, "%Y%m%dT%H%M%SZ");
    std::string day = amzDate.substr(0, 8);
    const int defaultPort = location_.scheme == "https" ? 443 : 80;
    std::string host = location_.host + (location_.port == defaultPort ? "" : ":" + std::to_string(location_.port));
    const std::string signedHeaders = "host;x-amz-content-sha256;x-amz-date";
    std::string canonical = request.getMethod() + "\n" + request.getURI() + "\n\nhost:" + host +
                            "\nx-amz-content-sha256:" + payloadSha256 + "\nx-amz-date:" + amzDate + "\n\n" + signedHeaders +
                            "\n" + payloadSha256;
    std::string scope = day + "/" + location_.region + "/s3/aws4_request";
    std::string toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + sha256Hex(canonical);
    std::string signingKey =
        hmac(hmac(hmac(hmac("AWS4" + credentials_.secretKey, day), location_.region), "s3"), "aws4_request");
    request.setHost(host);
    request.set("x-amz-date", amzDate);
    request.set("x-amz-content-sha256", payloadSha256);
    request.set("Authorization", "AWS4-HMAC-SHA256 Credential=" + credentials_.accessKey + "/" + scope +
                                     ", SignedHeaders=" + signedHeaders + ", Signature=" + hex(hmac(signingKey, toSign)));
}

ObjectImageStore::Answer ObjectImageStore::send(const std::string& method, const std::string& key, std::istream* body,
                                                std::uint64_t bodySize, const std::string& payloadSha256) const {
    // A store that is busy says 503 (S3's SlowDown): asked again after a pause that doubles, up to
    // five times, the body sent again from its start.
    for (int attempt = 0, pauseMs = 200;; ++attempt, pauseMs *= 2) {
        if (body && attempt > 0) {
            body->clear();
            body->seekg(0);
        }
        auto answer = sendOnce(method, key, body, bodySize, payloadSha256);
        if (answer.status != 503 || attempt == 5) return answer;
        std::this_thread::sleep_for(std::chrono::milliseconds(pauseMs));
    }
}

ObjectImageStore::Answer ObjectImageStore::sendOnce(const std::string& method, const std::string& key, std::istream* body,
                                                    std::uint64_t bodySize, const std::string& payloadSha256) const {
    std::string path = "/" + location_.bucket + (key.empty() ? "" : "/" + key);
    try {
        auto session = connect();
        Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
        sign(request, payloadSha256);
        if (method == "PUT") request.setContentLength64(static_cast<Poco::Int64>(bodySize));
        auto& out = session->sendRequest(request);
        if (body) Poco::StreamCopier::copyStream64(*body, out);
        Poco::Net::HTTPResponse response;
        auto& in = session->receiveResponse(response);
        Answer answer;
        answer.status = response.getStatus();
        if (response.hasContentLength()) answer.length = static_cast<std::uint64_t>(response.getContentLength64());
        if (method != "HEAD") {
            std::ostringstream text;
            Poco::StreamCopier::copyStream(in, text);
            if (answer.status >= 300) answer.body = text.str();  // the store's words on a refusal
        }
        return answer;
    } catch (const Poco::Exception& e) {
        throw StorageError("the object store at " + location_.host + " cannot be reached: " + e.displayText());
    }
}

bool ObjectImageStore::commit(StagedImage& staged) {
    if (contains(staged.digest())) return false;  // identical bytes stored already; the staged file is dropped
    std::ifstream file(staged.file(), std::ios::binary);
    if (!file) throw StorageError("cannot read the staged image " + staged.file().string());
    std::string digest = toHex(staged.digest());
    auto answer = send("PUT", digest, &file, staged.size(), digest);
    if (answer.status != 200)
        throw StorageError("the object store did not keep image " + digest + " (HTTP " + std::to_string(answer.status) + ": " +
                           answer.body.substr(0, 200) + ")");
    // Acknowledged: the local copy goes.
    std::error_code ignored;
    fs::remove(staged.file(), ignored);
    staged.release();
    return true;
}

bool ObjectImageStore::contains(const Digest& digest) const { return size(digest).has_value(); }

std::optional<std::uint64_t> ObjectImageStore::size(const Digest& digest) const {
    auto answer = send("HEAD", toHex(digest), nullptr, 0, kEmptySha256);
    if (answer.status == 404) return std::nullopt;
    if (answer.status != 200)
        throw StorageError("the object store did not say whether it holds image " + toHex(digest) + " (HTTP " +
                           std::to_string(answer.status) + ")");
    return answer.length.value_or(0);
}

std::unique_ptr<std::istream> ObjectImageStore::open(const Digest& digest) const {
    // A GET whose body is handed to the caller as it arrives.
    std::string key = toHex(digest);
    std::string path = "/" + location_.bucket + "/" + key;
    try {
        auto session = connect();
        Poco::Net::HTTPRequest request("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
        sign(request, kEmptySha256);
        session->sendRequest(request);
        Poco::Net::HTTPResponse response;
        auto& in = session->receiveResponse(response);
        if (response.getStatus() == 404) return nullptr;
        if (response.getStatus() != 200)
            throw StorageError("the object store did not give image " + key + " (HTTP " + std::to_string(response.getStatus()) + ")");
        return std::make_unique<ObjectStream>(std::move(session), in);
    } catch (const Poco::Exception& e) {
        throw StorageError("the object store at " + location_.host + " cannot be reached: " + e.displayText());
    }
}

void ObjectImageStore::discardUnreferenced(const Digest& digest) {
    auto answer = send("DELETE", toHex(digest), nullptr, 0, kEmptySha256);
    if (answer.status != 204 && answer.status != 200 && answer.status != 404)
        throw StorageError("the object store did not remove image " + toHex(digest) + " (HTTP " + std::to_string(answer.status) + ")");
}

}  // namespace dangan::storage
