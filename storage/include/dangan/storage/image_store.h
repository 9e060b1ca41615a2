#pragma once
// Content-addressed storage of page images: bytes are stored once under their SHA-256, written to
// a staging file first and made durable (fsync, rename, fsync of the folder) before anyone may
// reference them. Stored bytes are never changed.

#include <cstdint>
#include <filesystem>
#include <istream>
#include <memory>
#include <optional>
#include <string_view>

#include "dangan/storage/sha256.h"

namespace dangan::storage {

// Bytes received and hashed, waiting in a local staging file. Move-only; the file is removed when
// the object is destroyed unless a store has committed it.
class StagedImage {
public:
    StagedImage(std::filesystem::path file, Digest digest, std::uint64_t size)
        : file_(std::move(file)), digest_(digest), size_(size) {}
    ~StagedImage();
    StagedImage(StagedImage&& other) noexcept;
    StagedImage& operator=(StagedImage&& other) noexcept;
    StagedImage(const StagedImage&) = delete;
    StagedImage& operator=(const StagedImage&) = delete;

    [[nodiscard]] const std::filesystem::path& file() const { return file_; }
    [[nodiscard]] const Digest& digest() const { return digest_; }
    [[nodiscard]] std::uint64_t size() const { return size_; }
    // Called by a store once the file has been moved into place.
    void release() { file_.clear(); }

private:
    std::filesystem::path file_;
    Digest digest_{};
    std::uint64_t size_ = 0;
};

// Streams bytes into a new staging file in `directory`, hashing them on the way.
class ImageStaging {
public:
    explicit ImageStaging(const std::filesystem::path& directory);
    ~ImageStaging();
    ImageStaging(const ImageStaging&) = delete;
    ImageStaging& operator=(const ImageStaging&) = delete;

    void write(std::string_view bytes);
    [[nodiscard]] std::uint64_t size() const { return size_; }
    // Flushes and fsyncs the file and hands it over.
    [[nodiscard]] StagedImage finish();

private:
    std::filesystem::path file_;
    int fd_ = -1;
    Sha256 hash_;
    std::uint64_t size_ = 0;
};

class ImageStore {
public:
    virtual ~ImageStore() = default;

    // Where uploads are staged before commit (on the same file system as the store, so a commit
    // is a rename).
    [[nodiscard]] virtual std::filesystem::path stagingDirectory() const = 0;
    // Makes the staged bytes durable under their digest. Returns true when they were new, false
    // when identical bytes were stored already (the staged file is then dropped).
    virtual bool commit(StagedImage& staged) = 0;
    [[nodiscard]] virtual bool contains(const Digest& digest) const = 0;
    // Opens stored bytes for reading; nullptr when absent.
    [[nodiscard]] virtual std::unique_ptr<std::istream> open(const Digest& digest) const = 0;
    [[nodiscard]] virtual std::optional<std::uint64_t> size(const Digest& digest) const = 0;
    // Removes bytes that no catalogue row references (undoing a commit whose database
    // transaction failed). Never used on archived pages.
    virtual void discardUnreferenced(const Digest& digest) = 0;
};

// Files under `root`: objects/ab/cd/<sha256 hex>, staging in tmp/ (emptied at start-up).
class FileImageStore final : public ImageStore {
public:
    // `staging` names the folder under `root` where uploads are staged (one per node sharing the
    // folder). `dropLeftovers`: remove what a crash left in it (false for a second process beside
    // a running server, such as `dangan verify`, whose uploads in flight are staged there).
    explicit FileImageStore(std::filesystem::path root, bool dropLeftovers = true, std::string staging = "tmp");

    [[nodiscard]] std::filesystem::path stagingDirectory() const override;
    bool commit(StagedImage& staged) override;
    [[nodiscard]] bool contains(const Digest& digest) const override;
    [[nodiscard]] std::unique_ptr<std::istream> open(const Digest& digest) const override;
    [[nodiscard]] std::optional<std::uint64_t> size(const Digest& digest) const override;
    void discardUnreferenced(const Digest& digest) override;

    [[nodiscard]] std::filesystem::path pathOf(const Digest& digest) const;

private:
    std::filesystem::path root_;
    std::string staging_;
};

// Fsyncs a folder so that a rename or a new entry in it survives power loss.
void syncDirectory(const std::filesystem::path& directory);

}  // namespace dangan::storage
