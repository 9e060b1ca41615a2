// Reminders that reach the person, end to end: a real server (its clock set by the test) works
// out the day's notifications and delivers them to a real SMTP server on loopback (aiosmtpd) and
// to a webhook receiver in this test, signed with the shared secret; nothing is sent twice for
// the same item and day; the web shows each person their own with an unread count.
#include <gtest/gtest.h>

#include <openssl/hmac.h>

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <mutex>
#include <thread>

#include "api_test_fixture.h"

namespace dangan::testing {
namespace {

constexpr const char* kSecret = "shared-secret-for-the-messaging-system";

// A real SMTP server: tests/support/smtp_sink.py on aiosmtpd, one JSON line per message.
class SmtpSink {
public:
    explicit SmtpSink(const std::filesystem::path& dir) : portFile_(dir / "smtp.port"), messages_(dir / "mail.jsonl") {
        pid_ = ::fork();
        if (pid_ == 0) {
            std::string script = std::string(DANGAN_SOURCE_DIR) + "/tests/support/smtp_sink.py";
            ::execl("/usr/bin/python3", "python3", script.c_str(), portFile_.c_str(), messages_.c_str(), nullptr);
            ::_exit(127);
        }
        for (int i = 0; i < 200 && !std::filesystem::exists(portFile_); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        std::ifstream(portFile_) >> port_;
    }
    ~SmtpSink() {
        ::kill(pid_, SIGTERM);
        ::waitpid(pid_, nullptr, 0);
    }
    int port() const { return port_; }
    std::vector<Poco::JSON::Object::Ptr> messages() const {
        std::vector<Poco::JSON::Object::Ptr> out;
        std::ifstream in(messages_);
        std::string line;
        while (std::getline(in, line))
            if (!line.empty()) out.push_back(parseObject(line));
        return out;
    }
    // Waits until at least `n` messages have arrived.
    std::vector<Poco::JSON::Object::Ptr> waitFor(std::size_t n) const {
        for (int i = 0; i < 150; ++i) {
            auto got = messages();
            if (got.size() >= n) return got;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return messages();
    }

private:
    std::filesystem::path portFile_, messages_;
    pid_t pid_ = -1;
    int port_ = 0;
};

struct Posted {
    std::string delivery, signature, body;
    int answered = 0;
};

// The company's messaging system: records every POST; answers the first with 503.
class WebhookReceiver {
public:
    WebhookReceiver() : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)), server_(new Factory(*this), socket_, new Poco::Net::HTTPServerParams) {
        server_.start();
    }
    ~WebhookReceiver() { server_.stopAll(true); }
    int port() const { return socket_.address().port(); }
    std::vector<Posted> posted() {
        std::lock_guard lock(mutex_);
        return posted_;
    }
    std::vector<Posted> waitFor(std::size_t n) {
        for (int i = 0; i < 150; ++i) {
            if (posted().size() >= n) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return posted();
    }

private:
    class Handler : public Poco::Net::HTTPRequestHandler {
    public:
        explicit Handler(WebhookReceiver& r) : r_(r) {}
        void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
            Posted p;
            Poco::StreamCopier::copyToString(request.stream(), p.body);
            p.delivery = request.get("X-Dangan-Delivery", "");
            p.signature = request.get("X-Dangan-Signature", "");
            {
                std::lock_guard lock(r_.mutex_);
                p.answered = r_.posted_.empty() ? 503 : 200;
                r_.posted_.push_back(p);
            }
            response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(p.answered));
            response.send() << "{}";
        }

    private:
        WebhookReceiver& r_;
    };
    class Factory : public Poco::Net::HTTPRequestHandlerFactory {
    public:
        explicit Factory(WebhookReceiver& r) : r_(r) {}
        Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override { return new Handler(r_); }

    private:
        WebhookReceiver& r_;
    };

