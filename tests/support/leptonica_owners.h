#pragma once
// Leptonica's owners (dangan/leptonica_owners.h) as the test fixtures' image makers name them.

#include <string>

#include "dangan/leptonica_owners.h"

namespace dangan::testing {

using lept::PixPtr;

// Copies bytes Leptonica allocated (an encoded image) and frees them.
inline std::string takeBytes(l_uint8* data, size_t size) {
    std::string out(reinterpret_cast<const char*>(data), size);
    lept_free(data);
    return out;
}

}  // namespace dangan::testing
