#include "dangan/http/http_api.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/NullStream.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <chrono>
#include <regex>
#include <sstream>

#include "dangan/barcode/own_code.h"
#include "dangan/print/printed_sheets.h"
#include "dangan/scanner/scan_file.h"
#include "dangan/desks/access.h"
#include "dangan/desks/customer_import.h"
#include "dangan/desks/process_catalog.h"
#include "http_call.h"
#include "reading_api.h"
#include "dangan/http/json_views.h"
#include "dangan/desks/positive_number.h"

namespace dangan::server {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;
using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

// The page named by the path's {id}.
Outcome<storage::Page> pageParam(Call& call) {
    auto id = idParam(call, "id");
    if (!id) return fail(ProblemCode::BadRequest, "page id must be a positive number");
    auto page = call.archive.stores().documents->page(*id);
    if (!page) return fail(ProblemCode::NotFound, "no page " + call.params.at("id"));
    return *page;
}

std::string clientOf(const HTTPServerRequest& r) { return r.clientAddress().host().toString(); }

// ---- handlers: each reads its input, calls one service, shapes the reply ----

Reply health(Call& call) {
    Object::Ptr o = new Object;
    o->set("status", "ok");
    o->set("schema_version", call.archive.database().schemaVersion());
    return jsonReply(200, o);
}

Reply login(Call& call) {
    auto body = call.jsonObject();
    if (!body) return problemReply(body.error());
    auto username = textField(*body, "username");
    auto password = textField(*body, "password");
    if (!username || !password || !username->has_value() || !password->has_value() || (*username)->empty() ||
        (*password)->empty())
        return problemReply(ProblemCode::BadRequest, "username and password are required, as strings");
    auto in = call.archive.authenticator().login(**username, **password, clientOf(call.http));
    if (!in) return problemReply(in.error());
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("token", in->token);
    o->set("expires_at", json::isoTime(in->expiresAt));
    o->set("user", json::user(in->user));
    return jsonReply(200, o);
}

Reply logout(Call& call) {
    call.archive.authenticator().logout(call.token, *call.user);
    return Reply{204, "text/plain", "", {}};
}

Reply me(Call& call) { return jsonReply(200, json::user(*call.user)); }

Reply processCatalog(Call&) {
    Array::Ptr list = new Array;
    for (const auto& p : processTypes()) {
        Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("name", std::string(p.name));
        o->set("code", std::string(p.code));
        o->set("category", std::string(categoryName(p.category)));
        list->add(o);
    }
    Array::Ptr types = new Array;
    for (const auto& t : documentTypes()) {
        Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("name", std::string(t.name));
        o->set("code", std::string(t.code));
        types->add(o);
    }
    Array::Ptr categories = new Array;
    for (Category c : kCategoryOrder) categories->add(std::string(categoryName(c)));
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("categories", categories);
    o->set("processes", list);
    o->set("document_types", types);
    return jsonReply(200, o);
}

Reply importCustomers(Call& call) {
    std::string type = Poco::toLower(call.http.getContentType());
    ImportFormat format;
    if (type.starts_with("application/json")) format = ImportFormat::Json;
    else if (type.starts_with("text/csv")) format = ImportFormat::Csv;
    else return problemReply(ProblemCode::UnsupportedMediaType, "send customers as application/json (an array) or text/csv (with a header row)");
    auto text = call.body(call.limits.maxJsonBody);
    if (!text) return problemReply(text.error());
    auto batch = readCustomerImport(*text, format);
    if (!batch) return problemReply(batch.error());
    auto outcome = call.archive.stores().customers->upsert(batch->rows, call.actor());
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("rows", static_cast<int>(batch->rows.size()));
    o->set("created", outcome.created);
    o->set("updated", outcome.updated);
    o->set("unchanged", outcome.unchanged);
    Array::Ptr ignored = new Array;
    for (const auto& c : batch->ignoredColumns) ignored->add(c);
    o->set("ignored_columns", ignored);
    return jsonReply(200, o);
}

// The barcode on a document's paper original, and the notice shown while it (or the volume) is out.
std::string paperCodeOf(const storage::Document& d) {
    return barcode::ownCodeText(barcode::OwnCodeKind::Document, std::to_string(d.lineageId));
}

Poco::Dynamic::Var loanNotice(const std::map<std::string, storage::ItemOut>& out, const std::string& code) {
    auto found = out.find(code);
    if (found == out.end()) return {};
    return json::itemOut(found->second);
}

Reply getCustomer(Call& call) {
    const auto& accountNo = call.params.at("account_no");
    auto customer = call.archive.stores().customers->findByAccountNo(accountNo);
    if (!customer) return problemReply(ProblemCode::NotFound, "no customer with account_no " + accountNo);
    recordView(call, "customer.view", "customer", accountNo);
    return jsonReply(200, json::customer(*customer, false));
}

Reply customerFile(Call& call) {
    const auto& accountNo = call.params.at("account_no");
    auto file = call.archive.customerFiles().open(accountNo);
    if (!file) return problemReply(file.error());
    recordView(call, "efile.view", "customer", accountNo);
    Object::Ptr view = json::customerFile(*file);
    // A notice on every document whose paper original (or the customer's whole volume) is out.
    std::vector<std::string> codes{barcode::ownCodeText(barcode::OwnCodeKind::Volume, accountNo)};
    for (const auto& category : file->categories)
        for (const auto& d : category.documents) codes.push_back(paperCodeOf(d));
    auto out = call.archive.stores().loans->outAmong(codes);
    view->set("volume_on_loan", loanNotice(out, codes.front()));
    auto categories = view->getArray("categories");
    for (std::size_t c = 0; c < file->categories.size(); ++c) {
        auto docs = categories->getObject(static_cast<unsigned>(c))->getArray("documents");
        for (std::size_t d = 0; d < file->categories[c].documents.size(); ++d) {
            const auto& document = file->categories[c].documents[d];
            auto documentJson = docs->getObject(static_cast<unsigned>(d));
            std::string paper = paperCodeOf(document);
            documentJson->set("paper_code", paper);
            documentJson->set("paper_on_loan", loanNotice(out, paper));
            addReadings(call.archive.stores(), document, *documentJson);
        }
    }
    return jsonReply(200, view);
}

Reply search(Call& call) {
    std::string q = call.query("q");
    if (q.find_first_not_of(" \t") == std::string::npos) return problemReply(ProblemCode::BadRequest, "query parameter q is required");
    if (q.size() > 200) return problemReply(ProblemCode::BadRequest, "query parameter q is too long");
    auto limit = positiveNumber(call.query("limit", "20"), 100);
    if (!limit) return problemReply(ProblemCode::BadRequest, "limit must be a number from 1 to 100");
    Array::Ptr list = new Array;
    for (const auto& c : call.archive.stores().customers->search(q, static_cast<int>(*limit)))
        list->add(json::customer(c, true));
    Object::Ptr o = new Object;
    o->set("customers", list);
    o->set("pages", pageHitsJson(call.archive.stores(), q, static_cast<int>(*limit)));
    return jsonReply(200, o);
}

// Streams every part named "files" into the image store's staging area as it arrives.
class ScanParts final : public Poco::Net::PartHandler {
public:
    // maxBytes: one file; maxTotal: all files of the upload; maxFiles: how many files.
    ScanParts(const std::filesystem::path& staging, std::uint64_t maxBytes, std::uint64_t maxTotal, std::size_t maxFiles)
        : staging_(staging), maxBytes_(maxBytes), maxTotal_(maxTotal), maxFiles_(maxFiles) {}

