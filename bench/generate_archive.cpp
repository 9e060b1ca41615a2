// Fills a data folder with a large archive's metadata (no images) for the benchmarks:
// customers with realistic names, addresses, phones and valid ID numbers; processes; documents
// and pages with random SHA-256s. Loads through the real schema (migrations) with one bulk
// connection.
//
//   dangan-bench-generate --data DIR --customers N --pages-per-customer P

#include <sqlite3.h>

#include <array>
#include <chrono>
#include <cstring>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "bench_support.h"
#include "dangan/ocr/field_validation.h"
#include "dangan/desks/access.h"
#include "dangan/storage/database.h"
#include "dangan/storage/search_text.h"
#include "dangan/storage/stores.h"

namespace {

using dangan::bench::Stmt;
using dangan::bench::exec;
using dangan::storage::searchDocument;

constexpr std::array kSurnames{"张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高",
                               "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧"};
constexpr std::array kGiven{"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
                            "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "兰", "飞", "鹏", "辉", "建",
                            "国", "红", "文", "斌", "宇", "浩", "凯", "健", "俊", "帆"};
constexpr std::array kCities{"杭州市", "宁波市", "温州市", "绍兴市", "嘉兴市", "湖州市", "金华市", "台州市"};
constexpr std::array kDistricts{"西湖区", "上城区", "拱墅区", "滨江区", "萧山区", "余杭区", "鄞州区", "海曙区", "越城区", "南湖区"};
constexpr std::array kRoads{"文三路", "解放路", "延安路", "中山路", "建设路", "人民路", "江南大道", "学院路", "环城北路", "凤起路",
                            "体育场路", "庆春路", "莫干山路", "天目山路", "古墩路", "余杭塘路", "钱江路", "之江路"};
constexpr std::array kCompanies{"电子", "机械", "纺织", "食品", "建材", "物流", "化工", "科技", "贸易", "印染"};

struct DocumentPlan {
    const char* process;
    const char* docType;
    int pages;
};
// Ten pages a customer, spread over the categories as a real file would be.
constexpr std::array<DocumentPlan, 6> kDocuments{{{"高压新装", "用电申请书", 2},
                                                  {"高压新装", "供电方案答复单", 1},
                                                  {"高压新装", "竣工检验报告", 2},
                                                  {"高压新装", "高压供用电合同", 3},
                                                  {"电能表轮换", "电能计量装置装拆记录", 1},
                                                  {"电费缴纳", "电费发票", 1}}};

std::string accountNo(std::int64_t i) { return std::to_string(3300000000LL + i); }

}  // namespace

