#include "dangan/ocr/page_reader.h"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "dangan/ocr/doc_type_classifier.h"
#include "dangan/ocr/field_validation.h"
#include "dangan/ocr/read_vote.h"
#include "pix_owner.h"
#include "text_units.h"

namespace dangan::ocr {
namespace {

// The full-page pass reads at this resolution: Chinese print at 10 pt and more is read as well
// as at 300 dpi, in a quarter of the pixels.
constexpr int kPassDpi = 150;

enum class FieldKind { Account, Text, IdNumber, Phone, Code, BusinessType, Date };

struct FieldSpec {
    std::string_view name;
    FieldKind kind;
    std::vector<std::string_view> labels;
};

// Labels as the utilities' forms print them. Longer labels are matched first, so 签订日期 is
// never taken for 日期 and 用户名称 never for 户名.
const std::vector<FieldSpec>& fieldSpecs() {
    static const std::vector<FieldSpec> specs = {
        {"account_no", FieldKind::Account, {"户号", "用户编号", "客户编号", "用电户号"}},
        // 用电人 is the customer named by a contract, 名称 the one on a business licence, 权利人 the
        // owner on a property certificate (坐落 its address).
        {"name", FieldKind::Text, {"户名", "用户名称", "客户名称", "单位名称", "姓名", "用电人", "名称", "权利人"}},
        {"id_number", FieldKind::IdNumber, {"证件号码", "身份证号码", "身份证号", "公民身份号码", "统一社会信用代码"}},
        {"phone", FieldKind::Phone, {"联系电话", "电话", "手机号码", "手机"}},
        {"address", FieldKind::Text, {"用电地址", "地址", "通讯地址", "住址", "住所", "坐落"}},
        {"application_no", FieldKind::Code, {"申请编号", "业务编号", "工单编号", "申请单号"}},
        {"business_type", FieldKind::BusinessType, {"业务类型", "业务种类"}},
        {"date", FieldKind::Date, {"日期", "申请日期", "填表日期", "办理日期"}},
        {"contract_no", FieldKind::Code, {"合同编号", "合同号"}},
        {"signed_on", FieldKind::Date, {"签订日期", "签约日期", "签署日期"}},
        {"expires_on", FieldKind::Date, {"到期日期", "有效期至", "终止日期", "截止日期"}},
    };
    return specs;
}

struct Label {
    const FieldSpec* field;
    std::vector<std::string> characters;
};

const std::vector<Label>& labelsLongestFirst() {
    static const std::vector<Label> labels = [] {
        std::vector<Label> all;
        for (const auto& spec : fieldSpecs())
            for (auto label : spec.labels) all.push_back({&spec, codePoints(label)});
        std::stable_sort(all.begin(), all.end(),
                         [](const Label& a, const Label& b) { return a.characters.size() > b.characters.size(); });
        return all;
    }();
    return labels;
}

// A printed line: its glyphs left to right.
struct Row {
    std::vector<Glyph> glyphs;
    double centre = 0;
    int top = 0, bottom = 0;
};

// A table ruling read as a glyph: a bar, an underscore, a long dash, or a hyphen longer than the
// text is high. A printed hyphen is flat but short, and belongs to the value: HT-2024-0031,
// 2026-12-13 (judged against its own height, every hyphen looked like a ruling and was dropped).
bool isRule(const Glyph& g, int glyphHeight) {
    return g.text == "|" || g.text == "_" || g.text == "—" || (g.text == "-" && g.box.width > 2 * glyphHeight);
}

std::vector<Row> rowsOf(std::vector<Glyph> glyphs, int& glyphHeight) {
    std::vector<int> heights;
    for (const auto& g : glyphs) heights.push_back(g.box.height);
    if (heights.empty()) return {};
    std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
    glyphHeight = std::max(1, heights[heights.size() / 2]);
    std::erase_if(glyphs, [&](const Glyph& g) { return g.box.height > 4 * glyphHeight || (g.text == "|"); });
    std::sort(glyphs.begin(), glyphs.end(), [](const Glyph& a, const Glyph& b) {
        return a.box.y + a.box.height / 2.0 < b.box.y + b.box.height / 2.0;
    });
    std::vector<Row> rows;
    for (auto& g : glyphs) {
        double centre = g.box.y + g.box.height / 2.0;
        Row* row = nullptr;
        // Judged against the larger of the page's glyph and this one: a title's large glyphs on a
        // skewed line stray further from its centre than small print does.
        for (auto it = rows.rbegin(); it != rows.rend() && it - rows.rbegin() < 3; ++it)
            if (std::abs(it->centre - centre) < 0.5 * std::max(glyphHeight, g.box.height)) {
                row = &*it;
                break;
            }
        if (!row) {
            rows.push_back({{}, centre, g.box.y, g.box.bottom()});
            row = &rows.back();
        }
        row->centre = (row->centre * static_cast<double>(row->glyphs.size()) + centre) / static_cast<double>(row->glyphs.size() + 1);
        row->top = std::min(row->top, g.box.y);
        row->bottom = std::max(row->bottom, g.box.bottom());
        row->glyphs.push_back(std::move(g));
    }
    for (auto& r : rows)
        std::sort(r.glyphs.begin(), r.glyphs.end(), [](const Glyph& a, const Glyph& b) { return a.box.x < b.box.x; });
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.centre < b.centre; });
    return rows;
}

// The usual height of a row's glyphs.
int rowGlyphHeight(const Row& row) {
    std::vector<int> heights;
    for (const auto& g : row.glyphs) heights.push_back(g.box.height);
    if (heights.empty()) return 0;
    std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
    return heights[heights.size() / 2];
}

// A row in print larger than the page's usual: a title or a heading, never a form's label cell.
bool isLargePrint(const Row& row, int glyphHeight) { return rowGlyphHeight(row) > glyphHeight * 13 / 10; }

std::string rowText(const Row& row, int glyphHeight, std::size_t from = 0, std::size_t to = std::string::npos) {
    std::string text;
    to = std::min(to, row.glyphs.size());
    for (std::size_t i = from; i < to; ++i) {
        if (i > from && row.glyphs[i].box.x - row.glyphs[i - 1].box.right() > glyphHeight) text += ' ';
        text += row.glyphs[i].text;
    }
    return text;
}

TextBox unionBox(const std::vector<Glyph>& glyphs, std::size_t from, std::size_t to) {
    int left = glyphs[from].box.x, top = glyphs[from].box.y, right = glyphs[from].box.right(),
        bottom = glyphs[from].box.bottom();
    for (std::size_t i = from + 1; i < to; ++i) {
        left = std::min(left, glyphs[i].box.x);
        top = std::min(top, glyphs[i].box.y);
        right = std::max(right, glyphs[i].box.right());
        bottom = std::max(bottom, glyphs[i].box.bottom());
    }
    return {left, top, right - left, bottom - top};
}

bool isSeparator(const std::string& s) {
    return s == ":" || s == "：" || s == "|" || s == "_" || s == "." || s == "," || s == "，" || s == "、" || s == ";";
}

// What a field's value is made of: its glyphs in the full-page pass and where they are.
struct ValueSpot {
    const FieldSpec* field;
    std::string firstRead;
    float firstConfidence = 0;
    TextBox box;         // in the pass image's pixels
    int labelRight = 0;  // where its label (and the label's colon) ends
    int rightLimit = 0;  // where the next thing read in its row begins (or the row's end)
};

// A label printed in a row: the field it names and the glyphs it spans.
struct FoundLabel {
    const FieldSpec* field;
    std::size_t start, end;
};

// The labels in `g` (a row's glyphs, left to right), in order; longer labels win.
std::vector<FoundLabel> labelsIn(const std::vector<Glyph>& g, int glyphHeight) {
    std::vector<int> owner(g.size(), -1);  // the label occurrence a glyph belongs to
    std::vector<FoundLabel> found;
    for (const auto& label : labelsLongestFirst()) {
        const auto n = label.characters.size();
        for (std::size_t i = 0; i + n <= g.size(); ++i) {
            bool match = true;
            for (std::size_t k = 0; k < n && match; ++k)
                match = owner[i + k] < 0 && g[i + k].text == label.characters[k] &&
                        (k == 0 || g[i + k].box.x - g[i + k - 1].box.right() < glyphHeight * 3 / 2);
            // A label begins its cell: the row's start, after a separator or a ruling, or after a
            // gap. The same words inside running text are prose (供电人向用电人提供…), not a label.
            if (match && i > 0 && !isSeparator(g[i - 1].text) && !isRule(g[i - 1], glyphHeight) &&
                g[i].box.x - g[i - 1].box.right() < glyphHeight / 2)
                match = false;
            if (!match) continue;
            for (std::size_t k = 0; k < n; ++k) owner[i + k] = static_cast<int>(found.size());
            found.push_back({label.field, i, i + n});
        }
    }
    std::sort(found.begin(), found.end(), [](const FoundLabel& a, const FoundLabel& b) { return a.start < b.start; });
    return found;
}

