#pragma once
// Realistic scanned customer papers for the tests: Chinese forms typeset with libharu in a Debian
// CJK font, rendered by Poppler's pdftoppm as a scanner would see them, then damaged as scans
// are (turned, skewed, blurred, speckled, JPEG-compressed); and blank backs of sheets.

#include <string>
#include <utility>
#include <vector>

namespace dangan::testing {

struct FormSpec {
    std::string title;                                        // e.g. 用电申请书
    std::vector<std::pair<std::string, std::string>> fields;  // label, value
    unsigned seed = 1;                                        // varies the body text
};

// One A4 page per form.
std::string formPdf(const std::vector<FormSpec>& forms);

// Every page of a PDF rendered by pdftoppm as 8-bit gray PNG at `dpi`.
std::vector<std::string> renderPdfPages(const std::string& pdf, int dpi);

struct ScanDamage {
    int quarters = 0;          // turned clockwise by 90° this many times
    double skewDegrees = 0;    // then skewed
    bool blur = false;
    double speckles = 0.0005;  // share of pixels flipped to dark
    int jpegQuality = 80;
    unsigned seed = 1;
    double unevenLight = 0;  // 0..0.5: how much darker one corner is than the opposite one
};

// A page image (PNG) scanned again with damage, delivered as JPEG.
std::string damagedScan(const std::string& png, const ScanDamage& damage);

// Images (any format Leptonica reads) as one multi-page TIFF, as a scanner's scan-to-folder
// delivers a job: bitonal pages G4-compressed, gray ones zip-compressed.
std::string multiPageTiff(const std::vector<std::string>& images);

// JPEG scans as a PDF of scanned images, one A4-sized page each, as a scanner's scan-to-PDF writes.
std::string scannedPdf(const std::vector<std::string>& jpegs);

// The back of a single-sided sheet: paper tone, speckles, faint show-through. JPEG.
std::string blankBack(int width, int height, int dpi, unsigned seed);

}  // namespace dangan::testing
