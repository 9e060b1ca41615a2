#include "schema.h"

namespace dangan::storage {

// Never edit a released migration: add a new one.
const std::vector<Migration>& schemaMigrations() {
    static const std::vector<Migration> kMigrations{
        {1, R"sql(
CREATE TABLE customers(
  id          INTEGER PRIMARY KEY,
  account_no  TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  address     TEXT NOT NULL DEFAULT '',
  phone       TEXT NOT NULL DEFAULT '',
  id_number   TEXT NOT NULL DEFAULT '',
  voltage     TEXT NOT NULL DEFAULT '',
  unit        TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX customers_by_name ON customers(name);
-- Search index: rowid = customers.id; the field-marked character bigrams of name, address and
-- phone (see search_text.h), so a phrase of bigrams matches any substring of two or more
-- characters within one field.
CREATE VIRTUAL TABLE customer_search USING fts5(grams, tokenize = 'unicode61');

CREATE TABLE processes(
  id              INTEGER PRIMARY KEY,
  customer_id     INTEGER NOT NULL REFERENCES customers(id),
  type            TEXT NOT NULL,
  application_no  TEXT NOT NULL DEFAULT '',
  started_at      INTEGER NOT NULL
);
CREATE INDEX processes_by_customer ON processes(customer_id, type, application_no);

CREATE TABLE users(
  id             INTEGER PRIMARY KEY,
  username       TEXT NOT NULL UNIQUE,
  display_name   TEXT NOT NULL DEFAULT '',
  password_hash  TEXT NOT NULL,
  roles          TEXT NOT NULL,
  disabled       INTEGER NOT NULL DEFAULT 0,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);

CREATE TABLE documents(
  id            INTEGER PRIMARY KEY,
  customer_id   INTEGER NOT NULL REFERENCES customers(id),
  process_id    INTEGER NOT NULL REFERENCES processes(id),
  doc_type      TEXT NOT NULL,
  lineage_id    INTEGER NOT NULL,           -- id of the first version
  version       INTEGER NOT NULL,
  superseded_by INTEGER REFERENCES documents(id),
  note          TEXT NOT NULL DEFAULT '',
  archived_at   INTEGER NOT NULL,
  archived_by   INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX documents_by_customer ON documents(customer_id, archived_at);
CREATE UNIQUE INDEX documents_by_lineage ON documents(lineage_id, version);

-- The content-addressed image store's catalogue: a row exists only once the bytes are durable.
CREATE TABLE blobs(
  sha256      BLOB PRIMARY KEY,
  byte_size   INTEGER NOT NULL,
  media_type  TEXT NOT NULL,
  stored_at   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE pages(
  id           INTEGER PRIMARY KEY,
  document_id  INTEGER NOT NULL REFERENCES documents(id),
  seq          INTEGER NOT NULL,
  sha256       BLOB NOT NULL REFERENCES blobs(sha256),
  frame        INTEGER NOT NULL DEFAULT 0,   -- page within a multi-page TIFF
  width        INTEGER NOT NULL,
  height       INTEGER NOT NULL,
  dpi          INTEGER
);
CREATE UNIQUE INDEX pages_by_document ON pages(document_id, seq);

CREATE TABLE sessions(
  token_hash  BLOB PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
) WITHOUT ROWID;

-- Append-only; each entry's hash covers its fields and the previous entry's hash.
CREATE TABLE audit_log(
  id           INTEGER PRIMARY KEY,
  at           INTEGER NOT NULL,
  user_id      INTEGER,
  username     TEXT NOT NULL,
  action       TEXT NOT NULL,
  object_type  TEXT NOT NULL,
  object_id    TEXT NOT NULL,
  detail       TEXT NOT NULL,
  prev_hash    BLOB NOT NULL,
  hash         BLOB NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER pages_no_update BEFORE UPDATE ON pages
  BEGIN SELECT RAISE(ABORT, 'archived pages are never changed'); END;
CREATE TRIGGER pages_no_delete BEFORE DELETE ON pages
  BEGIN SELECT RAISE(ABORT, 'archived pages are never deleted'); END;
)sql"},
        {2, R"sql(
-- 档号: every item gets an archive number when filed; its later versions keep it.
ALTER TABLE documents ADD COLUMN archive_no TEXT;
CREATE UNIQUE INDEX documents_by_archive_no ON documents(archive_no, version);
-- The last item number given within each prefix (fonds-category·year-retention-organisation-).
CREATE TABLE archive_sequences(
  prefix  TEXT PRIMARY KEY,
  last    INTEGER NOT NULL
) WITHOUT ROWID;
)sql"},
        {3, R"sql(
-- The scanning desk. A page filed from a scan batch may carry a cleaned image (turned upright,
-- deskewed) beside its original bytes.
ALTER TABLE pages ADD COLUMN cleaned_sha256 BLOB REFERENCES blobs(sha256);
-- Printed cover sheets: their barcodes name the sheet, its customer and process.
CREATE TABLE scan_sheets(
  id              INTEGER PRIMARY KEY,
  customer_id     INTEGER NOT NULL REFERENCES customers(id),
  process_type    TEXT NOT NULL,
  application_no  TEXT NOT NULL DEFAULT '',
  printed_at      INTEGER NOT NULL,
  printed_by      INTEGER NOT NULL REFERENCES users(id)
);
CREATE TABLE batches(
  id           INTEGER PRIMARY KEY,
  state        TEXT NOT NULL,               -- queued, running, done, failed
  source       TEXT NOT NULL,               -- upload, watch
  source_name  TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  created_by   INTEGER NOT NULL REFERENCES users(id),
  finished_at  INTEGER,
  pages_total  INTEGER NOT NULL DEFAULT 0,
  pages_done   INTEGER NOT NULL DEFAULT 0,
  error        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX batches_unfinished ON batches(state) WHERE state IN ('queued', 'running');
CREATE TABLE batch_files(
  id        INTEGER PRIMARY KEY,
  batch_id  INTEGER NOT NULL REFERENCES batches(id),
  seq       INTEGER NOT NULL,
  filename  TEXT NOT NULL,
  sha256    BLOB NOT NULL REFERENCES blobs(sha256),
  outcome   TEXT NOT NULL DEFAULT 'pending',  -- pending, read, failed
  message   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX batch_files_by_batch ON batch_files(batch_id, seq);
CREATE INDEX batch_files_by_sha ON batch_files(sha256);
CREATE TABLE batch_pages(
  id              INTEGER PRIMARY KEY,
  batch_id        INTEGER NOT NULL REFERENCES batches(id),
  seq             INTEGER NOT NULL,
  file_id         INTEGER NOT NULL REFERENCES batch_files(id),
  frame           INTEGER NOT NULL,
  outcome         TEXT NOT NULL,   -- cleaned, cover, separator, blank, filed, review, failed, discarded
  message         TEXT NOT NULL DEFAULT '',
  detail          TEXT NOT NULL DEFAULT '{}',  -- JSON: barcodes, flags, rotation, skew, ink
  cleaned_sha256  BLOB REFERENCES blobs(sha256),
  width           INTEGER NOT NULL DEFAULT 0,
  height          INTEGER NOT NULL DEFAULT 0,
  dpi             INTEGER,
  document_id     INTEGER REFERENCES documents(id),
  in_review       INTEGER NOT NULL DEFAULT 0,
  UNIQUE(batch_id, seq)
);
CREATE INDEX batch_pages_in_review ON batch_pages(in_review) WHERE in_review = 1;
)sql"},
        {4, R"sql(
-- The paper originals. Shelves (架位) hold boxes and volumes at numbered positions; boxes (盒)
-- hold items (件) in the order they were archived; a volume (卷) holds one customer's items.
CREATE TABLE shelves(
  id            INTEGER PRIMARY KEY,
  room          TEXT NOT NULL,
  rack          TEXT NOT NULL,
  face          TEXT NOT NULL,
  level         TEXT NOT NULL,
  capacity      INTEGER NOT NULL CHECK(capacity > 0),
  voltage_area  TEXT NOT NULL CHECK(voltage_area IN ('low', 'high')),
  created_at    INTEGER NOT NULL,
  UNIQUE(room, rack, face, level)
);
CREATE TABLE containers(
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL CHECK(kind IN ('box', 'volume')),
  voltage_area  TEXT NOT NULL CHECK(voltage_area IN ('low', 'high')),
  customer_id   INTEGER REFERENCES customers(id),
  capacity      INTEGER NOT NULL DEFAULT 0,
  items         INTEGER NOT NULL DEFAULT 0,
  closed        INTEGER NOT NULL DEFAULT 0,
  shelf_id      INTEGER REFERENCES shelves(id),
  position      INTEGER,
  in_container  INTEGER REFERENCES containers(id),
  created_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX containers_at_position ON containers(shelf_id, position) WHERE shelf_id IS NOT NULL;
CREATE UNIQUE INDEX volumes_by_customer ON containers(customer_id) WHERE kind = 'volume';
CREATE INDEX open_boxes ON containers(voltage_area, id) WHERE kind = 'box' AND closed = 0;
CREATE TABLE paper_items(
  lineage_id    INTEGER PRIMARY KEY,
  container_id  INTEGER NOT NULL REFERENCES containers(id),
  seq           INTEGER NOT NULL,
  placed_at     INTEGER NOT NULL
);
CREATE INDEX paper_items_by_container ON paper_items(container_id, seq);
CREATE TABLE paper_movements(
  id       INTEGER PRIMARY KEY,
  code     TEXT NOT NULL,
  action   TEXT NOT NULL,      -- boxed, shelved, lent, returned, lost
  place    TEXT NOT NULL,
  loan_id  INTEGER,
  at       INTEGER NOT NULL,
  by       INTEGER REFERENCES users(id)
);
CREATE INDEX paper_movements_by_code ON paper_movements(code, id);
CREATE TABLE loans(
  id            INTEGER PRIMARY KEY,
  requested_by  INTEGER NOT NULL REFERENCES users(id),
  purpose       TEXT NOT NULL,
  wanted_until  TEXT NOT NULL,
  note          TEXT NOT NULL DEFAULT '',
  state         TEXT NOT NULL,   -- requested, approved, rejected, lent, closed
  approved_by   INTEGER REFERENCES users(id),
  approved_at   INTEGER,
  lent_at       INTEGER,
  due_on        TEXT NOT NULL DEFAULT '',
  renewals      INTEGER NOT NULL DEFAULT 0,
  reminders     INTEGER NOT NULL DEFAULT 0,
  closed_at     INTEGER,
  created_at    INTEGER NOT NULL
);
CREATE INDEX loans_by_state ON loans(state, id);
CREATE TABLE loan_items(
  id              INTEGER PRIMARY KEY,
  loan_id         INTEGER NOT NULL REFERENCES loans(id),
  code            TEXT NOT NULL,
  kind            TEXT NOT NULL,
  label           TEXT NOT NULL,
  pages           INTEGER NOT NULL,
  state           TEXT NOT NULL,   -- requested, lent, returned, lost
  lent_at         INTEGER,
  returned_at     INTEGER,
  pages_returned  INTEGER,
  damage          TEXT NOT NULL DEFAULT '',
  UNIQUE(loan_id, code)
);
-- A piece of paper is in one borrower's hands at most: the database itself refuses a second.
CREATE UNIQUE INDEX loan_items_out ON loan_items(code) WHERE state = 'lent';
CREATE TABLE stocktakes(
  id          INTEGER PRIMARY KEY,
  scope       TEXT NOT NULL,
  from_shelf  INTEGER NOT NULL,
  to_shelf    INTEGER NOT NULL,
  state       TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  created_by  INTEGER NOT NULL REFERENCES users(id)
);
CREATE TABLE stocktake_reads(
  stocktake_id  INTEGER NOT NULL REFERENCES stocktakes(id),
  shelf_id      INTEGER NOT NULL,
  codes         TEXT NOT NULL,   -- the codes read on the shelf, one per line, in order
  PRIMARY KEY(stocktake_id, shelf_id)
);
)sql"},
        {5, R"sql(
-- Completeness: the process rules in force, the marketing system's step completions, and the
-- documents each completed step expects in the customer file by its deadline.
CREATE TABLE rule_versions(
  version        INTEGER PRIMARY KEY,
  text           TEXT NOT NULL,
  source         TEXT NOT NULL,      -- the file it came from, or 'api'
  in_force_from  INTEGER NOT NULL,
  created_by     TEXT NOT NULL
);
-- The version a process is judged by: the one in force when it started.
ALTER TABLE processes ADD COLUMN rules_version INTEGER;
CREATE INDEX processes_by_application ON processes(application_no) WHERE application_no <> '';
CREATE INDEX documents_by_filer ON documents(archived_by, archived_at);
CREATE INDEX documents_by_process ON documents(process_id);
-- A batch may name the process instance its pages belong to (when its cover sheet does not).
ALTER TABLE batches ADD COLUMN process_id TEXT NOT NULL DEFAULT '';
CREATE TABLE business_events(
  event_id      TEXT PRIMARY KEY,
  process_id    INTEGER NOT NULL REFERENCES processes(id),
  step          TEXT NOT NULL,
  completed_at  INTEGER NOT NULL,
  staff         TEXT NOT NULL,
  received_at   INTEGER NOT NULL
) WITHOUT ROWID;
-- One row per document a completed step requires; met when a document of that type is filed
-- for the process (lineage_id, filed_at). Process type, unit and staff are copied from the step
-- as it was completed so that audits and dashboards read one table.
CREATE TABLE expectations(
  id                 INTEGER PRIMARY KEY,
  process_id         INTEGER NOT NULL REFERENCES processes(id),
  customer_id        INTEGER NOT NULL REFERENCES customers(id),
  process_type       TEXT NOT NULL,
  unit               TEXT NOT NULL,
  step               TEXT NOT NULL,
  doc_type           TEXT NOT NULL,
  mandatory          INTEGER NOT NULL,
  staff              TEXT NOT NULL,
  step_completed_at  INTEGER NOT NULL,
  due_at             INTEGER NOT NULL,
  lineage_id         INTEGER,
  filed_at           INTEGER,
  UNIQUE(process_id, step, doc_type)
);
CREATE INDEX expectations_open ON expectations(unit, process_type, due_at) WHERE filed_at IS NULL AND mandatory = 1;
CREATE INDEX expectations_open_by_due ON expectations(due_at) WHERE filed_at IS NULL AND mandatory = 1;
-- Open mandatory expectations counted per unit, process type and UTC day of their deadline, kept
-- by triggers: the dashboard adds up whole days and counts only the day or two around now and
-- now + 12 h exactly, instead of reading every open expectation.
CREATE TABLE open_due_days(
  unit          TEXT NOT NULL,
  process_type  TEXT NOT NULL,
  day           INTEGER NOT NULL,     -- due_at / 86400000
  open          INTEGER NOT NULL,
  PRIMARY KEY(unit, process_type, day)
) WITHOUT ROWID;
CREATE TRIGGER expectation_opened AFTER INSERT ON expectations
  WHEN NEW.filed_at IS NULL AND NEW.mandatory = 1 BEGIN
    INSERT OR IGNORE INTO open_due_days VALUES(NEW.unit, NEW.process_type, NEW.due_at / 86400000, 0);
    UPDATE open_due_days SET open = open + 1
      WHERE unit = NEW.unit AND process_type = NEW.process_type AND day = NEW.due_at / 86400000;
  END;
CREATE TRIGGER expectation_met AFTER UPDATE OF filed_at ON expectations
  WHEN OLD.filed_at IS NULL AND NEW.filed_at IS NOT NULL AND OLD.mandatory = 1 BEGIN
    UPDATE open_due_days SET open = open - 1
      WHERE unit = OLD.unit AND process_type = OLD.process_type AND day = OLD.due_at / 86400000;
  END;
CREATE INDEX expectations_open_by_customer ON expectations(customer_id, doc_type) WHERE filed_at IS NULL;
CREATE INDEX expectations_by_lineage ON expectations(lineage_id) WHERE lineage_id IS NOT NULL;
CREATE INDEX expectations_by_staff ON expectations(staff, due_at);

CREATE TABLE audits(
  id            INTEGER PRIMARY KEY,
  filter        TEXT NOT NULL,        -- JSON as requested
  state         TEXT NOT NULL,        -- queued, running, done, failed
  as_of         INTEGER NOT NULL,     -- the instant the archive is judged at
  requested_at  INTEGER NOT NULL,
  requested_by  INTEGER NOT NULL REFERENCES users(id),
  finished_at   INTEGER,
  totals        TEXT NOT NULL DEFAULT '{}',
  error         TEXT NOT NULL DEFAULT ''
);
CREATE TABLE audit_findings(
  audit_id        INTEGER NOT NULL REFERENCES audits(id),
  seq             INTEGER NOT NULL,
  expectation_id  INTEGER NOT NULL REFERENCES expectations(id),
  kind            TEXT NOT NULL,       -- missing, late
  PRIMARY KEY(audit_id, seq)
) WITHOUT ROWID;

-- Quality in three gates: the filer's self-check, the archive collector's review, the audit
-- post's spot check. One row per item (lineage) with where it stands; every verdict is kept.
CREATE TABLE quality_states(
  lineage_id   INTEGER PRIMARY KEY,
  gate         TEXT NOT NULL,          -- self, collect, collected, audited
  filer_id     INTEGER NOT NULL,
  rejections   INTEGER NOT NULL DEFAULT 0,
  last_reason  TEXT NOT NULL DEFAULT '',
  updated_at   INTEGER NOT NULL
);
CREATE INDEX quality_states_by_gate ON quality_states(gate, filer_id);
INSERT INTO quality_states(lineage_id, gate, filer_id, updated_at)
  SELECT lineage_id, 'self', archived_by, archived_at FROM documents WHERE version = 1;
CREATE TABLE quality_reviews(
  id           INTEGER PRIMARY KEY,
  lineage_id   INTEGER NOT NULL,
  gate         TEXT NOT NULL,          -- self, collect, audit
  passed       INTEGER NOT NULL,
  reason       TEXT NOT NULL,
  filer_id     INTEGER NOT NULL,
  reviewed_at  INTEGER NOT NULL,
  reviewed_by  INTEGER NOT NULL
);
CREATE INDEX quality_reviews_by_time ON quality_reviews(reviewed_at);

-- Supply contracts' terms, as entered or read; the newest row of an item is current, older rows
-- are kept as they were.
CREATE TABLE contract_terms(
  id           INTEGER PRIMARY KEY,
  lineage_id   INTEGER NOT NULL,
  customer_id  INTEGER NOT NULL REFERENCES customers(id),
  contract_no  TEXT NOT NULL,
  signed_on    TEXT NOT NULL,          -- YYYY-MM-DD
  expires_on   TEXT NOT NULL,
  auto_renew   INTEGER NOT NULL,
  source       TEXT NOT NULL,          -- entered, ocr
  recorded_at  INTEGER NOT NULL,
  recorded_by  INTEGER NOT NULL
);
CREATE INDEX contract_terms_by_lineage ON contract_terms(lineage_id, id);
CREATE INDEX documents_current_by_type ON documents(doc_type, customer_id) WHERE superseded_by IS NULL;

CREATE TABLE spot_checks(
  id          INTEGER PRIMARY KEY,
  seed        INTEGER NOT NULL,
  per_unit    INTEGER NOT NULL,
  filter      TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  created_by  INTEGER NOT NULL REFERENCES users(id)
);
CREATE TABLE spot_check_items(
  spot_check_id  INTEGER NOT NULL REFERENCES spot_checks(id),
  seq            INTEGER NOT NULL,
  lineage_id     INTEGER NOT NULL,
  unit           TEXT NOT NULL,
  outcome        TEXT NOT NULL DEFAULT 'pending',   -- pending, passed, failed
  reason         TEXT NOT NULL DEFAULT '',
  checked_at     INTEGER,
  checked_by     INTEGER,
  PRIMARY KEY(spot_check_id, seq)
) WITHOUT ROWID;

-- 整改: a finding to put right by a deadline; the owner reports it rectified, an auditor
-- verifies and closes it (or sends it back).
CREATE TABLE rectifications(
  id              INTEGER PRIMARY KEY,
  source          TEXT NOT NULL,        -- audit, spot_check, manual
  source_ref      TEXT NOT NULL,        -- audit id/finding seq, spot check id/item seq
  customer_id     INTEGER REFERENCES customers(id),
  unit            TEXT NOT NULL,
  description     TEXT NOT NULL,
  owner           TEXT NOT NULL,        -- username of the person who must put it right
  due_on          TEXT NOT NULL,        -- YYYY-MM-DD, China time
  state           TEXT NOT NULL,        -- open, rectified, closed
  raised_at       INTEGER NOT NULL,
  raised_by       INTEGER NOT NULL,
  rectified_at    INTEGER,
  rectified_note  TEXT NOT NULL DEFAULT '',
  closed_at       INTEGER,
  closed_by       INTEGER
);
CREATE INDEX rectifications_by_state ON rectifications(state, due_on);
)sql"},
        {6, R"sql(
-- What OCR read on each page image (the cleaned image when there is one, else the original):
-- the queue of the reading desk (state queued), and its results. Confidences are percentages.
CREATE TABLE page_readings(
  image                TEXT PRIMARY KEY,          -- hex SHA-256 of the image read
  state                TEXT NOT NULL,             -- queued, done, failed
  urgent               INTEGER NOT NULL DEFAULT 0,  -- a batch waits on it to file the page
  queued_at            INTEGER NOT NULL,
  read_at              INTEGER,
  doc_type             TEXT NOT NULL DEFAULT '',
  doc_type_confidence  INTEGER NOT NULL DEFAULT 0,
  unreadable           TEXT NOT NULL DEFAULT '',  -- field names, comma-separated
  text                 TEXT NOT NULL DEFAULT '',
  cpu_ms               INTEGER NOT NULL DEFAULT 0,
  message              TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX page_readings_queue ON page_readings(urgent DESC, queued_at) WHERE state = 'queued';
CREATE TABLE reading_fields(
  image       TEXT NOT NULL REFERENCES page_readings(image),
  field       TEXT NOT NULL,
  value       TEXT NOT NULL,
  confidence  INTEGER NOT NULL,
  PRIMARY KEY(image, field)
) WITHOUT ROWID;
-- A person's correction of a field read on a filed page; the reading itself is never changed,
-- and the newest correction of a field holds.
CREATE TABLE field_corrections(
  id            INTEGER PRIMARY KEY,
  page_id       INTEGER NOT NULL REFERENCES pages(id),
  field         TEXT NOT NULL,
  value         TEXT NOT NULL,
  original      TEXT NOT NULL,
  corrected_at  INTEGER NOT NULL,
  corrected_by  INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX field_corrections_by_page ON field_corrections(page_id, field, id);
-- Words on filed pages: rowid = pages.id, the page text's character bigrams marked 't' (see
-- search_text.h).
CREATE VIRTUAL TABLE page_text USING fts5(grams, tokenize = 'unicode61');
CREATE INDEX pages_by_image ON pages(cleaned_sha256);
CREATE INDEX pages_by_original ON pages(sha256);
CREATE INDEX customers_by_id_number ON customers(id_number);
-- Why a reviewed page went where it went: the candidates offered and the person's choice.
CREATE TABLE link_decisions(
  id           INTEGER PRIMARY KEY,
  batch_page   INTEGER NOT NULL REFERENCES batch_pages(id),
  candidates   TEXT NOT NULL,            -- account numbers offered, best first, comma-separated
  chosen       TEXT NOT NULL,            -- the account number filed to
  decided_at   INTEGER NOT NULL,
  decided_by   INTEGER NOT NULL REFERENCES users(id)
);
)sql"},
        // A reading's key fields are recorded before its prose is read (see ocr/page_reader.h):
        // full_text 0 while the rest of its text is still to be read, the desk's second queue.
        {7, R"sql(
ALTER TABLE page_readings ADD COLUMN full_text INTEGER NOT NULL DEFAULT 1;
CREATE INDEX page_readings_text_to_read ON page_readings(read_at) WHERE state = 'done' AND full_text = 0;
)sql"},
        // Quarter turns clockwise that made the stored image read upright (2: the page was
        // scanned upside down and the desk's up/down test missed it).
        {8, R"sql(
ALTER TABLE page_readings ADD COLUMN quarter_turns INTEGER NOT NULL DEFAULT 0;
)sql"},
        // What a page is, told by its content: the second guess at its document type (a person
        // chooses between the two when the first is not sure), and whether the page goes on from
        // an earlier one (a contract's later page, "第 2 页 共 3 页").
        {9, R"sql(
ALTER TABLE page_readings ADD COLUMN doc_type_second TEXT NOT NULL DEFAULT '';
ALTER TABLE page_readings ADD COLUMN doc_type_second_confidence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE page_readings ADD COLUMN continues INTEGER NOT NULL DEFAULT 0;
)sql"},
        // Issue 24: business staff in teams with e-mail; waivers of expected documents; cancelled
        // processes; service time limits (业扩时限) as one clock per timed step; the working-day
        // calendar's years; the day's notifications and their delivery beyond the web.
        {10, R"sql(
ALTER TABLE users ADD COLUMN unit TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN team TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
-- A waiver is proposed (with its reason) by one person and confirmed by another; a confirmed
-- waiver takes the expectation out of the open ones for good (a cancelled process's are waived
-- at once by the cancellation).
ALTER TABLE expectations ADD COLUMN waiver_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE expectations ADD COLUMN waiver_proposed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE expectations ADD COLUMN waiver_proposed_at INTEGER;
ALTER TABLE expectations ADD COLUMN waived_by TEXT NOT NULL DEFAULT '';
ALTER TABLE expectations ADD COLUMN waived_at INTEGER;
CREATE INDEX expectations_waivers_proposed ON expectations(waiver_proposed_at)
  WHERE waiver_proposed_at IS NOT NULL AND waived_at IS NULL;
DROP TRIGGER expectation_met;
CREATE TRIGGER expectation_met AFTER UPDATE OF filed_at ON expectations
  WHEN OLD.filed_at IS NULL AND NEW.filed_at IS NOT NULL AND OLD.mandatory = 1 AND OLD.waived_at IS NULL BEGIN
    UPDATE open_due_days SET open = open - 1
      WHERE unit = OLD.unit AND process_type = OLD.process_type AND day = OLD.due_at / 86400000;
  END;
CREATE TRIGGER expectation_waived AFTER UPDATE OF waived_at ON expectations
  WHEN OLD.waived_at IS NULL AND NEW.waived_at IS NOT NULL AND OLD.filed_at IS NULL AND OLD.mandatory = 1 BEGIN
    UPDATE open_due_days SET open = open - 1
      WHERE unit = OLD.unit AND process_type = OLD.process_type AND day = OLD.due_at / 86400000;
  END;
ALTER TABLE processes ADD COLUMN cancelled_at INTEGER;
ALTER TABLE processes ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';
-- One clock per timed step of a process: started when its from-step is completed, due at the
-- end of its working days, yellow before; closed when the step is completed (done) or the
-- process is cancelled. Unit, process type and team are those when the clock started.
CREATE TABLE process_clocks(
  id            INTEGER PRIMARY KEY,
  process_id    INTEGER NOT NULL REFERENCES processes(id),
  step          TEXT NOT NULL,
  from_step     TEXT NOT NULL,
  working_days  INTEGER NOT NULL,
  yellow_days   INTEGER NOT NULL,
  started_at    INTEGER NOT NULL,
  yellow_at     INTEGER NOT NULL,
  due_at        INTEGER NOT NULL,
  unit          TEXT NOT NULL,
  process_type  TEXT NOT NULL,
  team          TEXT NOT NULL,
  staff         TEXT NOT NULL,     -- who started it; who completed the step once done
  closed_at     INTEGER,
  outcome       TEXT NOT NULL DEFAULT 'open',   -- open, done, cancelled
  UNIQUE(process_id, step)
);
CREATE INDEX process_clocks_open ON process_clocks(process_id, due_at, yellow_at) WHERE closed_at IS NULL;
CREATE INDEX process_clocks_open_by_staff ON process_clocks(staff, due_at) WHERE closed_at IS NULL;
CREATE INDEX process_clocks_by_due ON process_clocks(due_at);
CREATE TABLE calendar_years(
  year          INTEGER NOT NULL,
  version       INTEGER NOT NULL,
  text          TEXT NOT NULL,
  source        TEXT NOT NULL,
  installed_at  INTEGER NOT NULL,
  installed_by  TEXT NOT NULL,
  PRIMARY KEY(year, version)
);
-- Each day's reminders: one notification per person and kind with the items new that day; an
-- item is never notified twice on one day (notified_items, pruned after a week).
CREATE TABLE notification_runs(
  day           TEXT PRIMARY KEY,   -- YYYY-MM-DD, China time
  runs          INTEGER NOT NULL,
  last_run_at   INTEGER NOT NULL,
  notifications INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE notifications(
  id          INTEGER PRIMARY KEY,
  day         TEXT NOT NULL,
  person      TEXT NOT NULL,      -- a username (the marketing system names its staff alike)
  kind        TEXT NOT NULL,      -- to_add, to_send, process_deadline, contract, rectification
  items       INTEGER NOT NULL,
  overdue     INTEGER NOT NULL,
  title       TEXT NOT NULL,
  body        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  read_at     INTEGER
);
CREATE INDEX notifications_by_person ON notifications(person, id);
CREATE INDEX notifications_unread ON notifications(person) WHERE read_at IS NULL;
CREATE TABLE notified_items(
  day   TEXT NOT NULL,
  kind  TEXT NOT NULL,
  item  INTEGER NOT NULL,
  PRIMARY KEY(day, kind, item)
) WITHOUT ROWID;
-- Delivery beyond the web: e-mail to the person, and the company's messaging webhook; retried
-- with growing pauses until sent or given up.
CREATE TABLE deliveries(
  id               INTEGER PRIMARY KEY,
  notification_id  INTEGER NOT NULL REFERENCES notifications(id),
  channel          TEXT NOT NULL,   -- email, webhook
  address          TEXT NOT NULL,   -- the e-mail address; empty for the webhook
  state            TEXT NOT NULL,   -- pending, sent, failed
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_at          INTEGER NOT NULL,
  sent_at          INTEGER,
  last_error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX deliveries_pending ON deliveries(next_at) WHERE state = 'pending';
-- Evidence pages an owner attaches when reporting a rectification order put right.
CREATE TABLE rectification_evidence(
  rectification_id  INTEGER NOT NULL REFERENCES rectifications(id),
  seq               INTEGER NOT NULL,
  sha256            TEXT NOT NULL,
  content_type      TEXT NOT NULL,
  bytes             INTEGER NOT NULL,
  added_at          INTEGER NOT NULL,
  added_by          INTEGER NOT NULL REFERENCES users(id),
  PRIMARY KEY(rectification_id, seq)
) WITHOUT ROWID;
)sql"},
        // The process board counts processes, each by its most urgent running time limit: one row
        // per process in flight, kept by triggers on its clocks (as open_due_days is for
        // documents), so that the board adds up rows instead of grouping every running clock.
        {11, R"sql(
CREATE TABLE process_flight(
  process_id    INTEGER PRIMARY KEY REFERENCES processes(id),
  unit          TEXT NOT NULL,
  process_type  TEXT NOT NULL,
  team          TEXT NOT NULL,
  yellow_at     INTEGER NOT NULL,   -- the earliest of its running clocks'
  due_at        INTEGER NOT NULL
);
CREATE INDEX process_flight_cells ON process_flight(unit, process_type, team, due_at, yellow_at);
INSERT INTO process_flight SELECT process_id, MIN(unit), MIN(process_type), MIN(team), MIN(yellow_at), MIN(due_at)
  FROM process_clocks WHERE closed_at IS NULL GROUP BY process_id;
CREATE TRIGGER process_clock_started AFTER INSERT ON process_clocks WHEN NEW.closed_at IS NULL BEGIN
  DELETE FROM process_flight WHERE process_id = NEW.process_id;
  INSERT INTO process_flight SELECT process_id, MIN(unit), MIN(process_type), MIN(team), MIN(yellow_at), MIN(due_at)
    FROM process_clocks WHERE process_id = NEW.process_id AND closed_at IS NULL GROUP BY process_id;
END;
CREATE TRIGGER process_clock_changed AFTER UPDATE OF closed_at, yellow_at, due_at ON process_clocks BEGIN
  DELETE FROM process_flight WHERE process_id = NEW.process_id;
  INSERT INTO process_flight SELECT process_id, MIN(unit), MIN(process_type), MIN(team), MIN(yellow_at), MIN(due_at)
    FROM process_clocks WHERE process_id = NEW.process_id AND closed_at IS NULL GROUP BY process_id;
END;
CREATE INDEX process_clocks_open_by_due ON process_clocks(due_at) WHERE closed_at IS NULL;
)sql"},
        // The archive's own gazetteer: every character pair of its customers' names and addresses, as
        // the search index holds them, so that a name or address read on a page can be checked
        // against the places and names the archive knows.
        {12, R"sql(
CREATE VIRTUAL TABLE customer_search_terms USING fts5vocab(customer_search, 'row');
)sql"},
        // Sign-in failures counted per account; after too many the account is locked for a while.
        {13, R"sql(
ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until INTEGER;
)sql"},
        // The supply units the archive knows (its customers' and its users'), for the screens to
        // offer when a unit is typed: kept by triggers, so that listing them reads a few rows, not
        // every customer. A unit once known stays listed.
        {14, R"sql(
CREATE TABLE units(name TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT OR IGNORE INTO units SELECT DISTINCT unit FROM customers WHERE unit <> '';
INSERT OR IGNORE INTO units SELECT DISTINCT unit FROM users WHERE unit <> '';
CREATE TRIGGER units_of_new_customers AFTER INSERT ON customers WHEN NEW.unit <> '' BEGIN
  INSERT OR IGNORE INTO units VALUES(NEW.unit);
END;
CREATE TRIGGER units_of_changed_customers AFTER UPDATE OF unit ON customers WHEN NEW.unit <> '' BEGIN
  INSERT OR IGNORE INTO units VALUES(NEW.unit);
END;
CREATE TRIGGER units_of_new_users AFTER INSERT ON users WHEN NEW.unit <> '' BEGIN
  INSERT OR IGNORE INTO units VALUES(NEW.unit);
END;
CREATE TRIGGER units_of_changed_users AFTER UPDATE OF unit ON users WHEN NEW.unit <> '' BEGIN
  INSERT OR IGNORE INTO units VALUES(NEW.unit);
END;
)sql"},
        // A session ends after a while without use as well as at its expiry: when it was last used.
        {15, R"sql(
ALTER TABLE sessions ADD COLUMN last_seen INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET last_seen = created_at;
)sql"},
        // A password someone else set (a new user's, a reset one) is changed at first sign-in.
        {16, R"sql(
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
)sql"},
        // When each password was set, for an expiry the operator may configure.
        {17, R"sql(
ALTER TABLE users ADD COLUMN password_set_at INTEGER NOT NULL DEFAULT 0;
UPDATE users SET password_set_at = updated_at;
)sql"},
        // A page to read is claimed by the node that reads it, until an instant: several nodes
        // (servers and workers) reading from one archive take different pages, and the claim of a
        // node that died runs out. A batch belongs to the node it was given to. The same
        // migration as PostgreSQL's 18.
        {18, R"sql(
ALTER TABLE page_readings ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE page_readings ADD COLUMN claimed_until INTEGER NOT NULL DEFAULT 0;
-- The node a batch was given to, which resumes it after its restart ('': before nodes).
ALTER TABLE batches ADD COLUMN node TEXT NOT NULL DEFAULT '';
)sql"},
        // Batches and audits are leased to the node doing them, until an instant it renews while
        // it works: the work of a node that died is claimed by another once its lease runs out.
        // An audit, like a batch, names its node ('' and no lease: from before, claimed by the
        // first node that looks). The same migration as PostgreSQL's 19.
        {19, R"sql(
ALTER TABLE batches ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audits ADD COLUMN node TEXT NOT NULL DEFAULT '';
ALTER TABLE audits ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;
)sql"},
    };
    return kMigrations;
}

}  // namespace dangan::storage
