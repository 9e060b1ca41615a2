#include "demo_archive.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StringPartSource.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <chrono>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "dangan/print/specimen_papers.h"
#include "dangan/desks/calendar.h"
#include "dangan/storage/database.h"
#include "dangan/http/json_views.h"

namespace dangan::server {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;
using Poco::Net::HTTPRequest;

struct DemoCustomer {
    const char* accountNo;
    const char* name;
    const char* idNumber;
    const char* phone;
    const char* address;
    const char* unit;
};

// Resident IDs carry their real check character (ISO 7064 MOD 11-2).
const DemoCustomer kCustomers[] = {
    {"3300000001", "张伟", "430104198503150017", "13807310001", "长沙市岳麓区桐梓坡路 88 号", "岳麓供电所"},
    {"3300000002", "李娜", "430104199007220025", "13807310002", "长沙市岳麓区麓山南路 12 号", "岳麓供电所"},
    {"3300000003", "王芳", "430102197801040038", "13807310003", "长沙市芙蓉区五一大道 201 号", "城区供电所"},
    {"3300000004", "赵强", "430103199211300042", "13807310004", "长沙市天心区书院路 3 号", "城区供电所"},
    {"3300000005", "陈静", "430105198806110051", "13807310005", "长沙市开福区湘江北路 56 号", "城区供电所"},
    {"3300000006", "刘洋", "43011119950208006X", "13807310006", "长沙市雨花区劳动东路 9 号", "城区供电所"},
    {"3300000007", "张伟明", "430121197009160078", "13807310007", "长沙县星沙镇开元路 15 号", "长沙县供电所"},
    {"3300000008", "杨帆", "430104198304270083", "13807310008", "长沙市岳麓区银盆岭路 30 号", "岳麓供电所"},
};

const std::vector<DemoAccount> kAccounts = {
    {"dangan", "档案管理员"}, {"jicha", "稽查人员"}, {"guitai", "营业厅人员"}, {"shenpi", "借阅审批人"}, {"yingxiao", "营销系统接口"},
};
const std::string kRoles[] = {"archivist", "auditor", "staff", "approver", "marketing"};

// A date as the forms print it: 2026 年 11 月 20 日.
std::string writtenDate(const std::string& isoDate) {
    return isoDate.substr(0, 4) + " 年 " + isoDate.substr(5, 2) + " 月 " + isoDate.substr(8, 2) + " 日";
}

// A client of the server's own API, signed in as one user.
class ApiClient {
public:
    ApiClient(const Poco::Net::SocketAddress& server, const std::string& username, const std::string& password)
        : server_(server) {
        Object login;
        login.set("username", username);
        login.set("password", password);
        token_ = call("POST", "/api/login", login)->getValue<std::string>("token");
    }

    // A JSON request (body: an Object, an Array, or nothing); the answer's object.
    Object::Ptr call(const std::string& method, const std::string& path, const Poco::Dynamic::Var& body = {}) {
        std::ostringstream json;
        if (!body.isEmpty()) Poco::JSON::Stringifier::stringify(body, json);
        Poco::Net::HTTPClientSession session(server_);
        session.setTimeout(Poco::Timespan(60, 0));
        auto request = authorised(method, path);
        request.setContentType("application/json");
        request.setContentLength(static_cast<std::streamsize>(json.str().size()));
        session.sendRequest(request) << json.str();
        return parsed(receive(session, method + " " + path));
    }

    // A PDF the server prints (cover sheet, separator).
    std::string fetch(const std::string& pathAndQuery) {
        Poco::Net::HTTPClientSession session(server_);
        auto request = authorised(HTTPRequest::HTTP_GET, pathAndQuery);
        session.sendRequest(request);
        return receive(session, "GET " + pathAndQuery);
    }

