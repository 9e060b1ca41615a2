#pragma once
// Every API test runs against its own real server process with its own data folder.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

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
    // A signed-in client for a new user with these roles.
    HttpClient signedInAs(const std::string& username, const std::vector<std::string>& roles);
    void importCustomers(const std::string& jsonArray);
    // Files one document; returns the reply.
    HttpReply fileScan(const std::string& accountNo, const std::string& process, const std::string& docType,
                       const std::vector<FilePart>& files, std::map<std::string, std::string> extra = {});
    Poco::JSON::Object::Ptr efile(const std::string& accountNo);
    std::size_t storedImages() const;  // files in the image store

    TempDir dir_;
    std::unique_ptr<ServerProcess> server_;
    std::unique_ptr<HttpClient> admin_;
};

FilePart jpegPart(const std::string& filename, unsigned seed);

}  // namespace dangan::testing