    void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
        std::string disposition;
        Poco::Net::NameValueCollection params;
        Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition", ""), disposition, params);
        Upload upload;
        upload.filename = params.get("filename", "");
        std::string name = params.get("name", "");
        if (name != "files") {
            upload.refused = Problem{ProblemCode::BadRequest, "unexpected file part '" + name + "' (send images in parts named 'files')", {}};
            drain(stream);
        } else if (uploads.size() >= maxFiles_) {
            upload.refused = Problem{ProblemCode::PayloadTooLarge, "more than " + std::to_string(maxFiles_) + " files in one upload", {}};
            drain(stream);
        } else {
            storage::ImageStaging staging(staging_);
            char buffer[65536];
            while (stream) {
                stream.read(buffer, sizeof buffer);
                auto n = static_cast<std::size_t>(stream.gcount());
                if (staging.size() + n > maxBytes_ || received_ + n > maxTotal_) {
                    upload.refused = Problem{ProblemCode::PayloadTooLarge,
                                             staging.size() + n > maxBytes_
                                                 ? "file is larger than " + std::to_string(maxBytes_ >> 20) + " MiB"
                                                 : "upload is larger than " + std::to_string(maxTotal_ >> 20) + " MiB",
                                             {}};
                    drain(stream);
                    break;
                }
                staging.write(std::string_view(buffer, n));
                received_ += n;
            }
            if (!upload.refused) upload.staged = staging.finish();
        }
        uploads.push_back(std::move(upload));
    }

    std::vector<Upload> uploads;

private:
    static void drain(std::istream& stream) {
        Poco::NullOutputStream sink;
        Poco::StreamCopier::copyStream(stream, sink);
    }
    std::filesystem::path staging_;
    std::uint64_t maxBytes_;
    std::uint64_t maxTotal_;
    std::size_t maxFiles_;
    std::uint64_t received_ = 0;
};

// Reads a multipart upload of scans: its text fields into `form`, its files staged as they arrive.
Outcome<std::vector<Upload>> readScanUpload(Call& call, Poco::Net::HTMLForm& form) {
    if (!Poco::toLower(call.http.getContentType()).starts_with("multipart/form-data"))
        return fail(ProblemCode::UnsupportedMediaType, "send scans as multipart/form-data");
    if (call.http.hasContentLength() && static_cast<std::uint64_t>(call.http.getContentLength64()) > call.limits.maxUploadBody)
        return fail(ProblemCode::PayloadTooLarge, "upload is larger than " + std::to_string(call.limits.maxUploadBody >> 20) + " MiB");
    ScanParts parts(call.archive.images().stagingDirectory(), call.archive.options().imageLimits.maxBytes,
                    call.limits.maxUploadBody, call.limits.maxUploadFiles);
    form.setFieldLimit(static_cast<int>(call.limits.maxUploadFiles) + 50);  // Poco counts file parts too
    try {
        form.load(call.http, call.http.stream(), parts);
    } catch (const Poco::Exception& e) {
        return fail(ProblemCode::BadRequest, "multipart body cannot be read: " + e.message());
    }
    return std::move(parts.uploads);
}

