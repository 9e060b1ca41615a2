// Customer import, lookup and search, through HTTP against the real server.
#include "api_test_fixture.h"

#include <algorithm>

namespace dangan::testing {
namespace {

const char* kCustomers = R"([
  {"account_no":"3350100065","name":"张伟","address":"杭州市西湖区文三路100号","phone":"13812345678","id_number":"11010519491231002X","voltage":"220V","unit":"西湖供电所"},
  {"account_no":"3350100066","name":"张伟明","address":"杭州市上城区解放路8号","phone":"0571-87654321"},
  {"account_no":"3362979298","name":"杭州明远电子有限公司","address":"杭州市滨江区江南大道1号","id_number":"91350100M000100Y43","voltage":"10kV"}
])";

std::vector<std::string> names(const HttpReply& reply) {
    std::vector<std::string> out;
    auto list = parseObject(reply.body)->getArray("customers");
    for (std::size_t i = 0; i < list->size(); ++i) out.push_back(list->getObject(static_cast<unsigned>(i))->getValue<std::string>("name"));
    return out;
}

TEST_F(ApiTest, ImportUpsertsAndReportsCounts) {
    auto first = admin_->postJson("/api/customers", kCustomers);
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_EQ(parseObject(first.body)->getValue<int>("created"), 3);
    auto second = admin_->postJson("/api/customers", R"([{"account_no":"3350100065","name":"张伟","address":"杭州市西湖区文三路200号"},{"account_no":"3350100066","name":"张伟明","address":"杭州市上城区解放路8号","phone":"0571-87654321"}])");
    ASSERT_EQ(second.status, 200);
    EXPECT_EQ(parseObject(second.body)->getValue<int>("updated"), 1);
    EXPECT_EQ(parseObject(second.body)->getValue<int>("unchanged"), 1);
    auto customer = admin_->get("/api/customers/3350100065");
    ASSERT_EQ(customer.status, 200);
    EXPECT_EQ(parseObject(customer.body)->getValue<std::string>("address"), "杭州市西湖区文三路200号");
    auto audit = admin_->get("/api/audit?object_type=customer&object_id=3350100065");
    EXPECT_NE(audit.body.find("customer.update"), std::string::npos);
    EXPECT_NE(audit.body.find("文三路200号"), std::string::npos);
}

TEST_F(ApiTest, ABadRowRejectsTheWholeBatchByLine) {
    auto reply = admin_->postJson("/api/customers", R"([
      {"account_no":"3350100065","name":"张伟"},
      {"account_no":"3350100067","name":"王芳","id_number":"110105194912310021"}])");
    ASSERT_EQ(reply.status, 400);
    auto error = parseObject(reply.body);
    EXPECT_NE(error->getValue<std::string>("error").find("nothing was imported"), std::string::npos);
    auto rows = error->getArray("rows");
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(rows->getObject(0)->getValue<int>("line"), 2);
    EXPECT_EQ(rows->getObject(0)->getValue<std::string>("field"), "id_number");
    EXPECT_EQ(rows->getObject(0)->getValue<std::string>("message"), "身份证号码校验位不对（应为 X）");
    EXPECT_NE(error->getValue<std::string>("message").find("整批未导入"), std::string::npos);
    EXPECT_EQ(admin_->get("/api/customers/3350100065").status, 404);  // the good row was not applied
}

// The supply units the archive knows, its customers' and its users', each once and in order, for
// the screens to offer; a unit changed on import or given to a user joins them.
TEST_F(ApiTest, TheUnitsTheArchiveKnowsAreListed) {
    importCustomers(R"([{"account_no":"3350100065","name":"张伟","unit":"岳麓供电所"},
      {"account_no":"3350100066","name":"李娜","unit":"城区供电所"},
      {"account_no":"3350100067","name":"王芳","unit":"岳麓供电所"},
      {"account_no":"3350100068","name":"赵强"}])");
    auto units = [&] {
        auto reply = admin_->get("/api/units");
        EXPECT_EQ(reply.status, 200) << reply.body;
        std::vector<std::string> names;
        auto answer = parseObject(reply.body);  // held: a range-for over a temporary's member dangles
        for (const auto& u : *answer->getArray("units")) names.push_back(u.toString());
        return names;
    };
    EXPECT_EQ(units(), (std::vector<std::string>{"城区供电所", "岳麓供电所"}));
    importCustomers(R"([{"account_no":"3350100068","name":"赵强","unit":"长沙县供电所"}])");
    EXPECT_EQ(admin_->postJson("/api/users", R"({"username":"kefu","password":"Desk-Pass-2026","roles":["staff"],"unit":"天心供电所"})").status, 201);
    auto all = units();
    EXPECT_EQ(all.size(), 4u);
    EXPECT_NE(std::find(all.begin(), all.end(), "长沙县供电所"), all.end());
    EXPECT_NE(std::find(all.begin(), all.end(), "天心供电所"), all.end());
    EXPECT_EQ(HttpClient(server_->port()).get("/api/units").status, 401);
}

