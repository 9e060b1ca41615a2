#include "dangan/desks/batch_desk.h"

#include "dangan/desks/page_facts.h"

#include <Poco/Logger.h>
#include <Poco/StreamCopier.h>

#include <atomic>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "dangan/barcode/own_code.h"
#include "dangan/storage/database.h"
#include "dangan/ocr/doc_type_classifier.h"
#include "dangan/ocr/field_validation.h"
#include "dangan/scanner/batch_split.h"
#include "dangan/desks/process_catalog.h"
#include "dangan/storage/search_text.h"
#include "dangan/desks/positive_number.h"

namespace dangan::server {
namespace {
Poco::Logger& log() { return Poco::Logger::get("dangan.batches"); }

// Another node holds the batch now: this node stops working on it.
struct BatchTakenOver : std::runtime_error {
    using std::runtime_error::runtime_error;
};
}  // namespace
namespace {

// What clean-up found, kept with the batch page.
storage::PageCleanup cleanupOf(const scanner::CleanPage& page) {
    storage::PageCleanup c{page.blank, page.inkShare, page.rotation, page.skew, page.flags, {}};
    for (const auto& b : page.barcodes)
        c.barcodes.push_back({b.symbologyName, b.text, barcode::parseOwnCode(b.text).has_value(), b.corners[0].x, b.corners[0].y});
    return c;
}

// What the pile split needs from a page's clean-up: blank or not, and its own codes.
scanner::PileSheet pileSheetOf(const storage::BatchPage& page) {
    scanner::PileSheet sheet{page.seq, page.cleanup.blank, page.outcome == "failed", {}};
    for (const auto& code : page.cleanup.barcodes)
        if (auto own = barcode::parseOwnCode(code.text)) sheet.ownCodes.push_back(*own);
    return sheet;
}

std::string readBlob(storage::ImageStore& images, const storage::Digest& digest) {
    auto in = images.open(digest);
    if (!in) throw std::runtime_error("image " + storage::toHex(digest) + " is missing from the store");
    std::string bytes;
    Poco::StreamCopier::copyToString(*in, bytes);
    return bytes;
}

std::string headOf(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::string head(16, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    return head;
}

}  // namespace

BatchDesk::BatchDesk(storage::Stores& stores, storage::ImageStore& images, BatchDeskOptions options)
    : stores_(stores), images_(images), options_(std::move(options)) {
    if (options_.workers <= 0) options_.workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    cleaningSlots_ = std::make_unique<std::counting_semaphore<>>(options_.workers);
    loop_.start(options_.workers, [this] { run(); });
}

BatchDesk::~BatchDesk() {
    leases_.reset();
    loop_.stop();
    finishedSignal_.notify_all();
}

Outcome<std::int64_t> BatchDesk::receive(const std::string& source, const std::string& sourceName,
                                         const std::string& processId, std::vector<Upload> uploads,
                                         const storage::Actor& actor) {
    if (uploads.empty()) return fail(ProblemCode::BadRequest, "no files: send the scans in parts named 'files'");
    if (processId.size() > 64) return fail(ProblemCode::BadRequest, "process_id is longer than 64 bytes");
    std::vector<storage::NewBatchFile> files;
    for (std::size_t i = 0; i < uploads.size(); ++i) {
        const auto& u = uploads[i];
        std::string name = "file " + std::to_string(i + 1) + (u.filename.empty() ? "" : " (" + u.filename + ")");
        if (u.refused) return fail(u.refused->code, name + ": " + u.refused->message);
        std::string media = scanner::scanMediaTypeOf(headOf(u.staged->file()));
        if (media == "application/octet-stream")
            return fail(ProblemCode::UnsupportedMediaType, name + ": not a scan (expected JPEG, PNG, TIFF or PDF)");
        files.push_back({u.filename, u.staged->digest(), u.staged->size(), media});
    }
    // Every file checked: only now make them durable, so a refused upload leaves nothing behind.
    for (auto& u : uploads) (void)images_.commit(*u.staged);
    std::int64_t id = stores_.batches->create(source, sourceName, processId, files, actor, options_.claim);
    enqueue({id});
    return id;
}

void BatchDesk::enqueue(const std::vector<std::int64_t>& ids) {
    {
        std::lock_guard lock(mutex_);
        for (auto id : ids)
            if (queued_.insert(id).second) queue_.push_back(id);
    }
    loop_.wakeAll();
}

void BatchDesk::takeUpWork() {
    enqueue(stores_.batches->unfinished(options_.claim.node));
    if (leases_) return;
    leases_ = std::make_unique<LeaseKeeper>(
        *stores_.leases, storage::LeasedWork::Batch, options_.claim,
        [this] {
            std::lock_guard lock(mutex_);
            return queue_.empty() && waitingForSpace_.empty();
        },
        [this](const std::vector<std::int64_t>& ids) { enqueue(ids); });
}

void BatchDesk::ensureHeld(std::int64_t batchId) {
    if (leases_ && !leases_->holds(batchId))
        throw BatchTakenOver("batch " + std::to_string(batchId) + " was taken over by another node");
}

std::uint64_t BatchDesk::finishedCount() {
    std::lock_guard lock(mutex_);
    return finished_;
}

std::uint64_t BatchDesk::waitForFinish(std::uint64_t seen, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    finishedSignal_.wait_for(lock, timeout, [&] { return finished_ != seen || loop_.stopping(); });
    return finished_;
}

void BatchDesk::run() {
    while (true) {
        std::int64_t id = 0;
        {
            std::unique_lock lock(mutex_);
            while (true) {
                // A batch that met a full disk goes back in the queue once its wait is over.
                auto now = std::chrono::steady_clock::now();
                auto due = std::chrono::steady_clock::time_point::max();
                std::erase_if(waitingForSpace_, [&](const auto& waiting) {
                    if (waiting.first > now) {
                        due = std::min(due, waiting.first);
                        return false;
                    }
                    queue_.push_back(waiting.second);
                    return true;
                });
                if (!queue_.empty()) break;
                bool going = due == std::chrono::steady_clock::time_point::max()
                                 ? loop_.wait(lock, [&] { return !queue_.empty(); })
                                 : loop_.waitFor(lock, std::chrono::ceil<std::chrono::milliseconds>(due - now),
                                                 [&] { return !queue_.empty(); });
                if (!going) return;
            }
            id = queue_.front();
            queue_.pop_front();
        }
        try {
            process(id);
        } catch (const BatchTakenOver& e) {
            // This node was cut off past its lease and another took the batch: it leaves it whole.
            log().warning("%s; this node leaves it", std::string(e.what()));
        } catch (const storage::StorageFullError& e) {
            // Not a failure of the batch: what it recorded stays, and it goes on where it stopped
            // once there is space (as after a restart).
            log().warning("batch %s waits for disk space (%s); it tries again in %s s", std::to_string(id),
                          std::string(e.what()),
                          std::to_string(std::chrono::duration_cast<std::chrono::seconds>(options_.fullDiskRetry).count()));
            std::lock_guard lock(mutex_);
            if (!loop_.stopping()) waitingForSpace_.emplace_back(std::chrono::steady_clock::now() + options_.fullDiskRetry, id);
            else queued_.erase(id);
            continue;
        } catch (const std::exception& e) {
            bool stopping;
            {
                std::lock_guard lock(mutex_);
                stopping = loop_.stopping();
            }
            // While stopping, the batch stays unfinished and resumes at the next start.
            if (!stopping) {
                log().error("batch %s failed: %s", std::to_string(id), std::string(e.what()));
                try {
                    stores_.batches->finish(id, "failed", e.what());
                } catch (const std::exception& recording) {
                    log().error("batch %s: its failure could not be recorded (%s); it resumes at the next start",
                                std::to_string(id), std::string(recording.what()));
                }
            }
        }
        {
            std::lock_guard lock(mutex_);
            queued_.erase(id);
            ++finished_;
        }
        finishedSignal_.notify_all();
    }
}

void BatchDesk::process(std::int64_t batchId) {
    auto batch = stores_.batches->batch(batchId, true);
    if (!batch || (batch->state != "queued" && batch->state != "running")) return;
    ensureHeld(batchId);

    // Open every file once to count its pages; the pages are decoded later, one at a time.
    std::vector<std::pair<std::int64_t, int>> filePages;  // file id, pages
    std::vector<int> firstSeq;
    int total = 0, readable = 0;
    for (const auto& f : batch->files) {
        auto bytes = std::make_shared<const std::string>(readBlob(images_, f.sha256));
        auto file = scanner::ScanFile::open(bytes, options_.limits);
        firstSeq.push_back(total + 1);
        if (!file) {
            stores_.batches->settleFile(f.id, "failed", file.error().message);
            filePages.emplace_back(f.id, 0);
            continue;
        }
        stores_.batches->settleFile(f.id, "read", "");
        filePages.emplace_back(f.id, file->pageCount());
        total += file->pageCount();
        ++readable;
    }
    stores_.batches->start(batchId, total);
    if (readable == 0) {
        stores_.batches->finish(batchId, "failed", "no file of the batch could be read");
        return;
    }
    cleanPages(*batch, filePages, firstSeq);
    {
        std::lock_guard lock(mutex_);
        if (loop_.stopping()) return;  // the rest resumes at the next start
    }
    fileDocuments(batchId);
    ensureHeld(batchId);
    stores_.batches->finish(batchId, "done", "");
}

void BatchDesk::cleanPages(const storage::Batch& batch, const std::vector<std::pair<std::int64_t, int>>& filePages,
                           const std::vector<int>& firstSeq) {
    struct Task {
        std::size_t file;
        int frame;
        int seq;
    };
    std::set<int> recorded;  // pages a previous run of this batch cleaned already
    for (const auto& p : batch.pages) recorded.insert(p.seq);
    std::vector<Task> tasks;
    std::vector<int> remaining(filePages.size(), 0);
    for (std::size_t f = 0; f < filePages.size(); ++f)
        for (int frame = 0; frame < filePages[f].second; ++frame) {
            int seq = firstSeq[f] + frame;
            if (recorded.contains(seq)) continue;
            tasks.push_back({f, frame, seq});
            ++remaining[f];
        }

    // Files are opened when their first page is taken and let go after their last, so a batch of
    // hundreds of files holds only a few in memory.
    std::mutex filesMutex;
    std::map<std::size_t, std::shared_ptr<scanner::ScanFile>> open;
    auto fileFor = [&](std::size_t f) -> std::shared_ptr<scanner::ScanFile> {
        std::lock_guard lock(filesMutex);
        auto it = open.find(f);
        if (it != open.end()) return it->second;
        auto bytes = std::make_shared<const std::string>(readBlob(images_, batch.files[f].sha256));
        auto file = scanner::ScanFile::open(bytes, options_.limits);
        auto shared = file ? std::make_shared<scanner::ScanFile>(std::move(*file)) : nullptr;
        open[f] = shared;
        return shared;
    };
    auto doneWith = [&](std::size_t f) {
        std::lock_guard lock(filesMutex);
        if (--remaining[f] == 0) open.erase(f);
    };

    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex failureMutex;
    auto work = [&] {
        while (true) {
            {
                std::lock_guard lock(mutex_);
                if (loop_.stopping()) return;
            }
            std::size_t i = next++;
            if (i >= tasks.size()) return;
            const Task& t = tasks[i];
            cleaningSlots_->acquire();
            struct SlotReturn {
                std::counting_semaphore<>& slots;
                ~SlotReturn() { slots.release(); }
            } slotReturn{*cleaningSlots_};
            try {
                storage::NewBatchPage record{batch.id, t.seq, batch.files[t.file].id, t.frame, "cleaned", "", {}, {}, 0, 0, 0, {}};
                auto file = fileFor(t.file);
                auto page = file ? file->cleanPage(t.frame, options_.cleanup)
                                 : std::unexpected(scanner::ImageRejection{scanner::ImageProblem::Unreadable, "file cannot be read"});
                if (!page) {
                    record.outcome = "failed";
                    record.message = page.error().message;
                } else {
                    record.cleanup = cleanupOf(*page);
                    record.width = page->width;
                    record.height = page->height;
                    if (page->dpi) record.dpi = *page->dpi;
                    if (page->cleanedJpeg) {
                        storage::ImageStaging staging(images_.stagingDirectory());
                        staging.write(*page->cleanedJpeg);
                        auto staged = staging.finish();
                        (void)images_.commit(staged);
                        record.cleanedSha256 = staged.digest();
                        record.cleanedByteSize = staged.size();
                    }
                }
                stores_.batches->recordPage(record);
                doneWith(t.file);
            } catch (...) {
                std::lock_guard lock(failureMutex);
                if (!failure) failure = std::current_exception();
                return;
            }
        }
    };
    std::vector<std::thread> workers;
    int threads = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(options_.workers), tasks.size()));
    for (int w = 1; w < threads; ++w) workers.emplace_back(work);
    work();
    for (auto& w : workers) w.join();
    if (failure) std::rethrow_exception(failure);
}

