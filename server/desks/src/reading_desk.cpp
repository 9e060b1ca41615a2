#include "dangan/desks/reading_desk.h"

#include <Poco/Logger.h>
#include <algorithm>
#include <cmath>
#include <ctime>
#include <iterator>

#include "dangan/desks/process_catalog.h"

namespace dangan::server {
namespace {
Poco::Logger& log() { return Poco::Logger::get("dangan.ocr"); }
}  // namespace

ocr::ReaderVocabulary readerVocabulary(const AccountForm& form) {
    ocr::ReaderVocabulary vocabulary;
    for (const auto& type : documentTypes())
        if (type.name != kUnclassifiedDocument) vocabulary.docTypes.emplace_back(type.name);
    for (const auto& process : processTypes()) vocabulary.businessTypes.emplace_back(process.name);
    vocabulary.accountLength = form.length;
    vocabulary.accountPrefixes = form.prefixes;
    return vocabulary;
}

ocr::PageReading pageReadingOf(const storage::StoredReading& stored) {
    ocr::PageReading reading;
    reading.docType = stored.docType;
    reading.docTypeConfidence = static_cast<float>(stored.docTypeConfidence) / 100.0f;
    if (!stored.docType.empty()) reading.docTypeGuesses.push_back({stored.docType, reading.docTypeConfidence});
    if (!stored.docTypeSecond.empty())
        reading.docTypeGuesses.push_back({stored.docTypeSecond, static_cast<float>(stored.docTypeSecondConfidence) / 100.0f});
    reading.continuesDocument = stored.continues;
    for (const auto& f : stored.fields)
        reading.fields[f.name] = {f.value, static_cast<float>(f.confidence) / 100.0f};
    reading.unreadable = stored.unreadable;
    reading.text = stored.text;
    reading.quarterTurns = stored.quarterTurns;
    return reading;
}

namespace {

std::int64_t threadCpuMillis() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<std::int64_t>(t.tv_sec) * 1000 + t.tv_nsec / 1000000;
}

int percent(float confidence) { return static_cast<int>(std::lround(std::clamp(confidence, 0.0f, 1.0f) * 100)); }

}  // namespace

ReadingDesk::ReadingDesk(storage::Stores& stores, storage::ImageStore& images, ReadingDeskOptions options,
                         std::function<void(const storage::StoredReading&)> afterReading)
    : stores_(stores), images_(images), options_(std::move(options)), afterReading_(std::move(afterReading)),
      node_(options_.node) {
    if (options_.workers == 0) options_.workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    loop_.start(options_.workers, [this] { work(); });
}

ReadingDesk::~ReadingDesk() {
    loop_.stop();
    readSignal_.notify_all();
}

std::optional<storage::StoredReading> ReadingDesk::readNow(const storage::Digest& image) {
    if (!enabled()) return std::nullopt;
    auto done = [&]() -> std::optional<storage::StoredReading> {
        auto r = stores_.readings->reading(image);
        if (r && r->state != "queued") return r;
        return std::nullopt;
    };
    if (auto r = done()) return r;
    stores_.readings->enqueue({image}, true);
    // Read here unless another node (a worker) has the page in hand already: then its reading is
    // waited for.
    if (stores_.readings->claim(image, node_, options_.claimLease)) {
        std::lock_guard lock(mutex_);
        if (!inHand_.contains(image)) urgent_.push_back(image);
    }
    loop_.wakeOne();
    while (true) {
        {
            std::unique_lock lock(mutex_);
            readSignal_.wait_for(lock, std::chrono::milliseconds(500));
            if (loop_.stopping() || !engineProblem_.empty()) return std::nullopt;
        }
        if (auto r = done()) return r;
    }
}

std::optional<storage::Digest> ReadingDesk::nextImage() {
    {
        std::lock_guard lock(mutex_);
        while (!urgent_.empty()) {
            auto image = urgent_.front();
            urgent_.pop_front();
            if (inHand_.insert(image).second) return image;
        }
    }
    // Background work: the oldest queued images no other worker holds, then the full text of
    // images whose key fields were recorded before a restart.
    for (auto next : {&storage::ReadingStore::claimQueued, &storage::ReadingStore::claimTextToRead}) {
        auto images = ((*stores_.readings).*next)(2 * options_.workers + 1, node_, options_.claimLease);
        std::lock_guard lock(mutex_);
        for (const auto& image : images)
            if (inHand_.insert(image).second) return image;
    }
    return std::nullopt;
}

