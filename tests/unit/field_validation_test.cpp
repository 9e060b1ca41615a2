#include "dangan/ocr/field_validation.h"

#include <gtest/gtest.h>

namespace dangan::ocr {
namespace {

std::string residentId(const std::string& first17) { return first17 + residentIdCheckCharacter(first17); }

TEST(AccountNumber, AcceptsDigits) {
    EXPECT_FALSE(checkAccountNumber("3350100065"));
    EXPECT_FALSE(checkAccountNumber("000123"));
}

TEST(AccountNumber, RejectsLettersShortAndLong) {
    EXPECT_TRUE(checkAccountNumber(""));
    EXPECT_TRUE(checkAccountNumber("33501A0065"));
    EXPECT_TRUE(checkAccountNumber("12345"));
    EXPECT_TRUE(checkAccountNumber("123456789012345678901"));
    EXPECT_TRUE(checkAccountNumber(" 3350100065"));
}

TEST(ResidentId, KnownGoodNumbersPass) {
    EXPECT_FALSE(checkResidentId("11010519491231002X"));  // GB 11643's published example
    EXPECT_FALSE(checkResidentId("440524198001010013"));
    EXPECT_FALSE(checkResidentId(residentId("33010219800229123")));  // leap day
}

TEST(ResidentId, CheckCharacterFollowsMod11_2) {
    EXPECT_EQ(residentIdCheckCharacter("11010519491231002"), 'X');
    EXPECT_EQ(residentIdCheckCharacter("44052418800101001"), '4');
    EXPECT_EQ(residentIdCheckCharacter("44052419800101001"), '3');
}

TEST(ResidentId, WrongCheckDigitIsNamed) {
    auto p = checkResidentId("110105194912310021");
    ASSERT_TRUE(p);
    EXPECT_NE(p->message.find("check character"), std::string::npos);
    EXPECT_NE(p->message.find("X"), std::string::npos);
}

TEST(ResidentId, InvalidDatesAndShapesFail) {
    EXPECT_TRUE(checkResidentId(residentId("33010219810229123")));  // 1981 is not a leap year
    EXPECT_TRUE(checkResidentId(residentId("33010219801301123")));  // month 13
    EXPECT_TRUE(checkResidentId("440524188001010014"));  // born 1880: no living customer
    EXPECT_TRUE(checkResidentId("11010519491231002x"));            // lower-case check letter
    EXPECT_TRUE(checkResidentId("1101051949123100"));
    EXPECT_TRUE(checkResidentId("1101051949123100AX"));
}

TEST(CreditCode, ValidCodePasses) {
    EXPECT_FALSE(checkCreditCode("91350100M000100Y43"));
    EXPECT_FALSE(checkIdNumber("91350100M000100Y43"));
}

TEST(CreditCode, WrongCheckOrAlphabetFails) {
    EXPECT_TRUE(checkCreditCode("91350100M000100Y44"));
    EXPECT_TRUE(checkCreditCode("91350100M000100I43"));  // I is not in the alphabet
    EXPECT_TRUE(checkIdNumber("91350100M000100Y44"));
}

TEST(IdNumber, AcceptsEitherKind) {
    EXPECT_FALSE(checkIdNumber("11010519491231002X"));
    EXPECT_TRUE(checkIdNumber("110105194912310021"));
    EXPECT_TRUE(checkIdNumber("12345"));
}

TEST(Phone, MobileAndLandline) {
    EXPECT_FALSE(checkPhone("13812345678"));
    EXPECT_FALSE(checkPhone("0571-87654321"));
    EXPECT_FALSE(checkPhone("057187654321"));
    EXPECT_FALSE(checkPhone("010-12345678-123"));
    EXPECT_FALSE(checkPhone("87654321"));
}

TEST(Phone, RejectsGarbage) {
    EXPECT_TRUE(checkPhone(""));
    EXPECT_TRUE(checkPhone("12812345678"));  // no mobile prefix 12
    EXPECT_TRUE(checkPhone("1381234567"));   // too short for a mobile
    EXPECT_TRUE(checkPhone("0571-876"));
    EXPECT_TRUE(checkPhone("phone"));
    EXPECT_TRUE(checkPhone("0571-8765-4321-1"));
}

}  // namespace
}  // namespace dangan::ocr