Reply fileScans(Call& call) {
    Poco::Net::HTMLForm form;
    auto uploads = readScanUpload(call, form);
    if (!uploads) return problemReply(uploads.error());
    // process_id (the marketing system's process instance) is the application number by its API name.
    std::string processId = form.get("process_id", ""), applicationNo = form.get("application_no", "");
    if (!processId.empty() && !applicationNo.empty() && processId != applicationNo)
        return problemReply(ProblemCode::BadRequest, "process_id and application_no name different processes");
    FilingRequest request{form.get("account_no", ""), form.get("process", ""), processId.empty() ? applicationNo : processId,
                          form.get("doc_type", ""),   form.get("supersedes", ""), form.get("note", ""),
                          std::move(*uploads)};
    auto filed = call.archive.filingDesk().file(std::move(request), call.actor());
    if (!filed) return problemReply(filed.error());
    Reply r = jsonReply(201, json::document(*filed));
    r.headers.emplace_back("Location", "/api/documents/" + std::to_string(filed->id));
    return r;
}

Reply getDocument(Call& call) {
    auto id = idParam(call, "id");
    if (!id) return problemReply(ProblemCode::BadRequest, "document id must be a positive number");
    auto doc = call.archive.stores().documents->document(*id);
    if (!doc) return problemReply(ProblemCode::NotFound, "no document " + call.params.at("id"));
    Object::Ptr o = json::document(*doc);
    // The same page fields and paper notice the e-file shows, so one viewer serves both.
    std::string paper = paperCodeOf(*doc);
    auto out = call.archive.stores().loans->outAmong({paper});
    o->set("paper_code", paper);
    o->set("paper_on_loan", loanNotice(out, paper));
    addReadings(call.archive.stores(), *doc, *o);
    Array::Ptr versions = new Array;
    for (const auto& v : call.archive.stores().documents->versions(doc->lineageId)) {
        Object::Ptr brief = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        brief->set("id", v.id);
        brief->set("version", v.version);
        brief->set("archived_at", json::isoTime(v.archivedAt));
        brief->set("archived_by", v.archivedByName);
        brief->set("note", v.note);
        versions->add(brief);
    }
    o->set("versions", versions);
    recordView(call, "document.view", "document", std::to_string(doc->id));
    return jsonReply(200, o);
}

Reply pageImage(Call& call) {
    auto page = pageParam(call);
    if (!page) return problemReply(page.error());
    // The cleaned page when there is one; ?original=1 for the bytes as scanned.
    const storage::Digest& image = call.query("original") == "1" ? page->sha256 : page->cleanedSha256.value_or(page->sha256);
    auto in = call.archive.images().open(image);
    if (!in) return problemReply(ProblemCode::NotFound, "the image of page " + call.params.at("id") + " is missing from the store");
    Reply r{200, "", "", {}};
    Poco::StreamCopier::copyToString(*in, r.body);
    r.contentType = scanner::scanMediaTypeOf(r.body);
    r.headers.emplace_back("Cache-Control", "private, max-age=31536000, immutable");
    r.headers.emplace_back("ETag", "\"" + storage::toHex(image) + "\"");
    recordView(call, "page.view", "page", std::to_string(page->id));
    return r;
}

Reply pageRendering(Call& call, Rendering rendering) {
    auto page = pageParam(call);
    if (!page) return problemReply(page.error());
    auto jpeg = call.archive.renderings().jpeg(*page, rendering);
    if (!jpeg) return problemReply(jpeg.error());
    recordView(call, rendering == Rendering::Thumbnail ? "page.thumbnail" : "page.view", "page", std::to_string(page->id));
    Reply r{200, "image/jpeg", std::move(*jpeg), {}};
    r.headers.emplace_back("Cache-Control", "private, max-age=86400");
    return r;
}

Reply pageThumbnail(Call& call) { return pageRendering(call, Rendering::Thumbnail); }
Reply pagePreview(Call& call) { return pageRendering(call, Rendering::Preview); }

// ---- the scanning desk ----

