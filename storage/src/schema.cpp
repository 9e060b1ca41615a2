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
    };
    return kMigrations;
}

}  // namespace dangan::storage
