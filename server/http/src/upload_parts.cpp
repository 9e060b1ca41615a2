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
    return readScanParts(call.http, call.http.stream(), call.desks.uploads, call.limits, form);
}

Outcome<std::vector<Upload>> readScanParts(const Poco::Net::HTTPRequest& head, std::istream& body,
                                           const UploadRoom& room, const HttpLimits& limits, Poco::Net::HTMLForm& form) {
    if (!Poco::toLower(head.getContentType()).starts_with("multipart/form-data"))
        return fail(ProblemCode::UnsupportedMediaType, "send scans as multipart/form-data");
    if (head.hasContentLength() && static_cast<std::uint64_t>(head.getContentLength64()) > limits.maxUploadBody)
        return fail(ProblemCode::PayloadTooLarge, "upload is larger than " + std::to_string(limits.maxUploadBody >> 20) + " MiB");
    // Refused before a byte is written when it would leave the disk short of its reserve.
    std::error_code ec;
    auto space = std::filesystem::space(room.staging, ec);
    std::uint64_t coming = head.hasContentLength() ? static_cast<std::uint64_t>(head.getContentLength64()) : 0;
    if (!ec && space.available < coming + room.reserveBytes)
        return fail(ProblemCode::InsufficientStorage,
                    "the archive's disk has " + std::to_string(space.available >> 20) + " MiB free, and " +
                        std::to_string(room.reserveBytes >> 20) + " MiB are kept in reserve; the upload was not stored");
    ScanParts parts(room.staging, room.maxFileBytes, limits.maxUploadBody, limits.maxUploadFiles);
    form.setFieldLimit(static_cast<int>(limits.maxUploadFiles) + 50);  // Poco counts file parts too
    try {
        form.load(head, body, parts);
    } catch (const Poco::Exception& e) {
        return fail(ProblemCode::BadRequest, "multipart body cannot be read: " + e.message());
    }
    return std::move(parts.uploads);
}

}  // namespace dangan::server
