#pragma once
// Browser-friendly JPEG renderings of archived pages (browsers show neither TIFF nor 1-bit G4),
// made once and kept in a cache folder. Derived data: losing the cache loses nothing.

#include <filesystem>
#include <string>

#include "dangan/desks/problem.h"
#include "dangan/storage/image_store.h"
#include "dangan/storage/records.h"

namespace dangan::server {

enum class Rendering {
    Thumbnail,  // longer side 240 px
    Preview,    // longer side 2000 px, for the page viewer
};

class PageRenderings {
public:
    PageRenderings(storage::ImageStore& images, std::filesystem::path cacheDir);

    [[nodiscard]] Outcome<std::string> jpeg(const storage::Page& page, Rendering rendering);
    // Of any stored raster image (a batch page waiting in review); `what` names it in errors.
    [[nodiscard]] Outcome<std::string> jpeg(const storage::Digest& image, int frame, Rendering rendering,
                                            const std::string& what);

private:
    storage::ImageStore& images_;
    std::filesystem::path cacheDir_;
};

}  // namespace dangan::server
