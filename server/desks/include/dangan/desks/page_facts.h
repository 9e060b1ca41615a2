#pragma once
// What the archive knows about one filed page: what OCR read on it, what people corrected, and
// each key field as it is shown — its value, how sure the archive is of it and on what that rests
// (the customer's record, the number's check character, the reads that agreed, or a person).

#include <optional>
#include <string>
#include <vector>

#include "dangan/storage/reading_stores.h"
#include "dangan/storage/records.h"
#include "dangan/storage/stores.h"

namespace dangan::server {

struct ShownField {
    enum class Basis { Record, CheckCharacter, Reads, Person };
    std::string name;                        // account_no, name, id_number, ...
    std::string value;                       // as shown: the record's when the read was a character off
    std::optional<std::string> read;         // what was read, when the record's value is shown instead
    double confidence = 0;                   // 0..1, two decimals
    Basis basis = Basis::Reads;
    std::optional<double> readConfidence;    // the reader's own, 0..1 (not for a person's value)
    std::optional<std::string> recorded;     // the record's value, when it differs from what is shown
    std::string correctedBy;                 // a person's correction
};
[[nodiscard]] std::string_view basisName(ShownField::Basis basis);  // record, check_character, reads, person

struct PageFacts {
    std::int64_t pageId = 0;
    std::optional<storage::StoredReading> reading;
    std::vector<storage::FieldCorrection> corrections;
    std::vector<ShownField> fields;    // in ocr::kFieldNames order
    std::optional<double> confidence;  // the least sure field's; nullopt without fields
};

// The fields of a page as shown, from its reading, the corrections made to it and the record of
// the customer it is filed under (may be null).
[[nodiscard]] std::vector<ShownField> shownFields(const std::optional<storage::StoredReading>& reading,
                                                  const std::vector<storage::FieldCorrection>& corrections,
                                                  const storage::Customer* customer);

// The image a page is read from: the cleaned one when there is one.
[[nodiscard]] storage::Digest readImageOf(const storage::Page& page);

// A name or address read on a page that the archive's own gazetteer does not know (a pair of its
// characters occurs in no customer's name or address: 邱蔓 read for 岳麓) is doubted: its
// confidence is held at kDoubtedConfidence percent at most, whatever the reader thought of it, so
// that it is shown as unsure (below 80 %) in the page viewer and the review queue.
inline constexpr int kDoubtedConfidence = 50;
void doubtUnknownText(storage::StoredReading& reading, storage::CustomerStore& customers);

// Everything known of one page filed under `customer` (may be null).
[[nodiscard]] PageFacts pageFacts(storage::ReadingStore& readings, storage::CustomerStore& customers,
                                  const storage::Page& page, const storage::Customer* customer);
// The same for many pages (a customer's whole e-file), read together: in page order.
[[nodiscard]] std::vector<PageFacts> pageFacts(storage::ReadingStore& readings, storage::CustomerStore& customers,
                                               const std::vector<const storage::Page*>& pages,
                                               const storage::Customer* customer);

}  // namespace dangan::server
