#include "dangan/desks/hot_folder.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>

namespace dangan::server {
namespace {

namespace fs = std::filesystem;

Poco::Logger& log() { return Poco::Logger::get("dangan.watch"); }

bool endsWith(const std::string& name, std::string_view tail) {
    if (name.size() < tail.size()) return false;
    return std::equal(tail.rbegin(), tail.rend(), name.rbegin(),
                      [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); });
}

// DIR/done/NAME, or NAME (2), NAME (3), ... when a file of that name was moved there before.
fs::path freeTarget(const fs::path& folder, const std::string& name) {
    fs::path target = folder / name;
    fs::path stem = fs::path(name).stem(), extension = fs::path(name).extension();
    for (int n = 2; fs::exists(target); ++n)
        target = folder / (stem.string() + " (" + std::to_string(n) + ")" + extension.string());
    return target;
}

}  // namespace

bool isWorkInProgressName(const std::string& filename) {
    if (filename.empty() || filename.front() == '.' || filename.front() == '~' || filename.back() == '~') return true;
    static constexpr std::array<std::string_view, 9> kTails{".part", ".partial", ".tmp", ".temp", ".crdownload",
                                                            ".filepart", ".download", ".swp", ".reason.txt"};
    return std::any_of(kTails.begin(), kTails.end(), [&](std::string_view t) { return endsWith(filename, t); });
}

HotFolder::HotFolder(BatchDesk& desk, storage::BatchStore& batches, storage::ImageStore& images, storage::Actor actor,
                     HotFolderOptions options)
    : desk_(desk), batches_(batches), images_(images), actor_(std::move(actor)), options_(std::move(options)),
      done_(options_.folder / "done"), failed_(options_.folder / "failed") {
    fs::create_directories(done_);
    fs::create_directories(failed_);
    loop_.start(1, [this] { run(); });
}

HotFolder::~HotFolder() { loop_.stop(); }

void HotFolder::run() {
    auto lastLook = std::chrono::steady_clock::time_point{};
    std::uint64_t finished = desk_.finishedCount();
    auto nap = std::min(options_.pollInterval, std::chrono::milliseconds(200));
    while (true) {
        {
            std::lock_guard lock(mutex_);
            if (loop_.stopping()) return;
        }
        try {
            auto now = std::chrono::steady_clock::now();
            if (now - lastLook >= options_.pollInterval) {
                look();
                lastLook = now;
            }
            settleFinished();
            // Back-pressure: only a few of the folder's files are batches at any time; the rest
            // wait in the folder, where they are safe and visible.
            while (inFlight_.size() < options_.maxInFlight && !ready_.empty()) {
                std::string name = std::move(ready_.front());
                ready_.pop_front();
                take(name);
            }
        } catch (const std::exception& e) {
            // A folder that went away (a share unmounted) or a full disk: keep trying, say why.
            log().error("hot folder %s: %s", options_.folder.string(), std::string(e.what()));
            std::unique_lock lock(mutex_);
            loop_.waitFor(lock, options_.pollInterval, [] { return false; });
            continue;
        }
        finished = desk_.waitForFinish(finished, nap);
    }
}

void HotFolder::look() {
    // Completeness is judged by this clock only: a scanner writing over SMB sets the modification
    // time by its own clock, which may run ahead of ours.
    auto now = std::chrono::steady_clock::now();
    std::set<std::string> present;
    std::vector<std::pair<fs::file_time_type, std::string>> complete;
    std::set<std::string> queued(ready_.begin(), ready_.end());
    for (const auto& entry : fs::directory_iterator(options_.folder, fs::directory_options::skip_permission_denied)) {
        std::error_code error;
        if (!entry.is_regular_file(error)) continue;
        std::string name = entry.path().filename().string();
        if (isWorkInProgressName(name)) continue;
        present.insert(name);
        if (inFlight_.contains(name) || queued.contains(name)) continue;
        auto size = entry.file_size(error);
        if (error) continue;
        auto modified = entry.last_write_time(error);
        if (error) continue;
        auto seen = sightings_.find(name);
        if (seen == sightings_.end() || seen->second.size != size || seen->second.modified != modified) {
            sightings_[name] = {size, modified, now};
            continue;
        }
        if (now - seen->second.firstSeen >= options_.settleTime) complete.emplace_back(modified, name);
    }
    std::erase_if(sightings_, [&](const auto& s) { return !present.contains(s.first); });
    std::sort(complete.begin(), complete.end());  // in the order the scanner wrote them
    for (auto& [modified, name] : complete) {
        sightings_.erase(name);
        ready_.push_back(std::move(name));
    }
}

