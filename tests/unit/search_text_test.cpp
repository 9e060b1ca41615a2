#include "dangan/storage/search_text.h"

#include <gtest/gtest.h>

namespace dangan::storage {
namespace {

TEST(SearchText, BigramsOverlapAndCarryTheirField) {
    EXPECT_EQ(bigramText("张伟明", 'n'), "n张伟 n伟明");
    EXPECT_EQ(bigramText("张伟", 'n'), "n张伟");
    EXPECT_EQ(bigramText("张", 'n'), "n张");
    EXPECT_EQ(bigramText("", 'n'), "");
}

TEST(SearchText, DropsPunctuationAndFoldsWidthAndCase) {
    EXPECT_EQ(bigramText("文三路，100号", 'a'), "a文三 a三路 a路1 a10 a00 a0号");
    EXPECT_EQ(bigramText("ＡＢ１", 'a'), "aab ab1");
    EXPECT_EQ(bigramText("0571-8765", 'p'), "p05 p57 p71 p18 p87 p76 p65");
}

TEST(SearchText, DocumentJoinsTheFieldsAndSkipsEmptyOnes) {
    EXPECT_EQ(searchDocument("张伟", "西湖", ""), "n张伟 a西湖");
    EXPECT_EQ(searchDocument("", "", "1381"), "p13 p38 p81");
}

TEST(SearchText, QueryTermsBecomePhrasesPerFieldJoinedByAnd) {
    EXPECT_EQ(searchExpression("张伟", "n"), "(\"n张伟\")");
    EXPECT_EQ(searchExpression("西湖 文三路", "na"),
              "(\"n西湖\" OR \"a西湖\") AND (\"n文三 n三路\" OR \"a文三 a三路\")");
    EXPECT_EQ(searchExpression("张", "n"), "(\"n张\"*)");
    EXPECT_FALSE(searchExpression("  ，。 ", "nap"));
}

TEST(SearchText, ARunOneCharacterOffATermIsCorrectedToIt) {
    auto corrected = correctedByTerms("用电地址 湖南省长沙市岳蔓区 庆丰路225号", {"湖南省长沙市岳麓区庆丰路225号", "刘洋"});
    ASSERT_TRUE(corrected);
    EXPECT_EQ(*corrected, "用电地址湖南省长沙市岳麓区庆丰路225号");
    // Two characters off is another place; terms under four characters correct nothing.
    EXPECT_FALSE(correctedByTerms("湖南省长沙市开福区庆丰路225号", {"湖南省长沙市岳麓区庆丰路225号"}));
    // Two characters off a long term: corrected when what was read is no place the archive knows.
    auto known = [](const std::string& pair) { return pair == "市开" || pair == "开福" || pair == "福区"; };
    EXPECT_EQ(correctedByTerms("长沙市邱蔓区桐梓坡路88号", {"长沙市岳麓区桐梓坡路88号"}, known), "长沙市岳麓区桐梓坡路88号");
    EXPECT_FALSE(correctedByTerms("长沙市开福区桐梓坡路88号", {"长沙市岳麓区桐梓坡路88号"}, known)) << "another district";
    EXPECT_FALSE(correctedByTerms("刘样明", {"刘洋明"}, known)) << "a term under four characters is never corrected";
    EXPECT_FALSE(correctedByTerms("户名 刘样", {"刘洋"}));
}

TEST(SearchText, QuotesInQueriesCannotEscapeThePhrase) {
    auto e = searchExpression("\"张\" OR x", "n");
    ASSERT_TRUE(e);
    EXPECT_EQ(*e, "(\"n张\"*) AND (\"nor\") AND (\"nx\"*)");
}

}  // namespace
}  // namespace dangan::storage
