#pragma once
// Every API test runs against its own real server process with its own data folder.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "server_process.h"
#include "test_images.h"

namespace dangan::testing {

Poco::JSON::Object::Ptr parseObject(const std::string& json);

class ApiTest : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;

    std::filesystem::path dataDir() const { return dir_.path() / "data"; }
    // Further options for `dangan serve`, for fixtures that need them.
    virtual std::vector<std::string> serverOptions() const { return {}; }
    // A signed-in client for a new user with these roles.
    HttpClient signedInAs(const std::string& username, const std::vector<std::string>& roles);
    void importCustomers(const std::string& jsonArray);
    // Files one document; returns the reply.
    HttpReply fileScan(const std::string& accountNo, const std::string& process, const std::string& docType,
                       const std::vector<FilePart>& files, std::map<std::string, std::string> extra = {});
    // The e-file, as the admin reads it on the first server (or through `via`, another node).
    Poco::JSON::Object::Ptr efile(const std::string& accountNo, HttpClient* via = nullptr);
    std::size_t storedImages() const;  // files in the image store
    // Pages of a PDF the server prints at `path`, rendered by pdftoppm at 200 dpi.
    std::vector<std::string> printed(const std::string& path);
    // Polls GET /api/batches/{id} until it is done or failed; nullptr (and a failure) on timeout.
    Poco::JSON::Object::Ptr waitForBatch(std::int64_t id, HttpClient* via = nullptr);
    // doc_type -> pages, over the customer's current documents.
    std::map<std::string, int> filedPages(const std::string& accountNo, HttpClient* via = nullptr);

    TempDir dir_;
    std::unique_ptr<ServerProcess> server_;
    std::unique_ptr<HttpClient> admin_;
};

FilePart jpegPart(const std::string& filename, unsigned seed);

}  // namespace dangan::testing