void BatchDesk::fileDocuments(std::int64_t batchId) {
    auto batch = stores_.batches->batch(batchId, true);
    if (!batch) return;
    std::map<int, const storage::BatchPage*> bySeq;
    std::vector<scanner::PileSheet> pile;
    for (const auto& p : batch->pages) {
        bySeq[p.seq] = &p;
        pile.push_back(pileSheetOf(p));
    }
    auto plan = scanner::planPile(pile);
    auto unsettled = [](const storage::BatchPage& p) { return p.outcome == "cleaned"; };
    for (const auto& [seq, role] : plan.roles) {
        const auto& p = *bySeq.at(seq);
        if (!unsettled(p)) continue;
        if (role == scanner::SheetRole::Cover) stores_.batches->settlePages({p.id}, "cover", "", false);
        else if (role == scanner::SheetRole::Separator) stores_.batches->settlePages({p.id}, "separator", "", false);
        else if (role == scanner::SheetRole::Blank) stores_.batches->settlePages({p.id}, "blank", "", false);
    }
    for (const auto& planned : plan.documents) {
        ensureHeld(batchId);  // a document is filed by one node, once
        std::vector<storage::BatchPage> pages;
        bool fresh = true;
        for (int seq : planned.pages) {
            const auto& p = *bySeq.at(seq);
            if (p.outcome != "cleaned" && p.outcome != "failed") fresh = false;  // settled by an earlier run
            pages.push_back(p);
        }
        if (!fresh) continue;
        std::vector<std::int64_t> ids;
        for (const auto& p : pages) ids.push_back(p.id);
        std::string problem = planned.heldBack;
        if (!planned.cover && !planned.docTypeCode && problem == scanner::kNoCoverSheet && options_.reading &&
            options_.reading->enabled()) {
            fileByReading(*batch, pages);
            continue;
        }
        if (problem.empty()) problem = fileOne(*batch, pages, planned.cover, planned.docTypeCode);
        if (!problem.empty()) {
            std::vector<std::int64_t> readable;
            for (const auto& p : pages)
                if (p.outcome != "failed") readable.push_back(p.id);
            stores_.batches->settlePages(readable, "review", problem, true);
        }
    }
}

