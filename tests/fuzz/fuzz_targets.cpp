#include "fuzz_targets.h"

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequest.h>
#include <leptonica/allheaders.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>

#include "dangan/barcode/archive_number.h"
#include "dangan/barcode/own_code.h"
#include "dangan/desks/positive_number.h"
#include "dangan/desks/process_catalog.h"
#include "dangan/desks/process_rules.h"
#include "dangan/desks/working_days.h"
#include "dangan/http/customer_import.h"
#include "dangan/ocr/field_validation.h"
#include "dangan/ocr/read_vote.h"
#include "dangan/scanner/page_image.h"
#include "dangan/storage/search_text.h"
#include "http_call.h"
#include "upload_parts.h"

namespace dangan::fuzz {
namespace {

// A broken invariant: the fuzzer counts an abort as a crash.
void require(bool holds) {
    if (!holds) std::abort();
}

void jsonBody(std::string_view bytes) {
    const std::string text(bytes);
    auto object = server::parseJsonObject(text);
    if (object) {
        for (const auto& name : (*object)->getNames()) {
            (void)server::textField(*object, name);
            (void)server::boolField(*object, name);
        }
    } else {
        require(!object.error().message.empty());
    }
    auto rows = server::readCustomerImport(bytes, server::ImportFormat::Json);
    if (!rows) require(!rows.error().message.empty());
}

void customerCsv(std::string_view bytes) {
    auto rows = server::readCustomerImport(bytes, server::ImportFormat::Csv);
    if (!rows) require(!rows.error().message.empty());
}

// A folder of this process's own for staged uploads, removed when the process ends; every staged
// file is gone once the upload's values are.
class StagingFolder {
public:
    StagingFolder() : path_(std::filesystem::temp_directory_path() / ("dangan-fuzz-" + std::to_string(::getpid()))) {
        std::filesystem::create_directories(path_);
    }
    ~StagingFolder() {
        std::error_code ignored;  // a folder left in /tmp is not worth a failure at exit
        std::filesystem::remove_all(path_, ignored);
    }
    StagingFolder(const StagingFolder&) = delete;
    StagingFolder& operator=(const StagingFolder&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

const std::filesystem::path& stagingFolder() {
    static const StagingFolder folder;
    return folder.path();
}

void multipartUpload(std::string_view bytes) {
    Poco::Net::HTTPRequest head(Poco::Net::HTTPRequest::HTTP_POST, "/api/scans", Poco::Net::HTTPMessage::HTTP_1_1);
    head.setContentType("multipart/form-data; boundary=dangan-fuzz");
    std::istringstream body{std::string(bytes)};
    // No reserve of free space: the parts are what is fuzzed, not the disk.
    server::UploadRoom room{stagingFolder(), 256 << 10, 0};
    server::HttpLimits limits{.maxJsonBody = 1 << 20, .maxUploadBody = 1 << 20, .maxUploadFiles = 8};
    Poco::Net::HTMLForm form;
    {
        auto uploads = server::readScanParts(head, body, room, limits, form);
        if (uploads)
            for (const auto& upload : *uploads) require(upload.staged.has_value() != upload.refused.has_value());
    }
    // Nothing half-written stays behind.
    require(std::filesystem::is_empty(stagingFolder()));
}

void rulesFiles(std::string_view bytes) {
    auto rules = server::ProcessRules::parse(bytes);
    if (rules) {
        for (const auto& process : rules->processes()) require(rules->process(process.process) != nullptr);
    } else {
        require(!rules.error().describe().empty());
    }
    auto year = server::CalendarYear::parse(bytes);
    if (!year) require(!year.error().describe().empty());
}

void scannedImage(std::string_view bytes) {
    static const bool quiet = [] {
        setMsgSeverity(L_SEVERITY_NONE);  // Leptonica's complaints about bad bytes are expected here
        return true;
    }();
    (void)quiet;
    const scanner::ImageLimits limits{.maxBytes = 1 << 20, .maxSide = 4000, .maxPixels = 4'000'000, .maxFrames = 8};
    auto info = scanner::inspectImage(bytes, limits);
    if (!info) {
        require(!info.error().message.empty());
        return;
    }
    require(!info->frames.empty() && static_cast<int>(info->frames.size()) <= limits.maxFrames);
    for (const auto& frame : info->frames)
        require(frame.width > 0 && frame.height > 0 && frame.width <= limits.maxSide && frame.height <= limits.maxSide);
    // What the server does with an image it accepted: a rendering for the browser and its barcodes.
    auto jpeg = scanner::renderJpeg(bytes, 0, 256, 80);
    if (jpeg) require(scanner::mediaTypeOf(*jpeg) == "image/jpeg");
    (void)scanner::findBarcodes(bytes, limits);
}

void ownCodes(std::string_view bytes) {
    const std::string text(bytes);
    if (auto code = barcode::parseOwnCode(text)) {
        // A code read back prints as the same code.
        auto printed = barcode::encodeOwnCode(*code);
        require(printed.has_value());
        require(barcode::parseOwnCode(*printed) == code);
    }
    (void)barcode::typedCode(text);
    (void)barcode::mod37_2(text);
    (void)barcode::parseArchiveNumber(text);
    (void)ocr::checkAccountNumber(text);
    (void)ocr::checkIdNumber(text);
    (void)ocr::checkPhone(text);
    (void)ocr::checkCustomerName(text);
    (void)ocr::isOrganisationName(text);
    (void)storage::searchCharacters(text);
    (void)storage::bigramText(text, 'n');
    (void)server::knownDocumentType(text);
    if (auto number = server::positiveNumber(text)) require(*number > 0);
    std::vector<std::string> reads;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) reads.push_back(line);
    if (auto voted = ocr::votedByCharacter(reads); !voted.empty()) require(reads.size() >= 3);
}

}  // namespace

const std::vector<Target>& targets() {
    static const std::vector<Target> all{
        {"json-body", jsonBody},           {"customer-csv", customerCsv}, {"multipart-upload", multipartUpload},
        {"rules-files", rulesFiles},       {"scanned-image", scannedImage}, {"own-codes", ownCodes},
    };
    return all;
}

}  // namespace dangan::fuzz
