#pragma once
// Leptonica's owners (dangan/leptonica_owners.h) and decoding helpers, shared by the scanner's sources.

#include <memory>
#include <mutex>
#include <string_view>

#include "dangan/leptonica_owners.h"

namespace dangan::scanner {

using lept::LeptBytes;
using lept::PixPtr;

// Leptonica prints every decoding error to stderr; we report them ourselves as values.
inline void quietLeptonica() {
    static std::once_flag once;
    std::call_once(once, [] { setMsgSeverity(L_SEVERITY_NONE); });
}

inline const l_uint8* leptData(std::string_view bytes) { return reinterpret_cast<const l_uint8*>(bytes.data()); }

// Frame `index` of a JPEG, PNG or TIFF (`format` as Leptonica names it; 0 for JPEG and PNG), or
// null when the data is damaged or the file has fewer frames. A TIFF frame is found by its
// directory, without decoding the frames before it.
inline PixPtr decodeRasterFrame(std::string_view bytes, int format, int index) {
    if (format == IFF_JFIF_JPEG) {
        l_int32 warnings = 0;
        return PixPtr(pixReadMemJpeg(leptData(bytes), bytes.size(), 0, 1, &warnings, 0));
    }
    if (format == IFF_PNG) return PixPtr(pixReadMemPng(leptData(bytes), bytes.size()));
    return PixPtr(pixReadMemTiff(leptData(bytes), bytes.size(), index));
}

}  // namespace dangan::scanner