    // POST /api/batches with the files in order.
    std::int64_t sendBatch(const std::string& name, const std::vector<std::pair<std::string, std::string>>& pdfs) {
        Poco::Net::HTMLForm form(Poco::Net::HTMLForm::ENCODING_MULTIPART);
        form.set("name", name);
        for (const auto& [filename, bytes] : pdfs)
            form.addPart("files", new Poco::Net::StringPartSource(bytes, "application/pdf", filename));
        Poco::Net::HTTPClientSession session(server_);
        session.setTimeout(Poco::Timespan(120, 0));
        auto request = authorised(HTTPRequest::HTTP_POST, "/api/batches");
        form.prepareSubmit(request);
        form.write(session.sendRequest(request));
        return parsed(receive(session, "POST /api/batches"))->getValue<std::int64_t>("id");
    }

private:
    HTTPRequest authorised(const std::string& method, const std::string& path) const {
        HTTPRequest request(method, path, HTTPRequest::HTTP_1_1);
        if (!token_.empty()) request.set("Authorization", "Bearer " + token_);
        return request;
    }

    // The answer's body; throws naming the request when the server refused it.
    static std::string receive(Poco::Net::HTTPClientSession& session, const std::string& what) {
        Poco::Net::HTTPResponse response;
        std::string body;
        Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
        if (response.getStatus() >= 300) throw std::runtime_error(what + ": " + std::to_string(response.getStatus()) + " " + body);
        return body;
    }

    static Object::Ptr parsed(const std::string& json) {
        if (json.empty()) return new Object;
        return Poco::JSON::Parser().parse(json).extract<Object::Ptr>();
    }

