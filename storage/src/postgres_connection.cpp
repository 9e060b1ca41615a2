// The server engine: one libpq connection to PostgreSQL with its prepared statements.
//
// Statements are written with SQLite's `?` and `?N` placeholders and become `$N` here. Every value
// crosses as text except a digest (binary bytea); an integer is declared int8 and text is left for
// the server to infer from where it is used, as SQLite's loose typing let the repositories assume.
// A statement is prepared on its first run with the types of that run's parameters, and again
// when a later run binds other types. Results are read whole (a repository may run a statement
// while it steps through another's rows on the same connection).

#include <libpq-fe.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <regex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sql_driver.h"

namespace dangan::storage {
namespace {

constexpr Oid kInt8 = 20;
constexpr Oid kBytea = 17;
constexpr Oid kText = 25;
constexpr Oid kInferred = 0;

// Frees a PGresult when it goes.
struct ResultDeleter {
    void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// libpq's message on one line (it spreads a failed connection's reasons over several, with tabs).
std::string oneLine(std::string message) {
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    for (auto& ch : message)
        if (ch == '\n' || ch == '\t') ch = ' ';
    return message;
}

[[noreturn]] void fail(const std::string& what, const PGresult* result, PGconn* conn) {
    std::string message = oneLine(result ? PQresultErrorMessage(result) : PQerrorMessage(conn));
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    // 53100 disk_full, 53200 out_of_memory's kin are the server's; only a full disk is the caller's to wait on.
    if (state && std::strcmp(state, "53100") == 0) throw StorageFullError(what + ": " + message);
    throw StorageError(what + ": " + message);
}

// `sql` in PostgreSQL's words: `?` and `?N` placeholders (outside quoted text) numbered `$N`, and
// SQLite's planner hint INDEXED BY (a choice PostgreSQL's planner makes itself) left out.
struct TranslatedSql {
    std::string text;
    std::vector<bool> used;  // whether parameter N (used[N-1]) appears in the text
};

TranslatedSql translated(std::string_view sql) {
    static const std::regex kIndexedBy(R"( INDEXED BY [A-Za-z_][A-Za-z0-9_]*)");
    std::string unhinted = std::regex_replace(std::string(sql), kIndexedBy, "");
    sql = unhinted;
    std::string out;
    std::vector<bool> used;
    out.reserve(sql.size() + 16);
    int next = 0;
    char quote = 0;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        char ch = sql[i];
        if (quote) {
            out += ch;
            if (ch == quote) quote = 0;
            continue;
        }
        if (ch == '\'' || ch == '"') {
            quote = ch;
            out += ch;
            continue;
        }
        if (ch != '?') {
            out += ch;
            continue;
        }
        std::size_t j = i + 1;
        while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') ++j;
        int number = j > i + 1 ? std::atoi(std::string(sql.substr(i + 1, j - i - 1)).c_str()) : ++next;
        if (j > i + 1) next = number;
        if (number > static_cast<int>(used.size())) used.resize(static_cast<std::size_t>(number), false);
        used[static_cast<std::size_t>(number - 1)] = true;
        out += '$' + std::to_string(number);
        i = j - 1;
    }
    return {out, used};
}

class PostgresConnection;

class PostgresCursor final : public StatementCursor {
public:
    PostgresCursor(PostgresConnection& connection, TranslatedSql sql);

    void bind(int index, std::int64_t value) override { set(index, std::to_string(value), kInt8, 0); }
    void bind(int index, std::string_view value) override { set(index, std::string(value), kInferred, 0); }
    void bind(int index, const Digest& value) override {
        set(index, std::string(reinterpret_cast<const char*>(value.data()), value.size()), kBytea, 1);
    }
    void bindNull(int index) override {
        slot(index);
        auto& p = params_[static_cast<std::size_t>(index - 1)];
        p.isNull = true;
        p.type = kInferred;
    }

