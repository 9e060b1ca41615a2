#pragma once
// Owners for Leptonica's C handles, shared by the scanner's sources.

#include <leptonica/allheaders.h>

#include <memory>
#include <mutex>
#include <string_view>

namespace dangan::scanner {

struct PixDeleter {
    void operator()(PIX* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

struct LeptBytes {
    l_uint8* data = nullptr;
    size_t size = 0;
    LeptBytes() = default;
    LeptBytes(const LeptBytes&) = delete;
    LeptBytes& operator=(const LeptBytes&) = delete;
    ~LeptBytes() { lept_free(data); }
};

// Leptonica prints every decoding error to stderr; we report them ourselves as values.
inline void quietLeptonica() {
    static std::once_flag once;
    std::call_once(once, [] { setMsgSeverity(L_SEVERITY_NONE); });
}

inline const l_uint8* leptData(std::string_view bytes) { return reinterpret_cast<const l_uint8*>(bytes.data()); }

}  // namespace dangan::scanner
