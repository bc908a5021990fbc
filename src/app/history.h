// Recording a scan in the history store, and reading runs back: from the store or from a JSON
// report. The diff between two runs and the baseline check work on either.
#pragma once
#include <string>

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

}  // namespace csap::app
