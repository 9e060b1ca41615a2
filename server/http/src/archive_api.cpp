// The archive's own endpoints: sign-in, the counter (customers, e-files, documents, pages, search),
// filing and the scanning desk (uploads, printing, batches, review), users and the audit log.
// Thin handlers: read the input, call one desk, shape the reply.
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPServerRequest.h>

#include <sstream>

#include "dangan/http/customer_import.h"
#include "dangan/desks/process_catalog.h"
#include "dangan/http/json_views.h"
#include "dangan/scanner/scan_file.h"
#include "http_call.h"
#include "reading_api.h"
#include "upload_parts.h"

namespace dangan::server {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;
using Poco::Net::HTTPServerRequest;

// The page named by the path's {id}.
Outcome<storage::Page> pageParam(Call& call) {
    auto id = idParam(call, "id");
    if (!id) return fail(ProblemCode::BadRequest, "page id must be a positive number");
    return call.desks.customerFiles.page(*id);
}

std::string clientOf(const HTTPServerRequest& r) { return r.clientAddress().host().toString(); }

// ---- handlers: each reads its input, calls one service, shapes the reply ----

// 503 while the data folder's disk is below its reserve: a load balancer or a monitor sees a node
// that cannot take uploads.
Reply health(Call& call) {
    Object::Ptr o = new Object;
    std::error_code ec;
    auto space = std::filesystem::space(call.desks.uploads.staging, ec);
    bool full = !ec && space.available < call.desks.uploads.reserveBytes;
    o->set("status", full ? "disk_full" : "ok");
    o->set("schema_version", call.desks.schemaVersion());
    if (!ec) o->set("disk_free_bytes", static_cast<Poco::UInt64>(space.available));
    return jsonReply(full ? 503 : 200, o);
}

// A user as they see themselves: with whether the duties are separated, by which the web shows the
// first set-up's admin only the rules once a security administrator exists.
Object::Ptr ownUser(Call& call, const storage::User& user) {
    auto o = json::user(user);
    o->set("duties_separated", call.desks.users.dutiesSeparated());
    return o;
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
    o->set("user", ownUser(call, in->user));
    return jsonReply(200, o);
}

// POST /api/me/password {"current", "new"}: one's own new password (the one an administrator set
// must be changed so before anything else opens). The user as now.
Reply changeOwnPassword(Call& call) {
    auto body = call.jsonObject();
    if (!body) return problemReply(body.error());
    auto current = textField(*body, "current");
    auto next = textField(*body, "new");
    for (const auto* field : {&current, &next})
        if (!*field) return problemReply(field->error());
    if (!*current || !*next) return problemReply(ProblemCode::BadRequest, "give the current password and the new one");
    if (auto confirmed = call.desks.authenticator.confirmPassword(*call.user, **current, clientOf(call.http)); !confirmed)
        return problemReply(confirmed.error());
    return outcomeReply(200, call.desks.users.changeOwnPassword(*call.user, **current, **next, tokenDigest(call.token)),
                        [&](const storage::User& user) { return ownUser(call, user); });
}

// POST /api/logout; ?everywhere=true ends every session of the user (a phone lost, a counter PC
// left signed in).
Reply logout(Call& call) {
    if (call.query("everywhere") == "true") call.desks.authenticator.signOutEverywhere(*call.user, call.actor());
    else call.desks.authenticator.logout(call.token, *call.user);
    return Reply{204, "text/plain", "", {}};
}

// DELETE /api/users/{id}/sessions: an administrator signs a user out everywhere. {"closed": n}.
Reply signUserOut(Call& call) {
    auto id = idParam(call, "id");
    if (!id) return problemReply(ProblemCode::BadRequest, "user id must be a positive number");
    auto user = call.desks.users.find(*id);
    if (!user) return problemReply(user.error());
    Object::Ptr o = new Object;
    o->set("closed", call.desks.authenticator.signOutEverywhere(*user, call.actor()));
    return jsonReply(200, o);
}

Reply me(Call& call) { return jsonReply(200, ownUser(call, *call.user)); }

// GET /api/units: {"units": [names]}.
Reply unitList(Call& call) {
    Array::Ptr list = new Array;
    for (const auto& name : call.desks.customerFiles.units()) list->add(name);
    Object::Ptr o = new Object;
    o->set("units", list);
    return jsonReply(200, o);
}

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
    documentJson.set("paper_place", shown.paperPlace);
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
    std::string q = call.query("q"), docType = call.query("doc_type");
    if (q.find_first_not_of(" \t") == std::string::npos && docType.empty())
        return problemReply(ProblemCode::BadRequest, "query parameter q (or doc_type) is required");
    if (q.size() > 200) return problemReply(ProblemCode::BadRequest, "query parameter q is too long");
    auto limit = positiveNumber(call.query("limit", "20"), 100);
    if (!limit) return problemReply(ProblemCode::BadRequest, "limit must be a number from 1 to 100");
    SearchResult found;
    if (docType.empty()) {
        found = call.desks.customerFiles.search(q, static_cast<int>(*limit));
    } else {
        auto narrowed = call.desks.customerFiles.search(q, docType, static_cast<int>(*limit));
        if (!narrowed) return problemReply(narrowed.error());
        found = std::move(*narrowed);
    }
    Array::Ptr list = new Array;
    for (const auto& c : found.customers) list->add(json::customer(c, true));
    Object::Ptr o = new Object;
    o->set("customers", list);
    o->set("pages", pageHitsJson(found.pages, q));
    return jsonReply(200, o);
}

