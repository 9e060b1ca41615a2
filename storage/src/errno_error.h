#pragma once
// The storage module's one way of failing on a system call: a StorageError naming what was done
// and errno's words, or a StorageFullError when the disk is full. Internal to the storage module.

#include <cerrno>
#include <cstring>
#include <string>

#include "dangan/storage/database.h"

namespace dangan::storage {

[[noreturn]] inline void failErrno(const std::string& what) {
    std::string message = what + ": " + std::strerror(errno);
    if (errno == ENOSPC || errno == EDQUOT) throw StorageFullError(message);
    throw StorageError(message);
}

}  // namespace dangan::storage
