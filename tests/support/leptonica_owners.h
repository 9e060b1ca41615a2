#pragma once
// Owners for Leptonica's allocations in the test fixtures' image makers.

#include <leptonica/allheaders.h>

#include <memory>
#include <string>

namespace dangan::testing {

struct PixDeleter {
    void operator()(PIX* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

// Copies bytes Leptonica allocated (an encoded image) and frees them.
inline std::string takeBytes(l_uint8* data, size_t size) {
    std::string out(reinterpret_cast<const char*>(data), size);
    lept_free(data);
    return out;
}

}  // namespace dangan::testing
