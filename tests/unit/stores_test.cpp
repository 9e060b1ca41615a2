// The stores on a real SQLite database file, or (under ctest's postgresql. prefix) on a database of
// their own on a loopback PostgreSQL server.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <set>
#include <thread>

#include "dangan/storage/database.h"
#include "dangan/storage/reading_stores.h"
#include "dangan/storage/stores.h"
#include "audit_chain.h"
#include "schema.h"
#include "server_process.h"
#include "test_database.h"

namespace dangan::storage {
namespace {

class StoresTest : public ::testing::Test {
protected:
    void SetUp() override {
        options_ = testing::testDatabase(dir_.path(), 4);
        db_ = Database::open(options_);
        stores_ = makeSqlStores(*db_);
        createArchivist();
    }

    void createArchivist() {
        User u;
        u.username = "archivist1";
        u.passwordHash = "x";
        u.roles = {"archivist"};
        user_ = *stores_.users->create(u, system_);
        actor_ = {user_.id, user_.username};
    }

    std::int64_t customerId(const std::string& accountNo) { return stores_.customers->findByAccountNo(accountNo)->id; }

    // Runs SQL on the database directly, behind the stores' back (as someone with the database file
    // or its server's superuser could). Returns whether it ran.
    bool execBehindTheStores(const std::string& sql) {
        if (!options_.url.empty()) {
            PGconn* conn = PQconnectdb(options_.url.c_str());
            PGresult* r = PQexec(conn, sql.c_str());
            bool ran = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
            if (!ran) ADD_FAILURE() << PQresultErrorMessage(r);
            PQclear(r);
            PQfinish(conn);
            return ran;
        }
        sqlite3* raw = nullptr;
        int rc = sqlite3_open((dir_.path() / "archive.db").c_str(), &raw);
        if (rc == SQLITE_OK) rc = sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr);
        sqlite3_close(raw);
        return rc == SQLITE_OK;
    }

    // The SQL dropping the audit log's guard against updates, in the database's own words.
    std::string dropAuditGuard() const {
        return options_.url.empty() ? "DROP TRIGGER audit_log_no_update;" : "DROP TRIGGER audit_log_no_update ON audit_log;";
    }

    NewDocument newDocument(std::int64_t customer, std::string process, std::string docType, std::uint8_t seed) {
        NewPage page;
        page.sha256[0] = seed;
        page.byteSize = 100;
        page.mediaType = "image/jpeg";
        page.width = 10;
        page.height = 20;
        page.dpi = 300;
        return NewDocument{customer, std::move(process), "", std::move(docType), std::nullopt, "", {page, page},
                           "T-", [](std::int64_t item) { return "T-" + std::string(item < 10 ? "000" : "00") + std::to_string(item); }};
    }

    testing::TempDir dir_;
    DatabaseOptions options_;
    std::unique_ptr<Database> db_;
    Stores stores_;
    Actor system_{std::nullopt, "system"};
    User user_;
    Actor actor_;
};

TEST_F(StoresTest, AVersion1DatabaseIsMigratedToTheLatestSchema) {
    const int latest = schemaMigrations().back().version;
    EXPECT_EQ(db_->schemaVersion(), latest);
    // PostgreSQL came with version 17: no older PostgreSQL archive exists to migrate.
    if (!options_.url.empty()) GTEST_SKIP() << "SQLite's migrations from version 1; PostgreSQL's schema begins at 17";
    stores_ = {};
    db_.reset();
    // A database as version 1 of dangan left it: migration 1 only.
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(dir_.path() / ("archive.db" + std::string(suffix)));
    ASSERT_TRUE(execBehindTheStores(std::string(schemaMigrations().front().sql) + "PRAGMA user_version=1;"));
    db_ = Database::open({.path = dir_.path() / "archive.db", .readers = 1});
    EXPECT_EQ(db_->schemaVersion(), latest);
    stores_ = makeSqlStores(*db_);
    createArchivist();
    stores_.customers->upsert({{"3350100065", "张伟", "", "", "", "", ""}}, actor_);
    auto filed = stores_.documents->file(newDocument(customerId("3350100065"), "增容", "增容申请书", 1), actor_);
    ASSERT_TRUE(filed);
    EXPECT_EQ(filed->archiveNo, "T-0001");
}

TEST_F(StoresTest, UpsertCreatesUpdatesAndAuditsChanges) {
    CustomerFields a{"3350100065", "张伟", "杭州市西湖区文三路100号", "13812345678", "", "220V", "西湖供电所"};
    auto first = stores_.customers->upsert({a}, actor_);
    EXPECT_EQ(first.created, 1);
    a.phone = "13912345678";
    auto second = stores_.customers->upsert({a, CustomerFields{"3350100066", "李娜", "", "", "", "", ""}}, actor_);
    EXPECT_EQ(second.updated, 1);
    EXPECT_EQ(second.created, 1);
    auto third = stores_.customers->upsert({a}, actor_);
    EXPECT_EQ(third.unchanged, 1);
    auto entries = stores_.audit->list({.objectType = "customer", .objectId = "3350100065"});
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].action, "customer.update");
    EXPECT_NE(entries[0].detail.find("13912345678"), std::string::npos);
    EXPECT_EQ(entries[0].username, "archivist1");
}