    Poco::Net::SocketAddress server_;
    std::string token_;
};

print::SpecimenForm applicationForm(const DemoCustomer& c, const std::string& applicationNo, const std::string& business, const storage::Clock& clock) {
    return {"用电申请书",
            {{"户号", c.accountNo}, {"户名", c.name}, {"证件号码", c.idNumber}, {"联系电话", c.phone},
             {"用电地址", c.address}, {"申请编号", applicationNo}, {"业务类型", business}},
            {"申请人承诺以上所填内容真实有效，如有不实，愿承担相应责任。", "请携带有效身份证明原件及复印件，到供电营业厅办理相关手续。",
             "本表一式两份，供电企业与用电人各执一份，自签字盖章之日起生效。"},
            writtenDate(chinaDate(clock.nowMillis() - 72 * 3600 * 1000))};
}

print::SpecimenForm idCopy(const DemoCustomer& c) {
    return {"居民身份证复印件", {{"户名", c.name}, {"证件号码", c.idNumber}, {"用电地址", c.address}},
            {"此复印件仅供办理用电业务使用，再次复印无效。"}, ""};
}

print::SpecimenForm supplyContract(const DemoCustomer& c, const storage::Clock& clock) {
    return {"低压供用电合同",
            {{"合同编号", "HT-2024-0031"}, {"户号", c.accountNo}, {"户名", c.name}, {"用电地址", c.address},
             {"签订日期", addDays(today(clock), -710)},
             {"到期日期", addDays(today(clock), 20)}},
            {"供电人按国家规定的供电质量标准向用电人供电。", "用电人按照国家核准的电价和用电计量装置的记录按时交纳电费。",
             "本合同有效期满，双方均未提出异议的，继续有效。"},
            writtenDate(addDays(today(clock), -710))};
}

std::string pdfOrThrow(std::expected<std::string, std::string> pdf) {
    if (!pdf) throw std::runtime_error("cannot print the specimen papers: " + pdf.error());
    return *pdf;
}

std::string encoded(const std::string& text) {
    std::string out;
    Poco::URI::encode(text, "&=?+#", out);
    return out;
}

Array strings(std::initializer_list<std::string> items) {
    Array list;
    for (const auto& item : items) list.add(item);
    return list;
}

void addPeople(ApiClient& admin) {
    for (std::size_t i = 0; i < kAccounts.size(); ++i) {
        Object user;
        user.set("username", kAccounts[i].username);
        user.set("password", std::string(kDemoPassword));
        user.set("display_name", kAccounts[i].role);
        user.set("roles", strings({kRoles[i]}));
        user.set("must_change_password", false);  // a demo's shared password, printed at start
        // The counter clerk and the collector work in 岳麓供电所, each in a team (班组).
        if (kRoles[i] == "staff" || kRoles[i] == "archivist") {
            user.set("unit", std::string("岳麓供电所"));
            user.set("team", std::string(kRoles[i] == "staff" ? "营业一班" : "档案班"));
        }
        admin.call("POST", "/api/users", user);
    }
}

void addCustomers(ApiClient& admin) {
    Array customers;
    for (const auto& c : kCustomers) {
        Object o;
        o.set("account_no", std::string(c.accountNo));
        o.set("name", std::string(c.name));
        o.set("id_number", std::string(c.idNumber));
        o.set("phone", std::string(c.phone));
        o.set("address", std::string(c.address));
        o.set("unit", std::string(c.unit));
        o.set("voltage", std::string("0.4kV"));
        customers.add(o);
    }
    admin.call("POST", "/api/customers", customers);
}

// The marketing system's steps: one accepted three days ago (its papers late, one still
// missing), one 40 hours ago (due within hours), one just now, one five days ago (nothing).
void recordSteps(ApiClient& marketing, const storage::Clock& clock) {
    struct Step { const DemoCustomer& customer; const char* processId; const char* process; int hoursAgo; };
    const Step steps[] = {{kCustomers[0], "SQ2026110001", "低压居民新装", 72}, {kCustomers[1], "SQ2026110002", "低压居民新装", 40},
                          {kCustomers[2], "SQ2026110003", "增容", 2}, {kCustomers[3], "SQ2026110004", "低压非居民新装", 120}};
    for (const auto& s : steps) {
        Object event;
        event.set("event_id", std::string("DEMO-") + s.processId);
        event.set("account_no", std::string(s.customer.accountNo));
        event.set("process_id", std::string(s.processId));
        event.set("process", std::string(s.process));
        event.set("step", std::string("受理"));
        event.set("completed_at", json::isoTime(clock.nowMillis() - s.hoursAgo * 3600LL * 1000));
        event.set("staff", std::string("dangan"));
        marketing.call("POST", "/api/events", event);
    }
}

// A scanned batch: per customer a cover sheet, then each document behind its separator. Then a
// second one of two loose pages: a customer in the archive, and one who is not. Returns false
// when stopped before the batch desk finished them.
bool scanBatches(ApiClient& archivist, const print::PrintOptions& printing, const std::atomic<bool>& stop, const storage::Clock& clock) {
    auto cover = [&](const DemoCustomer& c, const std::string& applicationNo) {
        return archivist.fetch("/api/print/cover-sheet?account_no=" + std::string(c.accountNo) + "&process=" +
                               encoded("低压居民新装") + "&application_no=" + applicationNo);
    };
    auto separator = [&](const std::string& docType) { return archivist.fetch("/api/print/separator?doc_type=" + encoded(docType)); };
    auto specimen = [&](const print::SpecimenForm& form) { return pdfOrThrow(print::specimenFormPdf({form}, printing)); };
    const DemoCustomer stranger{"3300000099", "孙丽", "430104199101010016", "13807310099", "长沙市岳麓区咸嘉湖路 7 号", ""};
    std::vector<std::pair<std::string, std::string>> covered = {
        {"01-cover.pdf", cover(kCustomers[0], "SQ2026110001")},
        {"02-separator.pdf", separator("用电申请书")},
        {"03-application.pdf", specimen(applicationForm(kCustomers[0], "SQ2026110001", "低压居民新装", clock))},
        {"04-separator.pdf", separator("居民身份证复印件")},
        {"05-id.pdf", specimen(idCopy(kCustomers[0]))},
        {"06-cover.pdf", cover(kCustomers[1], "SQ2026110002")},
        {"07-separator.pdf", separator("用电申请书")},
        {"08-application.pdf", specimen(applicationForm(kCustomers[1], "SQ2026110002", "低压居民新装", clock))},
        {"09-separator.pdf", separator("低压供用电合同")},
        {"10-contract.pdf", specimen(supplyContract(kCustomers[1], clock))},
    };
    std::vector<std::pair<std::string, std::string>> loose = {
        {"01-application.pdf", specimen(applicationForm(kCustomers[4], "SQ2026100017", "更名", clock))},
        {"02-application.pdf", specimen(applicationForm(stranger, "SQ2026100018", "低压居民新装", clock))},
    };
    for (auto id : {archivist.sendBatch("演示批次：营业厅 上午", covered), archivist.sendBatch("演示批次：无封面散页", loose)}) {
        for (;;) {
            if (stop) return false;
            auto state = archivist.call("GET", "/api/batches/" + std::to_string(id))->getValue<std::string>("state");
            if (state == "done") break;
            if (state == "failed") throw std::runtime_error("demo batch " + std::to_string(id) + " failed");
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
    }
    return true;
}

// The paper code of a customer's current document of `docType`.
std::string paperCode(ApiClient& client, const DemoCustomer& customer, const std::string& docType) {
    auto file = client.call("GET", std::string("/api/customers/") + customer.accountNo + "/efile");
    for (const auto& category : *file->getArray("categories"))
        for (const auto& d : *category.extract<Object::Ptr>()->getArray("documents")) {
            auto document = d.extract<Object::Ptr>();
            if (document->getValue<std::string>("doc_type") == docType) return document->getValue<std::string>("paper_code");
        }
    throw std::runtime_error(std::string("the demo batch did not file ") + customer.name + "'s " + docType);
}

// 张伟's application form in a box on a shelf, out on loan to the counter; a request for 李娜's
// contract waiting for the approver.
void shelveAndLend(ApiClient& archivist, ApiClient& counter, ApiClient& approver, const storage::Clock& clock) {
    auto formCode = paperCode(archivist, kCustomers[0], "用电申请书");
    auto contractCode = paperCode(archivist, kCustomers[1], "低压供用电合同");
    Object boxes;
    boxes.set("voltage_area", std::string("low"));
    boxes.set("capacity", 50);
    boxes.set("count", 1);
    auto boxCode = archivist.call("POST", "/api/boxes", boxes)->getArray("boxes")->getObject(0)->getValue<std::string>("code");
    Object shelves;
    shelves.set("room", std::string("1号库房"));
    shelves.set("racks", strings({"01", "02"}));
    shelves.set("faces", strings({"A"}));
    shelves.set("levels", strings({"1", "2"}));
    shelves.set("capacity", 10);
    shelves.set("voltage_area", std::string("low"));
    auto shelfCode = archivist.call("POST", "/api/shelves", shelves)->getArray("shelves")->getObject(0)->getValue<std::string>("code");
    for (const auto& [what, into] : {std::pair{formCode, boxCode}, std::pair{boxCode, shelfCode}}) {
        Object scan;
        scan.set("codes", strings({what, into}));
        archivist.call("POST", "/api/shelving/scan", scan);
    }
    auto ask = [&](const std::string& code, const char* purpose, const char* note) {
        Object loan;
        loan.set("items", strings({code}));
        loan.set("purpose", std::string(purpose));
        loan.set("until", addDays(today(clock), 10));
        loan.set("note", std::string(note));
        return counter.call("POST", "/api/loans", loan)->getValue<std::int64_t>("id");
    };
    auto lent = ask(formCode, "business", "营业厅核对用电申请原件");
    approver.call("POST", "/api/loans/" + std::to_string(lent) + "/approve");
    Object lend;
    lend.set("items", strings({formCode}));
    archivist.call("POST", "/api/loans/" + std::to_string(lent) + "/lend", lend);
    ask(contractCode, "audit", "稽查核对合同原件");
}

}  // namespace

const std::vector<DemoAccount>& demoAccounts() { return kAccounts; }

std::string fillDemoArchive(const std::string& host, int port, const std::string& adminPassword, const print::PrintOptions& printing,
                            const storage::Clock& clock, const std::atomic<bool>& stop) {
    try {
        const Poco::Net::SocketAddress server(host, static_cast<Poco::UInt16>(port));
        ApiClient admin(server, "admin", adminPassword);
        addPeople(admin);
        addCustomers(admin);
        ApiClient marketing(server, "yingxiao", kDemoPassword);
        recordSteps(marketing, clock);
        ApiClient archivist(server, "dangan", kDemoPassword);
        if (!scanBatches(archivist, printing, stop, clock)) return "stopped before the demo batches were processed";
        ApiClient counter(server, "guitai", kDemoPassword);
        ApiClient approver(server, "shenpi", kDemoPassword);
        shelveAndLend(archivist, counter, approver, clock);
        return "";
    } catch (const std::exception& e) {
        return e.what();
    }
}

}  // namespace dangan::server