std::string BatchDesk::fileOne(const storage::Batch& batch, const std::vector<storage::BatchPage>& pages,
                               const std::optional<barcode::OwnCode>& cover,
                               const std::optional<std::string>& docTypeCode) {
    if (!cover) return std::string(scanner::kNoCoverSheet);
    const auto& fields = cover->fields;
    auto sheetId = positiveNumber(fields.at(0));
    auto sheet = sheetId ? stores_.batches->coverSheet(*sheetId) : std::nullopt;
    if (!sheet) return "cover sheet " + fields[0] + " was not printed by this archive";
    auto customer = stores_.customers->findByAccountNo(fields.at(1));
    if (!customer || customer->id != sheet->customerId)
        return "cover sheet " + fields[0] + " does not match customer " + fields.at(1);
    auto process = processByName(sheet->processType);
    if (!process || process->code != fields.at(2))
        return "cover sheet " + fields[0] + " does not match its process";
    std::string docType(kUnclassifiedDocument);
    if (docTypeCode) {
        auto type = documentTypeByCode(*docTypeCode);
        if (!type) return "separator sheet names an unknown document type " + *docTypeCode;
        docType = type->name;
    }
    const std::string& processId = sheet->applicationNo.empty() ? batch.processId : sheet->applicationNo;
    auto filed = fileTo(pages, *customer, sheet->processType, processId, docType,
                        {batch.createdBy, batch.createdByName});
    if (!filed) return filed.error().message;
    return "";
}