TEST_F(StoresTest, SearchFindsTwoCharacterNamesPartialAddressesPhonesAndAccountPrefixes) {
    stores_.customers->upsert({{"3350100065", "张伟", "杭州市西湖区文三路100号", "13812345678", "", "", ""},
                               {"3350100066", "张伟明", "杭州市上城区解放路8号", "", "", "", ""},
                               {"4410000001", "王芳", "广州市天河区体育西路", "020-87654321", "", "", ""}},
                              actor_);
    auto names = [](const std::vector<Customer>& found) {
        std::vector<std::string> out;
        for (const auto& c : found) out.push_back(c.fields.name);
        return out;
    };
    EXPECT_EQ(names(stores_.customers->search("张伟", 10)), (std::vector<std::string>{"张伟", "张伟明"}));
    EXPECT_EQ(names(stores_.customers->search("文三路", 10)), std::vector<std::string>{"张伟"});
    EXPECT_EQ(names(stores_.customers->search("天河 体育", 10)), std::vector<std::string>{"王芳"});
    EXPECT_EQ(names(stores_.customers->search("87654321", 10)), std::vector<std::string>{"王芳"});
    EXPECT_EQ(names(stores_.customers->search("335010", 10)), (std::vector<std::string>{"张伟", "张伟明"}));
    EXPECT_TRUE(stores_.customers->search("李四", 10).empty());
    EXPECT_EQ(stores_.customers->search("张伟", 1).size(), 1u);
    // An update moves the customer in the index.
    stores_.customers->upsert({{"4410000001", "王芳", "深圳市福田区", "020-87654321", "", "", ""}}, actor_);
    EXPECT_TRUE(stores_.customers->search("天河", 10).empty());
    EXPECT_EQ(names(stores_.customers->search("福田", 10)), std::vector<std::string>{"王芳"});
}

TEST_F(StoresTest, APagesTextIsFoundByItsCustomersAddressWhereOcrMisreadOneCharacter) {
    stores_.customers->upsert({{"3350100065", "刘洋", "湖南省长沙市岳麓区庆丰路225号", "", "", "", ""},
                               {"3350100066", "陈静", "湖南省长沙市开福区中山路18号", "", "", "", ""}},
                              actor_);
    auto filed = stores_.documents->file(newDocument(customerId("3350100065"), "过户", "过户申请书", 3), actor_);
    ASSERT_TRUE(filed);
    // Debian's chi_sim reads 麓 as something else.
    StoredReading reading;
    reading.image = filed->pages.front().sha256;
    reading.state = "done";
    reading.text = "过户申请书\n用电地址 湖南省长沙市岳蔓区庆丰路225号\n户名 刘洋";
    stores_.readings->record(reading);
    // Both pages of the document show the image.
    auto hits = stores_.readings->searchText("岳麓区庆丰路", 10);
    ASSERT_EQ(hits.size(), 2u);
    EXPECT_EQ(hits.front().accountNo, "3350100065");
    EXPECT_EQ(hits.front().text, reading.text);  // what was read stays as it was read
    EXPECT_EQ(stores_.readings->searchText("岳蔓区", 10).size(), 2u);
    // Another customer's address corrects nothing on this page.
    EXPECT_TRUE(stores_.readings->searchText("开福区", 10).empty());
}

