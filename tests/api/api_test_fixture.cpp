#include "api_test_fixture.h"

#include <Poco/JSON/Parser.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "scanned_forms.h"

namespace dangan::testing {
namespace fs = std::filesystem;

Poco::JSON::Object::Ptr parseObject(const std::string& json) {
    Poco::JSON::Parser parser;
    return parser.parse(json).extract<Poco::JSON::Object::Ptr>();
}

void ApiTest::SetUp() {
    server_ = std::make_unique<ServerProcess>(dataDir(), serverOptions());
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
    body.set("password", "Desk-Pass-2026");
    Poco::JSON::Array list;
    for (const auto& r : roles) list.add(r);
    body.set("roles", list);
    body.set("must_change_password", false);  // the tests' users keep the password they are given
    std::ostringstream s;
    body.stringify(s);
    auto reply = admin_->postJson("/api/users", s.str());
    EXPECT_EQ(reply.status, 201) << reply.body;
    HttpClient client(server_->port());
    client.login(username, "Desk-Pass-2026");
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

Poco::JSON::Object::Ptr ApiTest::efile(const std::string& accountNo, HttpClient* via) {
    auto reply = (via ? *via : *admin_).get("/api/customers/" + accountNo + "/efile");
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

std::vector<std::string> ApiTest::printed(const std::string& path) {
    auto reply = admin_->get(path);
    EXPECT_EQ(reply.status, 200) << path << " " << reply.body;
    EXPECT_EQ(reply.contentType, "application/pdf");
    return renderPdfPages(reply.body, 200);
}

Poco::JSON::Object::Ptr ApiTest::waitForBatch(std::int64_t id, HttpClient* via) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(240);
    while (std::chrono::steady_clock::now() < deadline) {
        auto reply = (via ? *via : *admin_).get("/api/batches/" + std::to_string(id));
        EXPECT_EQ(reply.status, 200) << reply.body;
        auto batch = parseObject(reply.body);
        auto state = batch->getValue<std::string>("state");
        if (state == "done" || state == "failed") return batch;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    ADD_FAILURE() << "batch " << id << " did not finish";
    return nullptr;
}

std::map<std::string, int> ApiTest::filedPages(const std::string& accountNo, HttpClient* via) {
    std::map<std::string, int> docs;
    auto file = efile(accountNo, via);
    auto categories = file->getArray("categories");
    for (std::size_t c = 0; c < categories->size(); ++c) {
        auto list = categories->getObject(static_cast<unsigned>(c))->getArray("documents");
        for (std::size_t d = 0; d < list->size(); ++d) {
            auto doc = list->getObject(static_cast<unsigned>(d));
            docs[doc->getValue<std::string>("doc_type")] += static_cast<int>(doc->getArray("pages")->size());
        }
    }
    return docs;
}

}  // namespace dangan::testing