TEST_F(ApiTest, CsvImportWithChineseHeaders) {
    std::string csv = "户号,户名,用电地址,联系电话\n3350100065,张伟,\"杭州市西湖区文三路100号, 3幢\",13812345678\n3350100068,李娜,杭州市拱墅区,\n";
    auto reply = admin_->send("POST", "/api/customers", csv, "text/csv; charset=utf-8");
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(parseObject(reply.body)->getValue<int>("created"), 2);
    EXPECT_EQ(parseObject(admin_->get("/api/customers/3350100065").body)->getValue<std::string>("address"),
              "杭州市西湖区文三路100号, 3幢");
    auto bad = admin_->send("POST", "/api/customers", "户号,户名\n3350100069,张三\n12,李四\n", "text/csv");
    ASSERT_EQ(bad.status, 400);
    EXPECT_EQ(parseObject(bad.body)->getArray("rows")->getObject(0)->getValue<int>("line"), 3);
    EXPECT_EQ(admin_->get("/api/customers/3350100069").status, 404);
}

TEST_F(ApiTest, ImportRefusesOtherFormats) {
    EXPECT_EQ(admin_->send("POST", "/api/customers", "<xml/>", "application/xml").status, 415);
    EXPECT_EQ(admin_->postJson("/api/customers", R"({"account_no":"3350100065"})").status, 400);
    EXPECT_EQ(admin_->postJson("/api/customers", "[").status, 400);
}

TEST_F(ApiTest, SearchFindsShortNamesPartialAddressesPhonesAndAccountPrefixes) {
    importCustomers(kCustomers);
    auto search = [&](const std::string& q) { return admin_->get("/api/search?q=" + urlEncode(q)); };
    EXPECT_EQ(names(search("张伟")), (std::vector<std::string>{"张伟", "张伟明"}));
    EXPECT_EQ(names(search("文三路")), std::vector<std::string>{"张伟"});
    EXPECT_EQ(names(search("滨江 江南大道")), std::vector<std::string>{"杭州明远电子有限公司"});
    EXPECT_EQ(names(search("87654321")), std::vector<std::string>{"张伟明"});
    EXPECT_EQ(names(search("33629")), std::vector<std::string>{"杭州明远电子有限公司"});
    EXPECT_EQ(names(search("明远")), std::vector<std::string>{"杭州明远电子有限公司"});
    EXPECT_TRUE(names(search("上海")).empty());
    auto limited = admin_->get("/api/search?q=" + urlEncode("张伟") + "&limit=1");
    EXPECT_EQ(names(limited).size(), 1u);
    // Lists never show a whole ID number.
    auto found = search("文三路");
    EXPECT_EQ(found.body.find("11010519491231002X"), std::string::npos);
    EXPECT_NE(found.body.find("110105********002X"), std::string::npos);
    EXPECT_EQ(search("").status, 400);
    EXPECT_EQ(admin_->get("/api/search").status, 400);
    EXPECT_EQ(admin_->get("/api/search?q=a&limit=0").status, 400);
}

TEST_F(ApiTest, UnknownCustomerIs404) {
    auto reply = admin_->get("/api/customers/9999999999/efile");
    EXPECT_EQ(reply.status, 404);
    EXPECT_NE(parseObject(reply.body)->getValue<std::string>("error").find("9999999999"), std::string::npos);
}

}  // namespace
}  // namespace dangan::testing
