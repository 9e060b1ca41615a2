// Crashes and shutdowns: what was acknowledged survives, nothing is half-filed.
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SocketStream.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/StringPartSource.h>
#include <signal.h>

#include <mutex>
#include <sstream>
#include <thread>

#include "api_test_fixture.h"

namespace dangan::testing {
namespace {

struct Acknowledged {
    int documentId;
    std::vector<std::string> sha256;  // of each page's upload, in order
};

TEST_F(ApiTest, SigkillDuringAStreamOfUploadsLosesNoAcknowledgedPage) {
    importCustomers(R"([{"account_no":"3350100065","name":"张伟"},{"account_no":"3362979298","name":"李娜"}])");
    // Prepare the pages first, so the stream of uploads is as dense as the server allows.
    std::vector<std::vector<FilePart>> uploads;
    for (unsigned i = 0; i < 80; ++i) uploads.push_back({jpegPart("a.jpg", 1000 + 2 * i), jpegPart("b.jpg", 1001 + 2 * i)});

    std::mutex mutex;
    std::vector<Acknowledged> acknowledged;
    std::atomic<std::size_t> next{0};
    std::atomic<bool> killed{false};
    auto uploader = [&](const std::string& accountNo) {
        HttpClient client(server_->port());
        client.login("admin", kAdminPassword);
        while (true) {
            std::size_t i = next++;
            if (i >= uploads.size()) return;
            try {
                auto reply = client.postMultipart("/api/scans", {{"account_no", accountNo}, {"process", "增容"}, {"doc_type", "变更用电申请书"}}, uploads[i]);
                if (reply.status != 201) {
                    ADD_FAILURE() << "upload refused before the crash: " << reply.body;
                    return;
                }
                std::lock_guard lock(mutex);
                acknowledged.push_back({parseObject(reply.body)->getValue<int>("id"), {sha256Hex(uploads[i][0].bytes), sha256Hex(uploads[i][1].bytes)}});
            } catch (const std::exception&) {
                EXPECT_TRUE(killed.load()) << "connection failed although the server was running";
                return;  // the server is gone
            }
        }
    };
    std::thread a(uploader, "3350100065"), b(uploader, "3362979298");
    // Let a dozen uploads through, then pull the plug while others are in flight.
    while (true) {
        {
            std::lock_guard lock(mutex);
            if (acknowledged.size() >= 12) break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    killed = true;
    server_->kill();
    a.join();
    b.join();
    ASSERT_LT(acknowledged.size(), uploads.size()) << "the crash came too late to interrupt anything";

    server_->start();
    admin_ = std::make_unique<HttpClient>(server_->port());
    admin_->login("admin", kAdminPassword);
    for (const auto& ack : acknowledged) {
        auto reply = admin_->get("/api/documents/" + std::to_string(ack.documentId));
        ASSERT_EQ(reply.status, 200) << "acknowledged document " << ack.documentId << " is gone";
        auto pages = parseObject(reply.body)->getArray("pages");
        ASSERT_EQ(pages->size(), 2u);
        for (unsigned p = 0; p < 2; ++p) {
            auto page = pages->getObject(p);
            EXPECT_EQ(page->getValue<std::string>("sha256"), ack.sha256[p]);
            auto image = admin_->get("/api/pages/" + std::to_string(page->getValue<int>("id")) + "/image");
            ASSERT_EQ(image.status, 200);
            EXPECT_EQ(sha256Hex(image.body), ack.sha256[p]);
        }
    }
    // No half-filed document: whatever reached the database has all its pages.
    std::size_t documents = 0;
    for (const auto* account : {"3350100065", "3362979298"}) {
        auto connection = efile(account)->getArray("categories")->getObject(0)->getArray("documents");
        for (unsigned i = 0; i < connection->size(); ++i) EXPECT_EQ(connection->getObject(i)->getArray("pages")->size(), 2u);
        documents += connection->size();
    }
    EXPECT_GE(documents, acknowledged.size());
    std::size_t staging = 0;
    for (const auto& e : std::filesystem::directory_iterator(dataDir() / "images" / "tmp")) staging += e.is_regular_file();
    EXPECT_EQ(staging, 0u);
    ASSERT_EQ(server_->terminate(), 0);
    auto verify = runCommand(verifyCommand(dataDir()));
    EXPECT_EQ(verify.status, 0) << verify.output;
}

TEST_F(ApiTest, SigtermLetsARequestInFlightFinishThenExitsCleanly) {
    importCustomers(R"([{"account_no":"3350100065","name":"张伟"}])");
    auto page = jpegPart("a.jpg", 42);
    Poco::Net::HTMLForm form(Poco::Net::HTMLForm::ENCODING_MULTIPART);
    form.set("account_no", "3350100065");
    form.set("process", "增容");
    form.set("doc_type", "变更用电申请书");
    form.addPart("files", new Poco::Net::StringPartSource(page.bytes, "image/jpeg", "a.jpg"));  // the form owns it
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/api/scans", Poco::Net::HTTPMessage::HTTP_1_1);
    form.prepareSubmit(request);
    std::ostringstream body;
    form.write(body);
    request.setContentLength(static_cast<std::streamsize>(body.str().size()));
    request.setChunkedTransferEncoding(false);
    request.set("Authorization", "Bearer " + admin_->login("admin", kAdminPassword));

    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(server_->port())));
    Poco::Net::SocketStream stream(socket);
    request.write(stream);
    std::string bytes = body.str();
    stream.write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
    stream.flush();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the server is reading the body

    ::kill(server_->pid(), SIGTERM);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stream.write(bytes.data() + bytes.size() / 2, static_cast<std::streamsize>(bytes.size() - bytes.size() / 2));
    stream.flush();
    Poco::Net::HTTPResponse response;
    response.read(stream);
    EXPECT_EQ(response.getStatus(), 201);
    EXPECT_EQ(server_->terminate(), 0);  // already exiting; collects the status

    server_->start();
    admin_ = std::make_unique<HttpClient>(server_->port());
    admin_->login("admin", kAdminPassword);
    auto docs = efile("3350100065")->getArray("categories")->getObject(0)->getArray("documents");
    ASSERT_EQ(docs->size(), 1u);
    EXPECT_EQ(docs->getObject(0)->getArray("pages")->getObject(0)->getValue<std::string>("sha256"), sha256Hex(page.bytes));
}

}  // namespace
}  // namespace dangan::testing
