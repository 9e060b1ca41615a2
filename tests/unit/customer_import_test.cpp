#include "dangan/http/customer_import.h"

#include <gtest/gtest.h>

namespace dangan::server {
namespace {

TEST(CustomerImport, JsonArrayOfGoodRows) {
    auto batch = readCustomerImport(
        R"([{"account_no":"3350100065","name":"张伟","phone":"13812345678","id_number":"11010519491231002x"},
            {"account_no":"3362979298","name":"杭州某某有限公司","id_number":"91350100M000100Y43","voltage":"10kV"}])",
        ImportFormat::Json);
    ASSERT_TRUE(batch) << batch.error().message;
    ASSERT_EQ(batch->rows.size(), 2u);
    EXPECT_EQ(batch->rows[0].idNumber, "11010519491231002X");  // canonical upper-case check letter
    EXPECT_EQ(batch->rows[1].voltage, "10kV");
}

TEST(CustomerImport, ReportsEveryBadRowByLineAndAppliesNothing) {
    auto batch = readCustomerImport(
        R"([{"account_no":"3350100065","name":"张伟"},
            {"account_no":"33501x","name":""},
            {"account_no":"3350100066","name":"李娜","id_number":"110105194912310021"},
            {"account_no":"3350100065","name":"重复"}])",
        ImportFormat::Json);
    ASSERT_FALSE(batch);
    const auto& rows = batch.error().rows;
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[0].line, 2);
    EXPECT_EQ(rows[0].field, "account_no");
    EXPECT_EQ(rows[1].line, 2);
    EXPECT_EQ(rows[1].field, "name");
    EXPECT_EQ(rows[2].line, 3);
    EXPECT_EQ(rows[2].field, "id_number");
    EXPECT_EQ(rows[3].line, 4);
    EXPECT_NE(rows[3].message.find("line 1"), std::string::npos);
    EXPECT_NE(batch.error().message.find("nothing was imported"), std::string::npos);
}

TEST(CustomerImport, JsonMustBeAnArrayOfObjectsWithStrings) {
    EXPECT_FALSE(readCustomerImport("{}", ImportFormat::Json));
    EXPECT_FALSE(readCustomerImport("[", ImportFormat::Json));
    EXPECT_FALSE(readCustomerImport("[]", ImportFormat::Json));
    auto numeric = readCustomerImport(R"([{"account_no":3350100065,"name":"张伟"}])", ImportFormat::Json);
    ASSERT_FALSE(numeric);
    EXPECT_EQ(numeric.error().rows.at(0).message, "account_no must be a string");
}

TEST(CustomerImport, CsvLinesCountPhysicalLinesIncludingQuotedNewlines) {
    std::string csv =
        "account_no,name,address,phone\n"
        "3350100065,张伟,\"杭州市西湖区\n文三路100号\",13812345678\n"
        "\n"
        "3350100066,,\"a, b\",13812345678\n";
    auto batch = readCustomerImport(csv, ImportFormat::Csv);
    ASSERT_FALSE(batch);
    ASSERT_EQ(batch.error().rows.size(), 1u);
    EXPECT_EQ(batch.error().rows[0].line, 5);
    EXPECT_EQ(batch.error().rows[0].field, "name");
}

TEST(CustomerImport, CsvWithChineseHeadersBomAndExtraColumns) {
    std::string csv = "\xEF\xBB\xBF户号,户名,用电地址,联系电话,证件号码,备注\r\n3350100065,张伟,文三路100号,0571-87654321,11010519491231002X,x\r\n";
    auto batch = readCustomerImport(csv, ImportFormat::Csv);
    ASSERT_TRUE(batch) << batch.error().message;
    ASSERT_EQ(batch->rows.size(), 1u);
    EXPECT_EQ(batch->rows[0].address, "文三路100号");
    EXPECT_EQ(batch->rows[0].phone, "0571-87654321");
    EXPECT_EQ(batch->ignoredColumns, std::vector<std::string>{"备注"});
}

TEST(CustomerImport, CsvFromExcelInGb18030IsConverted) {
    // "户号,户名\n3350100065,张伟\n" in GB18030.
    std::string csv = "\xbb\xa7\xba\xc5,\xbb\xa7\xc3\xfb\n3350100065,\xd5\xc5\xce\xb0\n";
    auto batch = readCustomerImport(csv, ImportFormat::Csv);
    ASSERT_TRUE(batch) << batch.error().message;
    EXPECT_EQ(batch->rows.at(0).name, "张伟");
}

TEST(CustomerImport, CsvNeedsAccountAndNameColumns) {
    auto batch = readCustomerImport("name,phone\n张伟,13812345678\n", ImportFormat::Csv);
    ASSERT_FALSE(batch);
    EXPECT_NE(batch.error().message.find("account_no"), std::string::npos);
    EXPECT_FALSE(readCustomerImport("account_no,name\n\"3350100065,张伟\n", ImportFormat::Csv));
}

}  // namespace
}  // namespace dangan::server