// Every character the labels are written with, for reading a label cell again.
const std::string& labelCharacters() {
    static const std::string characters = [] {
        std::string all = ":：";
        for (const auto& label : labelsLongestFirst())
            for (const auto& c : label.characters)
                if (all.find(c) == std::string::npos) all += c;
        return all;
    }();
    return characters;
}

// The field whose label `text` is, or nullptr.
const FieldSpec* fieldLabelled(std::string_view text) {
    for (const auto& spec : fieldSpecs())
        if (std::find(spec.labels.begin(), spec.labels.end(), text) != spec.labels.end()) return &spec;
    return nullptr;
}

bool isLabel(std::string_view text) { return fieldLabelled(text) != nullptr; }

std::vector<ValueSpot> spotValues(const std::vector<Row>& rows, int glyphHeight) {
    std::vector<ValueSpot> spots;
    for (const auto& row : rows) {
        const auto& g = row.glyphs;
        auto found = labelsIn(g, glyphHeight);
        for (std::size_t f = 0; f < found.size(); ++f) {
            std::size_t from = found[f].end, to = f + 1 < found.size() ? found[f + 1].start : g.size();
            // A number or code begins with an ASCII character: a Chinese glyph before it is what
            // is left of a misread label (用户号编: 户号 found, 编 left over).
            bool asciiValue = found[f].field->kind != FieldKind::Text && found[f].field->kind != FieldKind::BusinessType;
            while (from < to && (isSeparator(g[from].text) || (asciiValue && g[from].text.size() > 1))) ++from;
            const std::size_t cellEnd = to;
            while (to > from && isSeparator(g[to - 1].text)) --to;
            // A value ends where a wide gap opens after it (the next cell of a table row).
            for (std::size_t i = from + 1; i < to; ++i)
                if (g[i].box.x - g[i - 1].box.right() > 4 * glyphHeight) {
                    to = i;
                    break;
                }
            if (from >= to) continue;
            // A number's last digit read as a dot or comma right after it (356194339. for
            // 3561943391) is not its value, but is read again with it.
            std::size_t boxEnd = to;
            while (asciiValue && boxEnd < cellEnd && isSeparator(g[boxEnd].text) &&
                   g[boxEnd].box.x - g[boxEnd - 1].box.right() < glyphHeight)
                ++boxEnd;
            ValueSpot spot{found[f].field, "", 0, unionBox(g, from, boxEnd), g[from - 1].box.right(),
                           to < g.size() ? g[to].box.x : std::numeric_limits<int>::max()};
            float sum = 0;
            for (std::size_t i = from; i < to; ++i) {
                if (isRule(g[i], glyphHeight)) continue;
                spot.firstRead += g[i].text;
                sum += g[i].confidence;
            }
            spot.firstConfidence = sum / static_cast<float>(to - from);
            spots.push_back(std::move(spot));
        }
    }
    return spots;
}

// `text` without any of `marks`.
std::string without(std::string_view text, const std::vector<std::string>& marks) {
    std::string out;
    for (const auto& c : codePoints(text))
        if (std::find(marks.begin(), marks.end(), c) == marks.end()) out += c;
    return out;
}

// Numbers and codes hold no quotation marks or colons: what reads as such inside one is a label's
// colon run into the value (户号：3510216213 read as 3:510216213, 2“05791584855) or a speck.
std::string withoutStrayMarks(std::string_view text) {
    static const std::vector<std::string> kStray = {"“", "”", "‘", "’", "\"", "'", ":", "：", ";", "；", "`"};
    return without(text, kStray);
}

std::string upperAscii(std::string text) {
    for (auto& c : text)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return text;
}

// Names and addresses carry no quotation marks or sentence punctuation: what reads as such is a
// table's ruling or a colon's dot.
std::string withoutPunctuation(std::string_view text) {
    static const std::vector<std::string> kStray = {"“", "”", "‘", "’", "\"", "'", "，", ",", "、", "。", ".", ":", "：",
                                                    ";", "；", "|", "_", "—", "`", "~", "!", "！", "?", "？", "[", "]"};
    return without(text, kStray);
}

bool isCode(const std::string& value) {
    if (value.size() < 4 || value.size() > 32) return false;
    return std::all_of(value.begin(), value.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '-'; });
}

// Whether the paper of `gray` is light in one part and grey in another (uneven light: a lid not
// closed, a fold's shadow, a photographed page). Tesseract's one threshold for the page then takes
// the grey paper for ink and reads nothing there. Paper is each 16-pixel block's lightest pixel
// (glyphs and rulings are thinner than a block); the page is uneven when the paper of its lightest
// and darkest sixths (of a 6 × 6 grid, each its median) differ by more than kUnevenLight.
constexpr l_uint32 kUnevenLight = 40;
bool unevenlyLit(Pix* gray) {
    PixPtr paper(pixScaleGrayMinMax(gray, 16, 16, L_CHOOSE_MAX));
    if (!paper) return false;
    int w = pixGetWidth(paper.get()), h = pixGetHeight(paper.get());
    constexpr int kGrid = 6;
    if (w < kGrid * 2 || h < kGrid * 2) return false;
    std::vector<l_uint32> tiles;
    for (int ty = 0; ty < kGrid; ++ty)
        for (int tx = 0; tx < kGrid; ++tx) {
            BOX* clip = boxCreate(tx * w / kGrid, ty * h / kGrid, w / kGrid, h / kGrid);
            PixPtr tile(pixClipRectangle(paper.get(), clip, nullptr));
            boxDestroy(&clip);
            l_uint32 median = 0;
            if (tile && pixGetRankValue(tile.get(), 1, 0.5f, &median) == 0) tiles.push_back(median);
        }
    if (tiles.size() < 2) return false;
    auto [darkest, lightest] = std::minmax_element(tiles.begin(), tiles.end());
    return *lightest - *darkest > kUnevenLight;
}

PixPtr decode(std::string_view bytes) {
    static std::once_flag quiet;
    std::call_once(quiet, [] { setMsgSeverity(L_SEVERITY_NONE); });
    PixPtr pix(pixReadMem(reinterpret_cast<const l_uint8*>(bytes.data()), bytes.size()));
    if (!pix) throw EngineError("the page image cannot be decoded");
    if (pixGetDepth(pix.get()) != 8 || pixGetColormap(pix.get())) pix.reset(pixConvertTo8(pix.get(), 0));
    if (!pix) throw EngineError("the page image cannot be converted to gray");
    if (unevenlyLit(pix.get())) {
        int dpi = pixGetXRes(pix.get());
        PixPtr even(pixBackgroundNormSimple(pix.get(), nullptr, nullptr));  // paper made grey 200 everywhere
        if (even) even.reset(pixGammaTRC(nullptr, even.get(), 1.0f, 0, 200));  // and white again
        if (even) {
            pixSetResolution(even.get(), dpi, dpi);
            return even;
        }
    }
    return pix;
}

// Where `spot`'s value should begin. In a table the values of a column begin at one edge; when
// the page pass dropped a value's first glyphs (a handwritten name's rare character), its first
// glyph read lies right of that edge, which two other values of the page share.
int valueColumnLeft(const std::vector<ValueSpot>& spots, const ValueSpot& spot, int glyphHeight) {
    std::vector<int> edges;
    for (const auto& other : spots)
        if (other.box.x > spot.labelRight && other.box.x < spot.box.x - glyphHeight) edges.push_back(other.box.x);
    std::sort(edges.begin(), edges.end());
    for (std::size_t i = 0; i + 1 < edges.size(); ++i)
        if (edges[i + 1] - edges[i] < glyphHeight / 2) return edges[i];
    return spot.box.x;
}

// `box` (in the pass image) with a little room around its glyphs, scaled by `factor`; not so much
// room that a table's ruling comes in (it reads as a 1).
TextBox regionAround(const TextBox& box, int glyphHeight, double factor) {
    int pad = std::max(2, glyphHeight / 4);
    return {std::max(0, static_cast<int>((box.x - pad) * factor)), std::max(0, static_cast<int>((box.y - pad) * factor)),
            static_cast<int>((box.width + 2 * pad) * factor), static_cast<int>((box.height + 2 * pad) * factor)};
}

