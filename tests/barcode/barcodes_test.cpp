// Reading codes the project's own writer printed, and codes printed by zint (Debian's independent
// encoder), through the same path a scanned page takes (file bytes -> decode -> read).
#include "dangan/barcode/barcodes.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "dangan/scanner/page_image.h"
#include "server_process.h"
#include "test_images.h"

namespace dangan::barcode {
namespace {

// The image turned a quarter clockwise, `quarters` times.
GrayImage rotated(const GrayImage& in, int quarters) {
    GrayImage out = in;
    for (int q = 0; q < quarters; ++q) {
        GrayImage next{out.height, out.width, std::vector<std::uint8_t>(out.pixels.size())};
        for (int y = 0; y < out.height; ++y)
            for (int x = 0; x < out.width; ++x)
                next.pixels[static_cast<std::size_t>(x) * next.width + (out.height - 1 - y)] =
                    out.pixels[static_cast<std::size_t>(y) * out.width + x];
        out = std::move(next);
    }
    return out;
}

// Places the symbol on a larger white page, as a label on a sheet.
GrayImage onPage(const GrayImage& symbol, int width, int height, int x0, int y0) {
    GrayImage page{width, height, std::vector<std::uint8_t>(static_cast<std::size_t>(width) * height, 255)};
    for (int y = 0; y < symbol.height; ++y)
        for (int x = 0; x < symbol.width; ++x)
            page.pixels[static_cast<std::size_t>(y0 + y) * width + x0 + x] = symbol.pixels[static_cast<std::size_t>(y) * symbol.width + x];
    return page;
}

std::vector<FoundBarcode> readPng(const std::string& png) {
    auto frames = scanner::findBarcodes(png, {});
    EXPECT_TRUE(frames) << (frames ? "" : frames.error().message);
    return frames ? frames->at(0) : std::vector<FoundBarcode>{};
}

TEST(Barcodes, OwnCodesReadBackAtEveryOrientation) {
    struct Case {
        Symbology symbology;
        std::string text;
        int pageWidth, pageHeight;
    };
    // What dangan prints on pages: Code 128 and QR. ZXing-cpp 1.4's Data Matrix detector misses
    // even a crisp rendered symbol on a white page depending on where it stands (ZXingReader
    // does too), so dangan prints QR for 2-D codes; Data Matrix reading is tested on zint's
    // codes and ZXing's published samples.
    const std::vector<Case> codes{
        {Symbology::Code128, "DA1J001-YK-2026-D30-0001", 1000, 800},
        {Symbology::QRCode, "DGC|3350100065|高压新装|S000123|7", 1000, 800},
    };
    for (const auto& [symbology, text, pageWidth, pageHeight] : codes) {
        auto symbol = renderBarcode(symbology, text, symbology == Symbology::Code128 ? 600 : 240,
                                    symbology == Symbology::Code128 ? 120 : 240);
        ASSERT_TRUE(symbol) << symbol.error();
        auto page = onPage(*symbol, pageWidth, pageHeight, 150, 200);
        for (int quarters = 0; quarters < 4; ++quarters) {
            auto turned = rotated(page, quarters);
            auto found = readPng(testing::grayPng(turned.pixels, turned.width, turned.height));
            ASSERT_EQ(found.size(), 1u) << symbologyName(symbology) << " turned " << quarters * 90;
            EXPECT_EQ(found[0].text, text);
            EXPECT_EQ(found[0].symbology, symbology);
        }
    }
}

TEST(Barcodes, PositionIsWhereTheSymbolWasPrinted) {
    auto symbol = renderBarcode(Symbology::QRCode, "position", 200, 200, 0);
    ASSERT_TRUE(symbol);
    auto page = onPage(*symbol, 800, 600, 500, 300);
    auto found = readBarcodes(page.view());
    ASSERT_EQ(found.size(), 1u);
    for (const auto& corner : found[0].corners) {
        EXPECT_GE(corner.x, 495);
        EXPECT_LE(corner.x, 705);
        EXPECT_GE(corner.y, 295);
        EXPECT_LE(corner.y, 505);
    }
}

TEST(Barcodes, EveryCodeOnAPageIsFound) {
    // A cover sheet with its own code beside a meter's and a licence's codes.
    GrayImage page{1200, 1000, std::vector<std::uint8_t>(1200u * 1000u, 255)};
    auto paste = [&](const GrayImage& symbol, int x0, int y0) {
        for (int y = 0; y < symbol.height; ++y)
            std::copy_n(symbol.pixels.begin() + static_cast<std::ptrdiff_t>(y) * symbol.width, symbol.width,
                        page.pixels.begin() + static_cast<std::ptrdiff_t>(y0 + y) * page.width + x0);
    };
    paste(*renderBarcode(Symbology::Code128, "J001-YK-2026-D30-0001", 500, 100), 50, 50);
    paste(*renderBarcode(Symbology::Code128, "METER-8812345", 400, 100), 650, 400);
    paste(*renderBarcode(Symbology::QRCode, "DGC|3350100065|ZR|S1|5", 220, 220), 100, 700);
    std::set<std::string> texts;
    for (const auto& code : readBarcodes(page.view())) texts.insert(code.text);
    EXPECT_EQ(texts, (std::set<std::string>{"J001-YK-2026-D30-0001", "METER-8812345", "DGC|3350100065|ZR|S1|5"}));
}

TEST(Barcodes, SmallQrLabelIsFoundAtTwiceTheSize) {
    // One pixel per module: what a 1 cm label looks like in a 200-dpi scan.
    auto symbol = renderBarcode(Symbology::QRCode, "DGC|3350100065|增容|S9|3", 1, 1, 2);
    ASSERT_TRUE(symbol);
    ASSERT_LT(symbol->width, 40);
    auto page = onPage(*symbol, 400, 300, 100, 100);
    auto found = readBarcodes(page.view());
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].text, "DGC|3350100065|增容|S9|3");
}