Reply printCoverSheet(Call& call) {
    std::string accountNo = call.query("account_no"), process = call.query("process");
    std::string applicationNo = call.query("application_no");
    if (accountNo.empty()) return problemReply(ProblemCode::BadRequest, "query parameter account_no is required");
    auto type = processByName(process);
    if (!type) return problemReply(ProblemCode::BadRequest, "unknown process '" + process + "' (GET /api/processes lists the known ones)");
    if (applicationNo.size() > 64) return problemReply(ProblemCode::BadRequest, "application_no is too long");
    auto customer = call.archive.stores().customers->findByAccountNo(accountNo);
    if (!customer) return problemReply(ProblemCode::NotFound, "no customer with account_no " + accountNo);
    auto sheetId = call.archive.stores().batches->registerCoverSheet(customer->id, process, applicationNo, call.actor());
    barcode::CoverSheet sheet;
    sheet.code = barcode::encodeOwnCode({barcode::OwnCodeKind::CoverSheet, {std::to_string(sheetId), accountNo, std::string(type->code)}}).value_or("");
    if (sheet.code.empty()) return problemReply(ProblemCode::Unprocessable, "account_no " + accountNo + " cannot be printed in a barcode");
    sheet.accountNo = accountNo;
    sheet.customerName = customer->fields.name;
    sheet.address = customer->fields.address;
    sheet.processType = process;
    sheet.applicationNo = applicationNo;
    sheet.sheetNo = std::to_string(sheetId);
    sheet.printedBy = call.user->displayName.empty() ? call.user->username : call.user->displayName;
    sheet.printedAt = localTime(storage::nowMillis());
    // The checklist: each step's mandatory documents under the rules in force.
    auto rules = call.archive.rules().current();
    if (const ProcessRule* rule = rules ? rules->process(process) : nullptr)
        for (const auto& step : rule->steps) {
            barcode::ChecklistStep s{step.step, {}};
            for (const auto& d : step.documents)
                if (d.mandatory) s.documents.push_back(d.docType);
            sheet.checklist.push_back(std::move(s));
        }
    return pdfReply(barcode::coverSheetPdf(std::span(&sheet, 1), call.archive.options().printing),
                    "cover-" + accountNo + "-" + std::to_string(sheetId) + ".pdf");
}

Reply printSeparator(Call& call) {
    std::string docType = call.query("doc_type");
    std::vector<barcode::SeparatorSheet> sheets;
    auto add = [&](const DocumentType& type) {
        sheets.push_back({barcode::encodeOwnCode({barcode::OwnCodeKind::Separator, {std::string(type.code)}}).value(), std::string(type.name)});
    };
    if (docType.empty()) return problemReply(ProblemCode::BadRequest, "query parameter doc_type is required (a document type, or 'all')");
    if (docType == "all") {
        for (const auto& t : documentTypes()) add(t);
    } else {
        auto type = documentTypeByName(docType);
        if (!type) return problemReply(ProblemCode::BadRequest, "unknown doc_type '" + docType + "' (GET /api/processes lists the document types)");
        add(*type);
    }
    return pdfReply(barcode::separatorSheetPdf(sheets, call.archive.options().printing), "separator.pdf");
}

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> items;
    std::istringstream in(text);
    std::string item;
    while (std::getline(in, item, ','))
        if (!item.empty()) items.push_back(item);
    return items;
}

Reply printLabels(Call& call) {
    auto documents = splitList(call.query("documents"));
    auto volumes = splitList(call.query("volumes"));
    auto boxes = splitList(call.query("boxes"));
    auto shelves = splitList(call.query("shelves"));
    int kinds = !documents.empty() + !volumes.empty() + !boxes.empty() + !shelves.empty();
    if (kinds != 1)
        return problemReply(ProblemCode::BadRequest,
                            "name one of documents (ids), volumes (account numbers), boxes (ids) or shelves (ids), comma-separated");
    if (documents.size() + volumes.size() + boxes.size() + shelves.size() > 240)
        return problemReply(ProblemCode::BadRequest, "at most 240 labels at once");
    std::string skipText = call.query("skip", "0");
    auto skip = skipText == "0" ? std::optional<std::int64_t>(0) : positiveNumber(skipText, 23);
    if (!skip) return problemReply(ProblemCode::BadRequest, "skip must be a number from 0 to 23 (labels already used on the sheet)");
    int skipped = static_cast<int>(*skip);
    std::vector<barcode::Label> labels;
    for (const auto& text : documents) {
        auto id = positiveNumber(text);
        auto doc = id ? call.archive.stores().documents->document(*id) : std::nullopt;
        if (!doc) return problemReply(ProblemCode::NotFound, "no document " + text);
        labels.push_back({barcode::encodeOwnCode({barcode::OwnCodeKind::Document, {std::to_string(doc->lineageId)}}).value(),
                          {doc->archiveNo, doc->processType, doc->docType}});
    }
    for (const auto& accountNo : volumes) {
        auto customer = call.archive.stores().customers->findByAccountNo(accountNo);
        if (!customer) return problemReply(ProblemCode::NotFound, "no customer with account_no " + accountNo);
        auto code = barcode::encodeOwnCode({barcode::OwnCodeKind::Volume, {accountNo}});
        if (!code) return problemReply(ProblemCode::Unprocessable, "account_no " + accountNo + " cannot be printed in a barcode");
        labels.push_back({*code, {"一户一档 " + accountNo, customer->fields.name, customer->fields.voltage}});
    }
    for (const auto& text : boxes) {
        auto id = positiveNumber(text);
        auto box = id ? call.archive.stores().paper->container(*id) : std::nullopt;
        if (!box || box->kind != "box") return problemReply(ProblemCode::NotFound, "no box " + text);
        labels.push_back({barcode::encodeOwnCode({barcode::OwnCodeKind::Box, {std::to_string(*id)}}).value(),
                          {"档案盒 " + text, std::string(box->voltageArea == "high" ? "高压" : "低压") + "区",
                           "容量 " + std::to_string(box->capacity) + " 件"}});
    }
    for (const auto& text : shelves) {
        auto id = positiveNumber(text);
        auto shelf = id ? call.archive.stores().paper->shelf(*id) : std::nullopt;
        if (!shelf) return problemReply(ProblemCode::NotFound, "no shelf " + text);
        labels.push_back({barcode::encodeOwnCode({barcode::OwnCodeKind::Location, {std::to_string(*id)}}).value(),
                          {shelf->room + " " + shelf->rack + "架", shelf->face + "面 " + shelf->level + "层",
                           std::string(shelf->voltageArea == "high" ? "高压" : "低压") + "区 " + std::to_string(shelf->capacity) + " 位"}});
    }
    return pdfReply(barcode::labelSheetPdf(labels, skipped, call.archive.options().printing), "labels.pdf");
}