namespace {

storage::Digest imageOf(const storage::BatchPage& page) { return page.cleanedSha256 ? *page.cleanedSha256 : page.fileSha256; }

ReadFields readFieldsOf(const storage::StoredReading& reading) {
    ReadFields fields;
    for (const auto& f : reading.fields) fields[f.name] = f.value;
    return fields;
}

}  // namespace

void BatchDesk::fileByReading(const storage::Batch& batch, const std::vector<storage::BatchPage>& pages) {
    // The pile splits into documents by what each page is (see splitPile); a page OCR could not
    // read waits for a person and parts the pile around it.
    struct Part {
        std::vector<storage::BatchPage> pages;
        std::vector<storage::StoredReading> readings;
        std::string problem;
    };
    std::vector<Part> parts;
    std::vector<PileDocument> documents;  // what each part read (none for a part OCR could not read)
    std::vector<storage::BatchPage> runPages;
    std::vector<storage::StoredReading> runReadings;
    std::vector<PileReading> run;
    auto endRun = [&] {
        for (auto& document : splitPile(run)) {
            Part part;
            for (auto i : document.pages) {
                part.pages.push_back(runPages[i]);
                part.readings.push_back(runReadings[i]);
            }
            parts.push_back(std::move(part));
            documents.push_back(std::move(document));
        }
        run.clear();
        runPages.clear();
        runReadings.clear();
    };
    for (const auto& page : pages) {
        if (page.outcome == "failed") continue;
        auto reading = options_.reading->readNow(imageOf(page));
        if (!reading || reading->state != "done") {
            endRun();
            parts.push_back({{page}, {}, "OCR could not read this page" + (reading ? ": " + reading->message : std::string())});
            documents.emplace_back();
            continue;
        }
        run.push_back({readFieldsOf(*reading), reading->docType, static_cast<float>(reading->docTypeConfidence) / 100.0f,
                       reading->docTypeSecond, reading->continues});
        runPages.push_back(page);
        runReadings.push_back(*reading);
    }
    endRun();

    std::vector<LinkDecision> decisions;
    for (std::size_t i = 0; i < parts.size(); ++i)
        decisions.push_back(parts[i].problem.empty() ? decideLink(documents[i].fields, candidatesFor(documents[i].fields))
                                                     : LinkDecision{});
    linkByNeighbours(decisions);
    auto processes = pileProcesses(documents, decisions, options_.processRequires);

    const storage::Actor actor{batch.createdBy, batch.createdByName};
    for (std::size_t i = 0; i < parts.size(); ++i) {
        auto& part = parts[i];
        const auto& document = documents[i];
        const auto& decision = decisions[i];
        std::vector<std::int64_t> ids;
        for (const auto& p : part.pages) ids.push_back(p.id);
        if (!part.problem.empty()) {
            stores_.batches->settlePages(ids, "review", part.problem, true);
            continue;
        }
        auto field = [&](const char* name) { return readField(document.fields, name); };
        if (!decision.customer) {
            stores_.batches->settlePages(ids, "review", decision.reason, true);
            continue;
        }
        const std::string& processType = processes[i];
        auto filedType = filedTypeFor(document, *decision.customer, processType, options_.processRequires);
        if (!filedType.docType.empty() && !filedType.sure) {
            stores_.batches->settlePages(ids, "review",
                                         "customer " + decision.customer->fields.accountNo + " found, but the document type is uncertain: " +
                                             document.docType + (document.docTypeSecond.empty() ? "" : " or " + document.docTypeSecond),
                                         true);
            continue;
        }
        std::string docType = filedType.docType.empty() ? std::string(kUnclassifiedDocument) : filedType.docType;
        if (processType.empty() || !categoryOf(processType)) {
            stores_.batches->settlePages(ids, "review",
                                         "customer " + decision.customer->fields.accountNo +
                                             " found, but the business type could not be read", true);
            continue;
        }
        auto filed = fileTo(part.pages, *decision.customer, processType, field("application_no"), docType, actor,
                            "linked by OCR");
        if (!filed) {
            stores_.batches->settlePages(ids, "review", filed.error().message, true);
            continue;
        }
        for (const auto& reading : part.readings) options_.reading->readingFiled(reading);
    }
}

