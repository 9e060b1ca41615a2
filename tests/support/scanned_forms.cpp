#include "scanned_forms.h"

#include <hpdf.h>
#include <leptonica/allheaders.h>

#include "leptonica_owners.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <stdexcept>

#include "server_process.h"

namespace dangan::testing {
namespace {

constexpr const char* kFont = "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf";

const char* kBody[] = {
    "申请人承诺以上所填内容真实有效，如有不实，愿承担相应责任。",
    "供电企业应按规定时限答复供电方案，并组织竣工检验和装表接电。",
    "用电人应按时足额交纳电费，不得擅自改变用电类别或增加容量。",
    "本表一式两份，供电企业与用电人各执一份，自签字盖章之日起生效。",
    "请携带有效身份证明原件及复印件，到营业厅办理相关手续。",
};

}  // namespace

std::string formPdf(const std::vector<FormSpec>& forms) {
    std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, void (*)(HPDF_Doc)> pdf(HPDF_New(nullptr, nullptr),
                                                                               [](HPDF_Doc d) { HPDF_Free(d); });
    HPDF_UseUTFEncodings(pdf.get());
    HPDF_SetCurrentEncoder(pdf.get(), "UTF-8");
    const char* name = HPDF_LoadTTFontFromFile(pdf.get(), kFont, HPDF_TRUE);
    if (!name) throw std::runtime_error("cannot load font for test forms");
    HPDF_Font font = HPDF_GetFont(pdf.get(), name, "UTF-8");
    for (const auto& form : forms) {
        std::mt19937 rng(form.seed);
        HPDF_Page page = HPDF_AddPage(pdf.get());
        HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
        auto text = [&](double x, double y, double size, const std::string& s) {
            HPDF_Page_BeginText(page);
            HPDF_Page_SetFontAndSize(page, font, static_cast<HPDF_REAL>(size));
            HPDF_Page_TextOut(page, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y), s.c_str());
            HPDF_Page_EndText(page);
        };
        text(200, 770, 24, form.title);
        double y = 700;
        HPDF_Page_SetLineWidth(page, 1);
        for (const auto& [label, value] : form.fields) {
            HPDF_Page_Rectangle(page, 60, static_cast<HPDF_REAL>(y - 10), 475, 30);
            HPDF_Page_Stroke(page);
            text(70, y, 13, label);
            text(190, y, 13, value);
            y -= 30;
        }
        y -= 30;
        for (int line = 0; line < 8; ++line) {
            text(70, y, 12, kBody[rng() % 5]);
            y -= 24;
        }
        text(330, 120, 13, "申请人（签章）：");
        text(330, 90, 13, "日期：2026 年 11 月 " + std::to_string(1 + rng() % 20) + " 日");
    }
    if (HPDF_SaveToStream(pdf.get()) != HPDF_OK) throw std::runtime_error("cannot write test form PDF");
    std::string bytes(HPDF_GetStreamSize(pdf.get()), '\0');
    HPDF_UINT32 size = static_cast<HPDF_UINT32>(bytes.size());
    HPDF_ResetStream(pdf.get());
    HPDF_ReadFromStream(pdf.get(), reinterpret_cast<HPDF_BYTE*>(bytes.data()), &size);
    bytes.resize(size);
    return bytes;
}

std::vector<std::string> renderPdfPages(const std::string& pdf, int dpi) {
    TempDir dir;
    auto file = dir.path() / "in.pdf";
    std::ofstream(file, std::ios::binary) << pdf;
    auto r = runCommand({"pdftoppm", "-gray", "-png", "-r", std::to_string(dpi), file.string(), (dir.path() / "p").string()});
    if (r.status != 0) throw std::runtime_error("pdftoppm failed");
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir.path()))
        if (e.path().extension() == ".png") files.push_back(e.path());
    std::sort(files.begin(), files.end());  // p-01.png, p-02.png ...
    std::vector<std::string> pages;
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        pages.emplace_back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    }
    return pages;
}

