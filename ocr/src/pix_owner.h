#pragma once
// Leptonica's owners (dangan/leptonica_owners.h) as the ocr module's sources name them.

#include "dangan/leptonica_owners.h"

namespace dangan::ocr {

using lept::BoxPtr;
using lept::PixPtr;

}  // namespace dangan::ocr
