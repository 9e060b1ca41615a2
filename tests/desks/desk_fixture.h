#pragma once
// The archive's desks on a real SQLite file in a temporary folder (or, under ctest's postgresql.
// prefix, a database of their own on a loopback PostgreSQL server: see test_database.h), with a
// clock that stands still until a test moves it; no HTTP server. Each test makes the desks it
// exercises.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "dangan/desks/filing_desk.h"
#include "dangan/desks/rules_book.h"
#include "dangan/desks/working_days.h"
#include "dangan/storage/clock.h"
#include "dangan/storage/database.h"
#include "dangan/storage/image_store.h"
#include "dangan/storage/stores.h"
#include "server_process.h"

namespace dangan::server {

class DeskTest : public ::testing::Test {
protected:
    // 2026-11-23 10:00 in China.
    static constexpr std::int64_t kStart = 1795399200000;
    static constexpr std::int64_t kMinute = 60LL * 1000;
    static constexpr std::int64_t kHour = 60 * kMinute;

    DeskTest();

    // A user made directly in the store (password "Secret-2026").
    storage::User addUser(const std::string& username, std::vector<std::string> roles);
    static storage::Actor actorOf(const storage::User& user) { return {user.id, user.username}; }
    storage::Customer addCustomer(const std::string& accountNo, const std::string& name, const std::string& voltage = "0.4kV",
                                  const std::string& unit = "城东供电所");
    // Files a one-page document (a real JPEG, staged as an upload) through the filing desk.
    storage::Document file(const std::string& accountNo, const std::string& process, const std::string& docType,
                           const storage::User& by, unsigned seed = 1, const std::string& supersedes = "");
    // An upload of a scanned page as the HTTP layer stages it.
    Upload upload(unsigned seed);
    // The shipped process rules, in force.
    RulesBook& rules();
    // The shipped working-day calendar.
    CalendarBook& calendar();

    testing::TempDir dir_;
    std::shared_ptr<storage::FixedClock> clock_ = std::make_shared<storage::FixedClock>(kStart);
    std::unique_ptr<storage::Database> db_;
    storage::Stores stores_;
    std::unique_ptr<storage::FileImageStore> images_;
    std::unique_ptr<FilingDesk> filing_;
    std::unique_ptr<RulesBook> rules_;
    std::unique_ptr<CalendarBook> calendar_;
    storage::User admin_;
};

}  // namespace dangan::server