// Streams every part named "files" into the image store's staging area as it arrives.
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
    NewUser user{username->value_or(""), displayName->value_or(""), password->value_or(""), *roles, "", "", ""};
    for (auto [target, name] : {std::pair{&user.unit, "unit"}, {&user.team, "team"}, {&user.email, "email"}}) {
        auto field = textField(*body, name);
        if (!field) return problemReply(field.error());
        *target = Poco::trim(field->value_or(""));
    }
    auto mustChange = boolField(*body, "must_change_password");
    if (!mustChange) return problemReply(mustChange.error());
    user.mustChangePassword = mustChange->value_or(true);
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
    for (auto [target, name] : {std::pair{&edit.unit, "unit"}, {&edit.team, "team"}, {&edit.email, "email"}}) {
        auto field = textField(*body, name);
        if (!field) return problemReply(field.error());
        if (*field) *target = Poco::trim(**field);
    }
    auto mustChange = boolField(*body, "must_change_password");
    if (!mustChange) return problemReply(mustChange.error());
    edit.mustChangePassword = *mustChange;
    auto unlock = boolField(*body, "unlock");
    if (!unlock) return problemReply(unlock.error());
    edit.unlock = unlock->value_or(false);
    auto disabled = boolField(*body, "disabled");
    if (!disabled) return problemReply(disabled.error());
    edit.disabled = *disabled;
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

// GET /api/audit/export?after=ID&limit=N: the log from after entry ID, oldest first, one JSON
// entry a line (application/x-ndjson), hashes included, for a collector (a SIEM's agent) that
// reads on from the last id it has. Itself recorded.
Reply auditExport(Call& call) {
    storage::AuditQuery q;
    q.afterId = 0;
    if (auto text = call.query("after"); !text.empty() && text != "0") {
        q.afterId = positiveNumber(text);
        if (!q.afterId) return problemReply(ProblemCode::BadRequest, "after must be an entry id (a positive number) or 0");
    }
    auto limit = positiveNumber(call.query("limit", "1000"), 10000);
    if (!limit) return problemReply(ProblemCode::BadRequest, "limit must be a number from 1 to 10000");
    q.limit = static_cast<int>(*limit);
    call.desks.trail.recordView(call.actor(), "audit_log.export", "audit_log", std::to_string(*q.afterId));
    std::string lines;
    for (const auto& e : call.desks.trail.entries(q)) lines += stringify(json::auditEntry(e)) + "\n";
    return Reply{200, "application/x-ndjson; charset=utf-8", std::move(lines), {}};
}

}  // namespace

std::vector<RouteSpec> archiveRoutes() {
    using enum Permission;
    return {
        {"GET", "/api/health", std::nullopt, false, health},
        {"POST", "/api/login", std::nullopt, false, login},
        {"POST", "/api/logout", std::nullopt, true, logout},
        {"GET", "/api/me", std::nullopt, true, me},
        {"POST", "/api/me/password", std::nullopt, true, changeOwnPassword},
        {"GET", "/api/processes", ReadArchive, true, processCatalog},
        {"GET", "/api/units", ReadArchive, true, unitList},
        {"POST", "/api/customers", ImportCustomers, true, importCustomers},
        {"GET", "/api/customers/{account_no}", ReadArchive, true, getCustomer},
        {"GET", "/api/customers/{account_no}/efile", ReadArchive, true, customerFile},
        {"GET", "/api/search", ReadArchive, true, search},
        {"POST", "/api/scans", FileDocuments, true, fileScans},
        {"GET", "/api/documents/{id}", ReadArchive, true, getDocument},
        {"GET", "/api/pages/{id}/image", ReadArchive, true, pageImage},
        {"GET", "/api/pages/{id}/thumbnail", ReadArchive, true, pageThumbnail},
        {"GET", "/api/pages/{id}/preview", ReadArchive, true, pagePreview},
        {"GET", "/api/print/cover-sheet", FileDocuments, true, printCoverSheet},
        {"GET", "/api/print/separator", FileDocuments, true, printSeparator},
        {"GET", "/api/print/labels", KeepPaper, true, printLabels},
        {"POST", "/api/batches", FileDocuments, true, receiveBatch},
        {"GET", "/api/batches", FileDocuments, true, listBatches},
        {"GET", "/api/batches/{id}", FileDocuments, true, getBatch},
        {"GET", "/api/review", CurateArchive, true, reviewQueue},
        {"GET", "/api/review/{id}/preview", CurateArchive, true, reviewPreview},
        {"POST", "/api/review/{id}", CurateArchive, true, resolveReview},
        {"GET", "/api/users", ManageUsers, true, listUsers},
        {"POST", "/api/users", ManageUsers, true, createUser},
        {"PATCH", "/api/users/{id}", ManageUsers, true, changeUser},
        {"DELETE", "/api/users/{id}/sessions", ManageUsers, true, signUserOut},
        {"GET", "/api/audit", ReadAuditLog, true, auditLog},
        {"GET", "/api/audit/export", ReadAuditLog, true, auditExport},
    };
}

}  // namespace dangan::server