TEST_F(StoresTest, FilingKeepsVersionsAndTheCurrentFileShowsTheLatest) {
    stores_.customers->upsert({{"3350100065", "张伟", "", "", "", "", ""}, {"3350100066", "李娜", "", "", "", "", ""}}, actor_);
    auto id = customerId("3350100065");
    auto v1 = stores_.documents->file(newDocument(id, "高压新装", "供用电合同", 1), actor_);
    ASSERT_TRUE(v1);
    EXPECT_EQ(v1->version, 1);
    EXPECT_EQ(v1->pages.size(), 2u);
    auto correction = newDocument(id, "高压新装", "供用电合同", 2);
    correction.supersedes = v1->id;
    auto v2 = stores_.documents->file(correction, actor_);
    ASSERT_TRUE(v2);
    EXPECT_EQ(v2->version, 2);
    EXPECT_EQ(v1->archiveNo, "T-0001");
    EXPECT_EQ(v2->archiveNo, v1->archiveNo);  // a new version is the same item
    EXPECT_EQ(v2->lineageId, v1->id);
    EXPECT_EQ(v2->processId, v1->processId);  // same process instance

    auto current = stores_.documents->currentDocuments(id);
    ASSERT_EQ(current.size(), 1u);
    EXPECT_EQ(current[0].id, v2->id);
    // Asked ahead by the account number, alone and inside a shared read with the customer's record.
    EXPECT_EQ(stores_.documents->currentDocumentsAhead("3350100065")().at(0).id, v2->id);
    EXPECT_TRUE(stores_.documents->currentDocumentsAhead("3350100066")().empty());
    {
        SharedRead together(*db_);
        auto ahead = stores_.documents->currentDocumentsAhead("3350100065");
        EXPECT_EQ(stores_.customers->findByAccountNo("3350100065")->id, id);
        auto documents = ahead();
        ASSERT_EQ(documents.size(), 1u);
        EXPECT_EQ(documents[0].id, v2->id);
        EXPECT_EQ(documents[0].pages.size(), 2u);
        auto none = stores_.documents->currentDocumentsAhead("9999999999");
        EXPECT_FALSE(stores_.customers->findByAccountNo("9999999999"));
        EXPECT_TRUE(none().empty());
    }
    auto old = stores_.documents->document(v1->id);
    ASSERT_TRUE(old);
    EXPECT_EQ(old->supersededBy, v2->id);
    EXPECT_EQ(old->pages.size(), 2u);  // the old version keeps its pages
    EXPECT_EQ(stores_.documents->versions(v1->id).size(), 2u);

    EXPECT_EQ(stores_.documents->file(correction, actor_).error(), FilingRefusal::SupersededDocumentNotCurrent);
    auto other = newDocument(customerId("3350100066"), "过户", "过户申请书", 3);
    other.supersedes = v2->id;
    EXPECT_EQ(stores_.documents->file(other, actor_).error(), FilingRefusal::WrongCustomer);
    other.supersedes = 999;
    EXPECT_EQ(stores_.documents->file(other, actor_).error(), FilingRefusal::SupersededDocumentMissing);
}

TEST_F(StoresTest, ArchivedPagesCannotBeChangedOrDeletedEvenWithSql) {
    stores_.customers->upsert({{"3350100065", "张伟", "", "", "", "", ""}}, actor_);
    ASSERT_TRUE(stores_.documents->file(newDocument(customerId("3350100065"), "增容", "增容申请书", 1), actor_));
    EXPECT_THROW(db_->write([](Connection& c) { c.exec("UPDATE pages SET width=1"); }), StorageError);
    EXPECT_THROW(db_->write([](Connection& c) { c.exec("DELETE FROM pages"); }), StorageError);
    EXPECT_THROW(db_->write([](Connection& c) { c.exec("DELETE FROM audit_log"); }), StorageError);
}