std::vector<storage::Customer> BatchDesk::candidatesFor(const ReadFields& fields) {
    return stores_.customers->findByKeys(readField(fields, "account_no"), readField(fields, "id_number"),
                                         readField(fields, "name"), 20);
}

ReviewSuggestion BatchDesk::suggest(const storage::BatchPage& page) {
    ReviewSuggestion suggestion;
    suggestion.reading = stores_.readings->reading(imageOf(page));
    ReadFields fields;
    if (suggestion.reading) {
        fields = readFieldsOf(*suggestion.reading);
        doubtUnknownText(*suggestion.reading, *stores_.customers);  // what the person is shown
    }
    auto customers = candidatesFor(fields);
    // A name read a character off finds no one exactly: offer those whose names begin alike
    // (a surname and the next character) too.
    auto name = storage::searchCharacters(readField(fields, "name"));
    if (customers.size() < 5 && !name.empty())
        for (auto& c : stores_.customers->search(name.size() < 2 ? name[0] : name[0] + name[1], 5))
            if (std::none_of(customers.begin(), customers.end(), [&](const storage::Customer& x) { return x.id == c.id; }))
                customers.push_back(std::move(c));
    suggestion.link = decideLink(fields, customers);
    // A person is offered only customers something read on the page agrees with: a name a
    // character off, with every other field different, is no suggestion.
    std::erase_if(suggestion.link.candidates, [](const LinkCandidate& c) { return c.agreeing.empty(); });
    return suggestion;
}

