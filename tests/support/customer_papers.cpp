#include "customer_papers.h"

#include <hpdf.h>

#include <algorithm>
#include <memory>
#include <set>
#include <stdexcept>

#include "dangan/ocr/field_validation.h"

namespace dangan::testing {
namespace {

constexpr const char* kSong = "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf";
constexpr const char* kKai = "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf";

const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"};
const char* kGiven[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "华", "建国", "志强", "海燕", "晓东", "文博"};
const char* kCompanyWords[] = {"宏达", "瑞丰", "恒通", "新城", "华强", "金桥", "永兴", "东方", "泰和", "嘉禾"};
const char* kCompanyKinds[] = {"化工有限公司", "纺织有限公司", "机械制造有限公司", "食品有限公司", "物业管理有限公司"};
const char* kCities[] = {"山东省德州市德城区", "浙江省嘉兴市南湖区", "江苏省苏州市吴中区", "河北省保定市竞秀区", "湖南省长沙市岳麓区"};
const char* kRoads[] = {"人民路", "解放路", "中山路", "建设路", "庆丰路", "和平街", "文化路", "长江路"};
const char* kBody[] = {
    "申请人承诺以上所填内容真实有效，如有不实，愿承担相应责任。",
    "供电企业应按规定时限答复供电方案，并组织竣工检验和装表接电。",
    "用电人应按时足额交纳电费，不得擅自改变用电类别或增加容量。",
    "本表一式两份，供电企业与用电人各执一份，自签字盖章之日起生效。",
};

std::string digits(std::mt19937& rng, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += static_cast<char>('0' + rng() % 10);
    return s;
}

std::string date(std::mt19937& rng) {
    char out[16];
    std::snprintf(out, sizeof out, "%04d-%02d-%02d", 2018 + static_cast<int>(rng() % 8), 1 + static_cast<int>(rng() % 12),
                  1 + static_cast<int>(rng() % 28));
    return out;
}

std::string chineseDate(const std::string& iso) {
    return iso.substr(0, 4) + "年" + iso.substr(5, 2) + "月" + iso.substr(8, 2) + "日";
}

struct HpdfDeleter {
    void operator()(HPDF_Doc d) const { HPDF_Free(d); }
};

std::string savePdf(HPDF_Doc pdf) {
    if (HPDF_SaveToStream(pdf) != HPDF_OK) throw std::runtime_error("cannot write paper PDF");
    std::string bytes(HPDF_GetStreamSize(pdf), '\0');
    HPDF_UINT32 size = static_cast<HPDF_UINT32>(bytes.size());
    HPDF_ResetStream(pdf);
    HPDF_ReadFromStream(pdf, reinterpret_cast<HPDF_BYTE*>(bytes.data()), &size);
    bytes.resize(size);
    return bytes;
}

}  // namespace

std::vector<PaperCustomer> paperCustomers(int count, unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<PaperCustomer> out;
    std::set<std::string> accounts, names;
    while (static_cast<int>(out.size()) < count) {
        PaperCustomer c;
        c.accountNo = "3" + digits(rng, 9);
        if (!accounts.insert(c.accountNo).second) continue;
        if (rng() % 3 == 0) c.name = std::string(kCompanyWords[rng() % 10]) + kCompanyKinds[rng() % 5];
        else c.name = std::string(kSurnames[rng() % 20]) + kGiven[rng() % 24] + (rng() % 2 ? kGiven[rng() % 24] : "");
        std::string birth = std::to_string(1950 + rng() % 50);
        char md[8];
        std::snprintf(md, sizeof md, "%02d%02d", 1 + static_cast<int>(rng() % 12), 1 + static_cast<int>(rng() % 28));
        std::string first17 = "3" + digits(rng, 5) + birth + md + digits(rng, 3);
        c.idNumber = first17 + ocr::residentIdCheckCharacter(first17);
        c.phone = "1" + std::string(1, "3578"[rng() % 4]) + digits(rng, 9);
        c.address = std::string(kCities[rng() % 5]) + kRoads[rng() % 8] + std::to_string(1 + rng() % 999) + "号";
        out.push_back(std::move(c));
    }
    return out;
}

PaperScan customerPaper(const PaperCustomer& customer, const PaperOptions& options) {
    std::mt19937 rng(options.seed);
    PaperScan scan;
    auto& truth = scan.truth;
    truth.docType = options.docType;
    truth.businessType = options.businessType;
    truth.dpi = options.dpi;
    truth.quarters = options.damage.quarters;
    bool contract = options.docType.find("合同") != std::string::npos;
    std::vector<std::pair<std::string, std::string>> rows;  // label, printed value
    auto add = [&](const std::string& field, const std::string& label, const std::string& printed, const std::string& value) {
        rows.emplace_back(label, printed);
        truth.fields[field] = value;
    };
    add("account_no", rng() % 4 ? "户号" : "用户编号", customer.accountNo, customer.accountNo);
    add("name", rng() % 4 ? "户名" : "用户名称", customer.name, customer.name);
    add("address", "用电地址", customer.address, customer.address);
    if (!contract) {
        add("id_number", rng() % 3 ? "证件号码" : "身份证号码", customer.idNumber, customer.idNumber);
        add("phone", "联系电话", customer.phone, customer.phone);
        add("business_type", "业务类型", options.businessType, options.businessType);
        std::string app = "20" + digits(rng, 10);
        add("application_no", "申请编号", app, app);
        std::string d = date(rng);
        add("date", "申请日期", rng() % 2 ? chineseDate(d) : d, d);
    } else {
        // Both ways utilities number contracts: run together, or year and serial apart.
        std::string no = rng() % 2 ? "HT" + digits(rng, 10) : "HT-20" + digits(rng, 2) + "-" + digits(rng, 4);
        add("contract_no", "合同编号", no, no);
        std::string signedOn = date(rng);
        std::string expires = std::to_string(std::stoi(signedOn.substr(0, 4)) + 5) + signedOn.substr(4);
        if (expires.substr(5) == "02-29") expires = expires.substr(0, 5) + "02-28";
        add("signed_on", "签订日期", chineseDate(signedOn), signedOn);
        add("expires_on", "有效期至", chineseDate(expires), expires);
    }
    // Field order varies after the first (the account number is on top on most forms).
    std::shuffle(rows.begin() + 1, rows.end(), rng);

    std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, HpdfDeleter> pdf(HPDF_New(nullptr, nullptr));
    HPDF_UseUTFEncodings(pdf.get());
    HPDF_SetCurrentEncoder(pdf.get(), "UTF-8");
    const char* song = HPDF_LoadTTFontFromFile(pdf.get(), kSong, HPDF_TRUE);
    const char* kai = HPDF_LoadTTFontFromFile(pdf.get(), kKai, HPDF_TRUE);
    if (!song || !kai) throw std::runtime_error("cannot load the fonts for papers (fonts-arphic-gbsn00lp, fonts-arphic-gkai00mp)");
    HPDF_Font print = HPDF_GetFont(pdf.get(), song, "UTF-8");
    HPDF_Font labelFont = HPDF_GetFont(pdf.get(), rng() % 3 ? song : kai, "UTF-8");
    HPDF_Font valueFont = HPDF_GetFont(pdf.get(), options.handwrittenFill ? kai : song, "UTF-8");
    HPDF_Page page = HPDF_AddPage(pdf.get());
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    auto text = [&](HPDF_Font font, double x, double y, double size, const std::string& s) {
        HPDF_Page_BeginText(page);
        HPDF_Page_SetFontAndSize(page, font, static_cast<HPDF_REAL>(size));
        HPDF_Page_TextOut(page, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y), s.c_str());
        HPDF_Page_EndText(page);
    };
    auto fill = [&](double x, double y, const std::string& s) {
        double jitter = options.handwrittenFill ? static_cast<double>(rng() % 5) - 2.0 : 0.0;
        text(valueFont, x, y + jitter, options.handwrittenFill ? 14 + rng() % 3 : 13, s);
    };
    text(print, 215, 790, 16, "国网供电公司");
    text(print, 297.5 - 12.0 * static_cast<double>(options.docType.size() / 3), 752, 24, options.docType);
    HPDF_Page_SetLineWidth(page, 1);
    double y = 690;
    if (options.layout == PaperLayout::Table) {
        for (const auto& [label, value] : rows) {
            HPDF_Page_Rectangle(page, 60, static_cast<HPDF_REAL>(y - 12), 475, 34);
            HPDF_Page_Stroke(page);
            HPDF_Page_MoveTo(page, 165, static_cast<HPDF_REAL>(y - 12));
            HPDF_Page_LineTo(page, 165, static_cast<HPDF_REAL>(y + 22));
            HPDF_Page_Stroke(page);
            text(labelFont, 70, y, 13, label);
            fill(180, y, value);
            y -= 34;
        }
    } else if (options.layout == PaperLayout::TwoColumns) {
        // Short values two to a row, long ones (the address, a company name) on a row of their own.
        std::size_t i = 0;
        while (i < rows.size()) {
            bool pair = i + 1 < rows.size() && rows[i].second.size() <= 27 && rows[i + 1].second.size() <= 27;
            text(labelFont, 70, y, 13, rows[i].first + "：");
            fill(150, y, rows[i].second);
            if (pair) {
                text(labelFont, 320, y, 13, rows[i + 1].first + "：");
                fill(400, y, rows[i + 1].second);
            }
            HPDF_Page_MoveTo(page, 60, static_cast<HPDF_REAL>(y - 8));
            HPDF_Page_LineTo(page, 535, static_cast<HPDF_REAL>(y - 8));
            HPDF_Page_Stroke(page);
            i += pair ? 2 : 1;
            y -= 32;
        }
    } else {
        for (const auto& [label, value] : rows) {
            text(labelFont, 80, y, 13, label + "：");
            fill(80 + 13.0 * static_cast<double>(label.size() / 3 + 1) + 6, y, value);
            y -= 28;
        }
    }
    y -= 26;
    for (int line = 0; line < 6; ++line) {
        truth.prose.emplace_back(kBody[rng() % 4]);
        text(print, 70, y, 11, truth.prose.back());
        y -= 22;
    }
    text(print, 330, 110, 12, "签字（盖章）：");
    auto pngs = renderPdfPages(savePdf(pdf.get()), options.dpi);
    scan.jpeg = damagedScan(pngs.at(0), options.damage);
    return scan;
}

