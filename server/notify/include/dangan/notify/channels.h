#pragma once
// The ways a notification leaves the archive: e-mail through a mail relay (Poco's SMTP client),
// and a webhook for the company's messaging system: a JSON POST signed with a shared secret
// (HMAC-SHA256 of the body, hex, in X-Dangan-Signature: sha256=...), with the delivery's id in
// X-Dangan-Delivery so that the receiver can tell a retry from a new message.

#include <chrono>
#include <string>

#include "dangan/desks/notification_desk.h"

namespace dangan::notify {

struct MailRelayOptions {
    std::string host;             // the relay, e.g. 127.0.0.1
    int port = 25;
    std::string from;             // the sender address, e.g. dangan@example.com
    std::chrono::seconds timeout{20};
};

class MailRelay final : public server::DeliveryChannel {
public:
    explicit MailRelay(MailRelayOptions options) : options_(std::move(options)) {}
    [[nodiscard]] std::optional<std::string> send(const storage::Notification& notification,
                                                  const storage::Delivery& delivery) override;

private:
    MailRelayOptions options_;
};

struct WebhookOptions {
    std::string url;              // http://host:port/path
    std::string secret;           // the shared secret (from the environment, never the command line)
    std::chrono::seconds timeout{10};
};

class Webhook final : public server::DeliveryChannel {
public:
    // Throws std::invalid_argument for a URL that is not http://host[:port]/path.
    explicit Webhook(WebhookOptions options);
    [[nodiscard]] std::optional<std::string> send(const storage::Notification& notification,
                                                  const storage::Delivery& delivery) override;

private:
    WebhookOptions options_;
};

// HMAC-SHA256 of `body` under `secret`, lower-case hex.
[[nodiscard]] std::string signature(const std::string& secret, const std::string& body);

}  // namespace dangan::notify
