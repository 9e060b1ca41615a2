// Document types from what a page carries, without Tesseract: the lines as a reader gives them.
#include <gtest/gtest.h>

#include "dangan/ocr/doc_type_classifier.h"
#include "dangan/desks/reading_desk.h"

namespace dangan::ocr {
namespace {

DocTypeClassifier classifier() { return DocTypeClassifier(server::readerVocabulary({}).docTypes); }

// Lines below the top of the page, in ordinary print.
std::vector<PrintedLine> body(std::initializer_list<const char*> texts, double from = 0.45) {
    std::vector<PrintedLine> lines;
    for (const char* t : texts) {
        lines.push_back({t, from, 1.0});
        from += 0.03;
    }
    return lines;
}

TEST(DocTypeClassifier, KnowsACertificateCopyByWhatIsOnIt) {
    // An ID card copy with no title at all, the card's words misread here and there.
    auto card = classifier().classify(body({"姓名段宁鹏", "性别男 民族汉", "住址山东省德州市德城区人民路37",
                                             "公民身份号码330411195511181967", "中华人民共和国", "居民身份证", "签发机关德州市公安局德城分局",
                                             "有效期限2015.03.01-2035.03.01"}));
    EXPECT_EQ(card.type(), "居民身份证复印件");
    EXPECT_GE(card.confidence(), kSureDocType);
    EXPECT_FALSE(card.continues);

    // The same card titled as the legal representative's.
    auto lines = body({"姓名段宁鹏", "性别男 民族汉", "公民身份号码330411195511181967"});
    lines.insert(lines.begin(), {"法定代表人身份证", 0.1, 1.6});
    EXPECT_EQ(classifier().classify(lines).type(), "法定代表人身份证复印件");

    // A business licence names its legal representative, yet is no ID card.
    auto licence = classifier().classify(body({"统一社会信用代码 91330411721598776E", "名称 宏达化工有限公司", "类型 有限责任公司",
                                               "法定代表人 段宁鹏", "注册资本 500万元人民币", "成立日期 2014年5月15日", "住所 山东省德州市"}));
    EXPECT_EQ(licence.type(), "营业执照复印件");
    EXPECT_GE(licence.confidence(), kSureDocType);

    auto property = classifier().classify(body({"权利人 李娜", "共有情况 单独所有", "坐落 福州市鼓楼区五四路158号", "用途 住宅", "面积 89平方米"}));
    EXPECT_EQ(property.type(), "房屋产权证明");
}

TEST(DocTypeClassifier, AContractsLaterPageGoesOnAndIsUnsureOfItsVoltage) {
    auto later = classifier().classify(body({"第一条 供电方式", "供电人向用电人提供交流50Hz电源。", "第二条 用电容量与计量",
                                             "第五条 违约责任", "任何一方违反本合同约定，应承担相应的违约责任。", "第 2 页 共 3 页"}, 0.1));
    ASSERT_EQ(later.guesses.size(), 2u);
    EXPECT_TRUE(later.type() == "高压供用电合同" || later.type() == "低压供用电合同");
    EXPECT_LT(later.confidence(), kSureDocType);  // nothing on it tells high from low voltage
    EXPECT_TRUE(later.continues);

    // Its title, one character misread, still names the high-voltage contract over the low.
    auto titled = classifier().classify({{"国网供电公司", 0.05, 1.0}, {"高讨供用电合同", 0.1, 1.8}, {"合同编号 HT2022263320", 0.2, 1.0},
                                         {"第1页共3页", 0.95, 1.0}});
    EXPECT_EQ(titled.type(), "高压供用电合同");
    EXPECT_GE(titled.confidence(), kSureDocType);
    EXPECT_FALSE(titled.continues);
}

TEST(DocTypeClassifier, ATitledFormAndAPageThatNamesNothing) {
    auto form = classifier().classify({{"南方电网广东电网有限责任公司", 0.05, 1.0}, {"供电方案答复单", 0.12, 1.7},
                                       {"户号 3300000001", 0.2, 1.0}, {"户名 张伟", 0.24, 1.0}});
    EXPECT_EQ(form.type(), "供电方案答复单");
    EXPECT_GE(form.confidence(), kSureDocType);
    // A title printed lower than usual, in large print, still counts.
    EXPECT_EQ(classifier().classify({{"过户申请书", 0.5, 1.8}, {"户号 3300000001", 0.6, 1.0}}).type(), "过户申请书");
    EXPECT_TRUE(classifier().classify(body({"户号 3300000001", "备注"})).guesses.empty());
}

TEST(DocTypeClassifier, StatedPageNumbers) {
    EXPECT_EQ(statedPageNumber("第 2 页 共 3 页"), 2);
    EXPECT_EQ(statedPageNumber("第2页/共3页"), 2);
    EXPECT_EQ(statedPageNumber("第一条 供电方式"), 0);
    EXPECT_EQ(statedPageNumber("第12页"), 12);
}

}  // namespace
}  // namespace dangan::ocr
