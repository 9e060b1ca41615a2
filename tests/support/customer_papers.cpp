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

// An ISO date as forms print it: 0 as it is, 1 2024年03月05日, 2 2024年3月5日, 3 2024.03.05, 4 2024/03/05.
std::string printedDate(const std::string& iso, int form) {
    auto unpadded = [](const std::string& two) { return two[0] == '0' ? two.substr(1) : two; };
    switch (form) {
    case 1: return chineseDate(iso);
    case 2: return iso.substr(0, 4) + "年" + unpadded(iso.substr(5, 2)) + "月" + unpadded(iso.substr(8, 2)) + "日";
    case 3: return iso.substr(0, 4) + "." + iso.substr(5, 2) + "." + iso.substr(8, 2);
    case 4: return iso.substr(0, 4) + "/" + iso.substr(5, 2) + "/" + iso.substr(8, 2);
    default: return iso;
    }
}

// A unified social credit code (GB 32100) for its first 17 characters, with its check character.
std::string creditCode(const std::string& first17) {
    static const std::string kCharacters = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    static const int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    int sum = 0;
    for (int i = 0; i < 17; ++i) sum += static_cast<int>(kCharacters.find(first17[static_cast<std::size_t>(i)])) * kWeights[i];
    return first17 + kCharacters[static_cast<std::size_t>((31 - sum % 31) % 31)];
}

// Code points in `text`.
double units(const std::string& text) {
    double n = 0;
    for (unsigned char c : text) n += (c & 0xC0) != 0x80 ? 1 : 0;
    return n;
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
        if (c.name.ends_with("公司")) {
            // Drawn apart, so that the customers themselves stay what they were.
            std::mt19937 own(static_cast<unsigned>(std::stoul(c.accountNo.substr(1))));
            c.legalRepresentative = std::string(kSurnames[own() % 20]) + kGiven[own() % 24] + (own() % 2 ? kGiven[own() % 24] : "");
            c.creditCode = creditCode("91" + c.idNumber.substr(0, 6) + digits(own, 9));
        }
        out.push_back(std::move(c));
    }
    return out;
}

namespace {

// A PDF page being drawn, with the fonts it prints in.
struct Sheet {
    std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, HpdfDeleter> pdf{HPDF_New(nullptr, nullptr)};
    HPDF_Page page = nullptr;

    Sheet() {
        HPDF_UseUTFEncodings(pdf.get());
        HPDF_SetCurrentEncoder(pdf.get(), "UTF-8");
        page = HPDF_AddPage(pdf.get());
        HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
        HPDF_Page_SetLineWidth(page, 1);
    }
    // A TrueType font file, or the first face of a collection (.ttc).
    HPDF_Font font(const std::string& file) {
        const char* name = file.ends_with(".ttc") ? HPDF_LoadTTFontFromFile2(pdf.get(), file.c_str(), 0, HPDF_TRUE)
                                                  : HPDF_LoadTTFontFromFile(pdf.get(), file.c_str(), HPDF_TRUE);
        if (!name) throw std::runtime_error("cannot load the font " + file + " for papers");
        return HPDF_GetFont(pdf.get(), name, "UTF-8");
    }
    void text(HPDF_Font font, double x, double y, double size, const std::string& s, double gray = 0) {
        HPDF_Page_SetGrayFill(page, static_cast<HPDF_REAL>(gray));
        HPDF_Page_BeginText(page);
        HPDF_Page_SetFontAndSize(page, font, static_cast<HPDF_REAL>(size));
        HPDF_Page_TextOut(page, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y), s.c_str());
        HPDF_Page_EndText(page);
        HPDF_Page_SetGrayFill(page, 0);
    }
    void box(double x, double y, double w, double h, double gray = 0) {
        HPDF_Page_SetGrayStroke(page, static_cast<HPDF_REAL>(gray));
        HPDF_Page_Rectangle(page, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y), static_cast<HPDF_REAL>(w),
                            static_cast<HPDF_REAL>(h));
        HPDF_Page_Stroke(page);
        HPDF_Page_SetGrayStroke(page, 0);
    }
    // A round seal as a copier prints a red one: a gray ring, a star and its words over whatever
    // lies beneath.
    void seal(HPDF_Font font, double x, double y, const std::string& words) {
        HPDF_Page_SetGrayStroke(page, 0.45f);
        HPDF_Page_SetLineWidth(page, 2.5f);
        HPDF_Page_Circle(page, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y), 46);
        HPDF_Page_Stroke(page);
        HPDF_Page_SetLineWidth(page, 1);
        HPDF_Page_SetGrayStroke(page, 0);
        text(font, x - 7, y - 6, 16, "★", 0.45);
        text(font, x - 6.0 * units(words), y - 30, 12, words, 0.45);
    }
    std::string render(int dpi) { return renderPdfPages(savePdf(pdf.get()), dpi).at(0); }
};

