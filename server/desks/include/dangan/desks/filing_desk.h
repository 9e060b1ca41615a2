#pragma once
// Filing an uploaded document: checks the fields and every image, makes the images durable in the
// image store, then records the document and its pages in one transaction. Until that commit
// nothing of the document is visible; if anything fails, nothing of it remains.

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "dangan/barcode/archive_number.h"
#include "dangan/scanner/page_image.h"
#include "dangan/desks/problem.h"
#include "dangan/storage/image_store.h"
#include "dangan/storage/stores.h"

namespace dangan::server {

// One uploaded file: staged bytes, or the reason it could not even be received.
struct Upload {
    std::string filename;
    std::optional<storage::StagedImage> staged;
    std::optional<Problem> refused;
};

struct FilingRequest {
    std::string accountNo;
    std::string processType;
    std::string applicationNo;
    std::string docType;
    std::string supersedes;  // id of the document this one corrects or supplements, or empty
    std::string note;
    std::vector<Upload> uploads;
};

// The retention the rules give a document type in a process (the longest they give it there), if
// they name it.
using RetentionByRules = std::function<std::optional<barcode::Retention>(const std::string& process, const std::string& docType)>;

// Gives a new document its archive number prefix and numbering (档号) by the rule, its process's
// category, the current year in China, and its retention: the rules' (`ruled`) when they name the
// document type, else its category's (30 years for 业扩, 10 for the rest).
// `now`: the instant of filing.
void numberNewDocument(storage::NewDocument& document, const barcode::ArchiveNumberRule& rule, std::int64_t now,
                       std::optional<barcode::Retention> ruled = std::nullopt);

class FilingDesk {
public:
    FilingDesk(storage::CustomerStore& customers, storage::DocumentStore& documents,
               storage::ImageStore& images, const storage::Clock& clock, scanner::ImageLimits limits,
               barcode::ArchiveNumberRule numbering, RetentionByRules retention = {})
        : customers_(customers), documents_(documents), images_(images), clock_(clock), limits_(limits),
          numbering_(std::move(numbering)), retention_(std::move(retention)) {}

    [[nodiscard]] Outcome<storage::Document> file(FilingRequest request, const storage::Actor& actor);

private:
    // Images committed by uploads still in flight, so that undoing one upload never removes
    // bytes another upload is about to reference.
    void pin(const storage::Digest& digest);
    void unpinAndDiscardIfOrphan(const storage::Digest& digest, bool discard);

    storage::CustomerStore& customers_;
    storage::DocumentStore& documents_;
    storage::ImageStore& images_;
    const storage::Clock& clock_;
    scanner::ImageLimits limits_;
    barcode::ArchiveNumberRule numbering_;
    RetentionByRules retention_;
    std::mutex pinsMutex_;
    std::map<storage::Digest, int> pins_;
};

}  // namespace dangan::server