int main(int argc, char** argv) {
    std::string data;
    std::int64_t customers = 1000000;
    int pagesPerCustomer = 10;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i];
        if (a == "--data") data = argv[i + 1];
        else if (a == "--customers") customers = std::stoll(argv[i + 1]);
        else if (a == "--pages-per-customer") pagesPerCustomer = std::stoi(argv[i + 1]);
        else {
            std::cerr << "dangan-bench-generate: unknown option " << a << "\n";
            return 64;
        }
    }
    if (data.empty() || pagesPerCustomer != 10) {
        std::cerr << "usage: dangan-bench-generate --data DIR [--customers N] (pages per customer: 10)\n";
        return 64;
    }
    auto started = std::chrono::steady_clock::now();
    std::filesystem::create_directories(data);
    std::string dbPath = data + "/archive.db";
    std::int64_t adminId;
    {
        // The real schema, and the admin user the server would create.
        auto db = dangan::storage::Database::open({.path = dbPath, .readers = 1});
        auto stores = dangan::storage::makeSqlStores(*db);
        dangan::storage::User admin;
        admin.username = "admin";
        admin.passwordHash = dangan::server::hashPassword("bench-admin-1");
        admin.roles = {"admin"};
        auto created = stores.users->create(admin, {std::nullopt, "bench"});
        if (!created) {
            std::cerr << "dangan-bench-generate: " << dbPath << " is not empty\n";
            return 1;
        }
        adminId = created->id;
    }
    sqlite3* db = nullptr;
    if (sqlite3_open(dbPath.c_str(), &db) != SQLITE_OK) dangan::bench::die(db, dbPath);
    exec(db, "PRAGMA synchronous=OFF; PRAGMA cache_size=-4000000; PRAGMA foreign_keys=OFF;");

    Stmt customer(db, "INSERT INTO customers(id, account_no, name, address, phone, id_number, voltage, unit, created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?)");
    Stmt search(db, "INSERT INTO customer_search(rowid, grams) VALUES(?,?)");
    Stmt process(db, "INSERT INTO processes(id, customer_id, type, application_no, started_at) VALUES(?,?,?,?,?)");
    Stmt document(db, "INSERT INTO documents(id, customer_id, process_id, doc_type, lineage_id, version, note, archived_at, archived_by, archive_no) VALUES(?,?,?,?,?,1,'',?,?,?)");
    Stmt blob(db, "INSERT INTO blobs(sha256, byte_size, media_type, stored_at) VALUES(?,?,'image/jpeg',?)");
    Stmt page(db, "INSERT INTO pages(id, document_id, seq, sha256, frame, width, height, dpi) VALUES(?,?,?,?,0,2480,3508,300)");

    std::mt19937_64 rng(20261123);
    auto pick = [&](const auto& list) { return std::string(list[rng() % list.size()]); };
    std::int64_t start = dangan::storage::SystemClock().nowMillis() - 6LL * 365 * 24 * 3600 * 1000;
    std::int64_t processId = 0, documentId = 0, pageId = 0;
    exec(db, "BEGIN");
    for (std::int64_t c = 1; c <= customers; ++c) {
        bool company = rng() % 5 == 0;
        std::string name = company ? pick(kCities).substr(0, 6) + pick(kGiven) + pick(kGiven) + pick(kCompanies) + "有限公司"
                                   : pick(kSurnames) + pick(kGiven) + (rng() % 2 ? pick(kGiven) : "");
        std::string address = pick(kCities) + pick(kDistricts) + pick(kRoads) + std::to_string(1 + rng() % 999) + "号";
        std::string phone = "1" + std::to_string(3 + rng() % 7) + std::to_string(100000000 + rng() % 900000000);
        std::string first17 = "3301" + std::to_string(10 + rng() % 90) + std::to_string(1950 + rng() % 55) +
                              "0" + std::to_string(1 + rng() % 9) + std::to_string(10 + rng() % 18) +
                              std::to_string(100 + rng() % 900);
        std::string idNumber = first17 + dangan::ocr::residentIdCheckCharacter(first17);
        std::int64_t created = start + static_cast<std::int64_t>(rng() % (5ULL * 365 * 24 * 3600 * 1000));
        customer.integer(1, c).text(2, accountNo(c - 1)).text(3, name).text(4, address).text(5, phone).text(6, idNumber)
            .text(7, company ? "10kV" : "220V").text(8, "西湖供电所").integer(9, created).integer(10, created).run();
        search.integer(1, c).text(2, searchDocument(name, address, phone)).run();

        std::int64_t connection = ++processId;
        process.integer(1, connection).integer(2, c).text(3, "高压新装").text(4, "SQ" + std::to_string(c)).integer(5, created).run();
        std::int64_t metering = ++processId;
        process.integer(1, metering).integer(2, c).text(3, "电能表轮换").text(4, "").integer(5, created).run();
        std::int64_t billing = ++processId;
        process.integer(1, billing).integer(2, c).text(3, "电费缴纳").text(4, "").integer(5, created).run();
        std::int64_t archivedAt = created;
        for (const auto& plan : kDocuments) {
            std::int64_t pid = std::string(plan.process) == "高压新装" ? connection : std::string(plan.process) == "电能表轮换" ? metering : billing;
            archivedAt += static_cast<std::int64_t>(rng() % (20LL * 24 * 3600 * 1000));
            ++documentId;
            std::string number = "J001-" + std::string(pid == connection ? "YK" : pid == metering ? "JL" : "DF") + "·2024-" +
                                 (pid == connection ? "D30" : "D10") + "-YXB-" + std::to_string(100000000 + documentId).substr(1);
            document.integer(1, documentId).integer(2, c).integer(3, pid).text(4, plan.docType).integer(5, documentId)
                .integer(6, archivedAt).integer(7, adminId).text(8, number).run();
            for (int p = 1; p <= plan.pages; ++p) {
                std::array<std::uint64_t, 4> sha{rng(), rng(), rng(), rng()};
                blob.blob(1, sha.data(), 32).integer(2, 300000 + static_cast<std::int64_t>(rng() % 700000)).integer(3, archivedAt).run();
                page.integer(1, ++pageId).integer(2, documentId).integer(3, p).blob(4, sha.data(), 32).run();
            }
        }
        if (c % 100000 == 0) {
            exec(db, "COMMIT; BEGIN");
            std::cerr << c << " customers, " << pageId << " pages, "
                      << std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started).count() << " s\n";
        }
    }
    exec(db, "COMMIT");
    exec(db, "INSERT INTO customer_search(customer_search) VALUES('optimize'); PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;");
    sqlite3_close(db);
    std::cout << customers << " customers, " << documentId << " documents, " << pageId << " pages in "
              << std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started).count() << " s\n";
    return 0;
}