void ReadingDesk::work() {
    std::unique_ptr<ocr::TesseractEngine> engine;
    try {
        engine = std::make_unique<ocr::TesseractEngine>("chi_sim", options_.tessdataPath);
    } catch (const std::exception& e) {
        std::lock_guard lock(mutex_);
        engineProblem_ = e.what();
        readSignal_.notify_all();
        return;
    }
    ocr::PageReader reader(readerVocabulary(options_.account));
    while (true) {
        {
            std::lock_guard lock(mutex_);
            if (loop_.stopping()) return;
        }
        std::optional<storage::Digest> image;
        try {
            image = nextImage();
        } catch (const std::exception& e) {
            log().warning("looking for pages to read failed (%s); looking again after a pause", std::string(e.what()));
        }
        if (!image) {
            std::unique_lock lock(mutex_);
            loop_.waitFor(lock, options_.idlePoll, [&] { return !urgent_.empty(); });
            continue;
        }
        try {
            readOne(*engine, reader, *image);
        } catch (const std::exception& e) {
            // The image stays queued and is read again at the next start.
            log().error("reading image %s failed: %s; it stays queued", storage::toHex(*image), std::string(e.what()));
        }
        {
            std::lock_guard lock(mutex_);
            inHand_.erase(*image);
        }
        readSignal_.notify_all();
    }
}

void ReadingDesk::readOne(ocr::TesseractEngine& engine, const ocr::PageReader& reader, const storage::Digest& image) {
    // Key fields first, recorded at once (a batch waiting to file the page goes on), then the
    // prose for the full text. After a restart between the two, the page is read again and only
    // its text completed (the reading is the same: the engine reads an image the same each time).
    auto before = stores_.readings->reading(image);
    bool keyFieldsRecorded = before && before->state == "done" && !before->fullText;
    storage::StoredReading stored;
    stored.image = image;
    std::int64_t start = threadCpuMillis();
    auto keep = [&](const ocr::PageReading& reading) {
        stored.state = "done";
        stored.docType = reading.docType;
        stored.docTypeConfidence = percent(reading.docTypeConfidence);
        stored.docTypeSecond = reading.docTypeGuesses.size() > 1 ? reading.docTypeGuesses[1].type : std::string();
        stored.docTypeSecondConfidence = reading.docTypeGuesses.size() > 1 ? percent(reading.docTypeGuesses[1].confidence) : 0;
        stored.continues = reading.continuesDocument;
        stored.fields.clear();
        for (const auto& [name, value] : reading.fields) stored.fields.push_back({name, value.value, percent(value.confidence)});
        stored.unreadable = reading.unreadable;
        stored.text = reading.text;
        stored.quarterTurns = reading.quarterTurns;
        stored.cpuMs = threadCpuMillis() - start;
    };
    auto record = [&] {
        stores_.readings->record(stored);
        readSignal_.notify_all();
        if (afterReading_) afterReading_(stored);
    };
    std::optional<ocr::KeyFieldReading> keyFields;
    try {
        auto in = images_.open(image);
        if (!in) throw std::runtime_error("the image is missing from the store");
        std::string bytes((std::istreambuf_iterator<char>(*in)), std::istreambuf_iterator<char>());
        keyFields = reader.readKeyFields(engine, bytes);
    } catch (const std::exception& e) {
        if (keyFieldsRecorded) {
            // Key fields recorded before stand; only the rest of the text is lost.
            stored = *before;
            stored.message = std::string("the full text could not be read: ") + e.what();
        } else {
            stored.state = "failed";
            stored.message = e.what();
            stored.cpuMs = threadCpuMillis() - start;
        }
        stored.fullText = true;
        record();
        return;
    }
    if (!keyFieldsRecorded) {
        keep(keyFields->reading);
        stored.fullText = false;
        record();
    }
    try {
        keep(reader.readProse(engine, std::move(*keyFields)));
    } catch (const std::exception& e) {
        // The key fields stand; the text is what the first stage read.
        stored.message = std::string("the full text could not be read: ") + e.what();
    }
    stored.fullText = true;
    record();
}

// ---- what people see and correct ----

Outcome<PageFacts> ReadingDesk::facts(std::int64_t pageId) {
    auto page = stores_.documents->page(pageId);
    if (!page) return fail(ProblemCode::NotFound, "no page " + std::to_string(pageId));
    auto document = stores_.documents->document(page->documentId);
    auto customer = document ? stores_.customers->findById(document->customerId) : std::nullopt;
    return pageFacts(*stores_.readings, *stores_.customers, *page, customer ? &*customer : nullptr);
}

Outcome<PageFacts> ReadingDesk::correct(std::int64_t pageId, const std::vector<std::pair<std::string, std::string>>& values,
                                        const storage::Actor& actor) {
    if (values.empty()) return fail(ProblemCode::BadRequest, "name at least one field to correct");
    for (const auto& [name, value] : values)
        if (auto problem = ocr::fieldValueProblem(name, value)) return fail(ProblemCode::BadRequest, *problem);
    auto before = facts(pageId);
    if (!before) return before;
    for (const auto& [name, value] : values) {
        std::string original;
        for (const auto& f : before->fields)
            if (f.name == name) original = f.read.value_or(f.value);
        stores_.readings->correct(pageId, name, value, original, actor);
    }
    return facts(pageId);
}

}  // namespace dangan::server