    bool step() override;
    void send() override;
    // The pipeline's answers (PostgresConnection::drainPipeline): the statement's rows, or the
    // failure that stands for them, and its preparation.
    void answered(Result answer) { answer_ = std::move(answer); }
    void refused(Result failure, std::string why) {
        failure_ = std::move(failure);
        refusal_ = std::move(why);
    }
    void prepared() {
        if (pendingPrepare_) prepared_.insert(std::move(*pendingPrepare_));
        pendingPrepare_.reset();
    }

    std::int64_t int64(int column) const override {
        if (isNull(column)) return 0;
        const char* v = value(column);
        if (v[0] == 't' && v[1] == 0) return 1;
        if (v[0] == 'f' && v[1] == 0) return 0;
        if (std::strchr(v, '.') || std::strchr(v, 'e')) return static_cast<std::int64_t>(std::strtod(v, nullptr));
        return std::strtoll(v, nullptr, 10);
    }
    std::string text(int column) const override {
        if (isNull(column)) return {};
        return std::string(value(column), static_cast<std::size_t>(PQgetlength(result_.get(), row_, column)));
    }
    Digest digest(int column) const override {
        Digest d{};
        if (isNull(column)) return d;
        // bytea in text form: \x followed by two hex digits a byte.
        const char* v = value(column);
        if (std::strlen(v) != 2 + 2 * d.size() || v[0] != '\\' || v[1] != 'x') return d;
        for (std::size_t i = 0; i < d.size(); ++i) {
            char pair[3] = {v[2 + 2 * i], v[3 + 2 * i], 0};
            d[i] = static_cast<std::uint8_t>(std::strtoul(pair, nullptr, 16));
        }
        return d;
    }
    bool isNull(int column) const override { return PQgetisnull(result_.get(), row_, column) != 0; }
    void reset() override;

private:
    void clear() {
        result_.reset();
        ran_ = false;
        row_ = -1;
        for (auto& p : params_) p = Parameter{};
    }
    struct Parameter {
        std::string value;
        Oid type = kInferred;
        int format = 0;
        bool isNull = true;
    };
    void slot(int index) {
        if (index < 1 || index > static_cast<int>(params_.size()))
            throw StorageError("parameter " + std::to_string(index) + " out of range in \"" + sql_ + "\"");
    }
    void set(int index, std::string value, Oid type, int format) {
        slot(index);
        params_[static_cast<std::size_t>(index - 1)] = Parameter{std::move(value), type, format, false};
    }
    const char* value(int column) const { return PQgetvalue(result_.get(), row_, column); }
    struct Parameters {
        std::vector<Oid> types;
        std::vector<const char*> values;
        std::vector<int> lengths, formats;
    };
    Parameters parameters() const;
    // Runs the statement now, waiting for its answer (no pipeline).
    void runNow();
    // Takes the answer the pipeline brought.
    void takeAnswer();
    // The name the statement is prepared under for these parameter types on the connection as
    // it is now (none when a reconnection forgot it, or it never was).
    const std::string* preparedName(const std::vector<Oid>& types);

    PostgresConnection& connection_;
    std::string sql_;
    std::vector<bool> used_;
    std::vector<Parameter> params_;
    // Prepared names by the types of their parameters, and the connection's life they belong to.
    std::map<std::vector<Oid>, std::string> prepared_;
    int preparedIn_ = -1;
    Result result_;
    bool ran_ = false;
    int row_ = -1;
    // Sent in a pipeline and not answered yet (send), and what the pipeline answered.
    bool sent_ = false;
    std::optional<std::pair<std::vector<Oid>, std::string>> pendingPrepare_;
    Result answer_;
    Result failure_;
    std::string refusal_;
};

class PostgresConnection final : public Connection {
public:
    PostgresConnection(const std::string& url, const Clock& clock) : Connection(clock), conn_(PQconnectdb(url.c_str())) {
        if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
            std::string message = oneLine(conn_ ? PQerrorMessage(conn_) : "out of memory");
            PQfinish(conn_);
            conn_ = nullptr;
            throw StorageError("cannot connect to the database: " + message);
        }
        configure();
    }
    ~PostgresConnection() override {
        cache_.clear();
        PQfinish(conn_);
    }
    PostgresConnection(const PostgresConnection&) = delete;
    PostgresConnection& operator=(const PostgresConnection&) = delete;

