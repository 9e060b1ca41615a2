#include "dangan/storage/search_text.h"

#include <gtest/gtest.h>

namespace dangan::storage {
namespace {

TEST(SearchText, BigramsOverlap) {
    EXPECT_EQ(bigramText("张伟明"), "张伟 伟明");
    EXPECT_EQ(bigramText("张伟"), "张伟");
    EXPECT_EQ(bigramText("张"), "张");
    EXPECT_EQ(bigramText(""), "");
}

TEST(SearchText, DropsPunctuationAndFoldsWidthAndCase) {
    EXPECT_EQ(bigramText("文三路，100号"), "文三 三路 路1 10 00 0号");
    EXPECT_EQ(bigramText("ＡＢ１"), "ab b1");
    EXPECT_EQ(bigramText("0571-8765"), "05 57 71 18 87 76 65");
}

TEST(SearchText, QueryTermsBecomePhrasesJoinedByAnd) {
    EXPECT_EQ(searchExpression("张伟"), "\"张伟\"");
    EXPECT_EQ(searchExpression("西湖 文三路"), "\"西湖\" AND \"文三 三路\"");
    EXPECT_EQ(searchExpression("张"), "\"张\"*");
    EXPECT_FALSE(searchExpression("  ，。 "));
}

TEST(SearchText, QuotesInQueriesCannotEscapeThePhrase) {
    auto e = searchExpression("\"张\" OR x");
    ASSERT_TRUE(e);
    EXPECT_EQ(*e, "\"张\"* AND \"or\" AND \"x\"*");
}

}  // namespace
}  // namespace dangan::storage
