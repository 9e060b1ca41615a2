// Reads that no two agree on, voted character by character.
#include <gtest/gtest.h>

#include "dangan/ocr/read_vote.h"

using dangan::ocr::votedByCharacter;

// The samples' contract page: the page pass, the digit-only reread and the Latin model's reread
// each misread one glyph of 3362979298, each a different one; the read that dropped a glyph has
// no vote.
TEST(ReadVote, ThreeReadsEachWrongInADifferentPlaceReadTheValueWhole) {
    EXPECT_EQ(votedByCharacter({"3362979298", "3362972298", "302979298", "3302979296"}), "3362979298");
}

TEST(ReadVote, CharactersAreVotedAsCharactersNotBytes) {
    EXPECT_EQ(votedByCharacter({"朱明磊", "朱明在", "朱阴磊"}), "朱明磊");
}

TEST(ReadVote, APlaceWithoutAMajorityLeavesTheValueUnread) {
    EXPECT_EQ(votedByCharacter({"3362979298", "3362972298", "3362971298"}), "");
    EXPECT_EQ(votedByCharacter({"3362979298", "3362972298", "3362971298", "3362972298"}), "");
}

TEST(ReadVote, FewerThanThreeReadsOfOneLengthDoNotVote) {
    EXPECT_EQ(votedByCharacter({"3362979298", "3362972298"}), "");
    EXPECT_EQ(votedByCharacter({"3362979298", "3362972298", "336297929"}), "");
    EXPECT_EQ(votedByCharacter({}), "");
    EXPECT_EQ(votedByCharacter({"", "", ""}), "");
}