Outcome<storage::Document> BatchDesk::fileTo(const std::vector<storage::BatchPage>& pages,
                                             const storage::Customer& customer, const std::string& processType,
                                             const std::string& applicationNo, const std::string& docType,
                                             const storage::Actor& actor, const std::string& note) {
    storage::NewDocument document{customer.id, processType, applicationNo, docType, std::nullopt,
                                  "scan batch " + std::to_string(pages.front().batchId) + (note.empty() ? "" : ", " + note),
                                  {}, {}, {}, {}};
    numberNewDocument(document, options_.numbering, stores_.clock->nowMillis(),
                      options_.retention ? options_.retention(processType, docType) : std::nullopt);
    for (const auto& p : pages) {
        document.pages.push_back({p.fileSha256, 0, "", p.frame, p.width, p.height, p.dpi, p.cleanedSha256, 0});
        document.batchPageIds.push_back(p.id);
    }
    auto filed = stores_.documents->file(document, actor);
    if (!filed) return fail(ProblemCode::Conflict, "a page of this document was filed already");
    return std::move(*filed);
}

Outcome<storage::Document> BatchDesk::resolve(std::int64_t pageId, const ReviewDecision& decision,
                                              const storage::Actor& actor) {
    if (auto p = ocr::checkAccountNumber(decision.accountNo)) return fail(ProblemCode::BadRequest, p->message);
    if (!categoryOf(decision.processType))
        return fail(ProblemCode::BadRequest, "unknown process '" + decision.processType + "' (GET /api/processes lists the known ones)");
    if (decision.docType.empty() || decision.docType.size() > 128)
        return fail(ProblemCode::BadRequest, "doc_type is required (at most 128 bytes)");
    auto customer = stores_.customers->findByAccountNo(decision.accountNo);
    if (!customer) return fail(ProblemCode::Unprocessable, "no customer with account_no " + decision.accountNo);
    std::vector<storage::BatchPage> pages;
    std::vector<std::int64_t> ids{pageId};
    ids.insert(ids.end(), decision.withPages.begin(), decision.withPages.end());
    for (auto id : ids) {
        if (std::count(ids.begin(), ids.end(), id) > 1) return fail(ProblemCode::BadRequest, "page " + std::to_string(id) + " is named twice");
        auto page = stores_.batches->page(id);
        if (!page) return fail(ProblemCode::NotFound, "no review page " + std::to_string(id));
        if (!page->inReview || page->outcome == "failed")
            return fail(ProblemCode::Conflict, "page " + std::to_string(id) + " is not waiting in review (" + page->outcome + ")");
        pages.push_back(*page);
    }
    if (auto known = knownDocumentType(decision.docType); !known) return std::unexpected(known.error());
    auto suggestion = suggest(pages.front());
    auto filed = fileTo(pages, *customer, decision.processType, decision.applicationNo, decision.docType, actor);
    if (filed) {
        std::vector<std::string> offered;
        for (const auto& c : suggestion.link.candidates) offered.push_back(c.customer.fields.accountNo);
        stores_.readings->recordLinkDecision(pageId, offered, decision.accountNo, actor);
    }
    return filed;
}

