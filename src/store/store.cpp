#include "store/store.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <charconv>
#include <filesystem>
#include <memory>
#include <system_error>

#include "core/files.h"

namespace csap::store {
namespace fs = std::filesystem;

namespace {

// Each step moves the schema from version i to i + 1. Never edit a step once released: add one.
const char* const kMigrations[] = {
    // 0 → 1
    R"sql(
CREATE TABLE runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  system TEXT NOT NULL,
  started_at TEXT NOT NULL,
  tool_version TEXT NOT NULL,
  catalog_id TEXT NOT NULL,
  catalog_version TEXT NOT NULL,
  profile TEXT NOT NULL,
  readiness REAL NOT NULL
);
CREATE INDEX runs_system ON runs(system, id);
CREATE TABLE inputs (
  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  kind TEXT NOT NULL,
  sha256 TEXT NOT NULL
);
CREATE INDEX inputs_run ON inputs(run);
CREATE TABLE findings (
  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  fingerprint TEXT NOT NULL,
  input_kind TEXT NOT NULL,
  resource TEXT NOT NULL,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL,
  status TEXT NOT NULL,
  waived INTEGER NOT NULL
);
CREATE INDEX findings_run ON findings(run, fingerprint);
CREATE TABLE controls (
  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  control TEXT NOT NULL,
  verdict TEXT NOT NULL
);
CREATE INDEX controls_run ON controls(run, control);
CREATE TABLE evidence (
  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  source TEXT NOT NULL,
  control TEXT NOT NULL,
  rule TEXT NOT NULL,
  valid INTEGER NOT NULL
);
CREATE INDEX evidence_run ON evidence(run);
)sql",
};
static_assert(std::size(kMigrations) == kSchemaVersion);

struct DbClose {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalize {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Db = std::unique_ptr<sqlite3, DbClose>;
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalize>;

std::unexpected<Error> db_error(sqlite3* db, const std::string& file, const std::string& what) {
  int code = sqlite3_errcode(db);
  std::string msg = fmt::format("history store: {}: {}", what, sqlite3_errmsg(db));
  if (code == SQLITE_FULL) msg = fmt::format("history store: {}: the disk is full", what);
  return fail(std::move(msg), {file});
}

Result<void> exec(sqlite3* db, const std::string& file, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : "unknown error";
    sqlite3_free(err);
    return fail(fmt::format("history store: {}", m), {file});
  }
  return {};
}

Result<Stmt> prepare(sqlite3* db, const std::string& file, const char* sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK)
    return db_error(db, file, "cannot prepare a statement");
  return Stmt(s);
}

