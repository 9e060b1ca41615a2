#pragma once
// Reads a scanned customer paper: its document type from the printed title, and its key fields
// from their printed labels wherever the form puts them. Each value is read again at full
// resolution with the characters its field allows, then checked (the ID number's check
// character, the account number's form, phone forms, dates that exist); a value that fails its
// check is reported as unreadable, never guessed.
//
// A page is read in two stages. The first reads every line but the prose (the long unbroken
// lines of small print that hold no field) and gives the document type and the key fields; the
// second reads the prose for the page's full text, so a page can be filed before its text is
// complete.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dangan/ocr/doc_type_classifier.h"
#include "dangan/ocr/tesseract_engine.h"

namespace dangan::ocr {

// The field names of the API, in their order.
inline constexpr std::string_view kFieldNames[] = {"account_no", "name",          "id_number", "phone",
                                                   "address",    "application_no", "business_type", "date",
                                                   "contract_no", "signed_on",     "expires_on"};

struct FieldValue {
    std::string value;
    float confidence = 0;  // 0..1
};

struct PageReading {
    std::string docType;  // the best guess; empty when nothing on the page names a known type
    float docTypeConfidence = 0;
    std::vector<DocTypeGuess> docTypeGuesses;  // the best two guesses, best first (docType is the first)
    bool continuesDocument = false;            // the page goes on from an earlier one (see DocTypeVerdict)
    std::map<std::string, FieldValue> fields;  // fields read and checked, by API name
    std::vector<std::string> unreadable;       // fields whose label was found but whose value failed its check
    std::string text;                          // the page's full text, a line per printed line
    int quarterTurns = 0;  // quarter turns clockwise the image was given to be read (2: it was upside down, 1 or 3: on its side)
};

// What the archive knows, against which titles and business types are matched.
struct ReaderVocabulary {
    std::vector<std::string> docTypes;
    std::vector<std::string> businessTypes;
    int accountLength = 10;       // 户号 has exactly this many digits
    std::string accountPrefixes;  // and begins with one of these digits (empty: any)
};

// What the first stage leaves to the second: the page's images and the lines it did not read.
struct ProseLeft;

// A page after the first stage: `reading` has the document type, the key fields and the text of
// the lines read so far.
struct KeyFieldReading {
    PageReading reading;
    std::shared_ptr<ProseLeft> prose;
};

class PageReader {
public:
    explicit PageReader(ReaderVocabulary vocabulary);
    // The first stage, on an encoded image (JPEG, PNG or TIFF, upright). Throws EngineError when
    // the image cannot be decoded.
    [[nodiscard]] KeyFieldReading readKeyFields(TesseractEngine& engine, std::string_view imageBytes) const;
    // The second stage: reads the prose the first left, giving the page's full text in reading
    // order, and any field printed in the prose that the first stage did not find.
    [[nodiscard]] PageReading readProse(TesseractEngine& engine, KeyFieldReading keyFields) const;
    // Both stages.
    [[nodiscard]] PageReading read(TesseractEngine& engine, std::string_view imageBytes) const;

private:
    ReaderVocabulary vocabulary_;
};

// Why a person's value for a field cannot stand (an unknown field, an ID number whose check
// character is wrong, a date that does not exist); nullopt when it can. Dates as YYYY-MM-DD.
[[nodiscard]] std::optional<std::string> fieldValueProblem(std::string_view field, std::string_view value);

// Pure helpers, exposed for their tests.

// "2022年08月01日", "2022-8-1", "2022.08.01" -> "2022-08-01"; empty when no such day exists.
[[nodiscard]] std::string isoDate(std::string_view text);

// How well `text` contains `word`: 1 - (edit distance of the best-matching window) / length of
// `word`, at least 0. Counts code points.
[[nodiscard]] double containment(std::string_view text, std::string_view word);

// The vocabulary entry `text` names best, when its containment is at least `least`; else empty.
[[nodiscard]] std::string bestMatch(std::string_view text, const std::vector<std::string>& words, double least);

}  // namespace dangan::ocr