Reply receiveBatch(Call& call) {
    Poco::Net::HTMLForm form;
    auto uploads = readScanUpload(call, form);
    if (!uploads) return problemReply(uploads.error());
    auto id = call.archive.batchDesk().receive("upload", form.get("name", ""), form.get("process_id", ""),
                                                     std::move(*uploads), call.actor());
    if (!id) return problemReply(id.error());
    Object::Ptr o = new Object;
    o->set("id", *id);
    Reply r = jsonReply(202, o);
    r.headers.emplace_back("Location", "/api/batches/" + std::to_string(*id));
    return r;
}

Reply getBatch(Call& call) {
    auto id = idParam(call, "id");
    if (!id) return problemReply(ProblemCode::BadRequest, "batch id must be a positive number");
    auto batch = call.archive.stores().batches->batch(*id, true);
    if (!batch) return problemReply(ProblemCode::NotFound, "no batch " + call.params.at("id"));
    return jsonReply(200, json::batch(*batch, true));
}

Reply listBatches(Call& call) {
    auto limit = positiveNumber(call.query("limit", "20"), 200);
    if (!limit) return problemReply(ProblemCode::BadRequest, "limit must be a number from 1 to 200");
    std::string source = call.query("source", "");
    if (!source.empty() && source != "upload" && source != "watch")
        return problemReply(ProblemCode::BadRequest, "source must be upload or watch");
    Array::Ptr list = new Array;
    for (const auto& b : call.archive.stores().batches->recent(source, static_cast<int>(*limit))) list->add(json::batch(b, false));
    Object::Ptr o = new Object;
    o->set("batches", list);
    return jsonReply(200, o);
}

Reply reviewQueue(Call& call) {
    auto limit = positiveNumber(call.query("limit", "100"), 500);
    if (!limit) return problemReply(ProblemCode::BadRequest, "limit must be a number from 1 to 500");
    Array::Ptr list = new Array;
    for (const auto& p : call.archive.stores().batches->reviewQueue(static_cast<int>(*limit))) {
        auto item = json::batchPage(p);
        addSuggestion(call.archive.batchDesk().suggest(p), *item);
        list->add(item);
    }
    Object::Ptr o = new Object;
    o->set("pages", list);
    return jsonReply(200, o);
}

Reply reviewPreview(Call& call) {
    auto id = idParam(call, "id");
    if (!id) return problemReply(ProblemCode::BadRequest, "page id must be a positive number");
    auto page = call.archive.stores().batches->page(*id);
    if (!page) return problemReply(ProblemCode::NotFound, "no batch page " + call.params.at("id"));
    auto jpeg = page->cleanedSha256
                    ? call.archive.renderings().jpeg(*page->cleanedSha256, 0, Rendering::Preview, "batch page " + call.params.at("id"))
                    : call.archive.renderings().jpeg(page->fileSha256, page->frame, Rendering::Preview, "batch page " + call.params.at("id"));
    if (!jpeg) return problemReply(jpeg.error());
    recordView(call, "batch_page.view", "batch_page", call.params.at("id"));
    return Reply{200, "image/jpeg", std::move(*jpeg), {}};
}

Reply resolveReview(Call& call) {
    auto id = idParam(call, "id");
    if (!id) return problemReply(ProblemCode::BadRequest, "page id must be a positive number");
    auto body = call.jsonObject();
    if (!body) return problemReply(body.error());
    auto discard = (*body)->get("discard");
    if (!discard.isEmpty() && discard.isBoolean() && discard.convert<bool>()) {
        auto reason = textField(*body, "reason");
        if (!reason) return problemReply(reason.error());
        auto done = call.archive.batchDesk().discard(*id, reason->value_or(""), call.actor());
        if (!done) return problemReply(done.error());
        return Reply{204, "text/plain", "", {}};
    }
    ReviewDecision decision;
    for (auto [name, target] : {std::pair{"account_no", &decision.accountNo}, std::pair{"process", &decision.processType},
                                std::pair{"doc_type", &decision.docType}, std::pair{"application_no", &decision.applicationNo},
                                std::pair{"process_id", &decision.applicationNo}}) {
        auto value = textField(*body, name);
        if (!value) return problemReply(value.error());
        if (*value) *target = **value;
    }
    if (auto with = (*body)->get("with"); !with.isEmpty()) {
        if (with.type() != typeid(Array::Ptr)) return problemReply(ProblemCode::BadRequest, "with must be an array of review page ids");
        for (const auto& v : *with.extract<Array::Ptr>()) {
            auto n = v.isInteger() ? std::optional<std::int64_t>(v.convert<std::int64_t>()) : std::nullopt;
            if (!n || *n <= 0) return problemReply(ProblemCode::BadRequest, "with must be an array of review page ids");
            decision.withPages.push_back(*n);
        }
    }
    auto filed = call.archive.batchDesk().resolve(*id, decision, call.actor());
    if (!filed) return problemReply(filed.error());
    return jsonReply(201, json::document(*filed));
}

