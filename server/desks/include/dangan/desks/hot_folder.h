#pragma once
// The hot folder (`dangan serve --watch DIR`): network scanners deliver by writing files into a
// shared folder. Each file, once complete, becomes one batch of the scanning desk; when its batch
// has finished the file moves to DIR/done/, and a file that cannot be taken moves to DIR/failed/
// with NAME.reason.txt beside it. The folder is polled, not watched through inotify: scan-to-folder
// goes through SMB and NFS shares, where change notifications do not arrive.
//
// A file is taken when its size and modification time have not changed between two looks at least
// `settleTime` apart (by the server's clock; the scanner's may differ). Names a writer uses while it works (hidden files, *.part, *.tmp, ...) are never
// taken. A file whose exact bytes came in before is not filed again: after a crash between taking a
// file and moving it, the restarted folder finds the batch the file became and finishes the move.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "dangan/desks/worker_loop.h"
#include <deque>
#include <vector>

#include "dangan/desks/batch_desk.h"
#include "dangan/storage/image_store.h"
#include "dangan/storage/stores.h"

namespace dangan::server {

struct HotFolderOptions {
    std::filesystem::path folder;
    std::chrono::milliseconds pollInterval{1000};
    std::chrono::milliseconds settleTime{2000};  // unchanged at least this long before it is taken
    std::size_t maxInFlight = 8;                 // the folder's batches queued or running at once
    std::uint64_t maxFileBytes = 1ull << 30;
};

// Whether a name is one a writer uses while the file is incomplete (or a file the folder itself
// writes), so the folder must leave it alone.
[[nodiscard]] bool isWorkInProgressName(const std::string& filename);

class HotFolder {
public:
    // Creates DIR, DIR/done and DIR/failed when missing; throws std::filesystem::filesystem_error
    // when it cannot. Starts watching at once.
    HotFolder(BatchDesk& desk, storage::BatchStore& batches, storage::ImageStore& images, storage::Actor actor,
              HotFolderOptions options);
    ~HotFolder();  // stops watching; files in flight stay where they are and are found again
    HotFolder(const HotFolder&) = delete;
    HotFolder& operator=(const HotFolder&) = delete;

private:
    struct Sighting {
        std::uintmax_t size = 0;
        std::filesystem::file_time_type modified;
        std::chrono::steady_clock::time_point firstSeen;
    };

    void run();
    void look();                                     // lists the folder, finds complete files
    void settleFinished();                           // moves files whose batch has finished
    void take(const std::string& name);
    void settle(const std::string& name, std::int64_t batchId);
    void moveToDone(const std::string& name);
    void moveToFailed(const std::string& name, const std::string& reason);

    BatchDesk& desk_;
    storage::BatchStore& batches_;
    storage::ImageStore& images_;
    storage::Actor actor_;
    HotFolderOptions options_;
    std::filesystem::path done_;
    std::filesystem::path failed_;

    // Used by the watching thread only.
    std::map<std::string, Sighting> sightings_;
    std::deque<std::string> ready_;                  // complete, in the order to take them
    std::map<std::string, std::int64_t> inFlight_;   // file name -> its batch

    std::mutex mutex_;
    WorkerLoop loop_{mutex_};  // last: the watcher stops before the rest goes
};

}  // namespace dangan::server
