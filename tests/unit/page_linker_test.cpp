// Linking by read fields and the field rules of OCR, without a server or Tesseract.
#include <gtest/gtest.h>

#include "dangan/ocr/page_reader.h"
#include "dangan/desks/page_linker.h"
#include "dangan/desks/process_rules.h"

#include <fstream>
#include <memory>
#include <sstream>

namespace dangan::server {
namespace {

storage::Customer customer(std::int64_t id, std::string account, std::string name, std::string address, std::string idNumber) {
    storage::Customer c;
    c.id = id;
    c.fields = {std::move(account), std::move(name), std::move(address), "13800138000", std::move(idNumber), "", ""};
    return c;
}

const auto kZhang = customer(1, "3300000001", "张伟", "福州市鼓楼区五四路158号", "11010519491231002X");
const auto kLi = customer(2, "3300000002", "李娜", "福州市台江区八一七中路1号", "");
const auto kZhang2 = customer(3, "3300000003", "张伟", "福州市鼓楼区五四路158号", "");

TEST(PageLinker, FilesOnlyWhenOneAnchorAndASecondFieldAgreeAndNothingDiffers) {
    auto linked = decideLink({{"account_no", "3300000001"}, {"name", "张伟"}}, {kZhang});
    ASSERT_TRUE(linked.customer);
    EXPECT_EQ(linked.customer->id, 1);

    auto alone = decideLink({{"account_no", "3300000001"}}, {kZhang});
    EXPECT_FALSE(alone.customer);
    EXPECT_EQ(alone.reason, "only one field (account_no) matches customer 3300000001; a second must agree");

    auto contradicted = decideLink({{"account_no", "3300000001"}, {"name", "李娜"}, {"phone", "13800138000"}}, {kZhang, kLi});
    EXPECT_FALSE(contradicted.customer);
    EXPECT_EQ(contradicted.candidates.front().customer.id, 1);
    EXPECT_EQ(contradicted.candidates.front().differing, std::vector<std::string>{"name"});

    // Name and address together anchor, but two customers share them: a person decides.
    auto twins = decideLink({{"name", "张伟"}, {"address", "福州市鼓楼区五四路158号"}}, {kZhang, kZhang2});
    EXPECT_FALSE(twins.customer);
    EXPECT_EQ(twins.reason, "the fields read point to more than one customer");
    // The ID number tells them apart.
    auto byId = decideLink({{"id_number", "11010519491231002X"}, {"name", "张伟"}}, {kZhang, kZhang2});
    ASSERT_TRUE(byId.customer);
    EXPECT_EQ(byId.customer->id, 1);

    // A name one character off neither agrees nor contradicts.
    auto near = compareWith(kZhang, {{"account_no", "3300000001"}, {"address", "福州市鼓楼区五四路15号"}});
    EXPECT_EQ(near.agreeing, std::vector<std::string>{"account_no"});
    EXPECT_TRUE(near.differing.empty());

    EXPECT_EQ(decideLink({}, {}).reason, "no key field could be read on this page");
}

const auto kHongda = customer(4, "3362979298", "宏达化工有限公司", "山东省德州市德城区人民路379号", "330411195511181967");

TEST(PageLinker, APersonsNameOnAnOrganisationsPaperNeitherAgreesNorContradicts) {
    // The legal representative's ID card copy: his name and his ID number, the one on record.
    auto card = compareWith(kHongda, {{"name", "段宁鹏"}, {"id_number", "330411195511181967"}, {"account_no", "3362979298"}});
    EXPECT_TRUE(card.differing.empty());
    EXPECT_EQ(card.agreeing, (std::vector<std::string>{"account_no", "id_number"}));
    // An ID card's address, wrapped onto a second line that was not read, is cut short, not wrong.
    auto wrapped = compareWith(kHongda, {{"address", "山东省德州市德城区人民路"}, {"account_no", "3362979298"}});
    EXPECT_TRUE(wrapped.differing.empty());
    // Cut short with its district misread too (德城 as 德坡, 岳麓 as 项功): still the record's.
    auto misreadToo = compareWith(kHongda, {{"address", "山东省德州市德坡区人民"}, {"account_no", "3362979298"}});
    EXPECT_TRUE(misreadToo.differing.empty());
    auto elsewhere = compareWith(kHongda, {{"address", "浙江省嘉兴市南湖区"}, {"account_no", "3362979298"}});
    EXPECT_EQ(elsewhere.differing, std::vector<std::string>{"address"});
    // Its licence's credit code is no resident ID: it neither agrees nor contradicts the one on record.
    auto licence = compareWith(kHongda, {{"name", "宏达化工有限公司"}, {"id_number", "91330411721598776E"}});
    EXPECT_TRUE(licence.differing.empty());
    EXPECT_EQ(licence.agreeing, std::vector<std::string>{"name"});
    // A two-character name a character off is near; two characters off, another person.
    EXPECT_TRUE(compareWith(kZhang, {{"name", "张佳"}}).differing.empty());
    EXPECT_EQ(compareWith(kZhang, {{"name", "李娜"}}).differing, std::vector<std::string>{"name"});
    // Another organisation's name does contradict it.
    auto other = compareWith(kHongda, {{"name", "金桥机械制造有限公司"}, {"account_no", "3362979298"}});
    EXPECT_EQ(other.differing, std::vector<std::string>{"name"});
}

// The default rules, as a new archive starts with them.
ProcessRequires defaultRules() {
    std::ifstream in(DANGAN_DEFAULT_RULES);
    std::stringstream text;
    text << in.rdbuf();
    auto rules = std::make_shared<ProcessRules>(ProcessRules::parse(text.str()).value());
    return [rules](const std::string& process, const std::string& docType) { return rules->requiresDocument(process, docType); };
}

TEST(PageLinker, ADocumentIsFiledAsTheTypeItsProcessAsksFor) {
    auto rules = defaultRules();
    auto typeOf = [&](const std::string& read, const ReadFields& fields, const storage::Customer& customer, const std::string& process) {
        return filedTypeFor({{0}, read, 0.8f, "", fields}, customer, process, rules).docType;
    };
    ReadFields representative = {{"name", "段宁鹏"}, {"id_number", "330411195511181967"}};
    // 高压新装 asks for the legal representative's card, 过户 for a resident's, whatever the copy says.
    EXPECT_EQ(typeOf("居民身份证复印件", representative, kHongda, "高压新装"), "法定代表人身份证复印件");
    EXPECT_EQ(typeOf("法定代表人身份证复印件", representative, kHongda, "过户"), "居民身份证复印件");
    // A process that asks for no card: an organisation's copy is its representative's by the ID
    // number on record, else an agent's.
    EXPECT_EQ(typeOf("居民身份证复印件", representative, kHongda, "电能表轮换"), "法定代表人身份证复印件");
    ReadFields agent = {{"name", "王芳"}, {"id_number", "11010519491231002X"}};
    EXPECT_EQ(typeOf("居民身份证复印件", agent, kHongda, "电能表轮换"), "经办人身份证复印件");
    // A person's own card, and any other type, stay as read.
    EXPECT_EQ(typeOf("居民身份证复印件", {{"id_number", "11010519491231002X"}}, kZhang, "电能表轮换"), "居民身份证复印件");
    EXPECT_EQ(typeOf("营业执照复印件", representative, kHongda, "过户"), "营业执照复印件");

    // A contract's first page whose title was not read: high or low voltage, as its process asks.
    PileDocument contract{{0}, "低压供用电合同", 0.5f, "高压供用电合同", {{"account_no", "3362979298"}}};
    auto filed = filedTypeFor(contract, kHongda, "高压新装", rules);
    EXPECT_EQ(filed.docType, "高压供用电合同");
    EXPECT_TRUE(filed.sure);
    // A process that asks for both, or none, leaves it to a person.
    EXPECT_FALSE(filedTypeFor(contract, kHongda, "", rules).sure);
    EXPECT_FALSE(filedTypeFor(contract, kHongda, "电能表轮换", rules).sure);
}

TEST(PageLinker, APilesDocumentsTakeTheProcessReadTheOneRequiringThemOrTheirNeighbours) {
    std::vector<PileDocument> documents = {
        {{0}, "用电申请书", 0.9f, "", {{"business_type", "高压新装"}}},
        {{1}, "营业执照复印件", 0.9f, "", {}},   // several processes ask for a licence
        {{2}, "高压供用电合同", 0.9f, "", {}},   // one process asks for it
        {{3}, "营业执照复印件", 0.9f, "", {}},   // another customer's, alone in the pile
    };
    std::vector<LinkDecision> decisions(4);
    decisions[0].customer = decisions[1].customer = decisions[2].customer = kHongda;
    decisions[3].customer = kZhang;
    auto processes = pileProcesses(documents, decisions, defaultRules());
    EXPECT_EQ(processes, (std::vector<std::string>{"高压新装", "高压新装", "高压新装", ""}));
}

// An ID card copy names no process, though one process alone asks for the card it was guessed to
// be: whose card it is follows from its process (the representative's card handed in for a
// 低压非居民新装 fills its 经办人 requirement). Its two guesses both cards, it is filed for sure.
TEST(PageLinker, AnIdCardCopyIsTheCardItsNeighboursProcessAsksFor) {
    auto rules = defaultRules();
    ReadFields representative = {{"name", "段宁鹏"}, {"id_number", "330411195511181967"}};
    std::vector<PileDocument> documents = {
        {{0}, "用电申请书", 0.9f, "", {{"business_type", "低压非居民新装"}, {"account_no", "3362979298"}}},
        {{1}, "法定代表人身份证复印件", 0.59f, "居民身份证复印件", representative},  // only 高压新装 asks for this one
        {{2}, "房屋产权证明", 0.9f, "", {{"account_no", "3362979298"}}},
    };
    std::vector<LinkDecision> decisions(3);
    for (auto& d : decisions) d.customer = kHongda;
    auto processes = pileProcesses(documents, decisions, rules);
    EXPECT_EQ(processes[1], "低压非居民新装");
    auto filed = filedTypeFor(documents[1], kHongda, processes[1], rules);
    EXPECT_EQ(filed.docType, "经办人身份证复印件");
    EXPECT_TRUE(filed.sure);
    // A card whose second guess is no card stays unsure.
    PileDocument doubtful{{1}, "法定代表人身份证复印件", 0.59f, "电费结清凭证", representative};
    EXPECT_FALSE(filedTypeFor(doubtful, kHongda, "低压非居民新装", rules).sure);
}

TEST(PageLinker, AFieldIsAsSureAsWhatAgreesWithIt) {
    // The record, character by character: one in eight off is 7/8 sure, whatever OCR thought.
    auto misread = standingOf("name", "安达化工有限公司", 0.97, &kHongda);
    EXPECT_EQ(misread.basis, FieldStanding::Basis::Record);
    EXPECT_DOUBLE_EQ(misread.confidence, 0.875);
    EXPECT_EQ(misread.recorded, "宏达化工有限公司");
    auto same = standingOf("account_no", "3362979298", 0.6, &kHongda);
    EXPECT_DOUBLE_EQ(same.confidence, 1.0);
    EXPECT_FALSE(same.recorded);
    // No record to compare with: an ID number's check character, else the reads that agreed.
    auto card = standingOf("name", "段宁鹏", 0.9, &kHongda);
    EXPECT_EQ(card.basis, FieldStanding::Basis::Reads);
    EXPECT_DOUBLE_EQ(card.confidence, 0.9);
    auto id = standingOf("id_number", "11010519491231002X", 0.7, nullptr);
    EXPECT_EQ(id.basis, FieldStanding::Basis::CheckCharacter);
    EXPECT_DOUBLE_EQ(id.confidence, 0.99);
    EXPECT_EQ(standingOf("date", "2024-03-05", 0.8, &kHongda).basis, FieldStanding::Basis::Reads);
}

TEST(PageLinker, TheRecordCorrectsOneMisreadCharacterOnlyWithASecondAgreeingField) {
    ReadFields page = {{"account_no", "3362979298"}, {"name", "安达化工有限公司"}, {"address", "山东省德州市德城区人民路379号"}};
    EXPECT_EQ(recordedValueFor("name", "安达化工有限公司", page, kHongda), "宏达化工有限公司");
    // Without the account or ID number agreeing, the read stands.
    ReadFields alone = {{"name", "安达化工有限公司"}};
    EXPECT_FALSE(recordedValueFor("name", "安达化工有限公司", alone, kHongda));
    ReadFields otherAccount = {{"account_no", "3300000001"}, {"name", "安达化工有限公司"}};
    EXPECT_FALSE(recordedValueFor("name", "安达化工有限公司", otherAccount, kHongda));
    // Two characters off, or a character more or fewer, is not one misread character.
    EXPECT_FALSE(recordedValueFor("name", "安远化工有限公司", page, kHongda));
    EXPECT_FALSE(recordedValueFor("name", "宏达化工有限公", page, kHongda));
    // Only names and addresses: a number is never corrected.
    EXPECT_FALSE(recordedValueFor("phone", "13800138001", page, kHongda));
}

TEST(PageLinker, APileSplitsByWhatEachPageIsAndLinksByItsNeighbours) {
    std::vector<PileReading> pile = {
        {{{"account_no", "3362979298"}, {"name", "宏达化工有限公司"}}, "用电申请书", 0.9f, "", false},
        {{{"id_number", "330411195511181967"}, {"name", "段宁鹏"}}, "法定代表人身份证复印件", 0.8f, "", false},
        {{{"account_no", "3362979298"}, {"name", "宏达化工有限公司"}}, "高压供用电合同", 0.9f, "", false},
        {{}, "高压供用电合同", 0.5f, "低压供用电合同", true},  // a later page, voltage unsure
        {{}, "低压供用电合同", 0.5f, "高压供用电合同", true},  // the next one guessed the other way
        {{{"phone", "13800138000"}}, "", 0, "", false},          // names no type, a field read: goes on too
        {{{"account_no", "3300000001"}, {"name", "张伟"}}, "电能计量装置装拆记录", 0.9f, "", false},
    };
    auto documents = splitPile(pile);
    ASSERT_EQ(documents.size(), 4u);
    // A contract's later page printed with its title again, no key on it, goes on as well.
    auto titledAgain = pile;
    titledAgain[3].continues = false;
    EXPECT_EQ(splitPile(titledAgain)[2].pages, (std::vector<std::size_t>{2, 3, 4, 5}));
    // A page that names no type but carries another customer's account number begins its own.
    auto other = pile;
    other[5].fields = {{"account_no", "3300000001"}};
    EXPECT_EQ(splitPile(other).size(), 5u);
    // So does a page on which nothing known was read: by its place alone it could be anyone's.
    auto unknown = pile;
    unknown[5].fields.clear();
    EXPECT_EQ(splitPile(unknown).size(), 5u);
    EXPECT_EQ(splitPile(unknown)[3].pages, std::vector<std::size_t>{5});
    EXPECT_EQ(documents[2].pages, (std::vector<std::size_t>{2, 3, 4, 5}));
    EXPECT_EQ(documents[2].docType, "高压供用电合同");
    EXPECT_FLOAT_EQ(documents[2].docTypeConfidence, 0.9f);

    std::vector<LinkDecision> decisions;
    for (const auto& d : documents) decisions.push_back(decideLink(d.fields, {kHongda, kZhang}));
    ASSERT_FALSE(decisions[1].customer);  // the ID card alone: one anchor
    ASSERT_TRUE(decisions[1].soleAnchor);
    linkByNeighbours(decisions);
    ASSERT_TRUE(decisions[1].customer);
    EXPECT_EQ(decisions[1].customer->id, 4);

    // A property certificate: its owner's name, one customer's alone, and a misread address.
    auto owner = decideLink({{"name", "宏达化工有限公司"}, {"address", "山东省德州市德城区人民路37号"}}, {kHongda});
    EXPECT_FALSE(owner.customer);
    ASSERT_TRUE(owner.soleAnchor);
    std::vector<LinkDecision> withOwner = {decideLink({{"account_no", "3362979298"}, {"name", "宏达化工有限公司"}}, {kHongda}), owner};
    linkByNeighbours(withOwner);
    ASSERT_TRUE(withOwner[1].customer);
    // Two customers of that name: no one customer for the pile to confirm.
    auto shared = kHongda;
    shared.id = 9;
    shared.fields.accountNo = "3399999999";
    EXPECT_FALSE(decideLink({{"name", "宏达化工有限公司"}}, {kHongda, shared}).soleAnchor);

    // Between two other customers' papers, the card stays with a person.
    std::vector<LinkDecision> apart = {decideLink({{"account_no", "3300000001"}, {"name", "张伟"}}, {kZhang}),
                                       decideLink(documents[1].fields, {kHongda}),
                                       decideLink({{"account_no", "3300000001"}, {"name", "张伟"}}, {kZhang})};
    linkByNeighbours(apart);
    EXPECT_FALSE(apart[1].customer);
}

TEST(FieldRules, DatesMustExistAndCorrectionsAreChecked) {
    EXPECT_EQ(ocr::isoDate("2022年08月01日"), "2022-08-01");
    EXPECT_EQ(ocr::isoDate("2024.2.29"), "2024-02-29");
    EXPECT_EQ(ocr::isoDate("2023-02-29"), "");
    EXPECT_EQ(ocr::isoDate("2023-13-01"), "");
    EXPECT_EQ(ocr::isoDate("20230101"), "");
    EXPECT_FALSE(ocr::fieldValueProblem("id_number", "11010519491231002X"));
    EXPECT_TRUE(ocr::fieldValueProblem("id_number", "110105194912310021"));
    EXPECT_TRUE(ocr::fieldValueProblem("signed_on", "2023-02-30"));
    EXPECT_TRUE(ocr::fieldValueProblem("colour", "red"));
    EXPECT_FALSE(ocr::fieldValueProblem("name", "张伟"));
    EXPECT_GT(ocr::containment("国网供电公司高压供用电合同", "高压供用电合同"), 0.99);
    EXPECT_EQ(ocr::bestMatch("高压供用电合问", {"高压供用电合同", "低压供用电合同", "供用电合同"}, 0.75), "高压供用电合同");
}

}  // namespace
}  // namespace dangan::server
