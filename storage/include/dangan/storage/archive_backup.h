#pragma once
// A second copy of an embedded archive (its SQLite database and its image folder), taken while the
// server runs, and an archive brought back from it. The images are content-addressed files that
// never change, so a later backup into the same destination copies only the new ones; every image
// copied either way is hashed on the way and must match its name.

#include <cstdint>
#include <filesystem>

namespace dangan::storage {

struct BackupReport {
    std::uint64_t databaseBytes = 0;
    std::int64_t imagesCopied = 0;
    std::int64_t imagesAlreadyThere = 0;  // in the destination from an earlier backup
    std::uint64_t imageBytesCopied = 0;
    // The archive keeps its images in an object store (`serve --images`): only the database was
    // copied, and the bucket is replicated by the store's own means.
    bool imagesInObjectStore = false;
};

// Copies `dataDir`'s database into `destination` with SQLite's online backup (one consistent
// snapshot, taken while the server goes on writing; the previous copy is replaced only once the
// new one is whole), then every image of `dataDir` that the destination lacks. Throws
// StorageError (an image whose bytes no longer match its name stops the backup).
[[nodiscard]] BackupReport backupArchive(const std::filesystem::path& dataDir, const std::filesystem::path& destination);

struct RestoreReport {
    std::uint64_t databaseBytes = 0;
    std::int64_t images = 0;
};

// Makes `newDataDir` (which must not hold an archive) an archive from a backup: the database and
// every image, checked against its name, the folder 0700 and its files 0600. Throws StorageError.
[[nodiscard]] RestoreReport restoreArchive(const std::filesystem::path& backup, const std::filesystem::path& newDataDir);

struct ImageMoveReport {
    std::int64_t copied = 0;
    std::int64_t alreadyThere = 0;
    std::uint64_t bytesCopied = 0;
};

class ImageStore;

// Copies every image of an archive's image folder (`dataDir`/images) into `target` (an object
// store, for an archive moving up), each checked against its name on the way; an image the
// target holds already is left, so a run that was stopped goes on where it was. Then proves the
// copy: the target holds every image, at its size. Throws StorageError.
[[nodiscard]] ImageMoveReport moveImagesInto(const std::filesystem::path& dataDir, ImageStore& target);

}  // namespace dangan::storage
