#include "dangan/ocr/doc_type_classifier.h"

#include <algorithm>
#include <map>
#include <set>

#include "dangan/ocr/page_reader.h"
#include "text_units.h"

namespace dangan::ocr {
namespace {

struct Cue {
    std::string_view words;
    double points;
};

// A family of types that share what is printed on them (the three ID card copies, the two
// contracts). Its cues gate its members': a member's own cues count only on a page that carries
// at least `gate` points of the family's, so 法定代表人 on a business licence names no ID card.
struct Family {
    std::string_view name;
    std::vector<Cue> cues;
    double gate;
    bool multiPage;  // its later pages carry no title (a contract's clauses)
    bool numberedClauses = false;  // its body is in clauses 第一条, 第二条, …: each counts a point
    bool inRunningText = false;    // its cues are the words of its running text (a contract's terms)
};

struct TypeCues {
    std::string_view type;
    std::string_view family;             // empty: none
    std::vector<std::string_view> titles;  // what its title may say besides its name
    std::vector<Cue> cues;
    double byDefault = 0;  // points every page of its family gets (the family's usual member)
};

const std::vector<Family>& families() {
    static const std::vector<Family> all = {
        {"id_card",
         {{"公民身份号码", 4}, {"居民身份证", 3}, {"签发机关", 3}, {"有效期限", 2}, {"性别", 1}, {"民族", 1},
          {"出生", 1}, {"住址", 1}, {"中华人民共和国", 1}, {"身份证", 1}},
         3, false},
        // Every form's small print names the 用电人 and asks for a seal; a contract names the other
        // party too, and its terms.
        {"contract",
         {{"供电人", 3}, {"用电人", 1}, {"违约责任", 2}, {"供用电", 2}, {"合同", 1}, {"双方", 1}, {"电价", 1},
          {"签章", 0.5}, {"盖章", 0.5}, {"权利和义务", 2}, {"争议", 1}, {"生效", 0.5}, {"合同编号", 2}},
         5, true, true, true},
    };
    return all;
}

// What each document type of the archive carries, from what the papers are (GB/T and the
// utilities' own forms), not from any one set of pages.
const std::vector<TypeCues>& typeCues() {
    static const std::vector<TypeCues> all = {
        {"用电申请书", "", {"用电申请表", "用电报装申请书", "报装申请书", "新装用电申请"},
         {{"报装", 2}, {"申请容量", 2}, {"用电类别", 1}, {"申请人", 1}, {"用电申请", 2}}},
        {"居民身份证复印件", "id_card", {"居民身份证", "身份证复印件", "身份证"}, {{"居民", 1}}, 2},
        {"法定代表人身份证复印件", "id_card", {"法定代表人身份证"}, {{"法定代表人", 4}, {"法人代表", 4}}},
        {"经办人身份证复印件", "id_card", {"经办人身份证", "代理人身份证"},
         {{"经办人", 4}, {"代理人", 4}, {"委托", 2}}},
        {"房屋产权证明", "", {"房屋所有权证", "不动产权证书", "房产证", "产权证明", "房屋产权证"},
         {{"不动产权", 3}, {"房屋所有权", 3}, {"房屋产权", 3}, {"产权", 2}, {"建筑面积", 3}, {"坐落", 2},
          {"权利人", 2}, {"共有情况", 2}, {"规划用途", 2}, {"用途", 1}}},
        {"装表接电工作单", "", {"装表接电单", "装表接电"},
         {{"装表", 2}, {"接电", 2}, {"表号", 1}, {"互感器", 1}, {"封印", 1}, {"装表人员", 2}}},
        {"低压供用电合同", "contract", {"供用电合同", "低压供电合同"},
         {{"低压", 3}, {"0.4kV", 2}, {"220V", 2}, {"380V", 2}, {"居民", 1}}},
        {"高压供用电合同", "contract", {"供用电合同", "高压供电合同"},
         {{"高压", 3}, {"10kV", 2}, {"35kV", 2}, {"110kV", 2}, {"高供", 2}, {"专线", 1}}},
        {"营业执照复印件", "", {"营业执照"},
         {{"统一社会信用代码", 4}, {"营业执照", 4}, {"注册资本", 2}, {"成立日期", 2}, {"经营范围", 2}, {"登记机关", 3},
          {"营业期限", 2}, {"法定代表人", 1}, {"住所", 1}, {"类型", 1}, {"名称", 1}}},
        {"用电设备清单", "", {"设备清单", "用电设备明细表"},
         {{"设备名称", 2}, {"型号", 1}, {"数量", 1}, {"额定功率", 2}, {"额定容量", 2}, {"用电设备", 2}}},
        {"竣工检验报告", "", {"竣工验收报告", "竣工检验单", "竣工验收单"},
         {{"竣工", 2}, {"检验", 1}, {"验收", 2}, {"检验结论", 2}, {"验收意见", 2}}},
        {"现场勘查记录", "", {"现场勘查单", "现场勘查工作单", "勘查记录"}, {{"勘查", 3}, {"现场", 1}, {"勘查人员", 2}}},
        {"供电方案答复单", "", {"供电方案答复书", "供电方案"},
         {{"供电方案", 3}, {"答复", 2}, {"受电容量", 1}, {"计量方式", 1}, {"供电电源", 1}}},
        {"设计审查意见", "", {"设计审查意见书", "设计图纸审查"}, {{"设计", 2}, {"审查", 2}, {"图纸", 2}, {"审查意见", 3}}},
        {"中间检查记录", "", {"中间检查意见", "隐蔽工程检查"}, {{"中间检查", 3}, {"隐蔽工程", 3}, {"检查", 1}}},
        {"变更用电申请书", "", {"变更用电申请表", "变更用电"}, {{"变更", 2}, {"变更事项", 2}, {"变更原因", 2}}},
        {"过户申请书", "", {"过户申请表"}, {{"过户", 3}, {"原户名", 2}, {"新户名", 2}}},
        {"电费结清凭证", "", {"电费结清证明", "结清凭证"}, {{"结清", 3}, {"欠费", 1}}},
        {"更名申请书", "", {"更名申请表"}, {{"更名", 3}, {"原户名", 2}, {"新户名", 2}}},
        {"销户申请书", "", {"销户申请表"}, {{"销户", 3}, {"拆表", 1}}},
        {"电能计量装置装拆记录", "", {"计量装置装拆记录", "装拆记录", "电能表装拆记录"},
         {{"装拆", 3}, {"拆除", 1}, {"示数", 2}, {"表号", 1}, {"计量装置", 2}, {"电能表", 1}}},
        {"用电检查结果通知书", "", {"检查结果通知书", "用电检查通知书"},
         {{"用电检查", 3}, {"检查结果", 2}, {"整改", 1}, {"检查人员", 1}}},
        {"违约用电处理通知书", "", {"违约用电通知书", "违约用电处理"}, {{"违约用电", 3}, {"违约使用电费", 3}}},
        {"电费缴费凭证", "", {"缴费凭证", "电费收据", "电费发票", "收费凭证"}, {{"缴费", 2}, {"实收", 2}, {"收款", 1}, {"金额", 1}}},
        {"授权委托书", "", {"委托书", "授权书"}, {{"委托人", 3}, {"受托人", 3}, {"委托", 2}, {"授权", 2}}},
    };
    return all;
}

// The cues of `type`, or nullptr when the table has none for it.
const TypeCues* cuesOf(std::string_view type) {
    for (const auto& cues : typeCues())
        if (cues.type == type) return &cues;
    return nullptr;
}

// The family `type` belongs to, or nullptr.
const Family* familyOf(std::string_view type) {
    const auto* cues = cuesOf(type);
    if (!cues || cues->family.empty()) return nullptr;
    for (const auto& family : families())
        if (family.name == cues->family) return &family;
    return nullptr;
}

// How well the page's text holds `words`: short words exactly, longer ones with a character in
// four misread.
bool holds(const std::string& text, std::string_view words) {
    auto n = codePoints(words).size();
    if (n <= 3) return text.find(words) != std::string::npos;
    return containment(text, words) >= 0.75;
}

// The page's lines without their spaces, and what of them cues are looked for in.
struct PageWords {
    std::vector<std::string> lines;
    std::string all;  // every line, a line a row

