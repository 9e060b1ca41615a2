// HTTPS (issue 26): `dangan serve --tls-cert --tls-key` with a certificate the test makes with
// OpenSSL answers over TLS 1.2 or later with HSTS, refuses plain HTTP and older TLS on its port, and
// refuses to start on a certificate it cannot use.
#include <gtest/gtest.h>

#include <Poco/Net/AcceptCertificateHandler.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>

#include <fstream>

#include "server_process.h"

namespace dangan::testing {
namespace {

struct Answer {
    int status = 0;
    std::string body;
    std::string hsts;
};

class TlsServer : public ::testing::Test {
protected:
    static void SetUpTestSuite() { Poco::Net::initializeSSL(); }
    static void TearDownTestSuite() { Poco::Net::uninitializeSSL(); }

    void SetUp() override {
        auto made = runCommand({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key().string(), "-out",
                                cert().string(), "-subj", "/CN=127.0.0.1", "-days", "2", "-addext", "subjectAltName=IP:127.0.0.1"});
        ASSERT_EQ(made.status, 0) << "openssl could not make the test's certificate";
    }

    std::filesystem::path cert() const { return dir_.path() / "cert.pem"; }
    std::filesystem::path key() const { return dir_.path() / "key.pem"; }

    // A client that trusts the test's certificate alone (verified, as a browser would).
    Poco::Net::Context::Ptr trusting(int disabled = 0) const {
        Poco::Net::Context::Ptr context =
            new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", cert().string(), Poco::Net::Context::VERIFY_STRICT);
        if (disabled) context->disableProtocols(disabled);
        return context;
    }

    Answer send(Poco::Net::HTTPClientSession& session, const std::string& method, const std::string& path,
                const std::string& body = "", const std::string& token = "") const {
        Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
        if (!token.empty()) request.set("Authorization", "Bearer " + token);
        if (!body.empty()) {
            request.setContentType("application/json");
            request.setContentLength(static_cast<std::streamsize>(body.size()));
        }
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        Answer answer;
        Poco::StreamCopier::copyToString(session.receiveResponse(response), answer.body);
        answer.status = response.getStatus();
        answer.hsts = response.get("Strict-Transport-Security", "");
        return answer;
    }

    TempDir dir_;
};

TEST_F(TlsServer, AnswersOverTlsWithHstsAndRefusesPlainHttpAndOldTls) {
    ServerProcess server(dir_.path() / "data", {"--ocr-workers", "-1", "--tls-cert", cert().string(), "--tls-key", key().string()});
    server.start();

    Poco::Net::HTTPSClientSession https("127.0.0.1", static_cast<Poco::UInt16>(server.port()), trusting());
    auto health = send(https, "GET", "/api/health");
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(health.hsts, "max-age=31536000");
    auto login = send(https, "POST", "/api/login", std::string(R"({"username":"admin","password":")") + kAdminPassword + "\"}");
    ASSERT_EQ(login.status, 200) << login.body;
    auto token = login.body.substr(login.body.find("\"token\":\"") + 9, 64);
    EXPECT_EQ(send(https, "GET", "/api/me", "", token).status, 200) << "signed in over TLS";

    // Plain HTTP to the same port: no answer, the handshake fails and the connection is closed.
    Poco::Net::HTTPClientSession plain("127.0.0.1", static_cast<Poco::UInt16>(server.port()));
    plain.setTimeout(Poco::Timespan(5, 0));
    EXPECT_ANY_THROW(send(plain, "GET", "/api/health"));
    // TLS 1.1 and older: refused.
    Poco::Net::HTTPSClientSession old("127.0.0.1", static_cast<Poco::UInt16>(server.port()),
                                      trusting(Poco::Net::Context::PROTO_TLSV1_2 | Poco::Net::Context::PROTO_TLSV1_3));
    EXPECT_ANY_THROW(send(old, "GET", "/api/health"));
}

TEST_F(TlsServer, ACertificateItCannotUseStopsTheStartWithOneLine) {
    std::ofstream(dir_.path() / "broken.pem") << "not a certificate\n";
    auto broken = runCommand({danganBinary(), "serve", "--data", (dir_.path() / "data").string(), "--port", "0", "--host",
                              "127.0.0.1", "--tls-cert", (dir_.path() / "broken.pem").string(), "--tls-key", key().string()});
    EXPECT_EQ(broken.status, 78);
    auto half = runCommand({danganBinary(), "serve", "--data", (dir_.path() / "data").string(), "--tls-cert", cert().string()});
    EXPECT_EQ(half.status, 64);
}

}  // namespace
}  // namespace dangan::testing
