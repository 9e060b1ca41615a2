#include "dangan/desks/page_renderings.h"

#include <Poco/StreamCopier.h>

#include <atomic>
#include <fstream>
#include <sstream>

#include "dangan/scanner/page_image.h"

namespace dangan::server {
namespace fs = std::filesystem;

PageRenderings::PageRenderings(storage::ImageStore& images, fs::path cacheDir)
    : images_(images), cacheDir_(std::move(cacheDir)) {
    fs::create_directories(cacheDir_);
}

Outcome<std::string> PageRenderings::jpeg(const storage::Page& page, Rendering rendering) {
    // A cleaned page (turned upright, deskewed, cut from a PDF) is what people look at.
    return jpeg(page.cleanedSha256.value_or(page.sha256), page.cleanedSha256 ? 0 : page.frame, rendering,
                "page " + std::to_string(page.id));
}

Outcome<std::string> PageRenderings::jpeg(const storage::Digest& image, int frame, Rendering rendering,
                                          const std::string& what) {
    bool thumb = rendering == Rendering::Thumbnail;
    std::string hex = storage::toHex(image);
    fs::path dir = cacheDir_ / hex.substr(0, 2);
    fs::path file = dir / (hex + "-" + std::to_string(frame) + (thumb ? "-t.jpg" : "-p.jpg"));
    if (fs::exists(file)) return scanner::readFile(file);

    auto in = images_.open(image);
    if (!in) return fail(ProblemCode::NotFound, "the image of " + what + " is missing from the store");
    std::string bytes;
    Poco::StreamCopier::copyToString(*in, bytes);
    auto jpeg = scanner::renderJpeg(bytes, frame, thumb ? 240 : 2000, thumb ? 75 : 85);
    if (!jpeg) return fail(ProblemCode::Unprocessable, jpeg.error().message);

    // Write beside, then rename: a reader never sees half a file.
    fs::create_directories(dir);
    static std::atomic<std::uint64_t> counter{0};
    fs::path temporary = file;
    temporary += ".tmp" + std::to_string(++counter);
    {
        std::ofstream out(temporary, std::ios::binary);
        out.write(jpeg->data(), static_cast<std::streamsize>(jpeg->size()));
        if (!out) return std::move(*jpeg);  // the cache is an optimisation; serve anyway
    }
    std::error_code ec;
    fs::rename(temporary, file, ec);
    if (ec) fs::remove(temporary, ec);
    return std::move(*jpeg);
}

}  // namespace dangan::server
