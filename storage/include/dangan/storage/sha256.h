#pragma once
// SHA-256 digests: the identity of every stored image and the links of the audit chain.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace dangan::storage {

using Digest = std::array<std::uint8_t, 32>;

// Incremental hasher. Not thread-safe; one per stream.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(std::span<const std::uint8_t> bytes);
    void update(std::string_view bytes);
    // Returns the digest; the hasher may not be updated afterwards.
    [[nodiscard]] Digest finish();

    [[nodiscard]] static Digest of(std::string_view bytes);

private:
    struct Context;
    std::unique_ptr<Context> context_;
};

[[nodiscard]] std::string toHex(const Digest& digest);
// Parses 64 lower- or upper-case hex characters.
[[nodiscard]] std::optional<Digest> digestFromHex(std::string_view hex);

}  // namespace dangan::storage