    std::mutex mutex_;
    std::vector<Posted> posted_;
    Poco::Net::ServerSocket socket_;
    Poco::Net::HTTPServer server_;
};

// HMAC-SHA256 through OpenSSL directly (not the server's Poco code), hex.
std::string hmacHex(const std::string& key, const std::string& body) {
    unsigned char out[32];
    unsigned int n = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(body.data()),
         body.size(), out, &n);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned i = 0; i < n; ++i) {
        hex += kHex[out[i] >> 4];
        hex += kHex[out[i] & 0xF];
    }
    return hex;
}

class NotificationsApi : public ApiTest {
protected:
    std::filesystem::path clockFile() const { return dir_.path() / "clock"; }
    void setClock(const std::string& instant) { std::ofstream(clockFile()) << instant << "\n"; }

    void SetUp() override {
        setClock("2026-11-02T00:00:00Z");  // 08:00 in China
        smtp_ = std::make_unique<SmtpSink>(dir_.path());
        ASSERT_GT(smtp_->port(), 0) << "the SMTP sink did not start";
        ::setenv("DANGAN_WEBHOOK_SECRET", kSecret, 1);
        ApiTest::SetUp();
        importCustomers(R"([{"account_no":"3300000001","name":"张伟","unit":"城区供电所","voltage":"0.4kV"},
                            {"account_no":"3300000002","name":"李娜","unit":"城区供电所","voltage":"0.4kV"}])");
        marketing_ = std::make_unique<HttpClient>(signedInAs("yingxiao", {"marketing"}));
        auditor_ = std::make_unique<HttpClient>(signedInAs("jicha", {"auditor"}));
        auto made = admin_->postJson("/api/users", R"({"username":"zhangsan","password":"Desk-Pass-2026","roles":["staff"],
            "unit":"城区供电所","team":"营业一班","email":"zhangsan@example.com","must_change_password":false})");
        ASSERT_EQ(made.status, 201) << made.body;
        EXPECT_EQ(parseObject(made.body)->getValue<std::string>("team"), "营业一班");
        zhangsan_ = std::make_unique<HttpClient>(server_->port());
        zhangsan_->login("zhangsan", "Desk-Pass-2026");
    }

    std::vector<std::string> serverOptions() const override {
        return {"--clock-file", clockFile().string(), "--notify-at", "09:00", "--smtp", "127.0.0.1:" + std::to_string(smtp_->port()),
                "--mail-from", "dangan@example.com", "--webhook", "http://127.0.0.1:" + std::to_string(webhook_.port()) + "/hooks/dangan"};
    }

    // 受理 completed 47 hours before `at`: its three documents are due within the hour.
    void accept(const std::string& eventId, const std::string& account, const std::string& processId, const std::string& at) {
        auto reply = marketing_->postJson("/api/events", R"({"event_id":")" + eventId + R"(","account_no":")" + account +
                                                             R"(","process_id":")" + processId +
                                                             R"(","process":"低压居民新装","step":"受理","completed_at":")" + at +
                                                             R"(","staff":"zhangsan"})");
        ASSERT_EQ(reply.status, 201) << reply.body;
    }

    Poco::JSON::Object::Ptr run() {
        auto reply = auditor_->postJson("/api/notifications/run", "{}");
        EXPECT_EQ(reply.status, 200) << reply.body;
        return parseObject(reply.body);
    }

    std::unique_ptr<SmtpSink> smtp_;
    WebhookReceiver webhook_;
    std::unique_ptr<HttpClient> marketing_, auditor_, zhangsan_;
};