constexpr const char* kMing = "/usr/share/fonts/truetype/arphic/uming.ttc";
constexpr const char* kHei = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc";
constexpr const char* kUkai = "/usr/share/fonts/truetype/arphic/ukai.ttc";
// Droid Sans Fallback and WenQuanYi Micro Hei lose glyphs when libharu embeds them (the digits
// come out as boxes): they are not used.


void header(Sheet& sheet, HPDF_Font font, const PaperStyle& style, const std::string& docType) {
    const std::string& title = style.title.empty() ? docType : style.title;
    // Where the original generator put its header, for its pages to stay as they were.
    double headerX = style.header == "国网供电公司" ? 215 : 297.5 - 8.0 * units(style.header);
    sheet.text(font, headerX, 790, 16, style.header);
    if (!style.titled) return;
    double x = style.titleCentred ? 297.5 - style.titleSize / 2 * units(title) : 70;
    if (style.titleBold) {
        // Bold as a typesetter fakes it: the glyphs filled and stroked.
        HPDF_Page_SetTextRenderingMode(sheet.page, HPDF_FILL_THEN_STROKE);
        HPDF_Page_SetLineWidth(sheet.page, 0.8f);
    }
    sheet.text(font, x, style.titleY, style.titleSize, title);
    if (style.titleBold) {
        HPDF_Page_SetTextRenderingMode(sheet.page, HPDF_FILL);
        HPDF_Page_SetLineWidth(sheet.page, 1);
    }
}

void footer(Sheet& sheet, HPDF_Font font, const PaperStyle& style) {
    if (style.pagesIn > 0)
        sheet.text(font, 250, 50, 11, "第 " + std::to_string(style.pageOf) + " 页 共 " + std::to_string(style.pagesIn) + " 页");
}

const char* kIssuers[] = {"德州市公安局德城分局", "嘉兴市公安局南湖分局", "苏州市公安局吴中分局", "保定市公安局竞秀分局", "长沙市公安局岳麓分局"};

// A copy of a resident ID card, front above and back below as counters copy them.
void idCardCopy(Sheet& sheet, HPDF_Font print, HPDF_Font fill, const std::string& name, const std::string& id,
                const std::string& address, std::mt19937& rng) {
    double top = 700;
    sheet.box(150, top - 170, 300, 180);
    sheet.text(fill, 165, top - 20, 13, "姓名  " + name);
    sheet.text(fill, 165, top - 45, 12, std::string("性别  ") + ((id[16] - '0') % 2 ? "男" : "女") + "    民族  汉");
    sheet.text(fill, 165, top - 70, 12, "出生  " + id.substr(6, 4) + " 年 " + std::to_string(std::stoi(id.substr(10, 2))) +
                                            " 月 " + std::to_string(std::stoi(id.substr(12, 2))) + " 日");
    // The card wraps its address after eleven characters.
    std::string first = address.substr(0, 33), rest = address.size() > 33 ? address.substr(33) : "";
    sheet.text(fill, 165, top - 95, 12, "住址  " + first);
    if (!rest.empty()) sheet.text(fill, 201, top - 113, 12, rest);
    sheet.text(fill, 165, top - 150, 13, "公民身份号码  " + id);
    HPDF_Page_SetGrayFill(sheet.page, 0.6f);
    HPDF_Page_Rectangle(sheet.page, 360, static_cast<HPDF_REAL>(top - 120), 75, 95);
    HPDF_Page_Fill(sheet.page);
    HPDF_Page_SetGrayFill(sheet.page, 0);
    double back = top - 210;
    sheet.box(150, back - 170, 300, 180);
    sheet.text(print, 230, back - 30, 14, "中华人民共和国");
    sheet.text(print, 215, back - 65, 22, "居民身份证");
    sheet.text(fill, 165, back - 120, 12, std::string("签发机关  ") + kIssuers[rng() % 5]);
    int from = 2010 + static_cast<int>(rng() % 12);
    sheet.text(fill, 165, back - 145, 12, "有效期限  " + std::to_string(from) + ".03.01-" + std::to_string(from + 20) + ".03.01");
}

}  // namespace

