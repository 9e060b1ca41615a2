#pragma once
// Multipart uploads of scans: every part named "files" streamed into the image store's staging
// area as it arrives, within the limits of one file, one upload and the number of files.

#include <Poco/Net/HTMLForm.h>

#include <vector>

#include "http_call.h"

namespace dangan::server {

// Reads a multipart upload of scans: its text fields into `form`, its files staged as they arrive.
[[nodiscard]] Outcome<std::vector<Upload>> readScanUpload(Call& call, Poco::Net::HTMLForm& form);

// The same from a request's head and its body as a stream, with the room and limits given: what
// readScanUpload does once the call's size is known to be within the limit (and what the fuzzer
// drives with bytes of its own).
[[nodiscard]] Outcome<std::vector<Upload>> readScanParts(const Poco::Net::HTTPRequest& head, std::istream& body,
                                                         const UploadRoom& room, const HttpLimits& limits,
                                                         Poco::Net::HTMLForm& form);

}  // namespace dangan::server
