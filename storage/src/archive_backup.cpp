#include "dangan/storage/archive_backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include "dangan/storage/database.h"
#include "errno_error.h"
#include "dangan/storage/image_store.h"
#include "dangan/storage/sha256.h"

namespace dangan::storage {
namespace fs = std::filesystem;
namespace {

// A file descriptor closed on scope exit.
class FileHandle {
public:
    FileHandle(const fs::path& path, int flags, mode_t mode = 0600) : fd_(::open(path.c_str(), flags | O_CLOEXEC, mode)) {
        if (fd_ < 0) failErrno("open " + path.string());
    }
    ~FileHandle() {
        if (fd_ >= 0) ::close(fd_);
    }
    FileHandle(const FileHandle&) = delete;
    FileHandle& operator=(const FileHandle&) = delete;
    [[nodiscard]] int fd() const { return fd_; }

private:
    int fd_;
};

// Reads the file `from` to its end, handing each chunk read to `take`.
template <class Take>
void readWhole(const fs::path& from, Take take) {
    FileHandle in(from, O_RDONLY);
    std::array<char, 1 << 16> buffer{};
    while (true) {
        ssize_t n = ::read(in.fd(), buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) failErrno("read " + from.string());
        if (n == 0) return;
        take(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
    }
}

// Copies `from` to `to` through a temporary file beside it, fsynced and renamed into place; returns
// the digest of the bytes copied and their count.
std::pair<Digest, std::uint64_t> copyDurably(const fs::path& from, const fs::path& to) {
    fs::path partial = to;
    partial += ".partial";
    Sha256 hash;
    std::uint64_t total = 0;
    {
        FileHandle out(partial, O_WRONLY | O_CREAT | O_TRUNC);
        readWhole(from, [&](std::string_view chunk) {
            hash.update(chunk);
            for (std::size_t done = 0; done < chunk.size();) {
                ssize_t w = ::write(out.fd(), chunk.data() + done, chunk.size() - done);
                if (w < 0 && errno == EINTR) continue;
                if (w < 0) failErrno("write " + partial.string());
                done += static_cast<std::size_t>(w);
            }
            total += chunk.size();
        });
        if (::fsync(out.fd()) != 0) failErrno("fsync " + partial.string());
    }
    if (::rename(partial.c_str(), to.c_str()) != 0) failErrno("rename " + partial.string());
    syncDirectory(to.parent_path());
    return {hash.finish(), total};
}

// The images under `root`/objects, each by its path relative to `root`.
std::vector<fs::path> imagesUnder(const fs::path& root) {
    std::vector<fs::path> images;
    fs::path objects = root / "objects";
    if (!fs::exists(objects)) return images;
    for (const auto& entry : fs::recursive_directory_iterator(objects))
        if (entry.is_regular_file() && !entry.path().string().ends_with(".partial"))
            images.push_back(fs::relative(entry.path(), root));
    return images;
}

// Copies one image, refusing bytes that do not match the image's name (its SHA-256).
std::uint64_t copyImage(const fs::path& from, const fs::path& to) {
    fs::create_directories(to.parent_path());
    auto [digest, bytes] = copyDurably(from, to);
    if (toHex(digest) != from.filename().string()) {
        std::error_code ignored;
        fs::remove(to, ignored);
        throw StorageError("image " + from.string() + " does not match its SHA-256: the archive is damaged; run dangan verify");
    }
    return bytes;
}

struct SqliteHandle {
    sqlite3* db = nullptr;
    ~SqliteHandle() { sqlite3_close(db); }
};

// The online backup of the database at `from` into `to` (a new file), in one step: one
// consistent snapshot, taken under a read transaction that does not stop the server's writes.
void backupDatabase(const fs::path& from, const fs::path& to) {
    SqliteHandle source, target;
    if (sqlite3_open_v2(from.c_str(), &source.db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
        throw StorageError("cannot open " + from.string() + ": " + sqlite3_errmsg(source.db));
    sqlite3_busy_timeout(source.db, 10000);
    if (sqlite3_open_v2(to.c_str(), &target.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
        throw StorageError("cannot create " + to.string() + ": " + sqlite3_errmsg(target.db));
    sqlite3_backup* backup = sqlite3_backup_init(target.db, "main", source.db, "main");
    if (!backup) throw StorageError("cannot back up " + from.string() + ": " + sqlite3_errmsg(target.db));
    int rc = sqlite3_backup_step(backup, -1);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) {
        std::string message = "backing up " + from.string() + " failed: " + sqlite3_errstr(rc);
        if (rc == SQLITE_FULL) throw StorageFullError(message);
        throw StorageError(message);
    }
    // The copy stands alone: its write-ahead log folded in, one file.
    char* error = nullptr;
    if (sqlite3_exec(target.db, "PRAGMA journal_mode=DELETE", nullptr, nullptr, &error) != SQLITE_OK) {
        std::string message = error ? error : "unknown error";
        sqlite3_free(error);
        throw StorageError("cannot finish the copy " + to.string() + ": " + message);
    }
}

void fsyncPath(const fs::path& path) {
    FileHandle file(path, O_RDONLY);
    if (::fsync(file.fd()) != 0) failErrno("fsync " + path.string());
}

}  // namespace

BackupReport backupArchive(const fs::path& dataDir, const fs::path& destination) {
    fs::path database = dataDir / "archive.db";
    if (!fs::exists(database)) throw StorageError("no archive in " + dataDir.string() + " (no archive.db)");
    std::error_code ec;
    fs::create_directories(destination, ec);
    if (ec) throw StorageError("cannot create " + destination.string() + ": " + ec.message());
    fs::permissions(destination, fs::perms::owner_all, fs::perm_options::replace, ec);
    BackupReport report;

    // The database first: every image it names was stored before the row that names it.
    fs::path partial = destination / "archive.db.partial";
    fs::remove(partial, ec);
    backupDatabase(database, partial);
    fsyncPath(partial);
    report.databaseBytes = fs::file_size(partial);
    if (::rename(partial.c_str(), (destination / "archive.db").c_str()) != 0) failErrno("rename " + partial.string());
    syncDirectory(destination);

    report.imagesInObjectStore = !fs::exists(dataDir / "images") && fs::exists(dataDir / "images-staging");
    for (const auto& image : imagesUnder(dataDir / "images")) {
        fs::path target = destination / "images" / image;
        if (fs::exists(target) && fs::file_size(target) == fs::file_size(dataDir / "images" / image)) {
            ++report.imagesAlreadyThere;
            continue;
        }
        report.imageBytesCopied += copyImage(dataDir / "images" / image, target);
        ++report.imagesCopied;
    }
    return report;
}

ImageMoveReport moveImagesInto(const fs::path& dataDir, ImageStore& target) {
    const fs::path root = dataDir / "images";
    auto images = imagesUnder(root);
    ImageMoveReport report;
    std::vector<std::pair<Digest, std::uint64_t>> moved;
    for (const auto& image : images) {
        fs::path file = root / image;
        ImageStaging staging(target.stagingDirectory());
        readWhole(file, [&](std::string_view chunk) { staging.write(chunk); });
        auto staged = staging.finish();
        if (toHex(staged.digest()) != image.filename().string())
            throw StorageError("image " + file.string() + " does not match its SHA-256: the archive is damaged; run dangan verify");
        moved.emplace_back(staged.digest(), staged.size());
        if (target.commit(staged)) {
            ++report.copied;
            report.bytesCopied += moved.back().second;
        } else {
            ++report.alreadyThere;
        }
    }
    for (const auto& [digest, size] : moved)
        if (target.size(digest) != size)
            throw StorageError("the copy of image " + toHex(digest) + " is missing or of another size in the target");
    return report;
}

RestoreReport restoreArchive(const fs::path& backup, const fs::path& newDataDir) {
    if (!fs::exists(backup / "archive.db")) throw StorageError("no backup in " + backup.string() + " (no archive.db)");
    if (fs::exists(newDataDir) && !fs::is_empty(newDataDir))
        throw StorageError(newDataDir.string() + " is not empty: restore into a new folder");
    std::error_code ec;
    fs::create_directories(newDataDir, ec);
    if (ec) throw StorageError("cannot create " + newDataDir.string() + ": " + ec.message());
    fs::permissions(newDataDir, fs::perms::owner_all, fs::perm_options::replace, ec);
    RestoreReport report;
    report.databaseBytes = copyDurably(backup / "archive.db", newDataDir / "archive.db").second;
    for (const auto& image : imagesUnder(backup / "images")) {
        (void)copyImage(backup / "images" / image, newDataDir / "images" / image);
        ++report.images;
    }
    return report;
}

}  // namespace dangan::storage