PaperScan customerPaper(const PaperCustomer& customer, const PaperOptions& options) {
    std::mt19937 rng(options.seed);
    PaperScan scan;
    auto& truth = scan.truth;
    const auto& style = options.style;
    truth.docType = options.docType;
    truth.businessType = options.businessType;
    truth.dpi = options.dpi;
    truth.quarters = options.damage.quarters;
    Sheet sheet;
    HPDF_Font song = sheet.font(kSong), kai = sheet.font(kKai);
    HPDF_Font print = style.printFont.empty() ? song : sheet.font(style.printFont);
    HPDF_Font handwriting = style.valueFont.empty() ? (options.handwrittenFill ? kai : print) : sheet.font(style.valueFont);
    bool company = !customer.creditCode.empty();

    if (options.kind == PaperKind::IdCardCopy) {
        // Whose card: the customer's, or for an organisation its legal representative's (whose
        // ID number is the one the archive records).
        std::string person = company ? customer.legalRepresentative : customer.name;
        header(sheet, print, style, options.docType);
        idCardCopy(sheet, print, handwriting, person, customer.idNumber, customer.address, rng);
        truth.fields = {{"name", person}, {"id_number", customer.idNumber}};
        sheet.text(print, 150, 280, 12, "此复印件仅供办理用电业务使用，再次复印无效。");
        if (rng() % 2) {
            sheet.text(handwriting, 150, 250, 13, "户号：" + customer.accountNo);
            truth.fields["account_no"] = customer.accountNo;
        }
    } else if (options.kind == PaperKind::BusinessLicence) {
        sheet.box(50, 120, 495, 650, 0.2);
        sheet.box(56, 126, 483, 638, 0.2);
        header(sheet, print, style, rng() % 2 ? "营业执照" : "营业执照（副本）");
        std::string founded = date(rng);
        std::vector<std::pair<std::string, std::string>> rows = {
            {"统一社会信用代码", customer.creditCode}, {"名称", customer.name}, {"类型", "有限责任公司"},
            {"法定代表人", customer.legalRepresentative}, {"注册资本", std::to_string(50 + rng() % 950) + "万元人民币"},
            {"成立日期", printedDate(founded, 2)}, {"营业期限", printedDate(founded, 2) + "至长期"}, {"住所", customer.address}};
        double y = style.titleY - 70;
        for (const auto& [label, value] : rows) {
            sheet.text(print, 90, y, 13, label);
            sheet.text(print, 215, y, 13, value);
            y -= 40;
        }
        sheet.text(print, 90, y, 13, "经营范围");
        sheet.text(print, 215, y, 12, "电力设备销售；机械设备制造与维修；技术服务。");
        sheet.seal(print, 440, 190, "市场监督管理局");
        truth.fields = {{"name", customer.name}, {"id_number", customer.creditCode}};
    } else if (options.kind == PaperKind::PropertyCertificate) {
        header(sheet, print, style, rng() % 2 ? "不动产权证书" : "房屋所有权证");
        std::vector<std::pair<std::string, std::string>> rows = {
            {"权利人", customer.name}, {"共有情况", "单独所有"}, {"坐落", customer.address},
            {"不动产单元号", "3704" + digits(rng, 8) + "GB" + digits(rng, 5)}, {"权利类型", "国有建设用地使用权/房屋所有权"},
            {"用途", company ? "工业" : "住宅"}, {"面积", std::to_string(40 + rng() % 300) + "平方米"}};
        double y = style.titleY - 70;
        for (const auto& [label, value] : rows) {
            sheet.box(60, y - 12, 475, 34);
            sheet.text(print, 70, y, 13, label);
            sheet.text(handwriting, 190, y, 13, value);
            y -= 34;
        }
        sheet.seal(print, 430, y - 80, "不动产登记中心");
        truth.fields = {{"name", customer.name}, {"address", customer.address}};
    } else if (options.kind == PaperKind::ContractClauses) {
        header(sheet, print, style, options.docType);
        static const char* kClauses[][2] = {
            {"供电方式", "供电人向用电人提供交流50Hz电源，供电电压及容量按供电方案执行。"},
            {"用电容量与计量", "计量方式按供电方案执行，计量装置由供电人负责安装维护。"},
            {"电价与电费结算", "按政府主管部门批准的电价和收费标准执行，按月结算。"},
            {"双方的权利和义务", "用电人应按期交清电费，不得擅自改变用电类别。"},
            {"违约责任", "任何一方违反本合同约定，应承担相应的违约责任。"},
            {"争议解决", "双方发生争议时，应协商解决；协商不成的，可依法提起诉讼。"},
            {"合同的生效和期限", "本合同经双方签字盖章后生效，有效期五年。"},
        };
        static const char* kNumbers[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
        int first = (style.pageOf - 2) * 5 + 1 + static_cast<int>(rng() % 2);
        double y = style.titled ? style.titleY - 60 : 760;
        for (int k = 0; k < 5 && y > 200; ++k) {
            int n = std::min(first + k, 10);
            const auto& clause = kClauses[static_cast<std::size_t>(n - 1) % 7];
            sheet.text(print, 70, y, 13, std::string("第") + kNumbers[n - 1] + "条  " + clause[0]);
            y -= 26;
            truth.prose.emplace_back(clause[1]);
            sheet.text(print, 70, y, 11.5, clause[1]);
            y -= 34;
        }
        if (style.pageOf == style.pagesIn) {
            sheet.text(print, 70, 200, 13, "供电人（盖章）：");
            sheet.text(print, 320, 200, 13, "用电人（盖章）：");
            sheet.seal(print, 160, 160, "供用电合同专用章");
        }
    } else {
        bool contract = options.docType.find("合同") != std::string::npos;
        std::vector<std::pair<std::string, std::string>> rows;  // label, printed value
        auto add = [&](const std::string& field, const std::string& label, const std::string& printed, const std::string& value) {
            rows.emplace_back(label, printed);
            truth.fields[field] = value;
        };
        auto dated = [&](bool chinese, const std::string& iso) {
            return style.dateForm < 0 ? (chinese ? chineseDate(iso) : iso) : printedDate(iso, style.dateForm);
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
            add("date", "申请日期", dated(rng() % 2, d), d);
        } else {
            // Both ways utilities number contracts: run together, or year and serial apart.
            std::string no = rng() % 2 ? "HT" + digits(rng, 10) : "HT-20" + digits(rng, 2) + "-" + digits(rng, 4);
            add("contract_no", "合同编号", no, no);
            std::string signedOn = date(rng);
            std::string expires = std::to_string(std::stoi(signedOn.substr(0, 4)) + 5) + signedOn.substr(4);
            if (expires.substr(5) == "02-29") expires = expires.substr(0, 5) + "02-28";
            add("signed_on", "签订日期", dated(true, signedOn), signedOn);
            add("expires_on", "有效期至", dated(true, expires), expires);
        }
        // Field order varies after the first (the account number is on top on most forms).
        std::shuffle(rows.begin() + (style.shuffleAll ? 0 : 1), rows.end(), rng);

        HPDF_Font labelFont = rng() % 3 ? print : kai;
        HPDF_Font valueFont = handwriting;
        auto fill = [&](double x, double y, const std::string& text) {
            double jitter = options.handwrittenFill ? static_cast<double>(rng() % 5) - 2.0 : 0.0;
            sheet.text(valueFont, x, y + jitter, options.handwrittenFill ? 14 + rng() % 3 : 13, text);
        };
        header(sheet, print, style, options.docType);
        double y = style.titleY - 62;
        HPDF_Page page = sheet.page;
        if (options.layout == PaperLayout::Table) {
            for (const auto& [label, value] : rows) {
                HPDF_Page_Rectangle(page, 60, static_cast<HPDF_REAL>(y - 12), 475, 34);
                HPDF_Page_Stroke(page);
                HPDF_Page_MoveTo(page, 165, static_cast<HPDF_REAL>(y - 12));
                HPDF_Page_LineTo(page, 165, static_cast<HPDF_REAL>(y + 22));
                HPDF_Page_Stroke(page);
                sheet.text(labelFont, 70, y, 13, label);
                fill(180, y, value);
                y -= 34;
            }
        } else if (options.layout == PaperLayout::TwoColumns) {
            // Short values two to a row, long ones (the address, a company name) on a row of their own.
            std::size_t i = 0;
            while (i < rows.size()) {
                bool pair = i + 1 < rows.size() && rows[i].second.size() <= 27 && rows[i + 1].second.size() <= 27;
                sheet.text(labelFont, 70, y, 13, rows[i].first + "：");
                fill(150, y, rows[i].second);
                if (pair) {
                    sheet.text(labelFont, 320, y, 13, rows[i + 1].first + "：");
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
                sheet.text(labelFont, 80, y, 13, label + "：");
                fill(80 + 13.0 * static_cast<double>(label.size() / 3 + 1) + 6, y, value);
                y -= 28;
            }
        }
        y -= 26;
        for (int line = 0; line < 6; ++line) {
            truth.prose.emplace_back(kBody[rng() % 4]);
            sheet.text(print, 70, y, 11, truth.prose.back());
            y -= 22;
        }
        sheet.text(print, 330, 110, 12, "签字（盖章）：");
        if (style.stamp) sheet.seal(print, 420, 150, contract ? "合同专用章" : "业务专用章");
    }
    footer(sheet, print, style);
    scan.jpeg = damagedScan(sheet.render(options.dpi), options.damage);
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

namespace dangan::testing {

std::vector<PaperScan> customerFile(const PaperCustomer& customer, unsigned seed) {
    std::mt19937 rng(seed * 104729u + 7);
    auto pick = [&](auto& options) -> auto& { return options[rng() % std::size(options)]; };
    // One printer's style for the file.
    static const char* kFonts[] = {kSong, kMing, kHei};
    static const char* kHands[] = {kKai, kUkai};
    static const char* kHeaders[] = {"国网供电公司", "国网山东省电力公司德州供电公司", "国网浙江省电力有限公司嘉兴供电公司",
                                     "南方电网广东电网有限责任公司", "内蒙古电力（集团）有限责任公司", "长沙供电局", "国网江苏省电力有限公司"};
    PaperStyle style;
    style.printFont = pick(kFonts);
    style.header = pick(kHeaders);
    style.dateForm = static_cast<int>(rng() % 5);
    style.titleY = 700 + static_cast<double>(rng() % 61);
    style.titleSize = 18 + static_cast<double>(rng() % 9);
    style.titleCentred = rng() % 5 != 0;
    style.shuffleAll = rng() % 2 == 0;
    bool handwritten = rng() % 3 == 0;
    if (handwritten) style.valueFont = pick(kHands);
    style.titleBold = rng() % 2 == 0;

    bool company = !customer.creditCode.empty();
    struct Planned {
        std::string docType;
        PaperKind kind;
        int pages = 1;
    };
    std::vector<Planned> plan;
    std::string process;
    std::string idCopy = company ? "法定代表人身份证复印件" : "居民身份证复印件";
    if (company && rng() % 2) {
        process = "高压新装";
        plan = {{"用电申请书", PaperKind::Form},  {"营业执照复印件", PaperKind::BusinessLicence},
                {idCopy, PaperKind::IdCardCopy}, {"供电方案答复单", PaperKind::Form},
                {"竣工检验报告", PaperKind::Form}, {"装表接电工作单", PaperKind::Form},
                {"高压供用电合同", PaperKind::Form, 2 + static_cast<int>(rng() % 2)}};
    } else if (company) {
        process = "低压非居民新装";
        // The rules ask 低压非居民新装 for the card of whoever handles the application (经办人): the
        // representative's copy, handed in by the representative, fills that requirement.
        plan = {{"用电申请书", PaperKind::Form}, {"营业执照复印件", PaperKind::BusinessLicence},
                {"经办人身份证复印件", PaperKind::IdCardCopy}, {"房屋产权证明", PaperKind::PropertyCertificate}, {"装表接电工作单", PaperKind::Form},
                {"低压供用电合同", PaperKind::Form, 2 + static_cast<int>(rng() % 2)}};
    } else if (rng() % 2) {
        process = "低压居民新装";
        plan = {{"用电申请书", PaperKind::Form}, {idCopy, PaperKind::IdCardCopy}, {"房屋产权证明", PaperKind::PropertyCertificate},
                {"装表接电工作单", PaperKind::Form}, {"低压供用电合同", PaperKind::Form, 2 + static_cast<int>(rng() % 2)}};
    } else {
        process = "过户";
        plan = {{"过户申请书", PaperKind::Form}, {idCopy, PaperKind::IdCardCopy}, {"房屋产权证明", PaperKind::PropertyCertificate},
                {"低压供用电合同", PaperKind::Form, 2 + static_cast<int>(rng() % 2)}};
    }
    if (rng() % 3 == 0) plan.push_back({"电能计量装置装拆记录", PaperKind::Form});

    std::vector<PaperScan> pages;
    for (const auto& planned : plan)
        for (int page = 1; page <= planned.pages; ++page) {
            PaperOptions o;
            o.docType = planned.docType;
            o.businessType = planned.docType == "电能计量装置装拆记录" ? "电能表轮换" : process;
            o.kind = page == 1 ? planned.kind : PaperKind::ContractClauses;
            o.layout = static_cast<PaperLayout>(rng() % 3);
            o.handwrittenFill = handwritten;
            o.style = style;
            if (planned.kind == PaperKind::IdCardCopy) {
                // A copy carries no title, or one a clerk wrote that is not the type's name.
                static const char* kTitles[] = {"居民身份证复印件", "身份证复印件", "身份证"};
                o.style.titled = rng() % 2 == 0;
                o.style.title = company ? "法定代表人身份证" : pick(kTitles);
                o.style.titleSize = 18 + static_cast<double>(rng() % 5);
            }
            if (planned.pages > 1) {
                o.style.pageOf = page;
                o.style.pagesIn = rng() % 5 == 0 ? 0 : planned.pages;
                if (page > 1) o.style.titled = rng() % 10 < 3;
            }
            o.style.stamp = rng() % 10 < 3;
            o.dpi = rng() % 2 ? 300 : 200;
            o.damage = {rng() % 10 == 0 ? 2 : 0, (static_cast<double>(rng() % 61) - 30.0) / 10.0, rng() % 3 == 0,
                        0.0002 + static_cast<double>(rng() % 5) * 0.0002, 70 + static_cast<int>(rng() % 20), seed * 31 + static_cast<unsigned>(pages.size()),
                        rng() % 5 < 2 ? 0.1 + static_cast<double>(rng() % 30) / 100.0 : 0.0};
            o.seed = seed * 131 + static_cast<unsigned>(pages.size());
            pages.push_back(customerPaper(customer, o));
        }
    return pages;
}

}  // namespace dangan::testing