Outcome<std::monostate> BatchDesk::discard(std::int64_t pageId, const std::string& reason, const storage::Actor& actor) {
    if (reason.empty() || reason.size() > 500) return fail(ProblemCode::BadRequest, "a reason (at most 500 bytes) is required to discard a page");
    auto page = stores_.batches->page(pageId);
    if (!page) return fail(ProblemCode::NotFound, "no review page " + std::to_string(pageId));
    if (!stores_.batches->discard(pageId, reason, actor))
        return fail(ProblemCode::Conflict, "page " + std::to_string(pageId) + " is not waiting in review");
    return std::monostate{};
}

// ---- what the scanning desk sees ----

std::vector<ReviewItem> BatchDesk::reviewQueue(int limit) {
    std::vector<ReviewItem> items;
    for (auto& page : stores_.batches->reviewQueue(limit)) {
        auto suggestion = suggest(page);
        items.push_back({std::move(page), std::move(suggestion)});
    }
    return items;
}

Outcome<storage::BatchPage> BatchDesk::reviewPage(std::int64_t pageId) {
    auto page = stores_.batches->page(pageId);
    if (!page) return fail(ProblemCode::NotFound, "no batch page " + std::to_string(pageId));
    return *page;
}

Outcome<storage::Batch> BatchDesk::batch(std::int64_t id) {
    auto batch = stores_.batches->batch(id, true);
    if (!batch) return fail(ProblemCode::NotFound, "no batch " + std::to_string(id));
    return *batch;
}

Outcome<std::vector<storage::Batch>> BatchDesk::recent(const std::string& source, int limit) {
    if (!source.empty() && source != "upload" && source != "watch") return fail(ProblemCode::BadRequest, "source must be upload or watch");
    return stores_.batches->recent(source, limit);
}

}  // namespace dangan::server
