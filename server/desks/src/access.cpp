#include "dangan/desks/access.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace dangan::server {
namespace {

constexpr int kIterations = 120000;

std::string hex(const unsigned char* p, std::size_t n) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s;
    for (std::size_t i = 0; i < n; ++i) {
        s += kHex[p[i] >> 4];
        s += kHex[p[i] & 0xF];
    }
    return s;
}

std::vector<unsigned char> unhex(std::string_view s) {
    std::vector<unsigned char> out;
    if (s.size() % 2) return out;
    for (std::size_t i = 0; i < s.size(); i += 2) {
        auto v = std::stoul(std::string(s.substr(i, 2)), nullptr, 16);
        out.push_back(static_cast<unsigned char>(v));
    }
    return out;
}

void randomBytes(unsigned char* p, int n) {
    if (RAND_bytes(p, n) != 1) throw std::runtime_error("OpenSSL has no randomness");
}

std::array<unsigned char, 32> derive(std::string_view password, const std::vector<unsigned char>& salt,
                                     int iterations) {
    std::array<unsigned char, 32> out{};
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                          static_cast<int>(salt.size()), iterations, EVP_sha256(),
                          static_cast<int>(out.size()), out.data()) != 1)
        throw std::runtime_error("PBKDF2 failed");
    return out;
}

}  // namespace

const std::vector<std::string>& knownRoles() {
    static const std::vector<std::string> kRoles{"admin",    "archivist", "auditor",        "staff",
                                                 "approver", "marketing", "security_admin", "audit_admin"};
    return kRoles;
}

bool hasRole(const storage::User& user, std::string_view role) {
    return std::find(user.roles.begin(), user.roles.end(), role) != user.roles.end();
}

bool isKnownRole(std::string_view role) {
    const auto& roles = knownRoles();
    return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool allows(const storage::User& user, Permission permission, bool dutiesSeparated) {
    if (user.disabled) return false;
    if (hasRole(user, "admin") &&
        (!dutiesSeparated || permission == Permission::ManageRules || permission == Permission::ReadRules))
        return true;
    switch (permission) {
        case Permission::ReadArchive:
        case Permission::RequestLoan:
            return hasRole(user, "archivist") || hasRole(user, "auditor") || hasRole(user, "staff") ||
                   hasRole(user, "approver");
        case Permission::FileDocuments:
            return hasRole(user, "archivist") || hasRole(user, "staff");
        case Permission::ImportCustomers:
        case Permission::CurateArchive:
        case Permission::KeepPaper:
            return hasRole(user, "archivist");
        case Permission::SeeReminders:
            return hasRole(user, "archivist") || hasRole(user, "staff") || hasRole(user, "auditor");
        case Permission::ApproveLoan:
            return hasRole(user, "approver");
        case Permission::ReadAuditLog:
            return hasRole(user, "auditor") || hasRole(user, "audit_admin");
        case Permission::ReadRules:
            return hasRole(user, "archivist") || hasRole(user, "auditor") || hasRole(user, "security_admin");
        case Permission::ReadCompleteness:
            return hasRole(user, "archivist") || hasRole(user, "auditor");
        case Permission::RunAudits:
            return hasRole(user, "auditor");
        case Permission::ReportEvents:
            return hasRole(user, "marketing");
        case Permission::CancelProcesses:
            return hasRole(user, "marketing") || hasRole(user, "auditor");
        case Permission::ManageUsers:
        case Permission::ManageRules:
            return hasRole(user, "security_admin");
    }
    return false;
}

std::string hashPassword(std::string_view password) {
    std::vector<unsigned char> salt(16);
    randomBytes(salt.data(), static_cast<int>(salt.size()));
    auto key = derive(password, salt, kIterations);
    return "pbkdf2-sha256$" + std::to_string(kIterations) + "$" + hex(salt.data(), salt.size()) +
           "$" + hex(key.data(), key.size());
}

bool verifyPassword(std::string_view password, std::string_view stored) {
    // pbkdf2-sha256$<iterations>$<salt>$<hash>
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        auto end = stored.find('$', start);
        parts.push_back(stored.substr(start, end - start));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    if (parts.size() != 4 || parts[0] != "pbkdf2-sha256") return false;
    int iterations = 0;
    try {
        iterations = std::stoi(std::string(parts[1]));
    } catch (...) {
        return false;
    }
    auto salt = unhex(parts[2]);
    auto expected = unhex(parts[3]);
    if (iterations <= 0 || salt.empty() || expected.size() != 32) return false;
    auto actual = derive(password, salt, iterations);
    return CRYPTO_memcmp(actual.data(), expected.data(), actual.size()) == 0;
}

std::string newToken() {
    unsigned char bytes[32];
    randomBytes(bytes, sizeof bytes);
    return hex(bytes, sizeof bytes);
}

storage::Digest tokenDigest(std::string_view token) { return storage::Sha256::of(token); }

std::string newPassword(int length) {
    static constexpr std::string_view kAlphabet =
        "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    std::string out;
    std::vector<unsigned char> bytes(static_cast<std::size_t>(length));
    randomBytes(bytes.data(), length);
    for (unsigned char b : bytes) out += kAlphabet[b % kAlphabet.size()];
    return out;
}

}  // namespace dangan::server