// Whether `value` (as the page pass read it) has the shape of a value of `kind`: digits for a
// number, Chinese for a name. Tells apart the labels a misread cell could be (户过 before
// 3510216213 is 户号, not 户名).
bool fitsShape(FieldKind kind, std::string_view value) {
    std::string v = withoutPunctuation(withoutStrayMarks(withoutSpaces(value)));
    auto digits = std::count_if(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
    auto chinese = std::count_if(v.begin(), v.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xE0) == 0xE0; });
    switch (kind) {
    case FieldKind::Account:
    case FieldKind::Phone:
    case FieldKind::IdNumber: return digits >= 6 && chinese == 0;
    case FieldKind::Code: return digits >= 4 && chinese == 0;
    case FieldKind::Date: return digits >= 4;
    case FieldKind::Text:
    case FieldKind::BusinessType: return chinese >= 2 && digits == 0;
    }
    return false;
}

// The one label with as many characters as `cell` that shares a character, in the same place,
// with the cell as the page pass read it or with `reread` (方号 or 号 for 户号); of several, the
// one whose field `value` fits (户过 before 3510216213: 户号, not 户名); empty when none or
// several remain.
std::string labelSharingCharacters(const std::vector<Glyph>& cell, const std::string& reread, std::string_view value) {
    auto again = codePoints(reread);
    std::vector<const Label*> sharing;
    for (const auto& label : labelsLongestFirst()) {
        const auto& l = label.characters;
        if (l.size() != cell.size()) continue;
        bool shares = false;
        for (std::size_t k = 0; k < l.size() && !shares; ++k)
            shares = cell[k].text == l[k] || (again.size() == l.size() && again[k] == l[k]) ||
                     (k + 1 == l.size() && !again.empty() && again.back() == l[k]);
        if (shares) sharing.push_back(&label);
    }
    // Several: the one whose field the value fits, if just one does.
    if (sharing.size() > 1)
        std::erase_if(sharing, [&](const Label* label) { return !fitsShape(label->field->kind, value); });
    if (sharing.size() != 1) return "";
    std::string out;
    for (const auto& c : sharing.front()->characters) out += c;
    return out;
}

// Headings that forms print beside a label's and that name no key field: the other party and the
// customer's people (供电人 beside 用电人, 联系人 and 法定代表人 beside 户名). A cell read as one of
// them is left as it is, never reread into the label it resembles.
bool isOtherHeading(const std::vector<Glyph>& cell) {
    static const std::vector<std::string> kHeadings = {"供电人", "供电方", "联系人", "法定代表人", "法人代表", "经办人",
                                                       "委托人", "受托人", "代理人", "负责人", "供电电压", "供电单位"};
    std::string text;
    for (const auto& g : cell)
        if (!isSeparator(g.text)) text += g.text;
    return std::find(kHeadings.begin(), kHeadings.end(), text) != kHeadings.end();
}

// Good label rereads score 0.96 to 0.98; a word of a value forced into label characters, less.
constexpr float kLeastLabelConfidence = 0.8f;

// Whether the glyphs [from, to) of `g` are separators only (or none at all).
bool onlySeparators(const std::vector<Glyph>& g, std::size_t from, std::size_t to) {
    return std::all_of(g.begin() + static_cast<std::ptrdiff_t>(from), g.begin() + static_cast<std::ptrdiff_t>(to),
                       [](const Glyph& glyph) { return isSeparator(glyph.text); });
}

// `box` of glyphs in `row`, at least a glyph high about the row's centre line: a glyph read in
// pieces may have lost its lower part (not the row's whole height, which a stray mark or a
// table's ruling can double, and then a reread finds no line).
TextBox aboutCentreLine(const Row& row, TextBox box, int glyphHeight) {
    int top = std::min(box.y, static_cast<int>(row.centre - 0.6 * glyphHeight));
    box.height = std::max(box.bottom(), static_cast<int>(row.centre + 0.6 * glyphHeight)) - top;
    box.y = top;
    return box;
}

// The glyphs [from, to) of `g` replaced by `text` read again inside `box`, its characters spread
// evenly over the box.
void replaceGlyphs(std::vector<Glyph>& g, std::size_t from, std::size_t to, const std::string& text, const TextBox& box,
                   float confidence) {
    auto characters = codePoints(text);
    std::vector<Glyph> read;
    int width = box.width / static_cast<int>(characters.size());
    for (std::size_t k = 0; k < characters.size(); ++k)
        read.push_back({characters[k], {box.x + static_cast<int>(k) * width, box.y, width, box.height}, confidence});
    g.erase(g.begin() + static_cast<std::ptrdiff_t>(from), g.begin() + static_cast<std::ptrdiff_t>(to));
    g.insert(g.begin() + static_cast<std::ptrdiff_t>(from), read.begin(), read.end());
}

// `region` of `image` read as one line, or else, when Tesseract's line finder finds no line in
// the clip (it now and then finds none in a short one: 朱洋杰 read as nothing, and as itself when
// taken as a line), as it stands.
LineText readLineOrAsItStands(TesseractEngine& engine, Pix* image, int dpi, const TextBox& region, LineReading how) {
    LineText line = engine.readLine(image, dpi, region, how);
    if (line.glyphs.empty() && !how.rawLine) {
        how.rawLine = true;
        line = engine.readLine(image, dpi, region, how);
    }
    return line;
}

// A form's label cell that the page pass misread (户号 as 忆号, 方号 or 广滞: small, open glyphs at low
// resolution) is read again at full resolution with only the labels' characters. A cell is taken
// for a label when that read is exactly one, with good confidence, or else when just one label of
// its length shares a character in place with it. Only cells with a value after them are tried, and
// the value must pass its field's checks, so prose and titles are left alone: a cell followed by
// another in its row (a table), or the Chinese start of a cell whose value follows it in the same
// cell after a narrow gap (an inline form: 户号 3499995457).
void rereadLabelCells(std::vector<Row>& rows, int glyphHeight, TesseractEngine& engine, Pix* page, int dpi,
                      double scale) {
    for (auto& row : rows) {
        if (isLargePrint(row, glyphHeight)) continue;  // a title misread is not a label (装表接电 as 填表日期)
        auto& g = row.glyphs;
        std::vector<std::size_t> starts{0};
        for (std::size_t i = 1; i < g.size(); ++i)
            if (g[i].box.x - g[i - 1].box.right() > 2 * glyphHeight) starts.push_back(i);
        starts.push_back(g.size());
        // Cells right to left, so that replacing one keeps the indexes of those before it.
        for (std::size_t c = starts.size() - 1; c-- > 0;) {
            std::size_t from = starts[c], to = starts[c + 1];
            bool last = c + 2 == starts.size();
            std::size_t value = from;  // the first glyph of a value written in the same cell
            while (value < to && (g[value].text.size() > 1 || isSeparator(g[value].text))) ++value;
            if (value < to) to = value;
            else if (last) continue;  // nothing follows it
            while (to > from && isSeparator(g[to - 1].text)) --to;
            std::size_t wide = 0;
            for (std::size_t i = from; i < to; ++i) wide += g[i].text.size() > 1 ? 1 : 0;
            if (to == from || to - from > 7 || wide == 0) continue;
            std::vector<Glyph> cell(g.begin() + static_cast<std::ptrdiff_t>(from), g.begin() + static_cast<std::ptrdiff_t>(to));
            if (!labelsIn(cell, glyphHeight).empty() || isOtherHeading(cell)) continue;
            TextBox box = aboutCentreLine(row, unionBox(g, from, to), glyphHeight);
            TextBox region = regionAround(box, glyphHeight, 1.0 / scale);
            LineText line = engine.readLine(page, dpi, region, {labelCharacters()});
            if (!isLabel(withoutPunctuation(withoutSpaces(line.text))))
                line = engine.readLine(page, dpi, region, {labelCharacters(), true});
            std::string label = withoutPunctuation(withoutSpaces(line.text));
            // The value that follows: in the same cell, or the next cell of the row.
            std::size_t valueEnd = value < starts[c + 1] ? starts[c + 1] : (c + 2 < starts.size() ? starts[c + 2] : g.size());
            std::string following;
            for (std::size_t i = to; i < valueEnd; ++i) following += g[i].text;
            // A label read whose value has another field's shape is misread too (户号 as 户名).
            const FieldSpec* named = fieldLabelled(label);
            if (!named || line.confidence < kLeastLabelConfidence || !fitsShape(named->kind, following))
                label = labelSharingCharacters(cell, label, following);
            if (label.empty()) continue;
            replaceGlyphs(g, from, to, label, box, line.confidence);
        }
    }
}