TEST_F(StoresTest, AuditChainVerifiesAndDetectsTampering) {
    stores_.customers->upsert({{"3350100065", "张伟", "", "", "", "", ""}}, actor_);
    stores_.audit->append({{actor_, "page.view", "page", "1", "{}"}, {actor_, "page.view", "page", "2", "{}"}});
    auto check = stores_.audit->verifyChain();
    EXPECT_EQ(check.entries, 4);  // user.create, customer.create, two views
    EXPECT_FALSE(check.firstBrokenId);

    // Someone with the database file rewrites history behind the triggers' back.
    ASSERT_TRUE(execBehindTheStores(dropAuditGuard() + "UPDATE audit_log SET object_id='9' WHERE id=3;"));
    check = stores_.audit->verifyChain();
    EXPECT_EQ(check.firstBrokenId, 3);
}

// Records appended together (a batch of views) are chained in their order as if one by one, and
// the next record goes on after them.
TEST_F(StoresTest, AuditRecordsAppendedTogetherKeepTheirOrderInOneChain) {
    std::vector<AuditDraft> views;
    for (int i = 1; i <= 100; ++i) views.push_back({actor_, "page.view", "page", std::to_string(i), "{}"});
    stores_.audit->append(views);  // 64 + 32 + 4 rows a statement
    stores_.audit->append({{actor_, "efile.view", "customer", "3350100065", "{}"}});
    AuditQuery all;
    all.afterId = 0;
    all.limit = 200;
    auto entries = stores_.audit->list(all);
    ASSERT_EQ(entries.size(), 102u);  // user.create, 100 page views, the e-file view
    for (std::size_t i = 0; i < entries.size(); ++i) {
        EXPECT_EQ(entries[i].id, static_cast<std::int64_t>(i) + 1);
        if (i > 0) EXPECT_EQ(entries[i].prevHash, entries[i - 1].hash);
        EXPECT_EQ(entries[i].hash, chainHash(entries[i]));
    }
    for (int i = 1; i <= 100; ++i) EXPECT_EQ(entries[static_cast<std::size_t>(i)].objectId, std::to_string(i));
    EXPECT_EQ(entries.back().action, "efile.view");
    auto check = stores_.audit->verifyChain();
    EXPECT_EQ(check.entries, 102);
    EXPECT_FALSE(check.firstBrokenId);
}

// A long log is checked in chunks, each read on its own: the chain runs on across them, a break in
// a later chunk is found, and the check stops when asked to.
TEST_F(StoresTest, ALongAuditChainIsCheckedInChunks) {
    std::vector<AuditDraft> views(25000, {actor_, "page.view", "page", "1", "{}"});
    stores_.audit->append(views);
    auto check = stores_.audit->verifyChain();
    EXPECT_EQ(check.entries, 25001);
    EXPECT_FALSE(check.firstBrokenId);
    EXPECT_TRUE(check.complete);
    ASSERT_TRUE(execBehindTheStores(dropAuditGuard() + "UPDATE audit_log SET object_id='9' WHERE id=15000;"));
    EXPECT_EQ(stores_.audit->verifyChain().firstBrokenId, 15000);
    int asked = 0;
    auto stopped = stores_.audit->verifyChain([&] { return ++asked < 2; });
    EXPECT_FALSE(stopped.complete);
    EXPECT_EQ(stopped.entries, 10000) << "one chunk, then stopped";
}

