// Which names the hot folder leaves alone: those a writer uses while a file is incomplete.
#include <gtest/gtest.h>

#include "dangan/desks/hot_folder.h"

namespace dangan::server {
namespace {

TEST(HotFolderNames, LeavesFilesBeingWrittenAlone) {
    for (const char* name : {"scan.tiff.part", "SCAN.PDF.PART", "job.partial", "upload.tmp", "x.TEMP", "a.crdownload",
                             "b.filepart", ".hidden.jpg", "~lock.jpg", "page.jpg~", ".page.jpg.swp", "x.jpg.reason.txt", ""})
        EXPECT_TRUE(isWorkInProgressName(name)) << name;
}

TEST(HotFolderNames, TakesScannerOutput) {
    for (const char* name : {"scan-0001.jpg", "20261123_101500.pdf", "out1.tiff", "partner.jpg", "temporary.png",
                             "job (2).tif", "扫描件.pdf"})
        EXPECT_FALSE(isWorkInProgressName(name)) << name;
}

}  // namespace
}  // namespace dangan::server
