#include "dangan/desks/printing_desk.h"

#include <span>

#include "dangan/barcode/own_code.h"
#include "dangan/desks/paper_desk.h"
#include "dangan/desks/positive_number.h"
#include "dangan/desks/process_catalog.h"
#include "dangan/desks/calendar.h"

namespace dangan::server {

Outcome<PrintedPaper> printed(const std::expected<std::string, std::string>& pdf, std::string filename) {
    if (!pdf) throw std::runtime_error("cannot print " + filename + ": " + pdf.error());
    return PrintedPaper{*pdf, std::move(filename)};
}

std::string printerName(const storage::User& user) { return user.displayName.empty() ? user.username : user.displayName; }

Outcome<PrintedPaper> PrintingDesk::coverSheet(const std::string& accountNo, const std::string& process,
                                               const std::string& applicationNo, const storage::User& user) {
    if (accountNo.empty()) return fail(ProblemCode::BadRequest, "account_no is required");
    auto type = processByName(process);
    if (!type) return fail(ProblemCode::BadRequest, "unknown process '" + process + "' (GET /api/processes lists the known ones)");
    if (applicationNo.size() > 64) return fail(ProblemCode::BadRequest, "application_no is too long");
    auto customer = stores_.customers->findByAccountNo(accountNo);
    if (!customer) return fail(ProblemCode::NotFound, "no customer with account_no " + accountNo);
    auto code = barcode::encodeOwnCode({barcode::OwnCodeKind::CoverSheet, {"1", accountNo, std::string(type->code)}});
    if (!code) return fail(ProblemCode::Unprocessable, "account_no " + accountNo + " cannot be printed in a barcode");
    auto sheetId = stores_.batches->registerCoverSheet(customer->id, process, applicationNo, {user.id, user.username});
    print::CoverSheet sheet;
    sheet.code = barcode::encodeOwnCode({barcode::OwnCodeKind::CoverSheet, {std::to_string(sheetId), accountNo, std::string(type->code)}}).value_or("");
    sheet.accountNo = accountNo;
    sheet.customerName = customer->fields.name;
    sheet.address = customer->fields.address;
    sheet.processType = process;
    sheet.applicationNo = applicationNo;
    sheet.sheetNo = std::to_string(sheetId);
    sheet.printedBy = printerName(user);
    sheet.printedAt = chinaMinute(clock_.nowMillis());
    // The checklist: each step's mandatory documents under the rules in force.
    auto rules = rules_.current();
    if (const ProcessRule* rule = rules ? rules->process(process) : nullptr)
        for (const auto& step : rule->steps) {
            print::ChecklistStep s{step.step, {}};
            for (const auto& d : step.documents)
                if (d.mandatory) s.documents.push_back(d.docType);
            sheet.checklist.push_back(std::move(s));
        }
    return printed(print::coverSheetPdf(std::span(&sheet, 1), options_),
                   "cover-" + accountNo + "-" + std::to_string(sheetId) + ".pdf");
}

Outcome<PrintedPaper> PrintingDesk::separators(const std::string& docType) {
    std::vector<print::SeparatorSheet> sheets;
    auto add = [&](const DocumentType& type) {
        sheets.push_back({barcode::encodeOwnCode({barcode::OwnCodeKind::Separator, {std::string(type.code)}}).value(), std::string(type.name)});
    };
    if (docType.empty()) return fail(ProblemCode::BadRequest, "doc_type is required (a document type, or 'all')");
    if (docType == "all") {
        for (const auto& t : documentTypes()) add(t);
    } else {
        auto type = documentTypeByName(docType);
        if (!type) return fail(ProblemCode::BadRequest, "unknown doc_type '" + docType + "' (GET /api/processes lists the document types)");
        add(*type);
    }
    return printed(print::separatorSheetPdf(sheets, options_), "separator.pdf");
}

Outcome<PrintedPaper> PrintingDesk::labels(const LabelRequest& request) {
    const auto& [documents, volumes, boxes, shelves, skip] = request;
    int kinds = !documents.empty() + !volumes.empty() + !boxes.empty() + !shelves.empty();
    if (kinds != 1)
        return fail(ProblemCode::BadRequest,
                    "name one of documents (ids), volumes (account numbers), boxes (ids) or shelves (ids), comma-separated");
    if (documents.size() + volumes.size() + boxes.size() + shelves.size() > 240)
        return fail(ProblemCode::BadRequest, "at most 240 labels at once");
    if (skip < 0 || skip > 23) return fail(ProblemCode::BadRequest, "skip must be a number from 0 to 23 (labels already used on the sheet)");
    std::vector<print::Label> labels;
    for (const auto& text : documents) {
        auto id = positiveNumber(text);
        auto doc = id ? stores_.documents->document(*id) : std::nullopt;
        if (!doc) return fail(ProblemCode::NotFound, "no document " + text);
        labels.push_back({barcode::encodeOwnCode({barcode::OwnCodeKind::Document, {std::to_string(doc->lineageId)}}).value(),
                          {doc->archiveNo, doc->processType, doc->docType}});
    }
    for (const auto& accountNo : volumes) {
        auto customer = stores_.customers->findByAccountNo(accountNo);
        if (!customer) return fail(ProblemCode::NotFound, "no customer with account_no " + accountNo);
        auto code = barcode::encodeOwnCode({barcode::OwnCodeKind::Volume, {accountNo}});
        if (!code) return fail(ProblemCode::Unprocessable, "account_no " + accountNo + " cannot be printed in a barcode");
        labels.push_back({*code, {"一户一档 " + accountNo, customer->fields.name, customer->fields.voltage}});
    }
    for (const auto& text : boxes) {
        auto id = positiveNumber(text);
        auto box = id ? stores_.paper->container(*id) : std::nullopt;
        if (!box || box->kind != "box") return fail(ProblemCode::NotFound, "no box " + text);
        labels.push_back({barcode::encodeOwnCode({barcode::OwnCodeKind::Box, {std::to_string(*id)}}).value(),
                          {"档案盒 " + text, voltageAreaName(box->voltageArea) + "区",
                           "容量 " + std::to_string(box->capacity) + " 件"}});
    }
    for (const auto& text : shelves) {
        auto id = positiveNumber(text);
        auto shelf = id ? stores_.paper->shelf(*id) : std::nullopt;
        if (!shelf) return fail(ProblemCode::NotFound, "no shelf " + text);
        labels.push_back({barcode::encodeOwnCode({barcode::OwnCodeKind::Location, {std::to_string(*id)}}).value(),
                          {shelf->room + " " + shelf->rack + "架", shelf->face + "面 " + shelf->level + "层",
                           voltageAreaName(shelf->voltageArea) + "区 " + std::to_string(shelf->capacity) + " 位"}});
    }
    return printed(print::labelSheetPdf(labels, skip, options_), "labels.pdf");
}

}  // namespace dangan::server
