// The server under clients that misbehave or crowd it: 64 clients that open a connection and send
// their request a line at a time do not starve the others, and many desks uploading and lending
// at once get answers, never a server error.
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <thread>

#include "api_test_fixture.h"
#include "dangan/barcode/own_code.h"

namespace dangan::testing {
namespace {
using namespace std::chrono_literals;

class AbuseApi : public ApiTest {
protected:
    std::vector<std::string> serverOptions() const override { return {"--ocr-workers", "-1"}; }
};

TEST_F(AbuseApi, SixtyFourSlowClientsDoNotStarveTheOthers) {
    // Each opens a connection and sends the head of a request one header line at a time, never
    // finishing it, as a slowloris does.
    std::vector<Poco::Net::StreamSocket> slow;
    for (int i = 0; i < 64; ++i) {
        slow.emplace_back(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(server_->port())));
        std::string start = "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        slow.back().sendBytes(start.data(), static_cast<int>(start.size()));
    }
    std::atomic<bool> done = false;
    std::thread dribble([&] {
        for (int line = 0; !done; ++line) {
            std::string header = "X-Slow-" + std::to_string(line) + ": 1\r\n";
            for (auto& socket : slow) socket.sendBytes(header.data(), static_cast<int>(header.size()));
            std::this_thread::sleep_for(200ms);
        }
    });

    // Meanwhile the others are served promptly, health and a signed-in reader alike.
    std::this_thread::sleep_for(500ms);
    HttpClient other(server_->port());
    for (int probe = 0; probe < 8; ++probe) {
        auto started = std::chrono::steady_clock::now();
        auto health = other.get("/api/health");
        auto took = std::chrono::steady_clock::now() - started;
        EXPECT_EQ(health.status, 200);
        EXPECT_LT(took, 1s) << "probe " << probe << " took "
                            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";
        auto started2 = std::chrono::steady_clock::now();
        EXPECT_EQ(admin_->get("/api/search?q=" + urlEncode("张伟")).status, 200);
        EXPECT_LT(std::chrono::steady_clock::now() - started2, 1s);
        std::this_thread::sleep_for(250ms);
    }
    done = true;
    dribble.join();
}

// Four desks upload while four others lend and take back, some of them the same item at once:
// every answer is a success or a refusal that names the conflict, never a 5xx, and the archive
// checks whole afterwards.
TEST_F(AbuseApi, ManyDesksUploadingAndLendingAtOnceGetNoServerError) {
    importCustomers(R"([{"account_no":"3300000001","name":"张伟"}])");
    auto approver = signedInAs("approver1", {"approver"});
    auto itemOf = [&](unsigned seed) {
        auto reply = fileScan("3300000001", "低压居民新装", "用电申请书", {jpegPart("p.jpg", seed)});
        EXPECT_EQ(reply.status, 201) << reply.body;
        return barcode::ownCodeText(barcode::OwnCodeKind::Document,
                                    std::to_string(parseObject(reply.body)->getValue<std::int64_t>("id")));
    };
    std::vector<std::string> items;
    for (unsigned i = 0; i < 5; ++i) items.push_back(itemOf(100 + i));  // items[4] is wanted by every lender
    char until[16];
    std::time_t later = std::time(nullptr) + 100 * 86400;
    std::strftime(until, sizeof until, "%Y-%m-%d", std::localtime(&later));

    std::atomic<int> serverErrors = 0, uploads = 0, lent = 0, conflicts = 0, unexpected = 0;
    auto tally = [&](const HttpReply& reply, std::initializer_list<int> fine) {
        if (reply.status >= 500) ++serverErrors;
        else if (std::find(fine.begin(), fine.end(), reply.status) == fine.end()) ++unexpected;
        return reply.status;
    };
    std::vector<std::thread> desks;
    for (int d = 0; d < 4; ++d)
        desks.emplace_back([&, d] {
            HttpClient desk(server_->port());
            desk.login("admin", kAdminPassword);
            for (unsigned n = 0; n < 5; ++n) {
                auto reply = desk.postMultipart("/api/scans",
                                                {{"account_no", "3300000001"}, {"process", "低压居民新装"}, {"doc_type", "用电申请书"}},
                                                {jpegPart("p.jpg", 1000 + static_cast<unsigned>(d) * 10 + n)});
                if (tally(reply, {201}) == 201) ++uploads;
            }
        });
    for (int d = 0; d < 4; ++d)
        desks.emplace_back([&, d] {
            HttpClient desk(server_->port());
            desk.login("admin", kAdminPassword);
            for (const auto& item : {items[static_cast<std::size_t>(d)], items[4]}) {
                for (int round = 0; round < 3; ++round) {
                    auto asked = desk.postJson("/api/loans", R"({"items":[")" + item + R"("],"purpose":"judicial","until":")" +
                                                                 until + R"(","note":"并发借阅"})");
                    if (tally(asked, {201, 409}) != 201) continue;
                    auto loan = "/api/loans/" + std::to_string(parseObject(asked.body)->getValue<std::int64_t>("id"));
                    HttpClient approving = approver;
                    if (tally(approving.postJson(loan + "/approve", "{}"), {200, 409}) != 200) continue;
                    int lend = tally(desk.postJson(loan + "/lend", R"({"items":[")" + item + "\"]}"), {200, 409});
                    if (lend == 409) {
                        ++conflicts;
                        continue;
                    }
                    ++lent;
                    tally(desk.postJson(loan + "/return", R"({"items":[{"code":")" + item + R"(","pages":1}]})"), {200});
                }
            }
        });
    for (auto& d : desks) d.join();
    EXPECT_EQ(serverErrors.load(), 0);
    EXPECT_EQ(unexpected.load(), 0);
    EXPECT_EQ(uploads.load(), 20);
    EXPECT_GE(lent.load(), 12);  // each desk's own item three times at least

    ASSERT_EQ(server_->terminate(), 0);
    auto verify = runCommand(verifyCommand(dataDir()));
    EXPECT_EQ(verify.status, 0) << verify.output;
}

}  // namespace
}  // namespace dangan::testing