    void exec(std::string_view sql) override {
        settle();
        if (!deferredBegin_.empty()) {
            // A read transaction that ran no statement: nothing to begin or end.
            if (sql == "COMMIT" || sql == "ROLLBACK") {
                deferredBegin_.clear();
                return;
            }
            std::string begin = takeDeferredBegin();
            exec(begin);
        }
        ensureConnected();
        Result r(PQexec(conn_, std::string(sql).c_str()));
        auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
            fail("SQL failed (" + std::string(sql.substr(0, 60)) + ")", r.get(), conn_);
    }

    Statement prepare(std::string_view sql) override {
        std::string key(sql);
        auto it = cache_.find(key);
        if (it == cache_.end()) {
            it = cache_.emplace(std::move(key), std::make_unique<PostgresCursor>(*this, translated(sql))).first;
        }
        return Statement(it->second.get());
    }

    std::int64_t lastInsertRowId() override {
        settle();
        Result r(PQexec(conn_, "SELECT lastval()"));
        if (!r || PQresultStatus(r.get()) != PGRES_TUPLES_OK) fail("last inserted key", r.get(), conn_);
        return std::strtoll(PQgetvalue(r.get(), 0, 0), nullptr, 10);
    }
    int changes() const override { return changes_; }
    Dialect dialect() const override { return Dialect::Postgresql; }

    void copyIn(std::string_view table, const std::vector<std::string>& columns,
                const std::function<bool(CopyRow&)>& next) override {
        std::string names;
        for (const auto& column : columns) names += (names.empty() ? "" : ", ") + column;
        settle();
        const std::string what = "copy rows into " + std::string(table);
        Result started(PQexec(conn_, ("COPY " + std::string(table) + "(" + names + ") FROM STDIN").c_str()));
        if (!started || PQresultStatus(started.get()) != PGRES_COPY_IN) fail(what, started.get(), conn_);
        std::string buffer;
        auto send = [&] {
            if (PQputCopyData(conn_, buffer.data(), static_cast<int>(buffer.size())) != 1) fail(what, nullptr, conn_);
            buffer.clear();
        };
        try {
            CopyRow row;
            for (;;) {
                row.assign(columns.size(), std::nullopt);
                if (!next(row)) break;
                for (std::size_t i = 0; i < row.size(); ++i) {
                    if (i) buffer += '\t';
                    if (!row[i]) {
                        buffer += "\\N";
                        continue;
                    }
                    // COPY's text format: a backslash, tab, newline or carriage return escaped.
                    for (char ch : *row[i]) {
                        switch (ch) {
                            case '\\': buffer += "\\\\"; break;
                            case '\t': buffer += "\\t"; break;
                            case '\n': buffer += "\\n"; break;
                            case '\r': buffer += "\\r"; break;
                            default: buffer += ch;
                        }
                    }
                }
                buffer += '\n';
                if (buffer.size() > (1u << 20)) send();
            }
            if (!buffer.empty()) send();
        } catch (...) {
            // The server is told the copy is abandoned, so the connection can roll back.
            PQputCopyEnd(conn_, "abandoned by the client");
            while (Result r{PQgetResult(conn_)}) {
            }
            throw;
        }
        if (PQputCopyEnd(conn_, nullptr) != 1) fail(what, nullptr, conn_);
        Result done(PQgetResult(conn_));
        bool ok = done && PQresultStatus(done.get()) == PGRES_COMMAND_OK;
        std::string failure = ok ? "" : oneLine(done ? PQresultErrorMessage(done.get()) : PQerrorMessage(conn_));
        while (Result r{PQgetResult(conn_)}) {
        }
        if (!ok) throw StorageError(what + ": " + failure);
    }

