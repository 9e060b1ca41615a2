#include "dangan/desks/filing_desk.h"

#include <chrono>

#include "dangan/ocr/field_validation.h"
#include "dangan/desks/process_catalog.h"
#include "dangan/storage/database.h"
#include "dangan/desks/positive_number.h"

namespace dangan::server {
namespace {

// The calendar year in China (UTC+8), where the archive is.
int chinaYear(std::int64_t now) {
    using namespace std::chrono;
    auto local = floor<days>(sys_time<milliseconds>(milliseconds(now)) + hours(8));
    return static_cast<int>(year_month_day(local).year());
}

std::string describe(std::size_t index, const std::string& filename) {
    return "file " + std::to_string(index + 1) + (filename.empty() ? "" : " (" + filename + ")");
}

ProblemCode codeFor(scanner::ImageProblem problem) {
    switch (problem) {
        case scanner::ImageProblem::TooLarge: return ProblemCode::PayloadTooLarge;
        case scanner::ImageProblem::UnsupportedFormat: return ProblemCode::UnsupportedMediaType;
        case scanner::ImageProblem::Unreadable: return ProblemCode::Unprocessable;
    }
    return ProblemCode::Unprocessable;
}

}  // namespace

void numberNewDocument(storage::NewDocument& document, const barcode::ArchiveNumberRule& rule, std::int64_t now,
                       std::optional<barcode::Retention> ruled) {
    Category category = categoryOf(document.processType).value_or(Category::Other);
    document.archiveNumberPrefix =
        barcode::archiveNumberPrefix(rule, categoryCode(category), chinaYear(now), ruled.value_or(retentionOf(category)));
    document.archiveNumber = [prefix = document.archiveNumberPrefix, digits = rule.itemDigits](std::int64_t item) {
        return barcode::archiveNumber(prefix, item, digits);
    };
}

Outcome<storage::Document> FilingDesk::file(FilingRequest request, const storage::Actor& actor) {
    // 1. The fields.
    if (request.accountNo.empty()) return fail(ProblemCode::BadRequest, "field account_no is required");
    if (auto p = ocr::checkAccountNumber(request.accountNo)) return fail(ProblemCode::BadRequest, p->message);
    if (request.processType.empty()) return fail(ProblemCode::BadRequest, "field process is required");
    if (!categoryOf(request.processType))
        return fail(ProblemCode::BadRequest, "unknown process '" + request.processType +
                                                 "' (GET /api/processes lists the known ones)");
    if (request.docType.empty()) return fail(ProblemCode::BadRequest, "field doc_type is required");
    if (request.docType.size() > 128) return fail(ProblemCode::BadRequest, "field doc_type is too long");
    if (request.note.size() > 2000) return fail(ProblemCode::BadRequest, "field note is too long");
    std::optional<std::int64_t> supersedes;
    if (!request.supersedes.empty()) {
        supersedes = positiveNumber(request.supersedes);
        if (!supersedes) return fail(ProblemCode::BadRequest, "field supersedes must be a document id");
    }
    auto customer = customers_.findByAccountNo(request.accountNo);
    if (!customer)
        return fail(ProblemCode::Unprocessable, "no customer with account_no " + request.accountNo);

    // 2. Every file must have arrived whole and be an image that opens.
    if (request.uploads.empty())
        return fail(ProblemCode::BadRequest, "no files: send the page images in parts named 'files'");
    if (auto known = knownDocumentType(request.docType); !known) return std::unexpected(known.error());
    for (std::size_t i = 0; i < request.uploads.size(); ++i)
        if (const auto& refused = request.uploads[i].refused)
            return fail(refused->code, describe(i, request.uploads[i].filename) + ": " + refused->message);
    storage::NewDocument document{customer->id, request.processType, request.applicationNo,
                                  request.docType, supersedes, request.note, {}, {}, {}};
    numberNewDocument(document, numbering_, clock_.nowMillis(), retention_ ? retention_(request.processType, request.docType) : std::nullopt);
    for (std::size_t i = 0; i < request.uploads.size(); ++i) {
        auto& upload = request.uploads[i];
        std::string bytes = scanner::readFile(upload.staged->file());
        auto info = scanner::inspectImage(bytes, limits_);
        if (!info)
            return fail(codeFor(info.error().problem), describe(i, upload.filename) + ": " + info.error().message);
        for (std::size_t f = 0; f < info->frames.size(); ++f) {
            const auto& frame = info->frames[f];
            document.pages.push_back({upload.staged->digest(), upload.staged->size(), info->mediaType,
                                      static_cast<int>(f), frame.width, frame.height,
                                      frame.dpi ? std::optional<std::int64_t>(*frame.dpi) : std::nullopt});
        }
    }

    // 3. Make the bytes durable, then 4. record the document in one transaction.
    std::vector<std::pair<storage::Digest, bool>> committed;  // digest, newly stored
    auto release = [&](bool discard) {
        // In reverse, so that when one request carries the same bytes twice, the unpin that
        // created them comes last and may discard them.
        for (auto it = committed.rbegin(); it != committed.rend(); ++it)
            unpinAndDiscardIfOrphan(it->first, discard && it->second);
    };
    try {
        for (auto& upload : request.uploads) {
            pin(upload.staged->digest());
            bool fresh = images_.commit(*upload.staged);
            committed.emplace_back(upload.staged->digest(), fresh);
        }
        auto filed = documents_.file(document, actor);
        if (!filed) {
            release(true);
            switch (filed.error()) {
                case storage::FilingRefusal::SupersededDocumentMissing:
                    return fail(ProblemCode::Unprocessable, "document " + request.supersedes + " does not exist");
                case storage::FilingRefusal::SupersededDocumentNotCurrent:
                    return fail(ProblemCode::Conflict, "document " + request.supersedes +
                                                           " has already been superseded; supersede its latest version");
                case storage::FilingRefusal::WrongCustomer:
                    return fail(ProblemCode::Unprocessable, "document " + request.supersedes +
                                                                " belongs to another customer");
                case storage::FilingRefusal::BatchPageTaken:
                    return fail(ProblemCode::Conflict, "a page of this document was filed already");
            }
        }
        release(false);
        return std::move(*filed);
    } catch (...) {
        release(true);
        throw;
    }
}

void FilingDesk::pin(const storage::Digest& digest) {
    std::lock_guard lock(pinsMutex_);
    ++pins_[digest];
}

void FilingDesk::unpinAndDiscardIfOrphan(const storage::Digest& digest, bool discard) {
    std::lock_guard lock(pinsMutex_);
    auto it = pins_.find(digest);
    bool last = it != pins_.end() && --it->second == 0;
    if (last) pins_.erase(it);
    // Only the last upload holding the digest may remove it, and only if no document uses it.
    if (discard && last && !documents_.blobReferenced(digest)) images_.discardUnreferenced(digest);
}

}  // namespace dangan::server