    explicit PageWords(const std::vector<PrintedLine>& printed) {
        for (const auto& line : printed) {
            lines.push_back(withoutSpaces(line.text));
            all += lines.back() + "\n";
        }
    }
};

// A line at least this long is running text: the small print every form carries names other
// papers' business (供电企业应按规定时限答复供电方案，并组织竣工检验和装表接电), so a cue counts
// there only where it heads the line, as a label does, unless it is running text's own word.
constexpr std::size_t kRunningText = 16;

bool holdsCue(const PageWords& page, const Cue& cue, bool inRunningText) {
    if (inRunningText) return holds(page.all, cue.words);
    for (const auto& line : page.lines) {
        auto points = codePoints(line);
        if (points.size() < kRunningText) {
            if (holds(line, cue.words)) return true;
            continue;
        }
        std::string head;
        for (std::size_t i = 0; i < std::min(points.size(), codePoints(cue.words).size() + 2); ++i) head += points[i];
        if (holds(head, cue.words)) return true;
    }
    return false;
}

double cuePoints(const PageWords& page, const std::vector<Cue>& cues, bool inRunningText) {
    double points = 0;
    for (const auto& cue : cues)
        if (holdsCue(page, cue, inRunningText)) points += cue.points;
    return points;
}

// Clauses numbered 第一条, 第二条, …: a contract's body. Counts the distinct ones, at most three.
int numberedClauses(const std::string& text) {
    static const std::vector<std::string> numbers = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
    int found = 0;
    for (const auto& n : numbers)
        if (text.find("第" + n + "条") != std::string::npos) ++found;
    return std::min(found, 3);
}


// A line that may be the page's title: large print in its upper part, or any line near the top.
bool mayBeTitle(const PrintedLine& line) {
    return (line.top < 0.6 && line.glyphScale >= 1.3) || line.top < 0.4;
}

}  // namespace

int statedPageNumber(std::string_view line) {
    std::string text = withoutSpaces(line);
    for (std::size_t at = text.find("第"); at != std::string::npos; at = text.find("第", at + 1)) {
        std::size_t i = at + std::string_view("第").size();
        int number = 0, digits = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9' && digits < 3) {
            number = number * 10 + (text[i] - '0');
            ++i;
            ++digits;
        }
        if (digits > 0 && text.compare(i, std::string_view("页").size(), "页") == 0) return number;
    }
    return 0;
}

