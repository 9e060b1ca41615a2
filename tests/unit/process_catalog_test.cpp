#include "dangan/desks/process_catalog.h"

#include <gtest/gtest.h>

#include <set>

#include "dangan/desks/customer_file.h"

namespace dangan::server {
namespace {

TEST(ProcessCatalog, CategoriesFollowTheIssueTable) {
    for (auto name : {"低压居民新装", "高压新装", "增容", "减容", "暂停", "过户", "更名", "迁址", "移表", "销户"})
        EXPECT_EQ(categoryOf(name), Category::Connection) << name;
    EXPECT_EQ(categoryOf("用电检查"), Category::Inspection);
    EXPECT_EQ(categoryOf("窃电查处"), Category::Inspection);
    EXPECT_EQ(categoryOf("电能表轮换"), Category::Metering);
    EXPECT_EQ(categoryOf("电费缴纳"), Category::Billing);
    EXPECT_EQ(categoryOf("照片"), Category::Other);
}

TEST(ProcessCatalog, UnknownProcessHasNoCategory) {
    EXPECT_FALSE(categoryOf("新状"));
    EXPECT_FALSE(categoryOf(""));
}

TEST(ProcessCatalog, NamesAreUniqueAndCategoryNamesInOrder) {
    std::set<std::string_view> names;
    for (const auto& p : processTypes()) EXPECT_TRUE(names.insert(p.name).second) << p.name;
    std::vector<std::string_view> order;
    for (auto c : kCategoryOrder) order.push_back(categoryName(c));
    EXPECT_EQ(order, (std::vector<std::string_view>{"业扩档案", "用检档案", "计量档案", "电费档案", "其他档案"}));
}

TEST(ProcessCatalog, CodesAreUniqueAndFindTheirEntries) {
    std::set<std::string_view> codes;
    for (const auto& p : processTypes()) {
        EXPECT_TRUE(codes.insert(p.code).second) << p.code;
        EXPECT_EQ(processByCode(p.code)->name, p.name);
    }
    std::set<std::string_view> docCodes, docNames;
    for (const auto& d : documentTypes()) {
        EXPECT_TRUE(docCodes.insert(d.code).second) << d.code;
        EXPECT_TRUE(docNames.insert(d.name).second) << d.name;
        EXPECT_EQ(documentTypeByCode(d.code)->name, d.name);
    }
    EXPECT_EQ(processByName("高压新装")->code, "103");
    EXPECT_FALSE(processByCode("999"));
    EXPECT_TRUE(documentTypeByName(kUnclassifiedDocument));
}

TEST(ProcessCatalog, SortIntoCategoriesKeepsOrderAndAllFive) {
    std::vector<storage::Document> docs(4);
    docs[0].id = 1, docs[0].processType = "电能表轮换";
    docs[1].id = 2, docs[1].processType = "高压新装";
    docs[2].id = 3, docs[2].processType = "过户";
    docs[3].id = 4, docs[3].processType = "不在表中";
    auto categories = sortIntoCategories(docs);
    ASSERT_EQ(categories.size(), 5u);
    ASSERT_EQ(categories[0].documents.size(), 2u);
    EXPECT_EQ(categories[0].documents[0].id, 2);
    EXPECT_EQ(categories[0].documents[1].id, 3);
    EXPECT_EQ(categories[2].documents.at(0).id, 1);
    EXPECT_EQ(categories[4].documents.at(0).id, 4);
    EXPECT_TRUE(categories[1].documents.empty());
}

TEST(ProcessCatalog, OnlyKnownDocumentTypesAndTheNearestOneNamedForAnother) {
    EXPECT_EQ(knownDocumentType("用电申请书").value(), "用电申请书");
    for (auto [typed, nearest] : {std::pair{"身份证明", "居民身份证复印件"}, {"高压供电合同", "高压供用电合同"},
                                  {"现场照片", "照片"}, {"更名申请", "更名申请书"}}) {
        auto refused = knownDocumentType(typed);
        ASSERT_FALSE(refused) << typed;
        EXPECT_EQ(refused.error().code, ProblemCode::Unprocessable);
        EXPECT_NE(refused.error().message.find(std::string("nearest known type: ") + nearest), std::string::npos)
            << typed << ": " << refused.error().message;
    }
}

}  // namespace
}  // namespace dangan::server