    void beginRead(std::string_view sql) override { deferredBegin_ = sql; }
    void endRead() override {
        if (!deferredBegin_.empty()) {  // a read transaction that ran no statement
            deferredBegin_.clear();
            return;
        }
        settle();
        if (PQstatus(conn_) != CONNECTION_OK) return;  // nothing to end: the next BEGIN reconnects
        if (PQsendQuery(conn_, "COMMIT") != 1) fail("end a read", nullptr, conn_);
        commitPending_ = true;
    }
    void beginAlone() override { alone_ = true; }
    // Whether a read transaction's BEGIN waits to go with the next statement.
    bool beginWaits() const { return !deferredBegin_.empty(); }
    // Whether statements sent ahead wait in an open pipeline for their answers.
    bool pipelineWaits() const { return pipelineOpen_; }

    // ---- statements sent together (Statement::send), answered together ----
    // Puts `cursor`'s statement in the open pipeline (opening one): the transaction's BEGIN when
    // one waits, the statement's preparation when it is new (`prepareSql`), and the statement.
    void pipe(const std::string& begin, const std::string* prepareSql, const std::string& name, const std::vector<Oid>& types,
              const std::vector<const char*>& values, const std::vector<int>& lengths, const std::vector<int>& formats,
              PostgresCursor* cursor) {
        if (!pipelineOpen_) {
            if (PQenterPipelineMode(conn_) != 1) fail("open a pipeline", nullptr, conn_);
            pipelineOpen_ = true;
        }
        const int n = static_cast<int>(types.size());
        bool sent = (begin.empty() || PQsendQueryParams(conn_, begin.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) == 1) &&
                    (!prepareSql || PQsendPrepare(conn_, name.c_str(), prepareSql->c_str(), n, types.data()) == 1) &&
                    PQsendQueryPrepared(conn_, name.c_str(), n, values.data(), lengths.data(), formats.data(), 0) == 1;
        if (!begin.empty()) inFlight_.push_back({nullptr, InFlight::Begin});
        if (prepareSql) inFlight_.push_back({cursor, InFlight::Prepare});
        inFlight_.push_back({cursor, InFlight::Query});
        if (!sent && pipelineFailure_.empty()) pipelineFailure_ = oneLine(PQerrorMessage(conn_));
    }
    // Sends the open pipeline's end and hands every statement in it its answer, in order. A
    // statement after one that failed is refused (the server ran none of them).
    void drainPipeline() {
        if (!pipelineOpen_) return;
        pipelineOpen_ = false;
        std::string broken = std::exchange(pipelineFailure_, {});
        if (broken.empty() && PQpipelineSync(conn_) != 1) broken = oneLine(PQerrorMessage(conn_));
        std::string firstFailure;  // what made the server skip the statements after it
        for (const auto& entry : inFlight_) {
            Result answer;
            if (broken.empty()) {
                // A command's answer, then a null result that ends it.
                while (Result r{PQgetResult(conn_)}) answer = std::move(r);
                if (!answer) broken = "the server went away: " + oneLine(PQerrorMessage(conn_));
            }
            auto status = answer ? PQresultStatus(answer.get()) : PGRES_FATAL_ERROR;
            bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
            if (answer && !ok && status != PGRES_PIPELINE_ABORTED && firstFailure.empty())
                firstFailure = oneLine(PQresultErrorMessage(answer.get()));
            if (!entry.cursor) continue;  // the BEGIN: a failure shows in the statements after it
            if (entry.kind == InFlight::Prepare) {
                if (ok) entry.cursor->prepared();
            } else if (ok) {
                entry.cursor->answered(std::move(answer));
            } else if (!broken.empty()) {
                entry.cursor->refused({}, broken);
            } else if (status == PGRES_PIPELINE_ABORTED) {
                entry.cursor->refused({}, "not run, as a statement sent before it failed: " + firstFailure);
            } else {
                entry.cursor->refused(std::move(answer), "");
            }
        }
        inFlight_.clear();
        if (broken.empty())
            while (Result r{PQgetResult(conn_)})
                if (PQresultStatus(r.get()) == PGRES_PIPELINE_SYNC) break;
        PQexitPipelineMode(conn_);
    }
    // True once: the statement about to run runs alone (see beginAlone).
    bool takeAlone() { return std::exchange(alone_, false); }
    // Answers what was sent and not answered yet: the open pipeline, and a COMMIT sent without
    // waiting (endRead), whose outcome changes nothing (the transaction only read, and a
    // connection the server dropped is opened again before the next transaction).
    void settle() {
        drainPipeline();
        settleCommit();
    }
    void settleCommit() {
        if (!commitPending_) return;
        commitPending_ = false;
        while (Result r{PQgetResult(conn_)}) {
        }
    }
    // The BEGIN to send with the next statement (empty when none waits); taking it clears it.
    std::string takeDeferredBegin() { return std::exchange(deferredBegin_, {}); }

