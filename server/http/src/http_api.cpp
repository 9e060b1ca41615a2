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
    return call.desks.customerFiles.page(*id);
}

std::string clientOf(const HTTPServerRequest& r) { return r.clientAddress().host().toString(); }

// ---- handlers: each reads its input, calls one service, shapes the reply ----

Reply health(Call& call) {
    Object::Ptr o = new Object;
    o->set("status", "ok");
    o->set("schema_version", call.desks.schemaVersion());
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
    auto in = call.desks.authenticator.login(**username, **password, clientOf(call.http));
    if (!in) return problemReply(in.error());
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("token", in->token);
    o->set("expires_at", json::isoTime(in->expiresAt));
    o->set("user", json::user(in->user));
    return jsonReply(200, o);
}

Reply logout(Call& call) {
    call.desks.authenticator.logout(call.token, *call.user);
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
    auto outcome = call.desks.customerFiles.importCustomers(batch->rows, call.actor());
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

Poco::Dynamic::Var loanNotice(const std::optional<storage::ItemOut>& out) {
    return out ? Poco::Dynamic::Var(json::itemOut(*out)) : Poco::Dynamic::Var();
}

// The paper notice and the pages' readings the e-file and the document view show alike.
void addShown(const DocumentShown& shown, Object& documentJson) {
    documentJson.set("paper_code", shown.paperCode);
    documentJson.set("paper_on_loan", loanNotice(shown.paperOnLoan));
    addReadings(shown, documentJson);
}

Reply getCustomer(Call& call) {
    const auto& accountNo = call.params.at("account_no");
    auto customer = call.desks.customerFiles.customer(accountNo);
    if (!customer) return problemReply(customer.error());
    recordView(call, "customer.view", "customer", accountNo);
    return jsonReply(200, json::customer(*customer, false));
}

Reply customerFile(Call& call) {
    const auto& accountNo = call.params.at("account_no");
    auto file = call.desks.customerFiles.open(accountNo);
    if (!file) return problemReply(file.error());
    recordView(call, "efile.view", "customer", accountNo);
    Object::Ptr view = json::customerFile(*file);
    view->set("volume_on_loan", loanNotice(file->volumeOnLoan));
    auto categories = view->getArray("categories");
    for (std::size_t c = 0; c < file->categories.size(); ++c) {
        auto docs = categories->getObject(static_cast<unsigned>(c))->getArray("documents");
        for (std::size_t d = 0; d < file->categories[c].documents.size(); ++d)
            addShown(file->shown.at(file->categories[c].documents[d].id), *docs->getObject(static_cast<unsigned>(d)));
    }
    return jsonReply(200, view);
}

Reply search(Call& call) {
    std::string q = call.query("q");
    if (q.find_first_not_of(" \t") == std::string::npos) return problemReply(ProblemCode::BadRequest, "query parameter q is required");
    if (q.size() > 200) return problemReply(ProblemCode::BadRequest, "query parameter q is too long");
    auto limit = positiveNumber(call.query("limit", "20"), 100);
    if (!limit) return problemReply(ProblemCode::BadRequest, "limit must be a number from 1 to 100");
    auto found = call.desks.customerFiles.search(q, static_cast<int>(*limit));
    Array::Ptr list = new Array;
    for (const auto& c : found.customers) list->add(json::customer(c, true));
    Object::Ptr o = new Object;
    o->set("customers", list);
    o->set("pages", pageHitsJson(found.pages, q));
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
    ScanParts parts(call.desks.uploads.staging, call.desks.uploads.maxFileBytes,
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
    auto filed = call.desks.filing.file(std::move(request), call.actor());
    if (!filed) return problemReply(filed.error());
    Reply r = jsonReply(201, json::document(*filed));
    r.headers.emplace_back("Location", "/api/documents/" + std::to_string(filed->id));
    return r;
}

Reply getDocument(Call& call) {
    auto id = idParam(call, "id");
    if (!id) return problemReply(ProblemCode::BadRequest, "document id must be a positive number");
    auto view = call.desks.customerFiles.document(*id);
    if (!view) return problemReply(view.error());
    Object::Ptr o = json::document(view->document);
    // The same page fields and paper notice the e-file shows, so one viewer serves both.
    addShown(view->shown, *o);
    Array::Ptr versions = new Array;
    for (const auto& v : view->versions) {
        Object::Ptr brief = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        brief->set("id", v.id);
        brief->set("version", v.version);
        brief->set("archived_at", json::isoTime(v.archivedAt));
        brief->set("archived_by", v.archivedByName);
        brief->set("note", v.note);
        versions->add(brief);
    }
    o->set("versions", versions);
    recordView(call, "document.view", "document", std::to_string(view->document.id));
    return jsonReply(200, o);
}

Reply pageImage(Call& call) {
    auto page = pageParam(call);
    if (!page) return problemReply(page.error());
    // The cleaned page when there is one; ?original=1 for the bytes as scanned.
    auto image = call.desks.customerFiles.pageImage(*page, call.query("original") == "1");
    if (!image) return problemReply(image.error());
    Reply r{200, "", std::move(image->bytes), {}};
    r.contentType = scanner::scanMediaTypeOf(r.body);
    r.headers.emplace_back("Cache-Control", "private, max-age=31536000, immutable");
    r.headers.emplace_back("ETag", "\"" + storage::toHex(image->digest) + "\"");
    recordView(call, "page.view", "page", std::to_string(page->id));
    return r;
}

Reply pageRendering(Call& call, Rendering rendering) {
    auto page = pageParam(call);
    if (!page) return problemReply(page.error());
    auto jpeg = call.desks.renderings.jpeg(*page, rendering);
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
    if (call.query("account_no").empty()) return problemReply(ProblemCode::BadRequest, "query parameter account_no is required");
    return pdfReply(call.desks.printing.coverSheet(call.query("account_no"), call.query("process"), call.query("application_no"),
                                                   *call.user));
}

Reply printSeparator(Call& call) {
    if (call.query("doc_type").empty())
        return problemReply(ProblemCode::BadRequest, "query parameter doc_type is required (a document type, or 'all')");
    return pdfReply(call.desks.printing.separators(call.query("doc_type")));
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
    LabelRequest request{splitList(call.query("documents")), splitList(call.query("volumes")), splitList(call.query("boxes")),
                         splitList(call.query("shelves")), 0};
    std::string skipText = call.query("skip", "0");
    auto skip = skipText == "0" ? std::optional<std::int64_t>(0) : positiveNumber(skipText, 23);
    if (!skip) return problemReply(ProblemCode::BadRequest, "skip must be a number from 0 to 23 (labels already used on the sheet)");
    request.skip = static_cast<int>(*skip);
    return pdfReply(call.desks.printing.labels(request));
}

Reply receiveBatch(Call& call) {
    Poco::Net::HTMLForm form;
    auto uploads = readScanUpload(call, form);
    if (!uploads) return problemReply(uploads.error());
    auto id = call.desks.batches.receive("upload", form.get("name", ""), form.get("process_id", ""),
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
    return outcomeReply(200, call.desks.batches.batch(*id), [](const storage::Batch& b) { return json::batch(b, true); });
}

Reply listBatches(Call& call) {
    auto limit = positiveNumber(call.query("limit", "20"), 200);
    if (!limit) return problemReply(ProblemCode::BadRequest, "limit must be a number from 1 to 200");
    auto batches = call.desks.batches.recent(call.query("source", ""), static_cast<int>(*limit));
    if (!batches) return problemReply(batches.error());
    Array::Ptr list = new Array;
    for (const auto& b : *batches) list->add(json::batch(b, false));
    Object::Ptr o = new Object;
    o->set("batches", list);
    return jsonReply(200, o);
}

Reply reviewQueue(Call& call) {
    auto limit = positiveNumber(call.query("limit", "100"), 500);
    if (!limit) return problemReply(ProblemCode::BadRequest, "limit must be a number from 1 to 500");
    Array::Ptr list = new Array;
    for (const auto& item : call.desks.batches.reviewQueue(static_cast<int>(*limit))) {
        auto o = json::batchPage(item.page);
        addSuggestion(item.suggestion, *o);
        list->add(o);
    }
    Object::Ptr o = new Object;
    o->set("pages", list);
    return jsonReply(200, o);
}

Reply reviewPreview(Call& call) {
    auto id = idParam(call, "id");
    if (!id) return problemReply(ProblemCode::BadRequest, "page id must be a positive number");
    auto page = call.desks.batches.reviewPage(*id);
    if (!page) return problemReply(page.error());
    auto jpeg = page->cleanedSha256
                    ? call.desks.renderings.jpeg(*page->cleanedSha256, 0, Rendering::Preview, "batch page " + call.params.at("id"))
                    : call.desks.renderings.jpeg(page->fileSha256, page->frame, Rendering::Preview, "batch page " + call.params.at("id"));
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
        auto done = call.desks.batches.discard(*id, reason->value_or(""), call.actor());
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
    auto filed = call.desks.batches.resolve(*id, decision, call.actor());
    if (!filed) return problemReply(filed.error());
    return jsonReply(201, json::document(*filed));
}

// ---- users ----

// The roles of a body: an array of role names (checked by the user desk).
Outcome<std::vector<std::string>> rolesFrom(const Object::Ptr& body) {
    auto value = body->get("roles");
    if (value.isEmpty() || value.type() != typeid(Array::Ptr)) return fail(ProblemCode::BadRequest, "roles must be an array of role names");
    std::vector<std::string> roles;
    for (const auto& r : *value.extract<Array::Ptr>()) roles.push_back(r.isString() ? r.convert<std::string>() : "");
    return roles;
}

Reply createUser(Call& call) {
    auto body = call.jsonObject();
    if (!body) return problemReply(body.error());
    auto username = textField(*body, "username");
    auto displayName = textField(*body, "display_name");
    auto password = textField(*body, "password");
    for (const auto* field : {&username, &displayName, &password})
        if (!*field) return problemReply(field->error());
    auto roles = rolesFrom(*body);
    if (!roles) return problemReply(roles.error());
    NewUser user{username->value_or(""), displayName->value_or(""), password->value_or(""), *roles};
    return outcomeReply(201, call.desks.users.create(user, call.actor()), json::user);
}

Reply listUsers(Call& call) {
    Array::Ptr list = new Array;
    for (const auto& u : call.desks.users.list()) list->add(json::user(u));
    Object::Ptr o = new Object;
    o->set("users", list);
    return jsonReply(200, o);
}

Reply changeUser(Call& call) {
    auto id = idParam(call, "id");
    if (!id) return problemReply(ProblemCode::BadRequest, "user id must be a positive number");
    auto body = call.jsonObject();
    if (!body) return problemReply(body.error());
    UserEdit edit;
    auto displayName = textField(*body, "display_name");
    if (!displayName) return problemReply(displayName.error());
    edit.displayName = *displayName;
    auto password = textField(*body, "password");
    if (!password) return problemReply(password.error());
    edit.password = *password;
    if ((*body)->has("roles")) {
        auto roles = rolesFrom(*body);
        if (!roles) return problemReply(roles.error());
        edit.roles = *roles;
    }
    if ((*body)->has("disabled")) {
        auto value = (*body)->get("disabled");
        if (!value.isBoolean()) return problemReply(ProblemCode::BadRequest, "disabled must be true or false");
        edit.disabled = value.convert<bool>();
    }
    return outcomeReply(200, call.desks.users.change(*id, edit, *call.user), json::user);
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
    Array::Ptr list = new Array;
    for (const auto& e : call.desks.trail.entries(q)) list->add(json::auditEntry(e));
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
    ApiRequest(Desks& desks, const std::filesystem::path& webDir, const HttpLimits& limits, Poco::Logger& log,
               std::uint64_t id)
        : desks_(desks), webDir_(webDir), limits_(limits), log_(log), id_(id) {}

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
        Call call{request, desks_, limits_, std::move(params), uri, std::nullopt, ""};
        if (route->signedIn) {
            std::string auth = request.get("Authorization", "");
            if (!auth.starts_with("Bearer ")) return problemReply(ProblemCode::Unauthenticated, "sign in first: send 'Authorization: Bearer <token>' from POST /api/login");
            call.token = auth.substr(7);
            call.user = desks_.authenticator.authenticate(call.token);
            if (!call.user) return problemReply(ProblemCode::Unauthenticated, "the session is invalid or has expired; sign in again");
            if (route->permission && !allows(*call.user, *route->permission))
                return problemReply(ProblemCode::Forbidden, "your roles do not allow " + request.getMethod() + " " + path);
        }
        return route->handler(call);
    }

    Desks& desks_;
    const std::filesystem::path& webDir_;
    const HttpLimits& limits_;
    Poco::Logger& log_;
    std::uint64_t id_;
};

}  // namespace

HttpApi::HttpApi(Desks& desks, std::filesystem::path webDir, HttpLimits limits, Poco::Logger& accessLog)
    : desks_(desks), webDir_(std::move(webDir)), limits_(limits), accessLog_(accessLog) {}

Poco::Net::HTTPRequestHandler* HttpApi::createRequestHandler(const HTTPServerRequest&) {
    return new ApiRequest(desks_, webDir_, limits_, accessLog_, nextRequestId_++);  // Poco owns it
}

}  // namespace dangan::server
