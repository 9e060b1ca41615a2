#include "dangan/notify/channels.h"

#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SMTPClientSession.h>
#include <Poco/SHA2Engine.h>
#include <Poco/URI.h>

#include <limits>
#include <sstream>
#include <stdexcept>

namespace dangan::notify {
namespace {

// HMACEngine needs an engine with a default constructor and BLOCK_SIZE / DIGEST_SIZE.
class Sha256 : public Poco::SHA2Engine {
public:
    enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
    Sha256() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};

}  // namespace

std::string signature(const std::string& secret, const std::string& body) {
    Poco::HMACEngine<Sha256> hmac(secret);
    hmac.update(body);
    return Poco::DigestEngine::digestToHex(hmac.digest());
}

std::optional<std::string> MailRelay::send(const storage::Notification& n, const storage::Delivery& delivery) {
    try {
        Poco::Net::MailMessage message;
        message.setSender(options_.from);
        message.addRecipient(Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, delivery.address));
        message.setSubject(Poco::Net::MailMessage::encodeWord("【档案】" + n.title, "UTF-8"));
        message.set("X-Dangan-Delivery", std::to_string(delivery.id));
        message.setContentType("text/plain; charset=UTF-8");
        message.setContent(n.body, Poco::Net::MailMessage::ENCODING_BASE64);
        Poco::Net::SMTPClientSession session(options_.host, static_cast<Poco::UInt16>(options_.port));
        session.setTimeout(Poco::Timespan(options_.timeout.count(), 0));
        session.login();
        session.sendMessage(message);
        session.close();
        return std::nullopt;
    } catch (const Poco::Exception& e) {
        return "mail relay " + options_.host + ":" + std::to_string(options_.port) + ": " + e.displayText();
    }
}

Webhook::Webhook(WebhookOptions options) : options_(std::move(options)) {
    Poco::URI uri(options_.url);
    if (uri.getScheme() != "http" || uri.getHost().empty())
        throw std::invalid_argument("the webhook must be an http:// URL with a host, not '" + options_.url + "'");
    if (options_.secret.empty()) throw std::invalid_argument("the webhook needs a shared secret (DANGAN_WEBHOOK_SECRET)");
}

std::optional<std::string> Webhook::send(const storage::Notification& n, const storage::Delivery& delivery) {
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("delivery_id", delivery.id);
    o.set("notification_id", n.id);
    o.set("day", n.day);
    o.set("person", n.person);
    o.set("kind", n.kind);
    o.set("items", n.items);
    o.set("overdue", n.overdue);
    o.set("title", n.title);
    o.set("body", n.body);
    std::ostringstream text;
    o.stringify(text);
    const std::string body = text.str();
    try {
        Poco::URI uri(options_.url);
        Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
        session.setTimeout(Poco::Timespan(options_.timeout.count(), 0));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathAndQuery().empty() ? "/" : uri.getPathAndQuery(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.setContentType("application/json; charset=utf-8");
        request.setContentLength(static_cast<std::streamsize>(body.size()));
        request.set("X-Dangan-Delivery", std::to_string(delivery.id));
        request.set("X-Dangan-Signature", "sha256=" + signature(options_.secret, body));
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        in.ignore(std::numeric_limits<std::streamsize>::max());
        if (response.getStatus() / 100 == 2) return std::nullopt;
        return "webhook answered " + std::to_string(response.getStatus()) + " " + response.getReason();
    } catch (const Poco::Exception& e) {
        return "webhook " + options_.url + ": " + e.displayText();
    }
}

}  // namespace dangan::notify