// ---- users ----

std::optional<std::string> usernameProblem(const std::string& name) {
    static const std::regex kPattern("[a-z0-9][a-z0-9_.-]{1,31}");
    if (!std::regex_match(name, kPattern))
        return "username must be 2-32 characters: lower-case letters, digits, '_', '.', '-'";
    return std::nullopt;
}

Outcome<std::vector<std::string>> rolesFrom(const Object::Ptr& body) {
    auto value = body->get("roles");
    if (value.isEmpty() || value.type() != typeid(Array::Ptr)) return fail(ProblemCode::BadRequest, "roles must be an array of role names");
    std::vector<std::string> roles;
    for (const auto& r : *value.extract<Array::Ptr>()) {
        std::string role = r.isString() ? r.convert<std::string>() : "";
        if (!isKnownRole(role)) return fail(ProblemCode::BadRequest, "unknown role '" + role + "' (known: admin, archivist, auditor, staff, approver)");
        if (std::find(roles.begin(), roles.end(), role) == roles.end()) roles.push_back(role);
    }
    if (roles.empty()) return fail(ProblemCode::BadRequest, "a user needs at least one role");
    return roles;
}

Reply createUser(Call& call) {
    auto body = call.jsonObject();
    if (!body) return problemReply(body.error());
    auto username = textField(*body, "username");
    auto displayName = textField(*body, "display_name");
    auto passwordField = textField(*body, "password");
    for (const auto* field : {&username, &displayName, &passwordField})
        if (!*field) return problemReply(field->error());
    storage::User user;
    user.username = username->value_or("");
    user.displayName = displayName->value_or("");
    std::string password = passwordField->value_or("");
    if (auto p = usernameProblem(user.username)) return problemReply(ProblemCode::BadRequest, *p);
    if (auto p = passwordWeakness(password)) return problemReply(ProblemCode::BadRequest, *p);
    auto roles = rolesFrom(*body);
    if (!roles) return problemReply(roles.error());
    user.roles = *roles;
    user.passwordHash = hashPassword(password);
    auto created = call.archive.stores().users->create(user, call.actor());
    if (!created) return problemReply(ProblemCode::Conflict, "username '" + user.username + "' is taken");
    return jsonReply(201, json::user(*created));
}

Reply listUsers(Call& call) {
    Array::Ptr list = new Array;
    for (const auto& u : call.archive.stores().users->list()) list->add(json::user(u));
    Object::Ptr o = new Object;
    o->set("users", list);
    return jsonReply(200, o);
}

Reply changeUser(Call& call) {
    auto id = idParam(call, "id");
    if (!id) return problemReply(ProblemCode::BadRequest, "user id must be a positive number");
    auto body = call.jsonObject();
    if (!body) return problemReply(body.error());
    storage::UserChange change;
    auto displayName = textField(*body, "display_name");
    if (!displayName) return problemReply(displayName.error());
    change.displayName = *displayName;
    auto password = textField(*body, "password");
    if (!password) return problemReply(password.error());
    if (*password) {
        if (auto p = passwordWeakness(**password)) return problemReply(ProblemCode::BadRequest, *p);
        change.passwordHash = hashPassword(**password);
    }
    if ((*body)->has("roles")) {
        auto roles = rolesFrom(*body);
        if (!roles) return problemReply(roles.error());
        change.roles = *roles;
    }
    if ((*body)->has("disabled")) {
        auto value = (*body)->get("disabled");
        if (!value.isBoolean()) return problemReply(ProblemCode::BadRequest, "disabled must be true or false");
        change.disabled = value.convert<bool>();
    }
    if (*id == call.user->id) {
        bool dropsAdmin = change.roles && std::find(change.roles->begin(), change.roles->end(), "admin") == change.roles->end();
        if ((change.disabled && *change.disabled) || dropsAdmin)
            return problemReply(ProblemCode::Conflict, "you cannot disable yourself or remove your own admin role");
    }
    auto changed = call.archive.stores().users->change(*id, change, call.actor());
    if (!changed) return problemReply(ProblemCode::NotFound, "no user " + call.params.at("id"));
    return jsonReply(200, json::user(*changed));
}