TEST_F(StoresTest, SessionsExpireAndDieWithTheDisabledUser) {
    Digest token = Sha256::of("token");
    stores_.users->openSession(token, user_, SystemClock().nowMillis() + 60000, {actor_, "login", "user", "1", "{}"});
    std::int64_t longAgo = SystemClock().nowMillis() - 3'600'000;
    EXPECT_TRUE(stores_.users->sessionUser(token, SystemClock().nowMillis(), longAgo));
    EXPECT_FALSE(stores_.users->sessionUser(token, SystemClock().nowMillis() + 120000, longAgo));
    stores_.users->change(user_.id, {.disabled = true}, system_);
    EXPECT_FALSE(stores_.users->sessionUser(token, SystemClock().nowMillis(), longAgo));
}

// A read ends its snapshot (PostgreSQL's COMMIT goes without waiting for its answer), so the next
// read on the same connection sees what was written meanwhile; a SharedRead keeps one snapshot
// until it ends. The session behind every request is one statement read alone, with no
// transaction: it is read again after the server dropped every connection.
TEST_F(StoresTest, AReadEndsItsSnapshotAndTheSessionIsReadAloneAgainAfterTheServerDroppedTheConnection) {
    DatabaseOptions one = options_;
    one.readers = 1;  // every read on one connection
    auto node = Database::open(one);
    auto reader = makeSqlStores(*node);
    Digest token = Sha256::of("token");
    stores_.users->openSession(token, user_, SystemClock().nowMillis() + 60000, {actor_, "login", "user", "1", "{}"});
    const std::int64_t longAgo = SystemClock().nowMillis() - 3'600'000;
    for (int round = 0; round < 3; ++round) {
        std::string account = "33501000" + std::to_string(60 + round);
        EXPECT_FALSE(reader.customers->findByAccountNo(account));
        stores_.customers->upsert({{account, "张伟", "", "", "", "", ""}}, actor_);
        EXPECT_TRUE(reader.customers->findByAccountNo(account)) << "a read saw an old snapshot, round " << round;
        EXPECT_TRUE(reader.users->sessionUser(token, SystemClock().nowMillis(), longAgo));
    }
    {
        SharedRead together(*node);
        EXPECT_FALSE(reader.customers->findByAccountNo("3350100070"));
        stores_.customers->upsert({{"3350100070", "李娜", "", "", "", "", ""}}, actor_);
        EXPECT_FALSE(reader.customers->findByAccountNo("3350100070")) << "one SharedRead, one snapshot";
        EXPECT_TRUE(reader.users->sessionUser(token, SystemClock().nowMillis(), longAgo));
    }
    EXPECT_TRUE(reader.customers->findByAccountNo("3350100070"));
    if (options_.url.empty()) return;
    ASSERT_TRUE(execBehindTheStores(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"));
    for (int attempt = 0; attempt < 2; ++attempt) {
        try {
            EXPECT_TRUE(reader.users->sessionUser(token, SystemClock().nowMillis(), longAgo));
            break;
        } catch (const StorageError& e) {
            // The statement that finds the connection dropped fails; the one after reconnects.
            if (attempt == 1) ADD_FAILURE() << e.what();
        }
    }
    EXPECT_TRUE(reader.users->sessionUser(token, SystemClock().nowMillis(), longAgo));
    EXPECT_TRUE(reader.customers->findByAccountNo("3350100070"));
}

// Statements sent together (one pipeline on PostgreSQL) each get their own rows, whichever is
// stepped first; one sent and never stepped leaves the connection as it was; and on PostgreSQL a
// statement that fails in a pipeline is reported at its step, the ones sent after it are refused
// with its reason, and the connection serves the next read.
TEST_F(StoresTest, StatementsSentTogetherAreAnsweredEachWithItsOwnRows) {
    stores_.customers->upsert({{"3350100001", "张伟", "", "", "", "", ""}, {"3350100002", "李娜", "", "", "", "", ""}}, actor_);
    DatabaseOptions one = options_;
    one.readers = 1;  // every read on one connection
    auto node = Database::open(one);
    for (int round = 0; round < 2; ++round) {
        node->read([&](Connection& c) {
            auto name = c.prepare("SELECT name FROM customers WHERE account_no=?");
            name.bind(1, round == 0 ? "3350100001" : "3350100002").send();
            auto count = c.prepare("SELECT COUNT(*) FROM customers WHERE account_no LIKE ?");
            count.bind(1, "33501000%").send();
            auto none = c.prepare("SELECT name FROM customers WHERE account_no='0'");
            none.send();
            // Stepped, not sent, while the others wait for their answers: it joins them.
            auto stepped = c.prepare("SELECT account_no, name FROM customers WHERE account_no=?");
            stepped.bind(1, "3350100002");
            ASSERT_TRUE(stepped.step());
            EXPECT_EQ(stepped.text(1), "李娜");
            EXPECT_FALSE(stepped.step());
            ASSERT_TRUE(count.step());
            EXPECT_EQ(count.int64(0), 2);
            ASSERT_TRUE(name.step());
            EXPECT_EQ(name.text(0), round == 0 ? "张伟" : "李娜");
            EXPECT_FALSE(name.step());
            EXPECT_FALSE(none.step());
        });
        // Sent and never stepped: its answer is read and dropped before the connection's next use.
        node->read([&](Connection& c) { c.prepare("SELECT name FROM customers").send(); });
        EXPECT_EQ(makeSqlStores(*node).customers->findByAccountNo("3350100002")->fields.name, "李娜");
    }
    if (options_.url.empty()) return;
    node->read([&](Connection& c) {
        auto first = c.prepare("SELECT COUNT(*) FROM customers");
        first.send();
        auto bad = c.prepare("SELECT CAST(? AS integer)");
        bad.bind(1, "not a number").send();
        auto after = c.prepare("SELECT name FROM customers WHERE account_no='3350100001'");
        after.send();
        ASSERT_TRUE(first.step());
        EXPECT_EQ(first.int64(0), 2);
        try {
            (void)bad.step();
            ADD_FAILURE() << "a failed statement stepped";
        } catch (const StorageError& e) {
            EXPECT_NE(std::string(e.what()).find("invalid input syntax"), std::string::npos) << e.what();
        }
        try {
            (void)after.step();
            ADD_FAILURE() << "a statement after a failed one stepped";
        } catch (const StorageError& e) {
            EXPECT_NE(std::string(e.what()).find("not run"), std::string::npos) << e.what();
        }
    });
    EXPECT_EQ(makeSqlStores(*node).customers->findByAccountNo("3350100001")->fields.name, "张伟");
}

TEST_F(StoresTest, ConcurrentWritersNeverSeeDatabaseIsLocked) {
    std::vector<std::thread> writers;
    std::atomic<int> failures{0};
    for (int t = 0; t < 4; ++t)
        writers.emplace_back([&, t] {
            for (int i = 0; i < 50; ++i) {
                try {
                    std::string account = std::to_string(3350100000 + t * 1000 + i);
                    stores_.customers->upsert({{account, "客户" + account, "", "", "", "", ""}}, actor_);
                    stores_.audit->append({{actor_, "page.view", "page", account, "{}"}});
                } catch (const std::exception&) {
                    ++failures;
                }
            }
        });
    for (auto& w : writers) w.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_FALSE(stores_.audit->verifyChain().firstBrokenId);
    EXPECT_EQ(stores_.audit->verifyChain().entries, 1 + 4 * 50 * 2);
}

// Two nodes on one database (two Database objects, each with its own writer and readers, as two
// servers have) file at once: every archive number is given once, the audit chain stays one
// unbroken chain, and each node sees the other's work.
TEST_F(StoresTest, TwoNodesFilingAtOnceNeverShareAnArchiveNumberAndKeepOneAuditChain) {
    stores_.customers->upsert({{"3350100065", "张伟", "", "", "", "", ""}}, actor_);
    const std::int64_t customer = customerId("3350100065");
    DatabaseOptions second = options_;
    second.readers = 2;
    auto otherDb = Database::open(second);
    auto other = makeSqlStores(*otherDb);
    std::vector<std::string> numbers[2];
    std::atomic<int> failures{0};
    auto fileMany = [&](Stores& node, int n) {
        for (int i = 0; i < 40; ++i) {
            try {
                auto filed = node.documents->file(newDocument(customer, "增容", "增容申请书", static_cast<std::uint8_t>(n * 50 + i)), actor_);
                if (filed) numbers[n].push_back(filed->archiveNo);
                else ++failures;
                node.audit->append({{actor_, "page.view", "page", std::to_string(i), "{}"}});
            } catch (const std::exception& e) {
                ADD_FAILURE() << e.what();
                ++failures;
            }
        }
    };
    std::thread a(fileMany, std::ref(stores_), 0), b(fileMany, std::ref(other), 1);
    a.join();
    b.join();
    EXPECT_EQ(failures.load(), 0);
    std::set<std::string> all(numbers[0].begin(), numbers[0].end());
    all.insert(numbers[1].begin(), numbers[1].end());
    EXPECT_EQ(all.size(), 80u) << "an archive number given twice";
    EXPECT_EQ(stores_.documents->currentDocuments(customer).size(), 80u);
    EXPECT_EQ(other.documents->currentDocuments(customer).size(), 80u);
    auto chain = other.audit->verifyChain();
    EXPECT_FALSE(chain.firstBrokenId);
    // user.create, customer.create, and each filing's entry and view.
    EXPECT_EQ(chain.entries, 2 + 80 * 2);
}

// Two nodes starting together on a new database apply its schema once.
TEST_F(StoresTest, TwoNodesOpeningANewDatabaseTogetherMigrateItOnce) {
    if (options_.url.empty()) GTEST_SKIP() << "one SQLite file has one server";
    DatabaseOptions fresh = options_;
    fresh.url = testing::freshPostgresDatabase();
    fresh.readers = 1;
    std::unique_ptr<Database> nodes[2];
    std::thread a([&] { nodes[0] = Database::open(fresh); }), b([&] { nodes[1] = Database::open(fresh); });
    a.join();
    b.join();
    ASSERT_TRUE(nodes[0] && nodes[1]);
    EXPECT_EQ(nodes[0]->schemaVersion(), nodes[1]->schemaVersion());
    auto stores = makeSqlStores(*nodes[1]);
    EXPECT_EQ(stores.customers->upsert({{"3350100065", "张伟", "", "", "", "", ""}}, system_).created, 1);
}

// Pages to read are claimed: two nodes taking from one queue take different pages, a node takes
// its own claims again, and the claim of a node that died runs out so that another reads the page.
TEST_F(StoresTest, NodesReadingOneQueueClaimDifferentPagesAndADeadNodesClaimsRunOut) {
    std::vector<Digest> images;
    for (std::uint8_t i = 1; i <= 6; ++i) images.push_back(Sha256::of(std::string(1, static_cast<char>(i))));
    stores_.readings->enqueue(images, false);
    DatabaseOptions second = options_;
    second.readers = 1;
    auto otherDb = Database::open(second);
    auto other = makeSqlStores(*otherDb);
    using std::chrono::milliseconds;
    auto a = stores_.readings->claimQueued(4, "node-a", milliseconds(60000));
    auto b = other.readings->claimQueued(4, "node-b", milliseconds(300));
    EXPECT_EQ(a.size(), 4u);
    ASSERT_EQ(b.size(), 2u) << "node b gets only what node a left";
    for (const auto& image : b) EXPECT_EQ(std::find(a.begin(), a.end(), image), a.end());
    EXPECT_EQ(stores_.readings->claimQueued(4, "node-a", milliseconds(60000)), a) << "a node's own claims are its again";
    EXPECT_FALSE(other.readings->claim(a.front(), "node-b", milliseconds(300)));
    // Node b dies with its claims; once they run out node a reads those pages.
    std::this_thread::sleep_for(milliseconds(400));
    EXPECT_EQ(stores_.readings->claimQueued(10, "node-a", milliseconds(60000)).size(), 6u);
    // A page read is no longer to be claimed.
    StoredReading done;
    done.image = a.front();
    done.state = "done";
    stores_.readings->record(done);
    EXPECT_FALSE(stores_.readings->claim(a.front(), "node-a", milliseconds(60000)));
    EXPECT_EQ(stores_.readings->claimQueued(10, "node-a", milliseconds(60000)).size(), 5u);
}

// A batch (and an audit) is leased to the node doing it: renewing keeps it, another node claims it
// only once the lease has run out, and then the first node no longer holds it.
TEST_F(StoresTest, ABatchIsLeasedToItsNodeAndClaimedByAnotherWhenTheLeaseRunsOut) {
    using std::chrono::milliseconds;
    auto image = Sha256::of(std::string("scan"));
    auto first = stores_.batches->create("upload", "", "", {{"a.jpg", image, 4, "image/jpeg"}}, actor_, {"node-a", milliseconds(300)});
    auto second = stores_.batches->create("upload", "", "", {{"b.jpg", image, 4, "image/jpeg"}}, actor_, {"node-a", milliseconds(60000)});
    DatabaseOptions other = options_;
    other.readers = 1;
    auto otherDb = Database::open(other);
    auto b = makeSqlStores(*otherDb);
    EXPECT_TRUE(b.leases->claimAbandoned(LeasedWork::Batch, "node-b", milliseconds(60000), 5).empty()) << "both leases run";
    EXPECT_EQ(stores_.leases->renew(LeasedWork::Batch, "node-a", milliseconds(300)), (std::vector<std::int64_t>{first, second}));
    std::this_thread::sleep_for(milliseconds(400));
    // Node a stopped renewing: node b claims both, oldest first, as many as it asks for.
    EXPECT_EQ(b.leases->claimAbandoned(LeasedWork::Batch, "node-b", milliseconds(60000), 1), (std::vector<std::int64_t>{first}));
    EXPECT_EQ(b.leases->claimAbandoned(LeasedWork::Batch, "node-b", milliseconds(60000), 5), (std::vector<std::int64_t>{second}));
    EXPECT_FALSE(stores_.leases->holds(LeasedWork::Batch, first, "node-a"));
    EXPECT_TRUE(b.leases->holds(LeasedWork::Batch, first, "node-b"));
    EXPECT_TRUE(stores_.leases->renew(LeasedWork::Batch, "node-a", milliseconds(300)).empty()) << "node a, back, holds nothing";
    EXPECT_EQ(stores_.batches->unfinished("node-b"), (std::vector<std::int64_t>{first, second}));
    // A finished batch is nobody's work.
    b.batches->finish(first, "done", "");
    EXPECT_EQ(b.leases->renew(LeasedWork::Batch, "node-b", milliseconds(60000)), (std::vector<std::int64_t>{second}));
    // Audits are leased the same way.
    auto audit = stores_.completeness->createAudit({}, 0, actor_, {"node-a", milliseconds(1)});
    std::this_thread::sleep_for(milliseconds(20));
    EXPECT_EQ(b.leases->claimAbandoned(LeasedWork::Audit, "node-b", milliseconds(60000), 5), (std::vector<std::int64_t>{audit}));
    EXPECT_EQ(stores_.completeness->unfinishedAudits("node-b"), (std::vector<std::int64_t>{audit}));
}

// The background work's lead: one node holds it at a time, and when that node goes (its
// connection with it) another takes it.
TEST_F(StoresTest, OneNodeLeadsTheBackgroundWorkAndAnotherTakesTheLeadWhenItGoes) {
    ASSERT_TRUE(db_->tryLead());
    EXPECT_TRUE(db_->stillLeading());
    if (options_.url.empty()) GTEST_SKIP() << "one SQLite file has one server, which always leads";
    DatabaseOptions second = options_;
    second.readers = 1;
    auto other = Database::open(second);
    EXPECT_FALSE(other->tryLead());
    EXPECT_FALSE(other->stillLeading());
    stores_ = {};
    db_.reset();
    // The server lets the lock go once it has seen the connection close: tried again, as a node does.
    bool took = false;
    for (int i = 0; i < 50 && !took; ++i) {
        took = other->tryLead();
        if (!took) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_TRUE(took);
    EXPECT_TRUE(other->stillLeading());
}

}  // namespace
}  // namespace dangan::storage
