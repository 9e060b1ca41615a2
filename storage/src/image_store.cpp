#include "dangan/storage/image_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <system_error>

#include "dangan/storage/database.h"
#include "errno_error.h"

namespace dangan::storage {
namespace fs = std::filesystem;
namespace {

void fsyncFile(int fd, const fs::path& path) {
    if (::fsync(fd) != 0) failErrno("fsync " + path.string());
}

// Creates `dir` and any missing parents, fsyncing each parent that gained an entry.
void createDirectoriesDurably(const fs::path& dir) {
    if (fs::exists(dir)) return;
    createDirectoriesDurably(dir.parent_path());
    std::error_code ec;
    if (!fs::create_directory(dir, ec) && ec) {
        std::string message = "cannot create folder " + dir.string() + ": " + ec.message();
        if (ec == std::errc::no_space_on_device) throw StorageFullError(message);
        throw StorageError(message);
    }
    syncDirectory(dir.parent_path());
}

}  // namespace

void syncDirectory(const fs::path& directory) {
    int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) failErrno("open folder " + directory.string());
    int rc = ::fsync(fd);
    int saved = errno;
    ::close(fd);
    if (rc != 0) {
        errno = saved;
        failErrno("fsync folder " + directory.string());
    }
}

// ---- StagedImage ----

StagedImage::~StagedImage() {
    if (!file_.empty()) {
        std::error_code ec;
        fs::remove(file_, ec);
    }
}

StagedImage::StagedImage(StagedImage&& other) noexcept
    : file_(std::move(other.file_)), digest_(other.digest_), size_(other.size_) {
    other.file_.clear();
}

StagedImage& StagedImage::operator=(StagedImage&& other) noexcept {
    if (this != &other) {
        if (!file_.empty()) {
            std::error_code ec;
            fs::remove(file_, ec);
        }
        file_ = std::move(other.file_);
        other.file_.clear();
        digest_ = other.digest_;
        size_ = other.size_;
    }
    return *this;
}

// ---- ImageStaging ----

ImageStaging::ImageStaging(const fs::path& directory) {
    std::string pattern = (directory / "upload-XXXXXX").string();
    fd_ = ::mkstemp(pattern.data());
    if (fd_ < 0) failErrno("create staging file in " + directory.string());
    file_ = pattern;
}

ImageStaging::~ImageStaging() {
    if (fd_ >= 0) {
        ::close(fd_);
        std::error_code ec;
        fs::remove(file_, ec);
    }
}

void ImageStaging::write(std::string_view bytes) {
    hash_.update(bytes);
    const char* p = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
        ssize_t n = ::write(fd_, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            failErrno("write staging file " + file_.string());
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    size_ += bytes.size();
}

StagedImage ImageStaging::finish() {
    fsyncFile(fd_, file_);
    ::close(fd_);
    fd_ = -1;
    return StagedImage(std::move(file_), hash_.finish(), size_);
}

// ---- FileImageStore ----

FileImageStore::FileImageStore(fs::path root, bool dropLeftovers, std::string staging)
    : root_(std::move(root)), staging_(std::move(staging)) {
    createDirectoriesDurably(root_ / "objects");
    fs::path tmp = stagingDirectory();
    // Staging files left by a crash were never acknowledged: drop them.
    std::error_code ec;
    if (dropLeftovers) fs::remove_all(tmp, ec);
    createDirectoriesDurably(tmp);
}

fs::path FileImageStore::stagingDirectory() const { return root_ / staging_; }

fs::path FileImageStore::pathOf(const Digest& digest) const {
    std::string hex = toHex(digest);
    return root_ / "objects" / hex.substr(0, 2) / hex.substr(2, 2) / hex;
}

bool FileImageStore::commit(StagedImage& staged) {
    fs::path target = pathOf(staged.digest());
    if (fs::exists(target)) return false;  // identical bytes already durable; staged file dropped
    createDirectoriesDurably(target.parent_path());
    if (::rename(staged.file().c_str(), target.c_str()) != 0)
        failErrno("rename into image store " + target.string());
    staged.release();
    syncDirectory(target.parent_path());
    return true;
}

bool FileImageStore::contains(const Digest& digest) const { return fs::exists(pathOf(digest)); }

std::unique_ptr<std::istream> FileImageStore::open(const Digest& digest) const {
    auto in = std::make_unique<std::ifstream>(pathOf(digest), std::ios::binary);
    if (!*in) return nullptr;
    return in;
}

std::optional<std::uint64_t> FileImageStore::size(const Digest& digest) const {
    std::error_code ec;
    auto n = fs::file_size(pathOf(digest), ec);
    if (ec) return std::nullopt;
    return n;
}

void FileImageStore::discardUnreferenced(const Digest& digest) {
    std::error_code ec;
    fs::remove(pathOf(digest), ec);
}

}  // namespace dangan::storage
