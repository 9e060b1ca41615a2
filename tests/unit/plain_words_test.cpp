// The API's messages in plain Chinese (server/http/plain_words): the values they name kept, field
// names and gates said as the screens say them, and nothing the table does not know hidden.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "dangan/http/plain_words.h"

using dangan::server::plainChinese;

TEST(PlainWords, AKnownMessageIsSaidInChineseWithItsValues) {
    EXPECT_EQ(plainChinese("username 'li.na' is taken", 409), "用户名 li.na 已被使用");
    EXPECT_EQ(plainChinese("password must have at least 12 characters", 400), "密码至少 12 个字符");
    EXPECT_EQ(plainChinese("field phone is required", 400), "请填写联系电话");
    EXPECT_EQ(plainChinese("expires_on must be a date that exists, as YYYY-MM-DD", 400), "到期日期须为存在的日期（年-月-日）");
    // A field's problem named by the field first: the inner message names it already.
    EXPECT_EQ(plainChinese("id_number: credit code check character is wrong (expected E)", 400), "统一社会信用代码校验位不对（应为 E）");
}

TEST(PlainWords, AMessageInsideAnotherIsSaidInItsTurn) {
    EXPECT_EQ(plainChinese("the rules are not valid: the weights timeliness, quality and deadlines must add up to 100", 400),
              "规则有误，没有生效：归档及时率、质量、流程时限三项权重之和须为 100");
    // A bad line is listed under the message by its row, not repeated in it.
    EXPECT_EQ(plainChinese("the rules are not valid: line 3: unknown process '新装'", 400), "规则有误，没有生效");
    EXPECT_EQ(plainChinese("line 3: unknown process '新装'", 400), "第 3 行有误：没有“新装”这种业务流程");
    EXPECT_EQ(plainChinese("3 problem(s) in the batch, first on line 2: phone must be a mobile number of 11 digits; nothing was imported", 400),
              "共 3 处错误，整批未导入；第一处在第 2 行：电话应为 11 位手机号，或带区号的固定电话");
}

TEST(PlainWords, FieldsAndGatesAreNamedAsTheScreensNameThem) {
    EXPECT_EQ(plainChinese("customer 3300000001 matches, but name, phone read on the page differ from the record", 0),
              "户号 3300000001 对上了，但页面上的 户名, 联系电话 与客户档案不一致");
    EXPECT_EQ(plainChinese("document 7 is not at the audit gate: it waits for the collector's review", 409),
              "文件 7 不在稽查抽检这一关（它在等档案员复核），可能已被别人处理，请刷新");
    EXPECT_EQ(plainChinese("filter.to must be a date (YYYY-MM-DD)", 400), "稽查范围的结束日期格式不对（应为 年-月-日）");
}

TEST(PlainWords, WhatTheTableDoesNotKnowIsKeptUnderWhatKindOfProblemItIs) {
    EXPECT_EQ(plainChinese("the moon is in the wrong phase", 409), "与档案中现有的记录冲突（the moon is in the wrong phase）");
    EXPECT_EQ(plainChinese("the moon is in the wrong phase", 500), "服务器出错，请稍后重试或联系管理员（the moon is in the wrong phase）");
    EXPECT_EQ(plainChinese("the moon is in the wrong phase", 0), "需要人工处理（the moon is in the wrong phase）");
    // Written in Chinese already (the shelving desk's answers): as it stands.
    EXPECT_EQ(plainChinese("已上架：A-01-02-03", 200), "已上架：A-01-02-03");
    EXPECT_EQ(plainChinese("", 500), "服务器出错，请稍后重试");
}

// Every message the server's code writes out whole (fail(ProblemCode::…, "…")) is in the table: a
// new error cannot reach the screens in English unnoticed.
TEST(PlainWords, EveryWholeMessageOfTheServerIsSaidInChinese) {
    namespace fs = std::filesystem;
    static const std::regex failure(R"re(fail\(\s*ProblemCode::\w+,\s*"((?:[^"\\]|\\.)*)"\s*\))re");
    int seen = 0;
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(DANGAN_SOURCE_DIR) / "server")) {
        if (!entry.is_regular_file()) continue;
        auto ext = entry.path().extension();
        if (ext != ".cpp" && ext != ".h") continue;
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        std::string source = text.str();
        for (std::sregex_iterator it(source.begin(), source.end(), failure), end; it != end; ++it) {
            std::string message = std::regex_replace((*it)[1].str(), std::regex(R"(\\(.))"), "$1");
            ++seen;
            if (std::regex_search(message, std::regex("[\xE4-\xE9]"))) continue;  // written in Chinese already
            auto said = plainChinese(message, 400);
            EXPECT_EQ(said.find(message), std::string::npos) << entry.path().filename() << ": " << message << " -> " << said;
        }
    }
    EXPECT_GT(seen, 50);
}
