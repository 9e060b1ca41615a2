#include "dangan/storage/sha256.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace dangan::storage {

struct Sha256::Context {
    EVP_MD_CTX* ctx = nullptr;
    ~Context() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : context_(std::make_unique<Context>()) {
    context_->ctx = EVP_MD_CTX_new();
    if (!context_->ctx || EVP_DigestInit_ex(context_->ctx, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("OpenSSL could not initialise SHA-256");
}

Sha256::~Sha256() = default;

void Sha256::update(std::span<const std::uint8_t> bytes) {
    if (EVP_DigestUpdate(context_->ctx, bytes.data(), bytes.size()) != 1)
        throw std::runtime_error("OpenSSL SHA-256 update failed");
}

void Sha256::update(std::string_view bytes) {
    update(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

Digest Sha256::finish() {
    Digest out{};
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(context_->ctx, out.data(), &len) != 1 || len != out.size())
        throw std::runtime_error("OpenSSL SHA-256 finish failed");
    return out;
}

Digest Sha256::of(std::string_view bytes) {
    Sha256 h;
    h.update(bytes);
    return h.finish();
}

std::string toHex(const Digest& digest) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s(64, '0');
    for (std::size_t i = 0; i < digest.size(); ++i) {
        s[2 * i] = kHex[digest[i] >> 4];
        s[2 * i + 1] = kHex[digest[i] & 0xF];
    }
    return s;
}

std::optional<Digest> digestFromHex(std::string_view hex) {
    if (hex.size() != 64) return std::nullopt;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    Digest d{};
    for (std::size_t i = 0; i < d.size(); ++i) {
        int hi = nibble(hex[2 * i]);
        int lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        d[i] = static_cast<std::uint8_t>(hi << 4 | lo);
    }
    return d;
}

}  // namespace dangan::storage