PaperOptions variedPaper(unsigned seed) {
    std::mt19937 rng(seed * 7919u + 13);
    static const std::pair<const char*, const char*> kKinds[] = {
        {"用电申请书", "低压居民新装"},   {"用电申请书", "高压新装"},     {"供电方案答复单", "高压新装"},
        {"竣工检验报告", "高压新装"},     {"装表接电工作单", "低压非居民新装"}, {"电能计量装置装拆记录", "电能表轮换"},
        {"过户申请书", "过户"},           {"高压供用电合同", "高压新装"},  {"低压供用电合同", "低压非居民新装"},
    };
    const auto& kind = kKinds[rng() % 9];
    PaperOptions o;
    o.docType = kind.first;
    o.businessType = kind.second;
    o.layout = static_cast<PaperLayout>(rng() % 3);
    o.handwrittenFill = rng() % 3 == 0;
    o.dpi = rng() % 2 ? 300 : 200;
    o.damage.quarters = rng() % 10 == 0 ? 2 : 0;
    o.damage.skewDegrees = (static_cast<double>(rng() % 41) - 20.0) / 10.0;  // -2..2 degrees
    o.damage.blur = rng() % 3 == 0;
    o.damage.speckles = 0.0002 + static_cast<double>(rng() % 5) * 0.0002;
    o.damage.jpegQuality = 70 + static_cast<int>(rng() % 20);
    o.damage.seed = seed;
    o.seed = seed;
    return o;
}

}  // namespace dangan::testing