// A value misread as a label: a handwritten 李丽 read as 手机 and 吴伟 as 户号 in the page pass,
// so that 户名 seemed to have no value and the "label" none either. A label printed right after
// another (nothing but separators between them) and followed by no value of its own is read
// again alone at full resolution; unless it reads as a label again, its glyphs are the first
// label's value (on the 1,000-page benchmark, 3 names in 1,000 were lost so).
void unmaskValuesReadAsLabels(std::vector<Row>& rows, int glyphHeight, TesseractEngine& engine, Pix* page, int dpi,
                              double scale) {
    for (auto& row : rows) {
        auto& g = row.glyphs;
        auto found = labelsIn(g, glyphHeight);
        // Right to left, so that replacing one keeps the indexes of those before it.
        for (std::size_t f = found.size(); f-- > 1;) {
            const auto& before = found[f - 1];
            const auto& suspect = found[f];
            std::size_t next = f + 1 < found.size() ? found[f + 1].start : g.size();
            if (!onlySeparators(g, before.end, suspect.start) || !onlySeparators(g, suspect.end, next)) continue;
            TextBox box = aboutCentreLine(row, unionBox(g, suspect.start, suspect.end), glyphHeight);
            LineText line = engine.readLine(page, dpi, regionAround(box, glyphHeight, 1.0 / scale), {});
            std::string text = withoutPunctuation(withoutSpaces(line.text));
            if (text.empty() || isLabel(text)) continue;
            replaceGlyphs(g, suspect.start, suspect.end, text, box, line.confidence);
        }
    }
}

}  // namespace

std::string isoDate(std::string_view text) {
    std::vector<int> parts;
    int current = -1, digits = 0;
    for (char c : text) {
        if (c >= '0' && c <= '9') {
            current = (current < 0 ? 0 : current * 10) + (c - '0');
            if (++digits > 4) return "";
        } else if (current >= 0) {
            parts.push_back(current);
            current = -1;
            digits = 0;
        }
    }
    if (current >= 0) parts.push_back(current);
    if (parts.size() != 3) return "";
    int y = parts[0], m = parts[1], d = parts[2];
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return "";
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > kDays[m - 1] + (m == 2 && leap ? 1 : 0)) return "";
    char out[40];  // room for any int, so the compiler need not prove the range
    std::snprintf(out, sizeof out, "%04d-%02d-%02d", y, m, d);
    return out;
}