TEST_F(NotificationsApi, TheDaysRemindersReachThePersonByMailAndWebhookOncePerItemAndDay) {
    accept("E1", "3300000001", "P1", "2026-10-31T01:00:00Z");
    auto first = run();
    EXPECT_EQ(first->getValue<int>("notifications"), 1);
    EXPECT_EQ(first->getValue<int>("items_due"), 3);

    auto mail = smtp_->waitFor(1);
    ASSERT_EQ(mail.size(), 1u) << "one e-mail to the person";
    EXPECT_EQ(mail[0]->getArray("to")->getElement<std::string>(0), "zhangsan@example.com");
    EXPECT_EQ(mail[0]->getValue<std::string>("from"), "dangan@example.com");
    auto subject = mail[0]->getValue<std::string>("subject");
    EXPECT_NE(subject.find("待添加档案：3 份应归档资料尚未归档"), std::string::npos) << subject;
    auto body = mail[0]->getValue<std::string>("body");
    EXPECT_NE(body.find("3300000001 张伟 低压居民新装/受理 用电申请书"), std::string::npos) << body;
    EXPECT_NE(body.find("我的待办"), std::string::npos);

    // The webhook's first answer is 503: the delivery waits a minute and is tried again.
    auto posted = webhook_.waitFor(1);
    ASSERT_EQ(posted.size(), 1u);
    EXPECT_EQ(posted[0].answered, 503);
    setClock("2026-11-02T00:02:00Z");
    posted = webhook_.waitFor(2);
    ASSERT_EQ(posted.size(), 2u) << "retried after the pause";
    EXPECT_EQ(posted[1].delivery, posted[0].delivery) << "a retry carries the same delivery id";
    EXPECT_EQ(posted[1].signature, "sha256=" + hmacHex(kSecret, posted[1].body)) << "signed with the shared secret";
    auto hook = parseObject(posted[1].body);
    EXPECT_EQ(hook->getValue<std::string>("person"), "zhangsan");
    EXPECT_EQ(hook->getValue<std::string>("kind"), "to_add");
    EXPECT_EQ(hook->getValue<int>("items"), 3);
    EXPECT_EQ(hook->getValue<std::string>("day"), "2026-11-02");

    // On demand again the same day: nothing new, nothing sent.
    EXPECT_EQ(run()->getValue<int>("notifications"), 0);
    std::this_thread::sleep_for(std::chrono::seconds(2));
    EXPECT_EQ(smtp_->messages().size(), 1u) << "nothing twice for the same item and day";
    EXPECT_EQ(webhook_.posted().size(), 2u);

    // New items the same day: the daily run at 09:00 names only them.
    accept("E2", "3300000002", "P2", "2026-10-31T01:30:00Z");
    setClock("2026-11-02T01:30:00Z");  // 09:30 in China
    mail = smtp_->waitFor(2);
    ASSERT_EQ(mail.size(), 2u) << "the daily run came by itself";
    body = mail[1]->getValue<std::string>("body");
    EXPECT_NE(body.find("李娜"), std::string::npos);
    EXPECT_EQ(body.find("张伟"), std::string::npos) << "items notified already today are not repeated";

    // The next day the open items are due again: one reminder each day.
    setClock("2026-11-03T01:30:00Z");
    mail = smtp_->waitFor(3);
    ASSERT_EQ(mail.size(), 3u);
    EXPECT_NE(mail[2]->getValue<std::string>("subject").find("6 份"), std::string::npos) << "all six, now overdue";

    // The web: the person's own, an unread count, marked read (a day later: sessions have ended).
    zhangsan_->login("zhangsan", "Desk-Pass-2026");
    auditor_->login("jicha", "Desk-Pass-2026");
    admin_->login("admin", kAdminPassword);
    auto mine = parseObject(zhangsan_->get("/api/notifications?unread=1").body);
    EXPECT_EQ(mine->getValue<int>("unread"), 3);
    auto id = mine->getArray("notifications")->getObject(0)->getValue<std::int64_t>("id");
    auto other = signedInAs("lisi", {"staff"});
    EXPECT_EQ(other.get("/api/notifications/" + std::to_string(id)).status, 404) << "another person's notification";
    auto one = parseObject(auditor_->get("/api/notifications/" + std::to_string(id)).body);
    EXPECT_EQ(one->getArray("deliveries")->size(), 2u);
    auto read = zhangsan_->postJson("/api/notifications/read", "{}");
    ASSERT_EQ(read.status, 200) << read.body;
    EXPECT_EQ(parseObject(read.body)->getValue<int>("unread"), 0);
    EXPECT_EQ(zhangsan_->postJson("/api/notifications/run", "{}").status, 403) << "the day's run is the auditors'";
}

}  // namespace
}  // namespace dangan::testing
