// The web application's files as a browser gets them: gzip when asked for, validators (ETag,
// Last-Modified) and 304, the bundle named by its version and cached for good; every answer with
// the reason phrase of its status.
#include <gtest/gtest.h>

#include <Poco/InflatingStream.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "api_test_fixture.h"

namespace dangan::testing {
namespace {

struct Raw {
    int status = 0;
    std::string reason, body;
    Poco::Net::HTTPResponse response;
};

Raw fetch(int port, const std::string& path, const std::map<std::string, std::string>& headers = {}) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [k, v] : headers) request.set(k, v);
    session.sendRequest(request);
    Raw raw;
    std::istream& in = session.receiveResponse(raw.response);
    Poco::StreamCopier::copyToString(in, raw.body);
    raw.status = raw.response.getStatus();
    raw.reason = raw.response.getReason();
    return raw;
}

std::string gunzip(const std::string& bytes) {
    std::istringstream in(bytes);
    Poco::InflatingInputStream inflate(in, Poco::InflatingStreamBuf::STREAM_GZIP);
    std::string out;
    Poco::StreamCopier::copyToString(inflate, out);
    return out;
}

std::string onDisk(const std::string& name) {
    std::ifstream in(std::filesystem::path(DANGAN_BINARY).parent_path() / "webapp" / name, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

using StaticFilesApi = ApiTest;

TEST_F(StaticFilesApi, FilesAreCompressedValidatedAndTheBundleIsCachedByItsVersion) {
    int port = server_->port();
    auto page = fetch(port, "/", {{"Accept-Encoding", "gzip"}});
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(page.reason, "OK");
    EXPECT_EQ(page.response.get("Content-Encoding", ""), "gzip");
    EXPECT_EQ(page.response.get("Cache-Control", ""), "no-cache") << "the page itself is always revalidated";
    // The armour of the page: its own script only, never framed, no sniffing, no referrer.
    auto csp = page.response.get("Content-Security-Policy", "");
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos);
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_EQ(page.response.get("X-Content-Type-Options", ""), "nosniff");
    EXPECT_EQ(page.response.get("Referrer-Policy", ""), "no-referrer");
    std::string html = gunzip(page.body);
    std::smatch version;
    ASSERT_TRUE(std::regex_search(html, version, std::regex("src=\"app\\.js\\?v=([0-9a-f]{16})\""))) << html.substr(0, 400);

    auto script = fetch(port, "/app.js?v=" + version[1].str(), {{"Accept-Encoding", "gzip"}});
    ASSERT_EQ(script.status, 200);
    EXPECT_EQ(script.response.get("Cache-Control", ""), "public, max-age=31536000, immutable");
    EXPECT_EQ(gunzip(script.body), onDisk("app.js"));
    EXPECT_LT(script.body.size(), onDisk("app.js").size() / 2) << "compressed";
    EXPECT_FALSE(script.response.get("Last-Modified", "").empty());

    auto brotli = fetch(port, "/app.js?v=" + version[1].str(), {{"Accept-Encoding", "gzip, deflate, br"}});
    EXPECT_EQ(brotli.response.get("Content-Encoding", ""), "br") << "the build's brotli form, smaller still";
    EXPECT_EQ(brotli.body, onDisk("app.js.br"));
    EXPECT_LT(brotli.body.size(), script.body.size());

    auto plain = fetch(port, "/app.js");
    EXPECT_EQ(plain.body, onDisk("app.js")) << "no gzip unless asked for";
    EXPECT_EQ(plain.response.get("Cache-Control", ""), "no-cache") << "an unversioned name is revalidated";
    auto again = fetch(port, "/app.js", {{"If-None-Match", plain.response.get("ETag", "")}});
    EXPECT_EQ(again.status, 304);
    EXPECT_EQ(again.reason, "Not Modified");
    EXPECT_TRUE(again.body.empty());

    auto missing = fetch(port, "/api/customers/0000000000/efile");
    EXPECT_EQ(missing.status, 401);
    EXPECT_EQ(missing.response.get("Cache-Control", ""), "no-store") << "an API answer is never stored";
    EXPECT_EQ(missing.reason, "Unauthorized") << "an error's status line says what it is";
    EXPECT_EQ(fetch(port, "/nothing-here.js").reason, "Not Found");
}

}  // namespace
}  // namespace dangan::testing
