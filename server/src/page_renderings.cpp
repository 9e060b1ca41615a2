#include "dangan/server/page_renderings.h"

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
    bool thumb = rendering == Rendering::Thumbnail;
    std::string hex = storage::toHex(page.sha256);
    fs::path dir = cacheDir_ / hex.substr(0, 2);
    fs::path file = dir / (hex + "-" + std::to_string(page.frame) + (thumb ? "-t.jpg" : "-p.jpg"));
    if (fs::exists(file)) return scanner::readFile(file);

    auto in = images_.open(page.sha256);
    if (!in) return fail(ProblemCode::NotFound, "the image of page " + std::to_string(page.id) + " is missing from the store");
    std::string bytes;
    Poco::StreamCopier::copyToString(*in, bytes);
    auto jpeg = scanner::renderJpeg(bytes, page.frame, thumb ? 240 : 2000, thumb ? 75 : 85);
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
