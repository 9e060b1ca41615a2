// The archive's own codes: well-formed ones read back, foreign and damaged ones are refused.
#include "dangan/barcode/own_code.h"

#include <gtest/gtest.h>

namespace dangan::barcode {
namespace {

// ISO 7064 pure system: with the check character appended, sum(v_i * 2^(n-i)) = 1 (mod 37).
bool checksOut(std::string_view textWithCheck) {
    constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*";
    long sum = 0;
    for (char c : textWithCheck) sum = (sum * 2 + static_cast<long>(kAlphabet.find(c))) % 37;
    return sum == 1;
}

TEST(OwnCode, CheckCharacterFollowsIso7064Mod37_2) {
    for (std::string text : {"DGC123", "DGS001", "0", "ZZZZZZZZ", "DGV3300000001"}) {
        auto check = mod37_2(text);
        ASSERT_TRUE(check) << text;
        EXPECT_TRUE(checksOut(text + *check)) << text;
    }
    EXPECT_FALSE(mod37_2("dg"));
    EXPECT_FALSE(mod37_2("A-B"));
}

TEST(OwnCode, EncodesAndParsesEveryKind) {
    const std::vector<OwnCode> codes{
        {OwnCodeKind::CoverSheet, {"12", "3300000001", "101"}},
        {OwnCodeKind::Separator, {"001"}},
        {OwnCodeKind::Document, {"4711"}},
        {OwnCodeKind::Volume, {"3300000001"}},
        {OwnCodeKind::Box, {"9"}},
        {OwnCodeKind::Location, {"R1A02"}},
    };
    for (const auto& code : codes) {
        auto text = encodeOwnCode(code);
        ASSERT_TRUE(text);
        EXPECT_TRUE(text->starts_with("DG"));
        auto parsed = parseOwnCode(*text);
        ASSERT_TRUE(parsed) << *text;
        EXPECT_EQ(*parsed, code);
    }
    EXPECT_EQ(encodeOwnCode({OwnCodeKind::Separator, {"001"}}).value().substr(0, 8), "DGS-001-");
}

TEST(OwnCode, RefusesFieldsItCannotCarry) {
    EXPECT_FALSE(encodeOwnCode({OwnCodeKind::Separator, {""}}));
    EXPECT_FALSE(encodeOwnCode({OwnCodeKind::Separator, {"a1"}}));
    EXPECT_FALSE(encodeOwnCode({OwnCodeKind::Separator, {"用电"}}));
    EXPECT_FALSE(encodeOwnCode({OwnCodeKind::CoverSheet, {"1", "2"}}));  // needs three fields
}

TEST(OwnCode, EverySingleCharacterChangeIsDetected) {
    std::string text = encodeOwnCode({OwnCodeKind::CoverSheet, {"12", "3300000001", "101"}}).value();
    const std::string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*-";
    for (std::size_t i = 0; i < text.size(); ++i)
        for (char c : alphabet) {
            if (c == text[i]) continue;
            std::string changed = text;
            changed[i] = c;
            EXPECT_FALSE(parseOwnCode(changed)) << changed;
        }
}

TEST(OwnCode, ForeignCodesAreForeign) {
    for (std::string_view foreign : {"", "6901234567892", "https://www.gsxt.gov.cn/abc", "91350100M000100Y43",
                                     "DG", "DGX-1-0", "DGS-001", "DGS-001-", "dgs-001-K", "DGS--K",
                                     "DGS-001-K-", "DGS-0 1-K", "DGC-1-2-K"})
        EXPECT_FALSE(parseOwnCode(foreign)) << foreign;
}

}  // namespace
}  // namespace dangan::barcode

namespace dangan::barcode {
namespace {

// A keyboard-wedge scanner in the wrong mode (or caps lock) sends an own code in lower case; a
// person types it with blanks around it. Both are the printed code; foreign text stays foreign.
TEST(OwnCode, ACodeTypedOrScannedInLowerCaseIsTheCodePrinted) {
    std::string printed = ownCodeText(OwnCodeKind::Document, "3");
    std::string lower = printed;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(typedCode(lower), printed);
    EXPECT_EQ(typedCode("  " + printed + "\t"), printed);
    EXPECT_EQ(typedCode(" hello-world "), "hello-world") << "not an own code in any case: trimmed only";
    EXPECT_EQ(typedCode("dgd-3-x"), "dgd-3-x") << "a wrong check character stays foreign";
}

}  // namespace
}  // namespace dangan::barcode
