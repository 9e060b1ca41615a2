#pragma once
// The owners of a Leptonica image and box, shared by the ocr module's sources.

#include <leptonica/allheaders.h>

#include <memory>

namespace dangan::ocr {

struct PixDeleter {
    void operator()(PIX* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

struct BoxDeleter {
    void operator()(BOX* box) const { boxDestroy(&box); }
};
using BoxPtr = std::unique_ptr<BOX, BoxDeleter>;

}  // namespace dangan::ocr