void bind(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
void bind(sqlite3_stmt* s, int i, std::int64_t v) {
  sqlite3_bind_int64(s, i, v);
}
void bind(sqlite3_stmt* s, int i, double v) {
  sqlite3_bind_double(s, i, v);
}

std::string text(sqlite3_stmt* s, int i) {
  const unsigned char* t = sqlite3_column_text(s, i);
  return t ? reinterpret_cast<const char*>(t) : "";
}

template <class... A>
Result<void> run_insert(sqlite3* db, const std::string& file, sqlite3_stmt* s, const A&... args) {
  sqlite3_reset(s);
  int i = 0;
  (bind(s, ++i, args), ...);
  if (sqlite3_step(s) != SQLITE_DONE) return db_error(db, file, "cannot write the run");
  return {};
}

// Rolls back on scope exit unless committed.
class Transaction {
 public:
  Transaction(sqlite3* db) : db_(db) {}
  ~Transaction() {
    if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  Result<void> begin(const std::string& file) {
    if (auto r = exec(db_, file, "BEGIN IMMEDIATE"); !r) return r;
    open_ = true;
    return {};
  }
  Result<void> commit(const std::string& file) {
    if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
      return db_error(db_, file, "cannot commit the run");
    open_ = false;
    return {};
  }

 private:
  sqlite3* db_;
  bool open_ = false;
};

Result<int> user_version(sqlite3* db, const std::string& file) {
  auto s = prepare(db, file, "PRAGMA user_version");
  if (!s) return forward(s);
  if (sqlite3_step(s->get()) != SQLITE_ROW) return db_error(db, file, "cannot read the version");
  return sqlite3_column_int(s->get(), 0);
}

Result<void> check_version(int v, const std::string& file) {
  if (v > kSchemaVersion)
    return fail(fmt::format("history store: written by a newer csapcheck (schema version {}; "
                            "this csapcheck reads up to {}): upgrade csapcheck to use it",
                            v, kSchemaVersion),
                {file});
  return {};
}

// Opens the store; `create` makes it (and its directory) when missing and migrates it.
Result<Db> open(const std::string& file, bool create) {
  std::error_code ec;
  if (!create && !fs::exists(file, ec))
    return fail("no history store here (record runs with scan --store)", {file});
  if (create && fs::path(file).has_parent_path()) {
    fs::create_directories(fs::path(file).parent_path(), ec);
    if (ec)
      return fail(fmt::format("cannot create the store's directory: {}", ec.message()), {file});
  }
  sqlite3* raw = nullptr;
  // Read-write even to read: a reader may have to roll back what a killed writer left.
  int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(file.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) {
    if (!raw) return fail("history store: cannot open it (out of memory)", {file});
    return db_error(raw, file, "cannot open it");
  }
  sqlite3_busy_timeout(raw, 60'000);
  sqlite3_extended_result_codes(raw, 0);
  if (auto r = exec(raw, file, "PRAGMA foreign_keys = ON"); !r) return forward(r);
  auto v = user_version(raw, file);
  if (!v) {
    if (sqlite3_errcode(raw) == SQLITE_NOTADB)
      return fail("history store: not an SQLite database", {file});
    return forward(v);
  }
  if (auto c = check_version(*v, file); !c) return forward(c);
  if (*v == kSchemaVersion) return db;
  if (!create)
    return fail(fmt::format("history store: schema version {} is older than this csapcheck's {}; "
                            "record a run with scan --store to upgrade it",
                            *v, kSchemaVersion),
                {file});
  // Migrate in one transaction, reading the version again under the write lock: another process
  // may have migrated it meanwhile.
  Transaction t(raw);
  if (auto r = t.begin(file); !r) return forward(r);
  auto again = user_version(raw, file);
  if (!again) return forward(again);
  if (auto c = check_version(*again, file); !c) return forward(c);
  for (int i = *again; i < kSchemaVersion; ++i) {
    if (auto r = exec(raw, file, kMigrations[i]); !r) return forward(r);
    std::string pragma = fmt::format("PRAGMA user_version = {}", i + 1);
    if (auto r = exec(raw, file, pragma.c_str()); !r) return forward(r);
  }
  if (auto r = t.commit(file); !r) return forward(r);
  return db;
}

}  // namespace

std::size_t RunRecord::failures() const {
  std::size_t n = 0;
  for (const auto& f : findings) n += f.status == "fail" && !f.waived;
  return n;
}

std::string fingerprint(const std::string& input_kind, const std::string& resource,
                        const std::string& rule) {
  std::string key = input_kind;
  key += '\0';
  key += resource;
  key += '\0';
  key += rule;
  return sha256_hex(key).substr(0, 32);
}

Result<std::int64_t> record(const std::string& file, RunRecord run) {
  auto db = open(file, true);
  if (!db) return forward(db);
  sqlite3* d = db->get();
  Transaction t(d);
  if (auto r = t.begin(file); !r) return forward(r);
  auto ins_run = prepare(d, file,
                         "INSERT INTO runs (system, started_at, tool_version, catalog_id, "
                         "catalog_version, profile, readiness) VALUES (?,?,?,?,?,?,?)");
  if (!ins_run) return forward(ins_run);
  if (auto r = run_insert(d, file, ins_run->get(), run.system, run.started_at, run.tool_version,
                          run.catalog_id, run.catalog_version, run.profile, run.readiness);
      !r)
    return forward(r);
  std::int64_t id = sqlite3_last_insert_rowid(d);
  auto ins_input = prepare(d, file, "INSERT INTO inputs VALUES (?,?,?,?)");
  auto ins_finding = prepare(d, file, "INSERT INTO findings VALUES (?,?,?,?,?,?,?,?)");
  auto ins_control = prepare(d, file, "INSERT INTO controls VALUES (?,?,?)");
  auto ins_evidence = prepare(d, file, "INSERT INTO evidence VALUES (?,?,?,?,?,?)");
  if (!ins_input) return forward(ins_input);
  if (!ins_finding) return forward(ins_finding);
  if (!ins_control) return forward(ins_control);
  if (!ins_evidence) return forward(ins_evidence);
  for (const auto& i : run.inputs)
    if (auto r = run_insert(d, file, ins_input->get(), id, i.path, i.kind, i.sha256); !r)
      return forward(r);
  for (const auto& f : run.findings)
    if (auto r =
            run_insert(d, file, ins_finding->get(), id, f.fingerprint, f.input_kind, f.resource,
                       f.rule, f.severity, f.status, static_cast<std::int64_t>(f.waived));
        !r)
      return forward(r);
  for (const auto& c : run.controls)
    if (auto r = run_insert(d, file, ins_control->get(), id, c.control, c.verdict); !r)
      return forward(r);
  for (const auto& e : run.evidence)
    if (auto r = run_insert(d, file, ins_evidence->get(), id, e.kind, e.source, e.control, e.rule,
                            static_cast<std::int64_t>(e.valid));
        !r)
      return forward(r);
  if (auto r = t.commit(file); !r) return forward(r);
  return id;
}

Result<std::vector<RunSummary>> list_runs(const std::string& file, const std::string& system) {
  auto db = open(file, false);
  if (!db) return forward(db);
  auto s = prepare(db->get(), file,
                   "SELECT r.id, r.system, r.started_at, r.profile, r.catalog_id, r.readiness, "
                   "(SELECT count(*) FROM findings f WHERE f.run = r.id AND f.status = 'fail' "
                   "AND f.waived = 0), "
                   "(SELECT count(*) FROM controls c WHERE c.run = r.id AND c.verdict = 'fail') "
                   "FROM runs r WHERE (?1 = '' OR r.system = ?1) ORDER BY r.id");
  if (!s) return forward(s);
  bind(s->get(), 1, system);
  std::vector<RunSummary> out;
  int rc;
  while ((rc = sqlite3_step(s->get())) == SQLITE_ROW) {
    RunSummary r;
    r.id = sqlite3_column_int64(s->get(), 0);
    r.system = text(s->get(), 1);
    r.started_at = text(s->get(), 2);
    r.profile = text(s->get(), 3);
    r.catalog = text(s->get(), 4);
    r.readiness = sqlite3_column_double(s->get(), 5);
    r.failures = static_cast<std::size_t>(sqlite3_column_int64(s->get(), 6));
    r.controls_failing = static_cast<std::size_t>(sqlite3_column_int64(s->get(), 7));
    out.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return db_error(db->get(), file, "cannot read the runs");
  return out;
}

Result<RunRecord> load_run(const std::string& file, const std::string& which,
                           const std::string& system) {
  auto db = open(file, false);
  if (!db) return forward(db);
  sqlite3* d = db->get();
  // Everything is read in one read transaction, one consistent snapshot; it ends when the
  // connection closes.
  if (auto r = exec(d, file, "BEGIN"); !r) return forward(r);
  std::int64_t id = 0;
  if (which == "latest" || which == "previous") {
    auto s = prepare(d, file,
                     "SELECT id FROM runs WHERE (?1 = '' OR system = ?1) ORDER BY id DESC "
                     "LIMIT 1 OFFSET ?2");
    if (!s) return forward(s);
    bind(s->get(), 1, system);
    bind(s->get(), 2, std::int64_t{which == "previous" ? 1 : 0});
    if (sqlite3_step(s->get()) != SQLITE_ROW)
      return fail(fmt::format("history store: no {} run{}", which,
                              system.empty() ? "" : " of system '" + system + "'"),
                  {file});
    id = sqlite3_column_int64(s->get(), 0);
  } else {
    auto [p, ec] = std::from_chars(which.data(), which.data() + which.size(), id);
    if (ec != std::errc() || p != which.data() + which.size() || id <= 0)
      return fail(fmt::format("'{}' is not a run: give a run id, latest or previous", which), {},
                  Exit::kUsage);
  }
  RunRecord run;
  auto s = prepare(d, file,
                   "SELECT id, system, started_at, tool_version, catalog_id, catalog_version, "
                   "profile, readiness FROM runs WHERE id = ?");
  if (!s) return forward(s);
  bind(s->get(), 1, id);
  if (sqlite3_step(s->get()) != SQLITE_ROW)
    return fail(fmt::format("history store: no run {}", id), {file});
  run.id = sqlite3_column_int64(s->get(), 0);
  run.system = text(s->get(), 1);
  run.started_at = text(s->get(), 2);
  run.tool_version = text(s->get(), 3);
  run.catalog_id = text(s->get(), 4);
  run.catalog_version = text(s->get(), 5);
  run.profile = text(s->get(), 6);
  run.readiness = sqlite3_column_double(s->get(), 7);

  auto rows = [&](const char* sql, auto&& each) -> Result<void> {
    auto q = prepare(d, file, sql);
    if (!q) return forward(q);
    bind(q->get(), 1, id);
    int rc;
    while ((rc = sqlite3_step(q->get())) == SQLITE_ROW) each(q->get());
    if (rc != SQLITE_DONE) return db_error(d, file, "cannot read the run");
    return {};
  };
  if (auto r = rows("SELECT path, kind, sha256 FROM inputs WHERE run = ? ORDER BY rowid",
                    [&](sqlite3_stmt* q) {
                      run.inputs.push_back({text(q, 0), text(q, 1), text(q, 2)});
                    });
      !r)
    return forward(r);
  if (auto r = rows(
          "SELECT fingerprint, input_kind, resource, rule, severity, status, waived FROM findings "
          "WHERE run = ? ORDER BY rowid",
          [&](sqlite3_stmt* q) {
            run.findings.push_back({text(q, 0), text(q, 1), text(q, 2), text(q, 3), text(q, 4),
                                    text(q, 5), sqlite3_column_int(q, 6) != 0});
          });
      !r)
    return forward(r);
  if (auto r = rows("SELECT control, verdict FROM controls WHERE run = ? ORDER BY rowid",
                    [&](sqlite3_stmt* q) {
                      run.controls.push_back({text(q, 0), text(q, 1)});
                    });
      !r)
    return forward(r);
  if (auto r = rows(
          "SELECT kind, source, control, rule, valid FROM evidence WHERE run = ? ORDER BY rowid",
          [&](sqlite3_stmt* q) {
            run.evidence.push_back(
                {text(q, 0), text(q, 1), text(q, 2), text(q, 3), sqlite3_column_int(q, 4) != 0});
          });
      !r)
    return forward(r);
  return run;
}

}  // namespace csap::store
