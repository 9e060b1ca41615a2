#pragma once
// Specimen customer papers as PDF (libharu), for the demo archive (`dangan serve --demo`): a
// form of one document type with its title, a ruled table of labelled fields (户号, 户名, ...)
// and a few lines of terms, as the utility's own forms are printed. Scanned through the batch
// desk, they are read by the same OCR as real paper.

#include <expected>
#include <string>
#include <utility>
#include <vector>

#include "dangan/print/printed_sheets.h"

namespace dangan::print {

struct SpecimenForm {
    std::string title;                                        // e.g. 用电申请书
    std::vector<std::pair<std::string, std::string>> fields;  // label, value, in printed order
    std::vector<std::string> terms;                           // lines of text under the table
    std::string signedOn;                                     // e.g. 2026 年 11 月 20 日
};

// One A4 page per form: the PDF's bytes, or what went wrong (font missing, text not encodable).
[[nodiscard]] std::expected<std::string, std::string> specimenFormPdf(const std::vector<SpecimenForm>& forms,
                                                                      const PrintOptions& options);

}  // namespace dangan::print