    // A transaction begins on a live connection: one the server dropped (a restart, a failover)
    // is opened again, and its statements are prepared again on their next run.
    void ensureConnected() {
        settle();
        if (PQstatus(conn_) == CONNECTION_OK) return;
        PQreset(conn_);
        if (PQstatus(conn_) != CONNECTION_OK) fail("reconnect to the database", nullptr, conn_);
        ++life_;
        configure();
    }

    PGconn* raw() { return conn_; }
    int life() const { return life_; }
    std::string nextName() { return "s" + std::to_string(++statements_); }
    // Counts the rows an INSERT, UPDATE or DELETE changed; a query leaves the count as it was.
    void ran(PGresult* r) {
        std::string_view command = PQcmdStatus(r);
        if (command.starts_with("INSERT") || command.starts_with("UPDATE") || command.starts_with("DELETE"))
            changes_ = std::atoi(PQcmdTuples(r));
    }

private:
    void configure() {
        // The server's notices (CREATE … IF NOT EXISTS skipping, and the like) are not errors:
        // libpq would print them on stderr.
        PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
        Result r(PQexec(conn_, "SET client_encoding = 'UTF8'; SET standard_conforming_strings = on"));
        if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) fail("configure the connection", r.get(), conn_);
    }

    PGconn* conn_;
    std::string deferredBegin_;
    bool commitPending_ = false;  // a read's COMMIT sent, its answer not read yet
    bool alone_ = false;
    struct InFlight {
        PostgresCursor* cursor;
        enum Kind { Begin, Prepare, Query } kind;
    };
    bool pipelineOpen_ = false;
    std::vector<InFlight> inFlight_;
    std::string pipelineFailure_;  // why sending into the open pipeline failed
    std::unordered_map<std::string, std::unique_ptr<PostgresCursor>> cache_;
    int changes_ = 0;
    int life_ = 0;
    int statements_ = 0;
};

PostgresCursor::PostgresCursor(PostgresConnection& connection, TranslatedSql sql)
    : connection_(connection), sql_(std::move(sql.text)), used_(std::move(sql.used)), params_(used_.size()) {}

PostgresCursor::Parameters PostgresCursor::parameters() const {
    Parameters p;
    for (std::size_t i = 0; i < params_.size(); ++i) {
        const auto& param = params_[i];
        // A parameter the text leaves out (a filter not asked for) gives the server nothing to
        // infer its type from: text, as it was bound or left null.
        p.types.push_back(param.type == kInferred && !used_[i] ? kText : param.type);
        p.values.push_back(param.isNull ? nullptr : param.value.data());
        p.lengths.push_back(static_cast<int>(param.value.size()));
        p.formats.push_back(param.format);
    }
    return p;
}

