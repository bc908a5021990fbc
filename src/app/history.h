// Recording a scan in the history store, and reading runs back: from the store or from a JSON
// report. The diff between two runs and the baseline check work on either.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "app/config.h"
#include "assess/assess.h"
#include "core/error.h"
#include "store/store.h"

namespace csap::app {

// The store of a project: `.csapcheck/history.db` beside the config file, or in the working
// directory when there is no config.
std::string default_store(const ProjectConfig& cfg);

// What a run records: inputs and their hashes, catalog, profile, the findings that do not pass
// (with fingerprints), control verdicts, attestations and waivers.
store::RunRecord to_record(const assess::Assessment& a, const std::string& system,
                           const std::string& tool_version, const std::string& started_at);

// A run read from a JSON report (csapcheck/report/v1): what the store would have recorded, as far
// as the report says it. Errors name the file and, for bad JSON, the line and column.
Result<store::RunRecord> read_report(const std::string& path);

// A run named on the command line: an existing file is a JSON report; otherwise a run id,
// "latest" or "previous" in `db` (within `system` when it is not empty).
Result<store::RunRecord> resolve_run(const std::string& which, const std::string& db,
                                     const std::string& system);

// What changed from run `a` to run `b`. Failures are findings with status fail that no waiver
// accepted, matched by fingerprint.
struct VerdictChange {
  std::string control;
  std::string before;  // "" when the control was not assessed in `a`
  std::string after;   // "" when it is not assessed in `b`
};
struct RunDiff {
  std::vector<store::FindingRecord> added;      // failing in b, not in a
  std::vector<store::FindingRecord> fixed;      // failing in a, not in b
  std::vector<store::FindingRecord> unchanged;  // failing in both
  std::vector<VerdictChange> controls;          // every control whose verdict changed
};
RunDiff diff(const store::RunRecord& a, const store::RunRecord& b);

// A run's name in the output: "run 12 (2026-06-01T10:00:00Z)" or "report FILE".
std::string run_label(const store::RunRecord& r);

void write_diff_text(std::ostream& os, const RunDiff& d, const store::RunRecord& a,
                     const store::RunRecord& b);
void write_diff_json(std::ostream& os, const RunDiff& d, const store::RunRecord& a,
                     const store::RunRecord& b);

}  // namespace csap::app
