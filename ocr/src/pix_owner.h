#pragma once
// The owner of a Leptonica image, shared by the ocr module's sources.

#include <leptonica/allheaders.h>

#include <memory>

namespace dangan::ocr {

struct PixDeleter {
    void operator()(PIX* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

}  // namespace dangan::ocr
