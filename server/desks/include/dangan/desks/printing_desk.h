#pragma once
// The papers the scanning desk and the archive room print: a cover sheet for one customer's
// process (registered, so that the batch it heads is filed by it, with the checklist of the rules
// in force), separator sheets for document types, and barcode labels for documents, volumes,
// boxes and shelves.

#include <string>
#include <vector>

#include "dangan/desks/calendar.h"  // chinaMinute, which printed papers show
#include "dangan/desks/problem.h"
#include "dangan/desks/rules_book.h"
#include "dangan/print/printed_sheets.h"
#include "dangan/storage/clock.h"
#include "dangan/storage/stores.h"

namespace dangan::server {

// A PDF ready to send, and the name to give its file.
struct PrintedPaper {
    std::string pdf;
    std::string filename;
};

// What a PDF's failure to print becomes: the unexpected (a font missing), not the user's fault.
[[nodiscard]] Outcome<PrintedPaper> printed(const std::expected<std::string, std::string>& pdf, std::string filename);

// A label sheet asks for exactly one kind of thing.
struct LabelRequest {
    std::vector<std::string> documents;  // document ids
    std::vector<std::string> volumes;    // account numbers
    std::vector<std::string> boxes;      // box ids
    std::vector<std::string> shelves;    // shelf ids
    int skip = 0;                        // labels already used on the sheet
};

// Who printed a paper, as it says on it.
[[nodiscard]] std::string printerName(const storage::User& user);

class PrintingDesk {
public:
    PrintingDesk(storage::Stores& stores, RulesBook& rules, const storage::Clock& clock, print::PrintOptions options)
        : stores_(stores), rules_(rules), clock_(clock), options_(std::move(options)) {}

    [[nodiscard]] Outcome<PrintedPaper> coverSheet(const std::string& accountNo, const std::string& process,
                                                   const std::string& applicationNo, const storage::User& user);
    // One sheet for a document type, or for every type with "all".
    [[nodiscard]] Outcome<PrintedPaper> separators(const std::string& docType);
    [[nodiscard]] Outcome<PrintedPaper> labels(const LabelRequest& request);

    [[nodiscard]] const print::PrintOptions& options() const { return options_; }

private:
    storage::Stores& stores_;
    RulesBook& rules_;
    const storage::Clock& clock_;
    print::PrintOptions options_;
};

}  // namespace dangan::server
