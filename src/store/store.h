// The history store: one SQLite file that records every scan run with --store. A run is written in
// one transaction, so a reader sees it whole or not at all; concurrent writers wait for each other.
// The schema is versioned (PRAGMA user_version) and migrated forward on open; docs/store.md.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"

namespace csap::store {

// The schema this build writes and reads. A store with a higher version is refused.
inline constexpr int kSchemaVersion = 1;

struct InputRecord {
  std::string path;
  std::string kind;  // terraform-plan | terraform-state | test
  std::string sha256;
};

struct FindingRecord {
  std::string fingerprint;  // fingerprint(input kind, resource address, rule)
  std::string input_kind;
  std::string resource;
  std::string rule;
  std::string severity;
  std::string status;  // fail | unknown | error (passing findings are not recorded)
  bool waived = false;
};

struct ControlRecord {
  std::string control;
  std::string verdict;  // pass, fail, unknown, manual, waived, not-applicable
};

struct EvidenceRecord {
  std::string kind;  // attestation | waiver
  std::string source;
  std::string control;
  std::string rule;
  bool valid = false;
};

struct RunRecord {
  std::int64_t id = 0;  // set by record()
  std::string system;
  std::string started_at;  // UTC, ISO 8601
  std::string tool_version;
  std::string catalog_id;
  std::string catalog_version;
  std::string profile;
  double readiness = 0;  // pass / controls in scope
  std::vector<InputRecord> inputs;
  std::vector<FindingRecord> findings;
  std::vector<ControlRecord> controls;
  std::vector<EvidenceRecord> evidence;

  std::size_t failures() const;  // findings with status fail, not waived
};

// A stable fingerprint of a finding: the same resource failing the same rule in the same kind of
// input has the same fingerprint in every run, whatever line it sits on.
std::string fingerprint(const std::string& input_kind, const std::string& resource,
                        const std::string& rule);

// Records a run (creating the store and its directory when missing); returns the run's id.
Result<std::int64_t> record(const std::string& db, RunRecord run);

struct RunSummary {
  std::int64_t id = 0;
  std::string system;
  std::string started_at;
  std::string profile;
  std::string catalog;
  double readiness = 0;
  std::size_t failures = 0;
  std::size_t controls_failing = 0;
};

// The runs, oldest first; only those of `system` when it is not empty.
Result<std::vector<RunSummary>> list_runs(const std::string& db, const std::string& system = {});

// One run, whole. `which` is a run id, "latest" or "previous" (the one before the latest), the
// last two within `system` when it is not empty.
Result<RunRecord> load_run(const std::string& db, const std::string& which,
                           const std::string& system = {});

}  // namespace csap::store