void HotFolder::settleFinished() {
    std::vector<std::pair<std::string, std::int64_t>> finished;
    for (const auto& [name, id] : inFlight_) {
        auto batch = batches_.batch(id, false);
        if (!batch || batch->state == "done" || batch->state == "failed") finished.emplace_back(name, id);
    }
    for (const auto& [name, id] : finished) {
        inFlight_.erase(name);
        settle(name, id);
    }
}

void HotFolder::settle(const std::string& name, std::int64_t batchId) {
    // A file goes to failed/ when its batch failed or any of its pages could not be read: the
    // pages that could are in the archive all the same, but the scan needs a person's eye.
    auto batch = batches_.batch(batchId, true);
    if (batch && batch->state == "done" && !batch->pageOutcomes.contains("failed")) {
        moveToDone(name);
        return;
    }
    std::string reason;
    if (!batch) reason = "batch " + std::to_string(batchId) + " is missing";
    else if (batch->state == "failed") reason = "batch " + std::to_string(batchId) + " failed: " + batch->error;
    else if (batch->pageOutcomes.at("failed") == batch->pagesTotal)
        reason = "batch " + std::to_string(batchId) + ": no page of the file can be read";
    else
        reason = "batch " + std::to_string(batchId) + ": " + std::to_string(batch->pageOutcomes.at("failed")) + " of " +
                 std::to_string(batch->pagesTotal) + " pages cannot be read; the others were taken";
    if (batch) {
        for (const auto& f : batch->files)
            if (!f.message.empty()) reason += "\n" + f.filename + ": " + f.message;
        for (const auto& p : batch->pages)
            if (p.outcome == "failed")
                reason += "\n" + p.filename + " page " + std::to_string(p.frame + 1) + ": " + p.message;
    }
    moveToFailed(name, reason);
}

void HotFolder::take(const std::string& name) {
    fs::path file = options_.folder / name;
    std::error_code error;
    auto size = fs::file_size(file, error);
    if (error) return;  // gone meanwhile
    auto modified = fs::last_write_time(file, error);
    if (error) return;
    if (size > options_.maxFileBytes) {
        moveToFailed(name, "the file is larger than " + std::to_string(options_.maxFileBytes >> 20) + " MiB");
        return;
    }

    storage::ImageStaging staging(images_.stagingDirectory());
    {
        std::ifstream in(file, std::ios::binary);
        if (!in) {
            moveToFailed(name, std::string("the file cannot be opened: ") + std::strerror(errno));
            return;
        }
        std::string chunk(1 << 20, '\0');
        while (in) {
            in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
            if (in.gcount() > 0) staging.write(std::string_view(chunk.data(), static_cast<std::size_t>(in.gcount())));
        }
        if (in.bad()) {
            moveToFailed(name, "the file cannot be read to its end");
            return;
        }
    }
    if (fs::file_size(file, error) != size || error || fs::last_write_time(file, error) != modified || error) {
        sightings_.erase(name);  // still being written after all: look again from the start
        return;
    }
    auto staged = staging.finish();

    if (auto prior = batches_.batchWithFile(staged.digest())) {
        auto batch = batches_.batch(*prior, false);
        if (batch && batch->source == "watch" && batch->sourceName == name) {
            // Taken before a restart, not yet moved: finish what was started.
            log().information("%s: already batch %Ld", name, *prior);
            inFlight_[name] = *prior;
            return;
        }
        std::string from = batch ? (batch->sourceName.empty() ? batch->source : batch->sourceName) : "?";
        moveToFailed(name, "the same scan came in before (batch " + std::to_string(*prior) + ", " + from +
                               "); it is not filed twice");
        return;
    }

    std::vector<Upload> uploads;
    uploads.push_back({name, std::move(staged), std::nullopt});
    auto id = desk_.receive("watch", name, "", std::move(uploads), actor_);
    if (!id) {
        moveToFailed(name, id.error().message);
        return;
    }
    log().information("%s: batch %Ld", name, *id);
    inFlight_[name] = *id;
}

void HotFolder::moveToDone(const std::string& name) {
    std::error_code error;
    fs::rename(options_.folder / name, freeTarget(done_, name), error);
    if (error) {
        log().error("%s: cannot move to done/: %s", name, error.message());
    }
}

void HotFolder::moveToFailed(const std::string& name, const std::string& reason) {
    fs::path target = freeTarget(failed_, name);
    std::error_code error;
    fs::rename(options_.folder / name, target, error);
    if (error) {
        log().error("%s: cannot move to failed/ (%s): %s", name, reason, error.message());
        sightings_.erase(name);
        return;
    }
    std::ofstream note(target.string() + ".reason.txt");
    note << reason << "\n";
    note.close();
    if (!note) log().error("%s: cannot write its .reason.txt in failed/", name);
    log().warning("%s: failed: %s", name, reason);
}

}  // namespace dangan::server
