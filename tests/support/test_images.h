#pragma once
// Scan-like page images made for the tests: a white page with a printed heading, text lines, a
// table grid and scanner noise, encoded as a real scanner would deliver it.

#include <cstdint>
#include <string>
#include <vector>

namespace dangan::testing {

struct PageSpec {
    int width = 1240;   // A4 at 150 dpi by default: small enough to keep tests quick
    int height = 1754;
    int dpi = 150;
    std::string text = "POWER SUPPLY APPLICATION";
    unsigned seed = 1;  // varies the layout and noise, so every page's bytes differ
};

std::string jpegPage(const PageSpec& spec, int quality = 80);
std::string pngPage(const PageSpec& spec);
// A multi-page TIFF; `bitonal` makes 1-bit G4 frames as document scanners deliver them.
std::string tiffPages(const std::vector<PageSpec>& pages, bool bitonal);

// An 8-bit grayscale image (rows of `width` bytes) encoded as PNG.
std::string grayPng(const std::vector<std::uint8_t>& pixels, int width, int height);

}  // namespace dangan::testing
