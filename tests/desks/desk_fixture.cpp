#include "desk_fixture.h"

#include "dangan/desks/access.h"
#include "test_database.h"
#include "test_images.h"

namespace dangan::server {

DeskTest::DeskTest() {
    db_ = storage::Database::open(testing::testDatabase(dir_.path(), 4, clock_));
    stores_ = storage::makeSqlStores(*db_);
    images_ = std::make_unique<storage::FileImageStore>(dir_.path() / "images");
    filing_ = std::make_unique<FilingDesk>(*stores_.customers, *stores_.documents, *images_, *clock_, scanner::ImageLimits{},
                                           barcode::ArchiveNumberRule{});
    admin_ = addUser("admin", {"admin"});
}

storage::User DeskTest::addUser(const std::string& username, std::vector<std::string> roles) {
    storage::User user;
    user.username = username;
    user.displayName = username;
    user.roles = std::move(roles);
    user.passwordHash = hashPassword("Secret-2026");
    auto created = stores_.users->create(user, {std::nullopt, "system"});
    EXPECT_TRUE(created) << username;
    return *created;
}

storage::Customer DeskTest::addCustomer(const std::string& accountNo, const std::string& name, const std::string& voltage,
                                        const std::string& unit) {
    storage::CustomerFields fields{accountNo, name, "杭州市上城区解放路 1 号", "13800000000", "", voltage, unit};
    (void)stores_.customers->upsert({fields}, {std::nullopt, "system"});
    return *stores_.customers->findByAccountNo(accountNo);
}

Upload DeskTest::upload(unsigned seed) {
    storage::ImageStaging staging(images_->stagingDirectory());
    staging.write(testing::jpegPage({.seed = seed}));
    return Upload{"page-" + std::to_string(seed) + ".jpg", staging.finish(), std::nullopt};
}

storage::Document DeskTest::file(const std::string& accountNo, const std::string& process, const std::string& docType,
                                 const storage::User& by, unsigned seed, const std::string& supersedes) {
    std::vector<Upload> uploads;
    uploads.push_back(upload(seed));
    auto filed = filing_->file({accountNo, process, "", docType, supersedes, "", std::move(uploads)}, actorOf(by));
    EXPECT_TRUE(filed) << (filed ? "" : filed.error().message);
    return *filed;
}

RulesBook& DeskTest::rules() {
    if (!rules_) {
        rules_ = std::make_unique<RulesBook>(*stores_.completeness);
        rules_->load(DANGAN_DEFAULT_RULES, false);
    }
    return *rules_;
}

CalendarBook& DeskTest::calendar() {
    if (!calendar_) {
        calendar_ = std::make_unique<CalendarBook>(*stores_.completeness);
        calendar_->load(DANGAN_DEFAULT_CALENDAR);
    }
    return *calendar_;
}

}  // namespace dangan::server
