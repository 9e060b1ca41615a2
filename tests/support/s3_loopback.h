#pragma once
// A real S3-compatible server for the length of one test: OpenStack Swift with its s3api
// middleware from Debian's packages, started on loopback by tests/support/s3_loopback.sh (access
// key test:tester, secret testing) and stopped when this object goes.

#include <filesystem>
#include <string>

namespace dangan::testing {

class S3Loopback {
public:
    // With `certificate` and `key` (PEM), the store answers over HTTPS. Throws when it does not start.
    explicit S3Loopback(const std::filesystem::path& folder, const std::filesystem::path& certificate = {},
                        const std::filesystem::path& key = {});
    ~S3Loopback();
    S3Loopback(const S3Loopback&) = delete;
    S3Loopback& operator=(const S3Loopback&) = delete;
    [[nodiscard]] const std::string& endpoint() const { return endpoint_; }
    // `--images` for a bucket on this server.
    [[nodiscard]] std::string imagesUrl(const std::string& bucket = "dangan-images") const {
        return "s3://" + bucket + "?endpoint=" + endpoint_;
    }
    // The servers' logs, for a failed test's report.
    [[nodiscard]] std::string logs() const;
    // Sets the credentials the store accepts in this process's environment (and so its children's).
    static void exportCredentials();

private:
    std::filesystem::path folder_;
    std::string endpoint_;
};

}  // namespace dangan::testing