DocTypeClassifier::DocTypeClassifier(std::vector<std::string> knownTypes) : knownTypes_(std::move(knownTypes)) {}

DocTypeVerdict DocTypeClassifier::classify(const std::vector<PrintedLine>& lines) const {
    const PageWords page(lines);
    std::map<std::string, double> points;
    std::set<std::string> titled;

    // The title: each title-like line names the types it matches best (a type whose name is a
    // character off the best one's, 低压 for 高压, gets nothing from it).
    for (const auto& line : lines) {
        if (!mayBeTitle(line)) continue;
        std::string lineText = withoutSpaces(line.text);
        auto lineLength = codePoints(lineText).size();
        if (lineLength < 2) continue;
        std::map<std::string, double> scores;
        double best = 0;
        for (const auto& type : knownTypes_) {
            // The type's own name, or else (for a little less) what its title may say instead:
            // 高讨供用电合同 is a 高压供用电合同 more than it is any 供用电合同.
            std::vector<std::pair<std::string, double>> names = {{type, 1.0}};
            if (const auto* cues = cuesOf(type))
                for (auto title : cues->titles) names.emplace_back(title, 0.85);
            double score = 0;
            for (const auto& [name, weight] : names) {
                double s = containment(lineText, name) * weight;
                // A title is the whole line; a type named inside a longer line counts less.
                if (lineLength > codePoints(name).size() + 4) s *= 0.8;
                score = std::max(score, s);
            }
            scores[type] = score;
            best = std::max(best, score);
        }
        if (best < 0.75) continue;
        for (const auto& [type, score] : scores)
            if (score >= best - 1e-9) {
                points[type] = std::max(points[type], 10 * score);
                titled.insert(type);
            }
    }

    // What the page carries.
    std::map<std::string, double> familyPoints;
    for (const auto& family : families()) {
        familyPoints[std::string(family.name)] =
            cuePoints(page, family.cues, family.inRunningText) + (family.numberedClauses ? numberedClauses(page.all) : 0);
    }
    for (const auto& cues : typeCues()) {
        if (std::find(knownTypes_.begin(), knownTypes_.end(), cues.type) == knownTypes_.end()) continue;
        double own = cuePoints(page, cues.cues, false);
        if (const auto* family = familyOf(cues.type)) {
            // The family's evidence, capped, then what tells its members apart.
            double shared = familyPoints[std::string(family->name)];
            if (shared >= family->gate) points[std::string(cues.type)] += std::min(shared, 10.0) + own + cues.byDefault;
        } else {
            points[std::string(cues.type)] += std::min(own, 12.0);
        }
    }

    std::vector<std::pair<std::string, double>> ranked(points.begin(), points.end());
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    DocTypeVerdict verdict;
    if (ranked.empty() || ranked.front().second < 5) return verdict;
    double best = ranked.front().second, second = ranked.size() > 1 ? std::max(0.0, ranked[1].second) : 0.0;
    // Sure when the best stands well clear of the second, and has enough evidence of its own.
    double clear = (best - second) / best, strength = std::min(1.0, best / 10);
    verdict.guesses.push_back({ranked.front().first, static_cast<float>(0.5 + 0.5 * clear * strength)});
    if (second >= 5)
        verdict.guesses.push_back({ranked[1].first, static_cast<float>(0.5 * second / best * strength)});

    int pageNumber = 0;
    for (const auto& line : lines)
        if (int n = statedPageNumber(line.text); n > 0) pageNumber = n;
    const auto* family = familyOf(verdict.type());
    bool multiPage = family && family->multiPage;
    verdict.continues = pageNumber >= 2 || (multiPage && !titled.contains(verdict.type()) && pageNumber != 1);
    return verdict;
}

}  // namespace dangan::ocr
