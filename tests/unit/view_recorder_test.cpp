#include "dangan/desks/view_recorder.h"

#include <gtest/gtest.h>

#include "dangan/storage/database.h"
#include "server_process.h"

namespace dangan::server {
namespace {

TEST(ViewRecorder, FlushWritesQueuedViewsInOrderAndDestructionWritesTheRest) {
    testing::TempDir dir;
    auto db = storage::Database::open({.path = dir.path() / "archive.db", .readers = 2});
    auto stores = storage::makeSqlStores(*db);
    storage::Actor staff{std::nullopt, "staff1"};
    {
        ViewRecorder views(*stores.audit, db->clock(), std::chrono::hours(1), 1000);  // never by timer here
        views.record({staff, "page.view", "page", "1", "{}"});
        views.record({staff, "page.view", "page", "2", "{}"});
        views.flush();
        auto entries = stores.audit->list({});
        ASSERT_EQ(entries.size(), 2u);
        EXPECT_EQ(entries[0].objectId, "2");  // newest first
        views.record({staff, "page.view", "page", "3", "{}"});
    }
    EXPECT_EQ(stores.audit->list({}).size(), 3u);
    EXPECT_FALSE(stores.audit->verifyChain().firstBrokenId);
}

TEST(ViewRecorder, AFullBatchIsWrittenWithoutWaitingForTheInterval) {
    testing::TempDir dir;
    auto db = storage::Database::open({.path = dir.path() / "archive.db", .readers = 2});
    auto stores = storage::makeSqlStores(*db);
    ViewRecorder views(*stores.audit, db->clock(), std::chrono::hours(1), 3);
    for (int i = 0; i < 3; ++i) views.record({{std::nullopt, "s"}, "page.view", "page", std::to_string(i), "{}"});
    for (int i = 0; i < 200 && stores.audit->list({}).size() < 3; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(stores.audit->list({}).size(), 3u);
}

}  // namespace
}  // namespace dangan::server