void PostgresCursor::send() {
    if (ran_ || sent_) return;
    connection_.settleCommit();
    const std::string begin = connection_.takeDeferredBegin();
    // A connection the server dropped is opened again only where no transaction was under way:
    // at a transaction's first statement, or a statement run alone.
    if (connection_.takeAlone() || !begin.empty()) {
        connection_.drainPipeline();
        connection_.ensureConnected();
    }
    auto p = parameters();
    const std::string* known = preparedName(p.types);
    const bool prepare = known == nullptr;
    std::string name = prepare ? connection_.nextName() : *known;
    if (prepare) pendingPrepare_.emplace(p.types, name);
    sent_ = true;
    connection_.pipe(begin, prepare ? &sql_ : nullptr, name, p.types, p.values, p.lengths, p.formats, this);
}

void PostgresCursor::takeAnswer() {
    connection_.drainPipeline();
    sent_ = false;
    pendingPrepare_.reset();
    Result failure = std::move(failure_);
    std::string why = std::exchange(refusal_, {});
    result_ = std::move(answer_);
    if (!result_) {
        if (!why.empty()) throw StorageError("step \"" + sql_ + "\": " + why);
        fail("step \"" + sql_ + "\"", failure.get(), connection_.raw());
    }
}

void PostgresCursor::runNow() {
    connection_.settle();
    if (connection_.takeAlone()) connection_.ensureConnected();
    PGconn* conn = connection_.raw();
    auto p = parameters();
    const std::string* name = preparedName(p.types);
    if (!name) {
        std::string made = connection_.nextName();
        Result answer(PQprepare(conn, made.c_str(), sql_.c_str(), static_cast<int>(p.types.size()), p.types.data()));
        if (!answer || PQresultStatus(answer.get()) != PGRES_COMMAND_OK) fail("prepare \"" + sql_ + "\"", answer.get(), conn);
        name = &prepared_.emplace(p.types, std::move(made)).first->second;
    }
    result_.reset(PQexecPrepared(conn, name->c_str(), static_cast<int>(p.values.size()), p.values.data(),
                                 p.lengths.data(), p.formats.data(), 0));
}

const std::string* PostgresCursor::preparedName(const std::vector<Oid>& types) {
    if (preparedIn_ != connection_.life()) {
        prepared_.clear();
        preparedIn_ = connection_.life();
    }
    auto found = prepared_.find(types);
    return found == prepared_.end() ? nullptr : &found->second;
}

bool PostgresCursor::step() {
    if (!ran_) {
        // A read transaction's first statement goes in one pipeline with its BEGIN (and its
        // preparation when it is new): one round trip. So does a statement sent earlier, and one
        // stepped while statements sent ahead of it wait for their answers (it would run after
        // them anyway; joining them saves the round trip of its own).
        if (!sent_ && (connection_.beginWaits() || connection_.pipelineWaits())) send();
        ran_ = true;
        if (sent_) takeAnswer();
        else runNow();
        auto status = result_ ? PQresultStatus(result_.get()) : PGRES_FATAL_ERROR;
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail("step \"" + sql_ + "\"", result_.get(), connection_.raw());
        connection_.ran(result_.get());
        row_ = -1;
    }
    if (!result_ || PQresultStatus(result_.get()) != PGRES_TUPLES_OK) return false;
    ++row_;
    return row_ < PQntuples(result_.get());
}

void PostgresCursor::reset() {
    // A statement sent and never stepped: its answer is read (and dropped) before it is used again.
    if (sent_) {
        connection_.drainPipeline();
        sent_ = false;
        pendingPrepare_.reset();
        answer_.reset();
        failure_.reset();
        refusal_.clear();
    }
    clear();
}

}  // namespace

bool isPostgresUrl(std::string_view url) {
    return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

std::unique_ptr<Connection> openPostgresConnection(const std::string& url, const Clock& clock) {
    return std::make_unique<PostgresConnection>(url, clock);
}

}  // namespace dangan::storage