double containment(std::string_view text, std::string_view word) {
    auto t = codePoints(text), w = codePoints(word);
    if (w.empty()) return 0;
    // Best window: the edit distance of `word` against any substring of `text` (semi-global).
    std::vector<std::size_t> row(t.size() + 1, 0);
    for (std::size_t i = 1; i <= w.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= t.size(); ++j) {
            std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (w[i - 1] == t[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    std::size_t best = *std::min_element(row.begin(), row.end());
    return std::max(0.0, 1.0 - static_cast<double>(best) / static_cast<double>(w.size()));
}

std::string bestMatch(std::string_view text, const std::vector<std::string>& words, double least) {
    std::string best;
    double bestScore = least;
    std::size_t bestLength = 0;
    for (const auto& w : words) {
        double score = containment(text, w);
        std::size_t length = codePoints(w).size();
        // Ties go to the longer name: 高压供用电合同 over 供用电合同.
        if (score > bestScore || (score == bestScore && !best.empty() && length > bestLength) ||
            (score >= least && best.empty())) {
            best = w;
            bestScore = score;
            bestLength = length;
        }
    }
    return best;
}

std::optional<std::string> fieldValueProblem(std::string_view field, std::string_view value) {
    const FieldSpec* spec = nullptr;
    for (const auto& s : fieldSpecs())
        if (s.name == field) spec = &s;
    if (!spec) return "unknown field '" + std::string(field) + "'";
    if (value.empty() || value.size() > 200) return std::string(field) + " must be 1 to 200 bytes";
    std::string v(value);
    switch (spec->kind) {
    case FieldKind::Account:
        if (auto p = checkAccountNumber(v)) return p->message;
        break;
    case FieldKind::IdNumber:
        if (auto p = checkIdNumber(v)) return p->message;
        break;
    case FieldKind::Phone:
        if (auto p = checkPhone(v)) return p->message;
        break;
    case FieldKind::Code:
        if (!isCode(v)) return std::string(field) + " must be 4 to 32 capital letters, digits or '-'";
        break;
    case FieldKind::Date:
        if (isoDate(v) != v) return std::string(field) + " must be a date that exists, as YYYY-MM-DD";
        break;
    case FieldKind::BusinessType:
    case FieldKind::Text:
        break;
    }
    return std::nullopt;
}

// The page as decoded, and the lower-resolution copy the page pass reads.
struct PageImages {
    PixPtr page;
    int dpi = 300;
    PixPtr pass;
    int passDpi = kPassDpi;
    double scale = 1.0;  // pass pixels per page pixel
    PixPtr print;        // the pass made binary, without a table's rulings (see printOf)
};

// What stage one leaves for stage two.
struct ProseLeft {
    PageImages images;
    std::vector<Row> rows;          // the rows read in stage one
    int glyphHeight = 1;
    std::vector<ValueSpot> spots;   // the values found in stage one (for column edges)
    std::vector<TextBox> prose;     // the lines of prose, unread, in the pass image
    std::vector<PrintedLine> titles;  // the page's large print read again alone (see rereadTitles)
};

namespace {

PageImages pageImages(std::string_view imageBytes) {
    PageImages images;
    images.page = decode(imageBytes);
    images.dpi = pixGetXRes(images.page.get());
    if (images.dpi < 100 || images.dpi > 1200) images.dpi = 300;
    images.scale = images.dpi > kPassDpi * 4 / 3 ? static_cast<double>(kPassDpi) / images.dpi : 1.0;
    auto scale = static_cast<float>(images.scale);
    images.pass.reset(images.scale < 1.0 ? pixScaleAreaMap(images.page.get(), scale, scale) : pixClone(images.page.get()));
    if (!images.pass) throw EngineError("the page image cannot be scaled");
    images.passDpi = static_cast<int>(std::lround(images.dpi * images.scale));
    return images;
}

// A line may be prose when it is at least this many line-heights long.
constexpr int kLeastProseLength = 12;

// A line read alone as a row of its own, in its place among `rows` (top to bottom).
void addRow(std::vector<Row>& rows, const LineText& line, int glyphHeight) {
    Row row;
    for (const auto& g : line.glyphs)
        if (g.box.height <= 4 * glyphHeight && g.text != "|") row.glyphs.push_back(g);
    if (row.glyphs.empty()) return;
    std::sort(row.glyphs.begin(), row.glyphs.end(), [](const Glyph& a, const Glyph& b) { return a.box.x < b.box.x; });
    TextBox box = unionBox(row.glyphs, 0, row.glyphs.size());
    row.top = box.y;
    row.bottom = box.bottom();
    row.centre = box.y + box.height / 2.0;
    auto at = std::upper_bound(rows.begin(), rows.end(), row.centre, [](double centre, const Row& r) { return centre < r.centre; });
    rows.insert(at, std::move(row));
}

// A run of inked columns in a line: [start, end) from the line's left, its highest ink, and how
// many blobs it is made of.
struct InkMark {
    int start = 0, end = 0, top = 0, pieces = 0;
};

// The marks of `line` in `ink` (the pass image made binary), left to right; specks of the scan
// are left out.
std::vector<InkMark> inkMarks(Pix* page, const TextBox& line) {
    BOX* clip = boxCreate(line.x, line.y, line.width, line.height);
    PixPtr ink(pixClipRectangle(page, clip, nullptr));
    boxDestroy(&clip);
    if (!ink) return {};
    BOXA* found = pixConnCompBB(ink.get(), 8);
    if (!found) return {};
    int width = pixGetWidth(ink.get());
    std::vector<int> top(static_cast<std::size_t>(width), -1);  // the highest ink of each column, -1: none
    std::vector<TextBox> blobs;
    for (l_int32 i = 0; i < boxaGetCount(found); ++i) {
        TextBox b;
        boxaGetBoxGeometry(found, i, &b.x, &b.y, &b.width, &b.height);
        if (b.width * b.height < 4) continue;
        blobs.push_back(b);
        for (int c = b.x; c < b.right() && c < width; ++c) {
            auto& t = top[static_cast<std::size_t>(c)];
            t = t < 0 ? b.y : std::min(t, b.y);
        }
    }
    boxaDestroy(&found);
    std::vector<InkMark> marks;
    for (int c = 0; c < width; ++c) {
        int t = top[static_cast<std::size_t>(c)];
        if (t < 0) continue;
        if (marks.empty() || marks.back().end < c) marks.push_back({c, c + 1, t, 0});
        marks.back().end = c + 1;
        marks.back().top = std::min(marks.back().top, t);
    }
    for (auto& m : marks)
        m.pieces = static_cast<int>(
            std::count_if(blobs.begin(), blobs.end(), [&](const TextBox& b) { return b.x >= m.start && b.right() <= m.end; }));
    return marks;
}

// Whether `line` of `ink` runs unbroken: no gap of 0.6 line-height opens between its glyphs but
// after a comma or full stop, one narrow blob in the lower half of the line. A label leaves its
// gap after a colon's two dots, or after a whole glyph when it has no colon.
bool unbroken(Pix* ink, const TextBox& line) {
    int h = std::max(1, line.height);
    auto marks = inkMarks(ink, line);
    for (std::size_t i = 0; i + 1 < marks.size(); ++i) {
        if (5 * (marks[i + 1].start - marks[i].end) < 3 * h) continue;
        bool punctuation = 3 * (marks[i].end - marks[i].start) < h && 20 * marks[i].top > 9 * h && marks[i].pieces == 1;
        if (!punctuation) return false;
    }
    return true;
}

// The runs of print in `line` of `ink`: marks closer than 0.8 line-height joined; a table's
// rulings (narrow marks) left out.
std::vector<TextBox> printRuns(Pix* ink, const TextBox& line) {
    int h = std::max(1, line.height);
    std::vector<TextBox> runs;
    int start = -1, end = -1;
    auto close = [&] {
        if (start >= 0 && 5 * (end - start) >= 4 * h) runs.push_back({line.x + start, line.y, end - start, line.height});
    };
    for (const auto& m : inkMarks(ink, line)) {
        if (3 * (m.end - m.start) < h && m.top < h / 4) continue;  // a ruling, or the stem of one
        if (start >= 0 && 5 * (m.start - end) < 4 * h) {
            end = m.end;
            continue;
        }
        close();
        start = m.start;
        end = m.end;
    }
    close();
    return runs;
}

// Print the page pass left unread. Tesseract's page layout now and then drops a whole column of
// a form (its labels, short and alike, taken for something else than text), or a title; each run
// of print in a printed line that no glyph read lies in is read alone and put in its row. Lines
// more than two and a half glyphs high are a seal or a photo, save in the upper part of the page,
// where a title may be up to four.
void readUnreadPrint(std::vector<Row>& rows, int glyphHeight, const std::vector<TextBox>& lines, Pix* ink,
                     TesseractEngine& engine, const PageImages& images) {
    int pageHeight = pixGetHeight(ink);
    for (const auto& line : lines) {
        int tallest = line.y < pageHeight * 3 / 5 ? 4 * glyphHeight : 2 * glyphHeight + glyphHeight / 2;
        if (line.height > tallest || line.height < glyphHeight / 2) continue;
        for (const auto& run : printRuns(ink, line)) {
            // A glyph read as a blank (a bold title, now and then, as one space) is not read.
            bool read = std::any_of(rows.begin(), rows.end(), [&](const Row& row) {
                return std::any_of(row.glyphs.begin(), row.glyphs.end(), [&](const Glyph& g) {
                    if (g.text.find_first_not_of(' ') == std::string::npos) return false;
                    double x = g.box.x + g.box.width / 2.0, y = g.box.y + g.box.height / 2.0;
                    return x >= run.x && x <= run.right() && y >= run.y && y <= run.bottom();
                });
            });
            if (read) continue;
            int pad = std::max(1, run.height / 5);
            TextBox around{std::max(0, run.x - pad), std::max(0, run.y - pad), run.width + 2 * pad, run.height + 2 * pad};
            auto text = engine.readLine(images.pass.get(), images.passDpi, around, {});
            if (text.glyphs.empty()) continue;
            double centre = run.y + run.height / 2.0;
            auto row = std::min_element(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
                return std::abs(a.centre - centre) < std::abs(b.centre - centre);
            });
            if (row == rows.end() || std::abs(row->centre - centre) > 0.6 * glyphHeight) {
                addRow(rows, text, glyphHeight);
                continue;
            }
            for (const auto& g : text.glyphs) {
                auto at = std::upper_bound(row->glyphs.begin(), row->glyphs.end(), g,
                                           [](const Glyph& a, const Glyph& b) { return a.box.x < b.box.x; });
                row->glyphs.insert(at, g);
            }
            row->top = std::min(row->top, run.y);
            row->bottom = std::max(row->bottom, run.bottom());
        }
    }
}

// The print of `page` (a binary image): a table's rulings taken out, and the specks of the scan.
PixPtr printOf(Pix* page) {
    int resolution = std::max(1, pixGetXRes(page));
    int ruling = std::max(8, resolution / 3);  // a third of an inch: longer than a glyph's stroke
    PixPtr vertical(pixOpenBrickDwa(nullptr, page, 1, ruling));
    PixPtr horizontal(pixOpenBrickDwa(nullptr, page, ruling, 1));
    if (!vertical || !horizontal) return nullptr;
    PixPtr unruled(pixSubtract(nullptr, page, vertical.get()));
    if (!unruled) return nullptr;
    pixSubtract(unruled.get(), unruled.get(), horizontal.get());
    // Specks of the scan would join lines and make bands of their own.
    return PixPtr(pixSelectBySize(unruled.get(), 3, 3, 8, L_SELECT_IF_EITHER, L_SELECT_IF_GTE, nullptr));
}

// The box of the ink of `print` within `box`, or nothing when it holds none.
std::optional<TextBox> inkedBoxWithin(Pix* print, const TextBox& box) {
    BoxPtr within(boxCreate(box.x, box.y, box.width, box.height));
    BOX* found = nullptr;
    if (!within || pixClipBoxToForeground(print, within.get(), nullptr, &found) != 0 || !found) return std::nullopt;
    BoxPtr inked(found);
    TextBox b;
    boxGetGeometry(inked.get(), &b.x, &b.y, &b.width, &b.height);
    return b;
}

// How many pixels of ink `print` has within `box`.
int inkWithin(Pix* print, const TextBox& box) {
    BoxPtr within(boxCreate(box.x, box.y, box.width, box.height));
    l_int32 count = 0;
    if (!within || pixCountPixelsInRect(print, within.get(), &count, nullptr) != 0) return 0;
    return count;
}

// A label the page pass read with nothing after it, though print follows it in its row: the
// page layout dropped the value (a handwritten name beside a skewed row, taken for part of the
// row below). The print right of the label, up to the row's next label, is read alone and put in
// the row after it. A field left blank has no print there and costs nothing.
void readAfterBareLabels(std::vector<Row>& rows, int glyphHeight, TesseractEngine& engine, const PageImages& images) {
    Pix* print = images.print.get();
    int pageWidth = pixGetWidth(print), pageHeight = pixGetHeight(print);
    auto toPass = [&](int v) { return static_cast<int>(std::lround(v * images.scale)); };
    for (auto& row : rows) {
        auto& g = row.glyphs;
        auto found = labelsIn(g, glyphHeight);
        // Right to left, so that adding glyphs keeps the indexes of the labels before.
        for (std::size_t f = found.size(); f-- > 0;) {
            std::size_t next = f + 1 < found.size() ? found[f + 1].start : g.size();
            if (!onlySeparators(g, found[f].end, next)) continue;
            TextBox label = unionBox(g, found[f].start, next);
            int left = label.right() + glyphHeight / 4;
            int right = next < g.size() ? g[next].box.x - glyphHeight / 2 : std::min(pageWidth, left + 30 * glyphHeight);
            TextBox line = aboutCentreLine(row, label, glyphHeight);
            int top = std::max(0, line.y - glyphHeight / 3);
            int bottom = std::min(pageHeight, line.bottom() + glyphHeight / 3);
            if (right - left < glyphHeight || bottom <= top) continue;
            TextBox region{left, top, right - left, bottom - top};
            if (inkWithin(print, region) < glyphHeight * glyphHeight / 8) continue;  // not a glyph's worth of ink: left blank
            auto value = inkedBoxWithin(print, region);
            if (!value) continue;
            // At full resolution: alone at the pass's, a short handwritten value often reads as nothing.
            auto text = readLineOrAsItStands(engine, images.page.get(), images.dpi,
                                             regionAround(*value, glyphHeight, 1.0 / images.scale), {});
            std::vector<Glyph> read;
            for (auto glyph : text.glyphs) {
                glyph.box = {toPass(glyph.box.x), toPass(glyph.box.y), toPass(glyph.box.width), toPass(glyph.box.height)};
                if (glyph.box.x >= label.right() && !isRule(glyph, glyphHeight)) read.push_back(glyph);
            }
            g.insert(g.begin() + static_cast<std::ptrdiff_t>(next), read.begin(), read.end());
        }
    }
}

// The printed lines of a page, top to bottom, from its print (see printOf: without the rulings,
// so that a column's ruling does not join its rows into one band): bands of rows holding ink,
// each boxed to the ink it holds.
std::vector<TextBox> inkBands(Pix* print) {
    int resolution = std::max(1, pixGetXRes(print));
    int least = std::max(2, resolution / 25);  // print is taller than 3 points
    NUMA* rows = pixCountPixelsByRow(print, nullptr);
    if (!rows) return {};
    std::vector<TextBox> bands;
    int height = numaGetCount(rows), start = -1;
    for (int y = 0; y <= height; ++y) {
        l_int32 count = 0;
        if (y < height) numaGetIValue(rows, y, &count);
        if (count > 0 && start < 0) start = y;
        if (count > 0 || start < 0) continue;
        if (y - start >= least)
            if (auto inked = inkedBoxWithin(print, {0, start, pixGetWidth(print), y - start})) bands.push_back(*inked);
        start = -1;
    }
    numaDestroy(&rows);
    return bands;
}

// The printed lines of a page (in the pass image), parted into prose and the rest. Prose is long
// (at least kLeastProseLength line-heights), of the page's usual size (not a title, nor lines run
// together), and unbroken (see `unbroken`): a label and its value always leave a gap, so fields are
// read in the first stage, and a line taken for prose that holds a field is read in the second,
// never lost.
struct PageLines {
    std::vector<TextBox> prose, rest;
};

PageLines partLines(Pix* ink, const std::vector<TextBox>& lines) {
    PageLines parted;
    if (lines.empty()) return parted;
    std::vector<int> heights;
    for (const auto& line : lines) heights.push_back(line.height);
    std::nth_element(heights.begin(), heights.begin() + static_cast<std::ptrdiff_t>(heights.size() / 2), heights.end());
    int typical = heights[heights.size() / 2];
    for (const auto& line : lines) {
        int h = std::max(1, line.height);
        bool prose = h >= typical * 3 / 5 && h <= typical * 3 / 2 && line.width >= kLeastProseLength * h && unbroken(ink, line);
        (prose ? parted.prose : parted.rest).push_back(line);
    }
    return parted;
}

// The pass image with `boxes` blanked out.
PixPtr withoutBoxes(Pix* pass, const std::vector<TextBox>& boxes) {
    PixPtr copy(pixCopy(nullptr, pass));
    if (!copy) throw EngineError("the page image cannot be copied");
    for (const auto& b : boxes) {
        int pad = std::max(1, b.height / 6);
        BOX* box = boxCreate(b.x - pad, b.y - pad, b.width + 2 * pad, b.height + 2 * pad);
        pixSetInRect(copy.get(), box);
        boxDestroy(&box);
    }
    return copy;
}

std::string textOf(const std::vector<Row>& rows, int glyphHeight) {
    std::string text;
    for (const auto& row : rows) {
        if (!text.empty()) text += '\n';
        text += rowText(row, glyphHeight);
    }
    return text;
}

// `box` widened right over the print that goes on after it in its row, up to `limit`: a value
// whose last glyphs the page pass dropped (吴建国 read as 吴建, and every reread of that box
// with it). Print ends where a gap wider than a glyph and a half opens.
TextBox widenedToPrint(Pix* print, const TextBox& box, int limit, int glyphHeight) {
    int right = std::min({limit - glyphHeight / 2, pixGetWidth(print), box.right() + 40 * glyphHeight});
    if (right <= box.right()) return box;
    BoxPtr strip(boxCreate(box.right(), box.y, right - box.right(), box.height));
    PixPtr clip(pixClipRectangle(print, strip.get(), nullptr));
    if (!clip) return box;
    NUMA* columns = pixCountPixelsByColumn(clip.get());
    if (!columns) return box;
    int end = 0, gap = 0;
    for (int x = 0; x < numaGetCount(columns) && gap <= glyphHeight * 3 / 2; ++x) {
        l_float32 count = 0;
        numaGetFValue(columns, x, &count);
        if (count > 0) {
            end = x + 1;
            gap = 0;
        } else {
            ++gap;
        }
    }
    numaDestroy(&columns);
    TextBox widened = box;
    widened.width += end;
    return widened;
}

// Whether `v` has the archive's form of an account number: its length in digits, its first digit.
bool hasAccountForm(const std::string& v, const ReaderVocabulary& vocabulary) {
    if (static_cast<int>(v.size()) != vocabulary.accountLength) return false;
    if (!std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
    return vocabulary.accountPrefixes.empty() || vocabulary.accountPrefixes.find(v[0]) != std::string::npos;
}

// The account number where its label was misread past repair (户号 as 广S, 户呈8, 总-): when no
// label of it was found, the one run of digits on the page that has the account number's form
// (its length and first digit), stands alone, is claimed by no other label's value, and follows a
// short cell of print where a label would be. Its value is then read like any other, by reads
// that agree.
std::optional<ValueSpot> accountBehindMisreadLabel(const std::vector<Row>& rows, int glyphHeight,
                                                   const std::vector<ValueSpot>& spots, const ReaderVocabulary& vocabulary) {
    const FieldSpec* account = &fieldSpecs().front();
    if (std::any_of(spots.begin(), spots.end(), [&](const ValueSpot& s) { return s.field == account; })) return std::nullopt;
    auto isDigit = [](const Glyph& g) { return g.text.size() == 1 && g.text[0] >= '0' && g.text[0] <= '9'; };
    auto claimed = [&](const TextBox& box) {
        return std::any_of(spots.begin(), spots.end(), [&](const ValueSpot& s) {
            return box.x < s.box.right() && s.box.x < box.right() && box.y < s.box.bottom() && s.box.y < box.bottom();
        });
    };
    std::optional<ValueSpot> found;
    for (const auto& row : rows) {
        const auto& g = row.glyphs;
        for (std::size_t from = 0; from < g.size();) {
            if (!isDigit(g[from])) {
                ++from;
                continue;
            }
            std::size_t to = from + 1;
            while (to < g.size() && isDigit(g[to]) && g[to].box.x - g[to - 1].box.right() < glyphHeight / 2) ++to;
            std::string digits;
            for (std::size_t i = from; i < to; ++i) digits += g[i].text;
            bool form = hasAccountForm(digits, vocabulary);
            // Where a label would be: the cell of print before it (up to a gap of two glyphs, as
            // a table's or a two-column form's cells are parted), one to four glyphs, at least one
            // of them not a digit, and the row's start or a wide gap before that.
            std::size_t cell = from > 0 ? from - 1 : 0;
            while (cell > 0 && g[cell].box.x - g[cell - 1].box.right() <= 2 * glyphHeight) --cell;
            bool labelShaped = from > 0 && from - cell <= 4 &&
                               std::any_of(g.begin() + static_cast<std::ptrdiff_t>(cell), g.begin() + static_cast<std::ptrdiff_t>(from),
                                           [&](const Glyph& x) { return !isDigit(x) && !isSeparator(x.text); });
            TextBox box = unionBox(g, from, to);
            if (form && labelShaped && !claimed(box)) {
                if (found) return std::nullopt;  // two such numbers: neither is known to be the account
                found = ValueSpot{account, digits, 0, box, g[from - 1].box.right(),
                                  to < g.size() ? g[to].box.x : std::numeric_limits<int>::max()};
                float sum = 0;
                for (std::size_t i = from; i < to; ++i) sum += g[i].confidence;
                found->firstConfidence = sum / static_cast<float>(to - from);
            }
            from = to;
        }
    }
    return found;
}

// Reads the values at `spots` into `reading`, each field from its first readable occurrence.
// Each value is read up to three times (in the page pass, and again with only the characters its
// field allows at the pass's and at full resolution) and taken when two reads agree and pass the
// field's check; a 200-dpi scan, read by the page pass at its own resolution, has one image to
// read again, and that reread stands when it passes. Otherwise a lone read is taken only when the
// field carries its own check character (the ID number). `columns` are all the values found on
// the page (for a table's column edge).
void readValues(TesseractEngine& engine, const PageImages& images, int glyphHeight, const std::vector<ValueSpot>& spots,
                const std::vector<ValueSpot>& columns, const ReaderVocabulary& vocabulary, PageReading& reading) {
    // A value read again alone (see readLineOrAsItStands).
    auto reread = [&](const TextBox& box, const LineReading& how, bool fullResolution) {
        return fullResolution ? readLineOrAsItStands(engine, images.page.get(), images.dpi,
                                                     regionAround(box, glyphHeight, 1.0 / images.scale), how)
                              : readLineOrAsItStands(engine, images.pass.get(), images.passDpi,
                                                     regionAround(box, glyphHeight, 1.0), how);
    };
    for (const auto& spot : spots) {
        const std::string name(spot.field->name);
        if (reading.fields.contains(name)) continue;  // the first readable occurrence holds
        std::optional<FieldValue> value;
        // `normalise` gives the canonical value, or empty when the text fails the field's check.
        auto tryRead = [&](const LineReading& how, bool selfChecking, auto&& normalise) {
            std::vector<FieldValue> reads;
            std::optional<FieldValue> reread1;  // the reread at the pass's resolution, when it passed
            LineText first{spot.firstRead, spot.firstConfidence, {}};
            // A scan the page pass read at its own resolution (200 dpi) has one image: read again
            // "at full resolution", the same pixels would be read the same way. Its third read
            // takes the clip as one line as it stands instead (without Tesseract's line finding),
            // and when no two reads agree, the one reread with the field's characters stands if
            // it passed the check.
            const bool oneImage = images.scale >= 1.0;
            LineReading asItStands = how;
            asItStands.rawLine = true;
            // Takes one read; true when it agrees with an earlier one, which then stands.
            auto agrees = [&](const LineText& line, bool isReread1) {
                std::string v = normalise(withoutStrayMarks(withoutSpaces(line.text)));
                if (v.empty()) return false;
                if (isReread1) reread1 = FieldValue{v, line.confidence};
                for (const auto& r : reads)
                    if (r.value == v) {
                        value = FieldValue{v, (r.confidence + line.confidence) / 2};
                        return true;
                    }
                reads.push_back({v, line.confidence});
                return false;
            };
            if (agrees(first, false) || agrees(reread(spot.box, how, false), true) ||
                agrees(oneImage ? reread(spot.box, asItStands, false) : reread(spot.box, how, true), false))
                return;
            // No two agree (clean serif digits 3362979298 read with only digits allowed as
            // 3362972298, and as 302979298 at full resolution): the clip is read twice more
            // without the field's characters, by the Chinese model and by the Latin one, and
            // then the reads vote character by character.
            LineReading plain{};
            LineReading latin{};
            latin.latin = true;
            if (agrees(reread(spot.box, plain, !oneImage), false) || agrees(reread(spot.box, latin, !oneImage), false))
                return;
            std::vector<std::string> values;
            float least = 1.0f;
            for (const auto& r : reads) {
                values.push_back(r.value);
                least = std::min(least, r.confidence);
            }
            if (std::string voted = normalise(votedByCharacter(values)); !voted.empty()) {
                value = FieldValue{voted, least};
                return;
            }
            if (oneImage && reread1) value = reread1;
            else if (selfChecking && reads.size() == 1) value = reads.front();
        };
        switch (spot.field->kind) {
        case FieldKind::Account:
            tryRead({"0123456789"}, false, [&](std::string v) { return hasAccountForm(v, vocabulary) ? v : std::string(); });
            break;
        case FieldKind::IdNumber:
            tryRead({"0123456789X"}, true, [](std::string v) {
                v = upperAscii(v);
                return checkIdNumber(v) ? std::string() : v;
            });
            if (!value)
                tryRead({"0123456789ABCDEFGHJKLMNPQRTUWXY"}, true, [](std::string v) {
                    v = upperAscii(v);
                    return checkCreditCode(v) ? std::string() : v;
                });
            break;
        case FieldKind::Phone:
            tryRead({"0123456789-"}, false, [](std::string v) { return checkPhone(v) ? std::string() : v; });
            break;
        case FieldKind::Code:
            tryRead({"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-", false, true}, false, [](std::string v) {
                v = upperAscii(v);
                return isCode(v) ? v : std::string();
            });
            break;
        case FieldKind::Date:
            tryRead({"0123456789年月日-./"}, false, [](const std::string& v) { return isoDate(v); });
            break;
        case FieldKind::BusinessType: {
            std::string type = bestMatch(withoutPunctuation(withoutSpaces(spot.firstRead)), vocabulary.businessTypes, 0.75);
            if (!type.empty()) {
                value = FieldValue{type, spot.firstConfidence};
                break;
            }
            // Not a known type as the page pass read it (过户 as 后): read again alone at full
            // resolution with only the characters business types are written with.
            std::string characters;
            for (const auto& name : vocabulary.businessTypes)
                for (const auto& c : codePoints(name))
                    if (characters.find(c) == std::string::npos) characters += c;
            LineReading how{characters};
            for (LineReading again : {how, LineReading{characters, true}}) {
                auto line = reread(spot.box, again, true);
                type = bestMatch(withoutPunctuation(withoutSpaces(line.text)), vocabulary.businessTypes, 0.75);
                if (type.empty()) continue;
                value = FieldValue{type, line.confidence};
                break;
            }
            break;
        }
        case FieldKind::Text: {
            // Names and addresses carry no check of their own. The page pass reads them among
            // their neighbours; the value is read again alone, as one line (at full resolution,
            // and at the pass's when that is lower). Two reads that agree stand; else the read
            // Tesseract is surest of (on the benchmark: name 93.5% → 95.0% over taking the line read).
            // A name must have a name's form (a person's or an organisation's): a clause of prose
            // or a read with stray letters in it is no name.
            const bool isName = spot.field->name == "name";
            auto valueOf = [isName](const LineText& line) -> std::optional<FieldValue> {
                std::string v = withoutPunctuation(withoutSpaces(line.text));
                if (codePoints(v).size() < 2) return std::nullopt;
                if (isName && checkCustomerName(v)) return std::nullopt;
                return FieldValue{v, line.confidence};
            };
            std::vector<FieldValue> reads;
            auto add = [&](const std::optional<FieldValue>& read) {
                if (read) reads.push_back(*read);
            };
            TextBox box = widenedToPrint(images.print.get(), spot.box, spot.rightLimit, glyphHeight);
            int left = valueColumnLeft(columns, spot, glyphHeight);
            box.width += box.x - left;
            box.x = left;
            auto fullLine = valueOf(reread(box, {}, true));
            add(fullLine);
            add(valueOf({spot.firstRead, spot.firstConfidence, {}}));
            std::optional<FieldValue> passLine;
            // The value most reads agree on, when at least two do (the surer set wins a tie).
            auto agreed = [&]() -> std::optional<FieldValue> {
                std::optional<FieldValue> best;
                int bestVotes = 1;
                float bestSum = 0;
                for (const auto& r : reads) {
                    int votes = 0;
                    float sum = 0;
                    for (const auto& other : reads)
                        if (other.value == r.value) {
                            ++votes;
                            sum += other.confidence;
                        }
                    if (votes > bestVotes || (votes == bestVotes && votes > 1 && sum > bestSum)) {
                        best = FieldValue{r.value, sum / static_cast<float>(votes)};
                        bestVotes = votes;
                        bestSum = sum;
                    }
                }
                return best;
            };
            value = agreed();
            // Unless the line and the page pass agree (a third read could not outvote them), the
            // value is read at the pass's resolution too.
            if (!value && images.scale < 1.0) {
                passLine = valueOf(reread(box, {}, false));
                add(passLine);
                value = agreed();
            }
            if (!value) {
                // No two agree: each clip is read again as it stands (without Tesseract's own line
                // finding), and the reads vote. Such a read counts only when it differs from the
                // line read of the same clip: the same pixels read the same way are one read, not
                // two (at 200 dpi, 嘉兴 in the page pass outvoted by 训兴 read twice from one clip).
                auto asItStands = [&](bool fullResolution, const std::optional<FieldValue>& line) {
                    auto read = valueOf(reread(box, {{}, true}, fullResolution));
                    if (read && (!line || read->value != line->value)) reads.push_back(*read);
                };
                asItStands(true, fullLine);
                if (images.scale < 1.0) asItStands(false, passLine);
                value = agreed();
            }
            // Still no two agree: the surest read.
            if (!value && !reads.empty())
                value = *std::max_element(reads.begin(), reads.end(),
                                          [](const FieldValue& a, const FieldValue& b) { return a.confidence < b.confidence; });
            break;
        }
        }
        if (value) {
            reading.fields[name] = *value;
            std::erase(reading.unreadable, name);
        } else if (std::find(reading.unreadable.begin(), reading.unreadable.end(), name) == reading.unreadable.end()) {
            reading.unreadable.push_back(name);
        }
    }
}

// The page's large print in its upper part (a title, a certificate's heading) read again alone at
// full resolution, each run of rows it spans as one line: in the page pass a bold title on a
// skewed line comes apart in rows and glyphs (用电申请书 as 电 申 请主过 书 over 用).
std::vector<PrintedLine> rereadTitles(const std::vector<Row>& rows, int glyphHeight, int pageHeight, TesseractEngine& engine,
                                      const PageImages& images) {
    std::vector<TextBox> boxes;
    for (const auto& row : rows) {
        if (row.glyphs.empty() || !isLargePrint(row, glyphHeight) || row.top > pageHeight * 3 / 5) continue;
        TextBox box = unionBox(row.glyphs, 0, row.glyphs.size());
        // Rows of one title overlap: they are read as one.
        if (!boxes.empty() && box.y < boxes.back().bottom() && boxes.back().y < box.bottom()) {
            auto& last = boxes.back();
            int right = std::max(last.right(), box.right()), bottom = std::max(last.bottom(), box.bottom());
            last.x = std::min(last.x, box.x);
            last.y = std::min(last.y, box.y);
            last.width = right - last.x;
            last.height = bottom - last.y;
        } else {
            boxes.push_back(box);
        }
    }
    std::vector<PrintedLine> titles;
    for (auto& box : boxes) {
        // The whole run of print the glyphs read lie in: the page pass may have read a title's
        // last glyphs only (过户申请书 as 昌请书).
        if (images.print)
            for (const auto& run : printRuns(images.print.get(), {0, box.y, pixGetWidth(images.print.get()), box.height}))
                if (run.x < box.right() && box.x < run.right()) {
                    int right = std::max(box.right(), run.right());
                    box.x = std::min(box.x, run.x);
                    box.width = right - box.x;
                }
        auto line = readLineOrAsItStands(engine, images.page.get(), images.dpi, regionAround(box, glyphHeight, 1.0 / images.scale), {});
        if (!line.text.empty())
            titles.push_back({line.text, static_cast<double>(box.y) / std::max(1, pageHeight),
                              static_cast<double>(box.height) / std::max(1, glyphHeight)});
    }
    return titles;
}

// Document type: what the printed lines say (see DocTypeClassifier), each line placed on the page
// and sized against the page's usual glyph.
void readDocType(const std::vector<Row>& rows, int glyphHeight, int pageHeight, const std::vector<PrintedLine>& titles,
                 const DocTypeClassifier& classifier, PageReading& reading) {
    std::vector<PrintedLine> lines = titles;
    for (const auto& row : rows) {
        if (row.glyphs.empty()) continue;
        lines.push_back({rowText(row, glyphHeight), static_cast<double>(row.top) / std::max(1, pageHeight),
                         static_cast<double>(rowGlyphHeight(row)) / std::max(1, glyphHeight)});
    }
    auto verdict = classifier.classify(lines);
    reading.docTypeGuesses = verdict.guesses;
    reading.continuesDocument = verdict.continues;
    reading.docType = verdict.type();
    reading.docTypeConfidence = verdict.confidence();
}

}  // namespace

PageReader::PageReader(ReaderVocabulary vocabulary) : vocabulary_(std::move(vocabulary)) {}

namespace {

// Stage one on a page's images, as they stand.
KeyFieldReading keyFieldsOf(TesseractEngine& engine, PageImages images, const ReaderVocabulary& vocabulary) {
    auto left = std::make_shared<ProseLeft>();
    left->images = std::move(images);
    auto& pageImages = left->images;

    // The printed lines; prose is blanked out of the page pass and left for the second stage.
    PixPtr ink(pixThresholdToBinary(pageImages.pass.get(), 160));
    if (!ink) throw EngineError("the page image cannot be made binary");
    pixSetResolution(ink.get(), pageImages.passDpi, pageImages.passDpi);
    pageImages.print = printOf(ink.get());
    if (!pageImages.print) throw EngineError("the page's print cannot be found");
    auto lines = partLines(ink.get(), inkBands(pageImages.print.get()));
    left->prose = lines.prose;
    PixPtr masked = left->prose.empty() ? PixPtr(pixClone(pageImages.pass.get())) : withoutBoxes(pageImages.pass.get(), left->prose);

    KeyFieldReading out;
    auto& reading = out.reading;
    auto& rows = left->rows;
    rows = rowsOf(engine.readPage(masked.get(), pageImages.passDpi), left->glyphHeight);
    int glyphHeight = left->glyphHeight;
    readUnreadPrint(rows, glyphHeight, lines.rest, ink.get(), engine, pageImages);
    rereadLabelCells(rows, glyphHeight, engine, pageImages.page.get(), pageImages.dpi, pageImages.scale);
    unmaskValuesReadAsLabels(rows, glyphHeight, engine, pageImages.page.get(), pageImages.dpi, pageImages.scale);
    readAfterBareLabels(rows, glyphHeight, engine, pageImages);
    reading.text = textOf(rows, glyphHeight);
    left->titles = rereadTitles(rows, glyphHeight, pixGetHeight(pageImages.pass.get()), engine, pageImages);
    readDocType(rows, glyphHeight, pixGetHeight(pageImages.pass.get()), left->titles, DocTypeClassifier(vocabulary.docTypes), reading);
    left->spots = spotValues(rows, glyphHeight);
    if (auto account = accountBehindMisreadLabel(rows, glyphHeight, left->spots, vocabulary)) left->spots.push_back(*account);
    readValues(engine, pageImages, glyphHeight, left->spots, left->spots, vocabulary, reading);
    out.prose = std::move(left);
    return out;
}

// Whether stage one found anything the archive knows on the page: a title or a field read.
bool foundAnything(const KeyFieldReading& keyFields) {
    // A label's place found in print read upside down (名称 in 团司公任责限有) holds no value that
    // passes its check: only a field read counts.
    return !keyFields.reading.docType.empty() || !keyFields.reading.fields.empty();
}

// Whether stage one found the page the right way up for sure: a title, or a field with a form of
// its own (a number, a date). A name or an address alone may be print read upside down (流出 after
// 住所 found in an upside-down certificate's 所卦).
bool foundUpright(const KeyFieldReading& keyFields) {
    if (!keyFields.reading.docType.empty()) return true;
    return std::any_of(keyFields.reading.fields.begin(), keyFields.reading.fields.end(),
                       [](const auto& field) { return field.first != "name" && field.first != "address"; });
}

// `images` turned clockwise by `quarters` quarter turns.
PageImages turned(const PageImages& images, int quarters) {
    PageImages turned;
    turned.dpi = images.dpi;
    turned.passDpi = images.passDpi;
    turned.scale = images.scale;
    turned.page.reset(pixRotateOrth(images.page.get(), quarters));
    turned.pass.reset(pixRotateOrth(images.pass.get(), quarters));
    if (!turned.page || !turned.pass) throw EngineError("the page image cannot be turned");
    return turned;
}

}  // namespace

KeyFieldReading PageReader::readKeyFields(TesseractEngine& engine, std::string_view imageBytes) const {
    auto upright = keyFieldsOf(engine, pageImages(imageBytes), vocabulary_);
    if (foundUpright(upright)) return upright;
    // Nothing known for sure on the page: it may be upside down, or on its side. The scanning desk's
    // orientation tests judge Latin print by its ascenders and descenders, which Chinese print
    // hardly has (on the benchmark they left 1 page in 10 of those turned over), and a framed
    // certificate with little print can be taken for a landscape page.
    // A turn that finds it upright for sure wins; else the first that finds anything.
    auto asScanned = upright.prose;  // the images every turn starts from
    std::optional<KeyFieldReading> fallback;
    if (foundAnything(upright)) fallback = std::move(upright);
    for (int quarters : {2, 1, 3}) {
        auto again = keyFieldsOf(engine, turned(asScanned->images, quarters), vocabulary_);
        again.reading.quarterTurns = quarters;
        if (foundUpright(again)) return again;
        if (!fallback && foundAnything(again)) fallback = std::move(again);
    }
    return fallback ? std::move(*fallback) : std::move(upright);
}

PageReading PageReader::readProse(TesseractEngine& engine, KeyFieldReading keyFields) const {
    PageReading reading = std::move(keyFields.reading);
    if (!keyFields.prose || keyFields.prose->prose.empty()) return reading;
    auto& left = *keyFields.prose;
    int glyphHeight = left.glyphHeight;
    auto rows = left.rows;
    for (const auto& line : left.prose) {
        // A line is boxed to its ink; the reading wants a little room around it.
        int pad = std::max(1, line.height / 5);
        TextBox around{std::max(0, line.x - 2 * pad), std::max(0, line.y - pad), line.width + 4 * pad, line.height + 2 * pad};
        addRow(rows, engine.readLine(left.images.pass.get(), left.images.passDpi, around, {}), glyphHeight);
    }
    reading.text = textOf(rows, glyphHeight);
    // The prose tells more of what the page is (a contract's clauses).
    readDocType(rows, glyphHeight, pixGetHeight(left.images.pass.get()), left.titles, DocTypeClassifier(vocabulary_.docTypes), reading);
    // A field printed in the prose that the first stage did not find at all.
    auto spots = spotValues(rows, glyphHeight);
    std::erase_if(spots, [&](const ValueSpot& spot) {
        std::string name(spot.field->name);
        return reading.fields.contains(name) ||
               std::find(reading.unreadable.begin(), reading.unreadable.end(), name) != reading.unreadable.end();
    });
    readValues(engine, left.images, glyphHeight, spots, left.spots, vocabulary_, reading);
    return reading;
}

PageReading PageReader::read(TesseractEngine& engine, std::string_view imageBytes) const {
    return readProse(engine, readKeyFields(engine, imageBytes));
}

}  // namespace dangan::ocr