Reply auditLog(Call& call) {
    storage::AuditQuery q;
    if (auto v = call.query("object_type"); !v.empty()) q.objectType = v;
    if (auto v = call.query("object_id"); !v.empty()) q.objectId = v;
    if (auto v = call.query("username"); !v.empty()) q.username = v;
    if (auto text = call.query("before"); !text.empty()) {
        q.beforeId = positiveNumber(text);
        if (!q.beforeId) return problemReply(ProblemCode::BadRequest, "before must be a positive number");
    }
    auto limit = positiveNumber(call.query("limit", "100"), 1000);
    if (!limit) return problemReply(ProblemCode::BadRequest, "limit must be a number from 1 to 1000");
    q.limit = static_cast<int>(*limit);
    call.archive.views().flush();  // show views recorded a moment ago too
    Array::Ptr list = new Array;
    for (const auto& e : call.archive.stores().audit->list(q)) list->add(json::auditEntry(e));
    Object::Ptr o = new Object;
    o->set("entries", list);
    return jsonReply(200, o);
}

// ---- routing ----

struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{name}" captures one segment
    std::optional<Permission> permission;  // nullopt: open to everyone (health, login)
    bool signedIn;                         // needs a session even without a permission
    Reply (*handler)(Call&);
};

std::vector<std::string> split(const std::string& path) {
    std::vector<std::string> parts;
    std::istringstream in(path);
    std::string part;
    while (std::getline(in, part, '/'))
        if (!part.empty()) parts.push_back(part);
    return parts;
}

const std::vector<Route>& routes() {
    using enum Permission;
    static const std::vector<Route> kRoutes = [] {
        std::vector<Route> r;
        auto add = [&](std::string method, std::string path, std::optional<Permission> p, bool signedIn, Reply (*h)(Call&)) {
            r.push_back({std::move(method), split(path), p, signedIn, h});
        };
        add("GET", "/api/health", std::nullopt, false, health);
        add("POST", "/api/login", std::nullopt, false, login);
        add("POST", "/api/logout", std::nullopt, true, logout);
        add("GET", "/api/me", std::nullopt, true, me);
        add("GET", "/api/processes", ReadArchive, true, processCatalog);
        add("POST", "/api/customers", ImportCustomers, true, importCustomers);
        add("GET", "/api/customers/{account_no}", ReadArchive, true, getCustomer);
        add("GET", "/api/customers/{account_no}/efile", ReadArchive, true, customerFile);
        add("GET", "/api/search", ReadArchive, true, search);
        add("POST", "/api/scans", FileDocuments, true, fileScans);
        add("GET", "/api/documents/{id}", ReadArchive, true, getDocument);
        add("GET", "/api/pages/{id}/image", ReadArchive, true, pageImage);
        add("GET", "/api/pages/{id}/thumbnail", ReadArchive, true, pageThumbnail);
        add("GET", "/api/pages/{id}/preview", ReadArchive, true, pagePreview);
        add("GET", "/api/print/cover-sheet", FileDocuments, true, printCoverSheet);
        add("GET", "/api/print/separator", FileDocuments, true, printSeparator);
        add("GET", "/api/print/labels", FileDocuments, true, printLabels);
        add("POST", "/api/batches", FileDocuments, true, receiveBatch);
        add("GET", "/api/batches", FileDocuments, true, listBatches);
        add("GET", "/api/batches/{id}", FileDocuments, true, getBatch);
        add("GET", "/api/review", FileDocuments, true, reviewQueue);
        add("GET", "/api/review/{id}/preview", FileDocuments, true, reviewPreview);
        add("POST", "/api/review/{id}", FileDocuments, true, resolveReview);
        add("GET", "/api/users", ManageUsers, true, listUsers);
        add("POST", "/api/users", ManageUsers, true, createUser);
        add("PATCH", "/api/users/{id}", ManageUsers, true, changeUser);
        add("GET", "/api/audit", ReadAuditLog, true, auditLog);
        for (auto& spec : paperRoutes()) add(spec.method, spec.path, spec.permission, spec.signedIn, spec.handler);
        for (auto& spec : completenessRoutes()) add(spec.method, spec.path, spec.permission, spec.signedIn, spec.handler);
        for (auto& spec : readingRoutes()) add(spec.method, spec.path, spec.permission, spec.signedIn, spec.handler);
        return r;
    }();
    return kRoutes;
}

const Route* match(const std::string& method, const std::vector<std::string>& path,
                   std::map<std::string, std::string>& params, bool& pathKnown) {
    for (const auto& route : routes()) {
        if (route.segments.size() != path.size()) continue;
        std::map<std::string, std::string> captured;
        bool same = true;
        for (std::size_t i = 0; i < path.size() && same; ++i) {
            const auto& s = route.segments[i];
            if (s.front() == '{') captured[s.substr(1, s.size() - 2)] = path[i];
            else same = s == path[i];
        }
        if (!same) continue;
        pathKnown = true;
        if (route.method == method) {
            params = std::move(captured);
            return &route;
        }
    }
    return nullptr;
}

// ---- static files of the web application ----