std::string damagedScan(const std::string& png, const ScanDamage& damage) {
    setMsgSeverity(L_SEVERITY_ERROR);
    PixPtr pix(pixReadMemPng(reinterpret_cast<const l_uint8*>(png.data()), png.size()));
    if (!pix) throw std::runtime_error("damagedScan: not a PNG");
    int dpi = pixGetXRes(pix.get());
    PixPtr gray(pixConvertTo8(pix.get(), 0));
    PixPtr turned(pixRotateOrth(gray.get(), damage.quarters));
    if (damage.skewDegrees != 0)
        turned.reset(pixRotate(turned.get(), static_cast<float>(damage.skewDegrees * 3.14159265 / 180), L_ROTATE_AREA_MAP,
                               L_BRING_IN_WHITE, 0, 0));
    if (damage.blur) turned.reset(pixBlockconv(turned.get(), 1, 1));
    if (damage.unevenLight > 0) {
        // A lamp that lights one corner less: the page multiplied by a shade that darkens with the
        // distance from the other corner, drawn small and scaled up smoothly.
        constexpr int kCells = 64;
        PixPtr shade(pixCreate(kCells, kCells, 8));
        for (int y = 0; y < kCells; ++y)
            for (int x = 0; x < kCells; ++x)
                pixSetPixel(shade.get(), x, y,
                            static_cast<l_uint32>(255 * (1.0 - damage.unevenLight * (x + y) / (2.0 * (kCells - 1)))));
        PixPtr full(pixScaleToSize(shade.get(), pixGetWidth(turned.get()), pixGetHeight(turned.get())));
        turned.reset(pixMultiplyGray(turned.get(), full.get(), 1.0f / 255));
    }
    std::mt19937 rng(damage.seed);
    int w = pixGetWidth(turned.get()), h = pixGetHeight(turned.get());
    auto flips = static_cast<long>(damage.speckles * w * h);
    for (long i = 0; i < flips; ++i)
        pixSetPixel(turned.get(), static_cast<int>(rng() % w), static_cast<int>(rng() % h), 40 + rng() % 80);
    if (dpi > 0) pixSetResolution(turned.get(), dpi, dpi);
    l_uint8* data = nullptr;
    size_t size = 0;
    pixWriteMemJpeg(&data, &size, turned.get(), damage.jpegQuality, 0);
    return takeBytes(data, size);
}

std::string multiPageTiff(const std::vector<std::string>& images) {
    std::unique_ptr<PIXA, void (*)(PIXA*)> pixa(pixaCreate(0), [](PIXA* p) { pixaDestroy(&p); });
    for (const auto& image : images) {
        PIX* pix = pixReadMem(reinterpret_cast<const l_uint8*>(image.data()), image.size());
        if (!pix) throw std::runtime_error("multiPageTiff: an image cannot be decoded");
        pixaAddPix(pixa.get(), pix, L_INSERT);
    }
    l_uint8* data = nullptr;
    size_t size = 0;
    if (pixaWriteMemMultipageTiff(&data, &size, pixa.get()) != 0) throw std::runtime_error("multiPageTiff: cannot write");
    return takeBytes(data, size);
}

std::string scannedPdf(const std::vector<std::string>& jpegs) {
    std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, void (*)(HPDF_Doc)> pdf(HPDF_New(nullptr, nullptr),
                                                                               [](HPDF_Doc d) { HPDF_Free(d); });
    for (const auto& jpeg : jpegs) {
        HPDF_Image image = HPDF_LoadJpegImageFromMem(pdf.get(), reinterpret_cast<const HPDF_BYTE*>(jpeg.data()),
                                                     static_cast<HPDF_UINT>(jpeg.size()));
        if (!image) throw std::runtime_error("scannedPdf: libharu cannot load a JPEG");
        HPDF_Page page = HPDF_AddPage(pdf.get());
        // The page takes the image's shape at A4 width (595 pt), as a scan of an A4 sheet would.
        float width = 595.0f, height = width * static_cast<float>(HPDF_Image_GetHeight(image)) /
                                           static_cast<float>(HPDF_Image_GetWidth(image));
        HPDF_Page_SetWidth(page, width);
        HPDF_Page_SetHeight(page, height);
        HPDF_Page_DrawImage(page, image, 0, 0, width, height);
    }
    if (HPDF_SaveToStream(pdf.get()) != HPDF_OK) throw std::runtime_error("scannedPdf: cannot save");
    std::string out(HPDF_GetStreamSize(pdf.get()), '\0');
    HPDF_UINT32 size = static_cast<HPDF_UINT32>(out.size());
    HPDF_ReadFromStream(pdf.get(), reinterpret_cast<HPDF_BYTE*>(out.data()), &size);
    out.resize(size);
    return out;
}

std::string blankBack(int width, int height, int dpi, unsigned seed) {
    PixPtr pix(pixCreate(width, height, 8));
    std::mt19937 rng(seed);
    pixSetAllArbitrary(pix.get(), 236 + rng() % 12);
    // Show-through of the front: faint gray bars where its text lines are.
    for (int line = 0; line < 10; ++line) {
        BOX* box = boxCreate(width / 8, height / 6 + line * height / 16, width * 5 / 8, height / 80);
        pixSetInRectArbitrary(pix.get(), box, 215);
        boxDestroy(&box);
    }
    for (long i = 0; i < static_cast<long>(width) * height / 4000; ++i)
        pixSetPixel(pix.get(), static_cast<int>(rng() % width), static_cast<int>(rng() % height), 60 + rng() % 100);
    pixSetResolution(pix.get(), dpi, dpi);
    l_uint8* data = nullptr;
    size_t size = 0;
    pixWriteMemJpeg(&data, &size, pix.get(), 80, 0);
    return takeBytes(data, size);
}

}  // namespace dangan::testing
