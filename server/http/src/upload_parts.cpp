#include "upload_parts.h"

#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/NullStream.h>
#include <Poco/StreamCopier.h>

namespace dangan::server {
namespace {

// Streams every part named "files" into the image store's staging area as it arrives.
class ScanParts final : public Poco::Net::PartHandler {
public:
    // maxBytes: one file; maxTotal: all files of the upload; maxFiles: how many files.
    ScanParts(const std::filesystem::path& staging, std::uint64_t maxBytes, std::uint64_t maxTotal, std::size_t maxFiles)
        : staging_(staging), maxBytes_(maxBytes), maxTotal_(maxTotal), maxFiles_(maxFiles) {}

    void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
        std::string disposition;
        Poco::Net::NameValueCollection params;
        Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition", ""), disposition, params);
        Upload upload;
        upload.filename = params.get("filename", "");
        std::string name = params.get("name", "");
        if (name != "files") {
            upload.refused = Problem{ProblemCode::BadRequest, "unexpected file part '" + name + "' (send images in parts named 'files')", {}};
            drain(stream);
        } else if (uploads.size() >= maxFiles_) {
            upload.refused = Problem{ProblemCode::PayloadTooLarge, "more than " + std::to_string(maxFiles_) + " files in one upload", {}};
            drain(stream);
        } else {
            storage::ImageStaging staging(staging_);
            char buffer[65536];
            while (stream) {
                stream.read(buffer, sizeof buffer);
                auto n = static_cast<std::size_t>(stream.gcount());
                if (staging.size() + n > maxBytes_ || received_ + n > maxTotal_) {
                    upload.refused = Problem{ProblemCode::PayloadTooLarge,
                                             staging.size() + n > maxBytes_
                                                 ? "file is larger than " + std::to_string(maxBytes_ >> 20) + " MiB"
                                                 : "upload is larger than " + std::to_string(maxTotal_ >> 20) + " MiB",
                                             {}};
                    drain(stream);
                    break;
                }
                staging.write(std::string_view(buffer, n));
                received_ += n;
            }
            if (!upload.refused) upload.staged = staging.finish();
        }
        uploads.push_back(std::move(upload));
    }

    std::vector<Upload> uploads;

private:
    static void drain(std::istream& stream) {
        Poco::NullOutputStream sink;
        Poco::StreamCopier::copyStream(stream, sink);
    }
    std::filesystem::path staging_;
    std::uint64_t maxBytes_;
    std::uint64_t maxTotal_;
    std::size_t maxFiles_;
    std::uint64_t received_ = 0;
};

}  // namespace

Outcome<std::vector<Upload>> readScanUpload(Call& call, Poco::Net::HTMLForm& form) {
    if (!Poco::toLower(call.http.getContentType()).starts_with("multipart/form-data"))
        return fail(ProblemCode::UnsupportedMediaType, "send scans as multipart/form-data");
    if (call.http.hasContentLength() && static_cast<std::uint64_t>(call.http.getContentLength64()) > call.limits.maxUploadBody)
        return fail(ProblemCode::PayloadTooLarge, "upload is larger than " + std::to_string(call.limits.maxUploadBody >> 20) + " MiB");
    ScanParts parts(call.desks.uploads.staging, call.desks.uploads.maxFileBytes,
                    call.limits.maxUploadBody, call.limits.maxUploadFiles);
    form.setFieldLimit(static_cast<int>(call.limits.maxUploadFiles) + 50);  // Poco counts file parts too
    try {
        form.load(call.http, call.http.stream(), parts);
    } catch (const Poco::Exception& e) {
        return fail(ProblemCode::BadRequest, "multipart body cannot be read: " + e.message());
    }
    return std::move(parts.uploads);
}


}  // namespace dangan::server