Reply staticFile(const std::filesystem::path& webDir, const std::string& path) {
    namespace fs = std::filesystem;
    std::vector<std::string> parts = split(path);
    for (const auto& p : parts)
        if (p == ".." || p == "." || p.find('\\') != std::string::npos) return problemReply(ProblemCode::NotFound, "no such file");
    fs::path file = webDir;
    for (const auto& p : parts) file /= p;
    if (parts.empty() || fs::is_directory(file)) file /= "index.html";
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) return problemReply(ProblemCode::NotFound, "no such file: " + path);
    static const std::map<std::string, std::string> kTypes{
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},   {".svg", "image/svg+xml"},
        {".png", "image/png"},                 {".ico", "image/x-icon"},
        {".json", "application/json"},        {".woff2", "font/woff2"}};
    auto type = kTypes.find(file.extension().string());
    Reply r{200, type == kTypes.end() ? "application/octet-stream" : type->second, scanner::readFile(file), {}};
    r.headers.emplace_back("Cache-Control", "no-cache");
    return r;
}

// ---- the handler ----

class ApiRequest final : public Poco::Net::HTTPRequestHandler {
public:
    ApiRequest(Archive& archive, const std::filesystem::path& webDir, const HttpLimits& limits, Poco::Logger& log,
               std::uint64_t id)
        : archive_(archive), webDir_(webDir), limits_(limits), log_(log), id_(id) {}

    void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
        auto start = std::chrono::steady_clock::now();
        std::string path;
        Reply reply;
        try {
            Poco::URI uri(request.getURI());
            path = uri.getPath();
            reply = dispatch(request, uri);
        } catch (const std::exception& e) {
            // Anything unexpected: logged with the request id, answered without internals.
            log_.error("request %s %s %s failed: %s", std::to_string(id_), request.getMethod(), path, std::string(e.what()));
            Object::Ptr error = new Object;
            error->set("error", "internal error (request " + std::to_string(id_) + "); the server log has the details");
            reply = jsonReply(500, error);
        }
        // A request refused before its body was read (401, 403, 413 ...): read the rest, so the
        // client can see the answer instead of a reset connection; past a limit, close instead.
        if (!drainBody(request)) response.setKeepAlive(false);
        response.setStatus(static_cast<HTTPResponse::HTTPStatus>(reply.status));
        response.setContentType(reply.contentType);
        response.set("X-Request-Id", std::to_string(id_));
        for (const auto& [k, v] : reply.headers) response.set(k, v);
        if (reply.status == 204) {
            response.setContentLength(0);
            response.send();
        } else {
            response.sendBuffer(reply.body.data(), reply.body.size());
        }
        double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        if (log_.information())
            log_.information("%s %s %d %.1fms rid=%s", request.getMethod(), path, reply.status, ms, std::to_string(id_));
    }

private:
    static bool drainBody(HTTPServerRequest& request) {
        constexpr std::streamsize kLimit = 64 << 20;
        std::streamsize drained = 0;
        char buffer[65536];
        try {
            auto& in = request.stream();
            while (in && drained <= kLimit) {
                in.read(buffer, sizeof buffer);
                drained += in.gcount();
            }
        } catch (const Poco::Exception&) {
            return false;
        }
        return drained <= kLimit;
    }

    Reply dispatch(HTTPServerRequest& request, const Poco::URI& uri) {
        const std::string& path = uri.getPath();
        if (!path.starts_with("/api/") && path != "/api") {
            if (request.getMethod() != "GET" && request.getMethod() != "HEAD")
                return problemReply(ProblemCode::NotFound, "no such page");
            return staticFile(webDir_, path);
        }
        std::map<std::string, std::string> params;
        bool pathKnown = false;
        const Route* route = match(request.getMethod(), split(path), params, pathKnown);
        if (!route) {
            Reply r = problemReply(ProblemCode::NotFound, pathKnown ? "method " + request.getMethod() + " is not allowed on " + path : "no API endpoint " + path);
            if (pathKnown) r.status = 405;
            return r;
        }
        Call call{request, archive_, limits_, std::move(params), uri, std::nullopt, ""};
        if (route->signedIn) {
            std::string auth = request.get("Authorization", "");
            if (!auth.starts_with("Bearer ")) return problemReply(ProblemCode::Unauthenticated, "sign in first: send 'Authorization: Bearer <token>' from POST /api/login");
            call.token = auth.substr(7);
            call.user = archive_.authenticator().authenticate(call.token);
            if (!call.user) return problemReply(ProblemCode::Unauthenticated, "the session is invalid or has expired; sign in again");
            if (route->permission && !allows(*call.user, *route->permission))
                return problemReply(ProblemCode::Forbidden, "your roles do not allow " + request.getMethod() + " " + path);
        }
        return route->handler(call);
    }

    Archive& archive_;
    const std::filesystem::path& webDir_;
    const HttpLimits& limits_;
    Poco::Logger& log_;
    std::uint64_t id_;
};

}  // namespace

HttpApi::HttpApi(Archive& archive, std::filesystem::path webDir, HttpLimits limits, Poco::Logger& accessLog)
    : archive_(archive), webDir_(std::move(webDir)), limits_(limits), accessLog_(accessLog) {}

Poco::Net::HTTPRequestHandler* HttpApi::createRequestHandler(const HTTPServerRequest&) {
    return new ApiRequest(archive_, webDir_, limits_, accessLog_, nextRequestId_++);  // Poco owns it
}

}  // namespace dangan::server