TEST(Barcodes, BlankPageHasNoCode) {
    auto page = onPage(GrayImage{1, 1, {255}}, 600, 800, 0, 0);
    EXPECT_TRUE(readBarcodes(page.view()).empty());
    auto scanned = testing::jpegPage({.width = 620, .height = 877, .dpi = 75, .seed = 3});
    EXPECT_TRUE(readPng(scanned).empty());
}

TEST(Barcodes, OnlyTheArchiveSymbologiesArePrinted) {
    EXPECT_FALSE(renderBarcode(Symbology::Other, "x", 100, 100));
    EXPECT_FALSE(renderBarcode(Symbology::Code128, "不是ASCII", 300, 80));
    auto chinese = renderBarcode(Symbology::DataMatrix, "用电申请书", 200, 200);
    ASSERT_FALSE(chinese);
    EXPECT_NE(chinese.error().find("DataMatrix"), std::string::npos);
    EXPECT_TRUE(renderBarcode(Symbology::QRCode, "用电申请书", 200, 200));
}

TEST(Barcodes, CodesPrintedByZintAreRead) {
    testing::TempDir dir;
    const std::vector<std::tuple<std::string, std::string, Symbology>> cases{
        {"20", "J001-YK-2026-D30-0042", Symbology::Code128},    // zint's barcode type numbers
        {"58", "DGC|3362979298|过户|S000777|5", Symbology::QRCode},
        {"71", "DGS|供用电合同|9", Symbology::DataMatrix},  // UTF-8 through ECI 26, edge to edge
        {"71", "DGS|DT0042|9", Symbology::DataMatrix},
    };
    for (const auto& [type, text, symbology] : cases) {
        auto file = (dir.path() / ("zint-" + type + ".png")).string();
        auto printed = testing::runCommand({"/usr/bin/zint", "-b", type, "--scale=2", "-o", file, "-d", text});
        ASSERT_EQ(printed.status, 0) << "zint failed for type " << type;
        auto found = readPng(scanner::readFile(file));
        ASSERT_EQ(found.size(), 1u) << text;
        EXPECT_EQ(found[0].text, text);
        EXPECT_EQ(found[0].symbology, symbology);
    }
}

TEST(BarcodesCommand, PrintsOneLinePerCodeAndNothingForAPageWithout) {
    testing::TempDir dir;
    auto symbol = renderBarcode(Symbology::Code128, "J001-YK-2026-D30-0007", 500, 100);
    ASSERT_TRUE(symbol);
    auto page = onPage(*symbol, 800, 400, 100, 100);
    auto withCode = dir.path() / "with.png";
    auto without = dir.path() / "without.jpg";
    std::ofstream(withCode, std::ios::binary) << testing::grayPng(page.pixels, page.width, page.height);
    std::ofstream(without, std::ios::binary) << testing::jpegPage({.width = 400, .height = 500, .dpi = 75});
    auto run = testing::runCommand({testing::danganBinary(), "barcodes", withCode.string(), without.string()});
    EXPECT_EQ(run.status, 0);
    EXPECT_TRUE(run.output.starts_with(withCode.string() + "\tCode128\tJ001-YK-2026-D30-0007\t")) << run.output;
    EXPECT_EQ(std::count(run.output.begin(), run.output.end(), '\n'), 1);
    auto broken = testing::runCommand({testing::danganBinary(), "barcodes", (dir.path() / "missing.png").string()});
    EXPECT_EQ(broken.status, 1);
    EXPECT_TRUE(broken.output.empty());
}

}  // namespace
}  // namespace dangan::barcode
