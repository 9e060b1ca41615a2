#include "api_test_fixture.h"

#include <Poco/JSON/Parser.h>

#include <sstream>

namespace dangan::testing {
namespace fs = std::filesystem;

Poco::JSON::Object::Ptr parseObject(const std::string& json) {
    Poco::JSON::Parser parser;
    return parser.parse(json).extract<Poco::JSON::Object::Ptr>();
}

void ApiTest::SetUp() {
    server_ = std::make_unique<ServerProcess>(dataDir());
    server_->start();
    admin_ = std::make_unique<HttpClient>(server_->port());
    admin_->login("admin", kAdminPassword);
}

void ApiTest::TearDown() {
    if (HasFailure() && server_) std::cerr << "--- server log ---\n" << server_->log() << "\n";
    server_.reset();
}

HttpClient ApiTest::signedInAs(const std::string& username, const std::vector<std::string>& roles) {
    Poco::JSON::Object body;
    body.set("username", username);
    body.set("password", "password-" + username);
    Poco::JSON::Array list;
    for (const auto& r : roles) list.add(r);
    body.set("roles", list);
    std::ostringstream s;
    body.stringify(s);
    auto reply = admin_->postJson("/api/users", s.str());
    EXPECT_EQ(reply.status, 201) << reply.body;
    HttpClient client(server_->port());
    client.login(username, "password-" + username);
    return client;
}

void ApiTest::importCustomers(const std::string& jsonArray) {
    auto reply = admin_->postJson("/api/customers", jsonArray);
    ASSERT_EQ(reply.status, 200) << reply.body;
}

HttpReply ApiTest::fileScan(const std::string& accountNo, const std::string& process, const std::string& docType,
                            const std::vector<FilePart>& files, std::map<std::string, std::string> extra) {
    extra["account_no"] = accountNo;
    extra["process"] = process;
    extra["doc_type"] = docType;
    return admin_->postMultipart("/api/scans", extra, files);
}

Poco::JSON::Object::Ptr ApiTest::efile(const std::string& accountNo) {
    auto reply = admin_->get("/api/customers/" + accountNo + "/efile");
    EXPECT_EQ(reply.status, 200) << reply.body;
    return parseObject(reply.body);
}

std::size_t ApiTest::storedImages() const {
    std::size_t n = 0;
    fs::path objects = dataDir() / "images" / "objects";
    if (!fs::exists(objects)) return 0;
    for (const auto& e : fs::recursive_directory_iterator(objects))
        if (e.is_regular_file()) ++n;
    return n;
}

FilePart jpegPart(const std::string& filename, unsigned seed) {
    return FilePart{"files", filename, "image/jpeg", jpegPage({.width = 620, .height = 877, .dpi = 75, .seed = seed})};
}

}  // namespace dangan::testing
