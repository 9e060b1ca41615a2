#pragma once
// The one owner for each of Leptonica's C handles, for every module that works on images (the
// scanner, OCR, and the tests' page makers): an image (PIX), a box (BOX), and bytes Leptonica
// allocated (an encoded image).

#include <leptonica/allheaders.h>

#include <cstddef>
#include <memory>
#include <string>

namespace dangan::lept {

struct PixDeleter {
    void operator()(PIX* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

struct BoxDeleter {
    void operator()(BOX* box) const { boxDestroy(&box); }
};
using BoxPtr = std::unique_ptr<BOX, BoxDeleter>;

// Bytes written by Leptonica (pixWriteMem*), freed with lept_free.
struct LeptBytes {
    l_uint8* data = nullptr;
    size_t size = 0;
    LeptBytes() = default;
    LeptBytes(const LeptBytes&) = delete;
    LeptBytes& operator=(const LeptBytes&) = delete;
    ~LeptBytes() { lept_free(data); }

    [[nodiscard]] std::string text() const { return {reinterpret_cast<const char*>(data), size}; }
};

}  // namespace dangan::lept
