#pragma once
// Page images in an S3-compatible object store (a company's object storage; Swift with s3api or
// Ceph's radosgw on loopback in the tests): one object per image, named by its SHA-256, in one
// bucket. Requests are signed with AWS Signature Version 4 and sent with Poco's HTTP client.
//
// An image is staged in a local folder first, as with the file store; commit sends it with its
// SHA-256 in x-amz-content-sha256, which the store checks before it keeps a byte (400 BadDigest
// else), and returns only once the store has acknowledged it, so that the database row naming it
// commits after. Reads stream the object.

#include <Poco/AutoPtr.h>

#include <filesystem>
#include <memory>
#include <string>

#include "dangan/storage/database.h"  // StorageError
#include "dangan/storage/image_store.h"

namespace Poco::Net {
class Context;
class HTTPClientSession;
class HTTPRequest;
}  // namespace Poco::Net

namespace dangan::storage {

struct ObjectStoreLocation {
    std::string scheme = "http";  // http or https
    std::string host;
    int port = 80;
    std::string bucket;
    std::string region = "us-east-1";
    // https: the certificate authorities to trust (a PEM file); empty: the system's.
    std::string caFile;
};

struct ObjectStoreCredentials {
    std::string accessKey;
    std::string secretKey;
};

// "s3://BUCKET?endpoint=http[s]://HOST:PORT[&region=R][&ca=PEM FILE]"; throws StorageError naming
// what is wrong.
[[nodiscard]] ObjectStoreLocation parseObjectStoreUrl(const std::string& url);

class ObjectImageStore final : public ImageStore {
public:
    // Creates the bucket when it does not exist. `staging` is a local folder for uploads in
    // flight (emptied at start when `dropLeftovers`). Throws StorageError when the store cannot
    // be reached or refuses the credentials.
    ObjectImageStore(ObjectStoreLocation location, ObjectStoreCredentials credentials, std::filesystem::path staging,
                     bool dropLeftovers = true);
    ~ObjectImageStore() override;

    [[nodiscard]] std::filesystem::path stagingDirectory() const override { return staging_; }
    bool commit(StagedImage& staged) override;
    [[nodiscard]] bool contains(const Digest& digest) const override;
    [[nodiscard]] std::unique_ptr<std::istream> open(const Digest& digest) const override;
    [[nodiscard]] std::optional<std::uint64_t> size(const Digest& digest) const override;
    void discardUnreferenced(const Digest& digest) override;

private:
    struct Answer;
    void sign(Poco::Net::HTTPRequest& request, const std::string& payloadSha256) const;
    // One signed request, asked again while the store says it is busy; `payloadSha256` is the
    // body's digest in hex (the empty body's for none), `body` must be seekable.
    [[nodiscard]] Answer send(const std::string& method, const std::string& key, std::istream* body,
                              std::uint64_t bodySize, const std::string& payloadSha256) const;
    [[nodiscard]] Answer sendOnce(const std::string& method, const std::string& key, std::istream* body,
                                  std::uint64_t bodySize, const std::string& payloadSha256) const;

    // A new connection to the store (over TLS for https, the peer's certificate and name checked).
    [[nodiscard]] std::unique_ptr<Poco::Net::HTTPClientSession> connect() const;

    ObjectStoreLocation location_;
    ObjectStoreCredentials credentials_;
    std::filesystem::path staging_;
    Poco::AutoPtr<Poco::Net::Context> tls_;  // https only
};

}  // namespace dangan::storage
