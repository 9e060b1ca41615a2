// The printed paper read back as a scanner would see it: PDFs rendered by Poppler's pdftoppm,
// barcodes read by the reader the batches use, Chinese text checked by pdftotext and Tesseract.
#include "dangan/print/printed_sheets.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <regex>

#include "dangan/barcode/own_code.h"
#include "dangan/scanner/page_image.h"
#include "scanned_forms.h"
#include "server_process.h"

namespace dangan::barcode {
namespace {

using namespace dangan::print;
using dangan::testing::runCommand;
using dangan::testing::TempDir;

std::string writePdf(const TempDir& dir, const std::string& name, const std::string& bytes) {
    auto path = (dir.path() / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

// Page `page` (1-based) of the PDF as a grayscale PNG at `dpi`.
std::string rendered(const TempDir& dir, const std::string& pdf, int page, int dpi) {
    auto prefix = (dir.path() / ("render-" + std::to_string(page))).string();
    auto r = runCommand({"pdftoppm", "-gray", "-png", "-r", std::to_string(dpi), "-f", std::to_string(page), "-l",
                         std::to_string(page), "-singlefile", pdf, prefix});
    EXPECT_EQ(r.status, 0);
    return scanner::readFile(prefix + ".png");
}

std::vector<std::string> ownCodesOn(const std::string& png) {
    auto frames = scanner::findBarcodes(png, {});
    EXPECT_TRUE(frames);
    std::vector<std::string> texts;
    if (frames)
        for (const auto& code : frames->at(0))
            if (parseOwnCode(code.text)) texts.push_back(code.text);
    return texts;
}

CoverSheet sampleCover() {
    CoverSheet sheet;
    sheet.code = encodeOwnCode({OwnCodeKind::CoverSheet, {"17", "3300000001", "101"}}).value();
    sheet.accountNo = "3300000001";
    sheet.customerName = "福州市鼓楼区张三建材经营部";
    sheet.address = "福建省福州市鼓楼区五四路 158 号";
    sheet.processType = "低压非居民新装";
    sheet.applicationNo = "SQ202611230001";
    sheet.sheetNo = "17";
    sheet.printedBy = "档案员 李四";
    sheet.printedAt = "2026-11-23 10:30";
    sheet.checklist = {{"受理", {"用电申请书", "营业执照复印件", "经办人身份证复印件"}},
                       {"装表接电", {"装表接电工作单"}}};
    return sheet;
}

TEST(PrintedSheets, CoverSheetCarriesItsCodeAndChineseText) {
    TempDir dir;
    CoverSheet sheet = sampleCover();
    auto pdf = coverSheetPdf(std::span(&sheet, 1), {});
    ASSERT_TRUE(pdf) << pdf.error();
    EXPECT_TRUE(pdf->starts_with("%PDF-"));
    auto file = writePdf(dir, "cover.pdf", *pdf);

    for (int dpi : {200, 300}) EXPECT_EQ(ownCodesOn(rendered(dir, file, 1, dpi)), std::vector{sheet.code}) << dpi;

    auto text = runCommand({"pdftotext", "-enc", "UTF-8", file, "-"});
    ASSERT_EQ(text.status, 0);
    for (const auto& expected : {"一户一档 扫描封面", "3300000001", "福州市鼓楼区张三建材经营部", "低压非居民新装",
                                 "营业执照复印件", "装表接电工作单", "SQ202611230001"})
        EXPECT_NE(text.output.find(expected), std::string::npos) << expected;

    // The font is embedded, so the sheet prints the same on any machine.
    auto fonts = runCommand({"pdffonts", file});
    EXPECT_NE(fonts.output.find("CID TrueType"), std::string::npos) << fonts.output;
    EXPECT_NE(fonts.output.find(" yes yes "), std::string::npos) << fonts.output;
}

TEST(PrintedSheets, BarcodeCommandReadsEveryPageOfAScannedPdf) {
    // Two separators printed, scanned (one turned a quarter, one skewed) and delivered as one
    // PDF of scanned images, the way scan-to-PDF writes it.
    TempDir dir;
    std::vector<SeparatorSheet> sheets{{encodeOwnCode({OwnCodeKind::Separator, {"001"}}).value(), "用电申请书"},
                                       {encodeOwnCode({OwnCodeKind::Separator, {"002"}}).value(), "居民身份证复印件"}};
    auto pdf = separatorSheetPdf(sheets, {});
    ASSERT_TRUE(pdf) << pdf.error();
    auto printed = writePdf(dir, "separators.pdf", *pdf);
    auto scanned = dangan::testing::scannedPdf({dangan::testing::damagedScan(rendered(dir, printed, 1, 200), {1, 0, false, 0.0005, 80, 1}),
                                                dangan::testing::damagedScan(rendered(dir, printed, 2, 200), {0, -3.0, false, 0.0005, 80, 2})});
    auto file = writePdf(dir, "scan.pdf", scanned);
    auto r = runCommand({dangan::testing::danganBinary(), "barcodes", file});
    ASSERT_EQ(r.status, 0) << r.output;
    std::vector<std::string> lines;
    std::istringstream out(r.output);
    for (std::string line; std::getline(out, line);) lines.push_back(line.substr(0, line.rfind('\t')));
    EXPECT_EQ(lines, (std::vector<std::string>{file + "#1\tQRCode\t" + sheets[0].code, file + "#2\tQRCode\t" + sheets[1].code}));
}

TEST(PrintedSheets, SeparatorGlyphsRenderAsChinese) {
    TempDir dir;
    SeparatorSheet sheet{encodeOwnCode({OwnCodeKind::Separator, {"001"}}).value(), "用电申请书"};
    auto pdf = separatorSheetPdf(std::span(&sheet, 1), {});
    ASSERT_TRUE(pdf) << pdf.error();
    auto file = writePdf(dir, "separator.pdf", *pdf);
    EXPECT_EQ(ownCodesOn(rendered(dir, file, 1, 200)), std::vector{sheet.code});
    // What a reader sees, not what the text layer claims: OCR of the rendered page.
    auto png = dir.path() / "render-1.png";
    auto ocr = runCommand({"tesseract", png.string(), "-", "-l", "chi_sim", "--psm", "3"});
    ASSERT_EQ(ocr.status, 0);
    std::string seen;
    for (char c : ocr.output)
        if (c != ' ') seen += c;
    EXPECT_NE(seen.find("文件分隔页"), std::string::npos) << ocr.output;
    EXPECT_NE(seen.find("新文件从下一页开始"), std::string::npos) << ocr.output;
    EXPECT_NE(seen.find("申请书"), std::string::npos) << ocr.output;
}

TEST(PrintedSheets, LabelSheetsHoldTwentyFourLabelsAndSkipUsedOnes) {
    TempDir dir;
    std::vector<Label> labels;
    for (int i = 1; i <= 30; ++i)
        labels.push_back({encodeOwnCode({OwnCodeKind::Document, {std::to_string(1000 + i)}}).value(),
                          {"J001-YK·2026-D30-YXB-" + std::to_string(1000 + i), "3300000001 张三", "用电申请书"}});
    auto pdf = labelSheetPdf(labels, 3, {});
    ASSERT_TRUE(pdf) << pdf.error();
    auto file = writePdf(dir, "labels.pdf", *pdf);
    auto info = runCommand({"pdfinfo", file});
    EXPECT_TRUE(std::regex_search(info.output, std::regex("Pages: +2\n"))) << info.output;  // 3 skipped + 30 > 24

    // Each label as a handheld scanner sees it: one 70 x 37 mm cell of the sheet at 300 dpi.
    std::vector<std::string> read;
    for (int page : {1, 2}) {
        auto sheet = scanner::decodeGray(rendered(dir, file, page, 300), 0).value();
        for (int cell = 0; cell < kLabelsPerSheet; ++cell) {
            int cellWidth = sheet.width / 3, cellHeight = sheet.height / 8;
            const std::uint8_t* origin = sheet.pixels.data() + static_cast<std::size_t>(cell / 3) * cellHeight * sheet.width +
                                         static_cast<std::size_t>(cell % 3) * cellWidth;
            auto codes = readBarcodes({origin, cellWidth, cellHeight, sheet.width});
            if (page == 1 && cell < 3) {
                EXPECT_TRUE(codes.empty()) << "skipped label " << cell << " is blank";
                continue;
            }
            if (page == 2 && cell >= 9) continue;  // 30 labels = 21 + 9
            ASSERT_EQ(codes.size(), 1u) << "page " << page << " cell " << cell;
            read.push_back(codes[0].text);
        }
    }
    std::vector<std::string> expected;
    for (const auto& l : labels) expected.push_back(l.code);
    EXPECT_EQ(read, expected);
}

TEST(PrintedSheets, MissingFontIsAClearError) {
    SeparatorSheet sheet{"DGS-001-X", "用电申请书"};
    auto pdf = separatorSheetPdf(std::span(&sheet, 1), {"/nonexistent/font.ttf"});
    ASSERT_FALSE(pdf);
    EXPECT_NE(pdf.error().find("/nonexistent/font.ttf"), std::string::npos);
}

}  // namespace
}  // namespace dangan::barcode
