// `csapcheck init`, `evidence lock`, `evidence verify` and `roadmap`: the work, without printing.
#pragma once
#include <string>
#include <vector>

#include "app/pipeline.h"
#include "assess/roadmap.h"
#include "catalog/gap.h"

namespace csap::app {

struct InitOutcome {
  std::string target;              // the file written ("-": standard output)
  std::size_t written = 0;         // controls in a new skeleton
  std::vector<std::string> added;  // controls added to an existing file
  std::size_t kept = 0;            // controls the existing file already listed
  bool merged = false;             // the file existed
};

// Writes (or completes) an attestation skeleton for the controls people must attest.
Result<InitOutcome> init(Loaded l, const std::string& out);

struct LockOutcome {
  std::string target;
  std::size_t files = 0;
};

// Records the SHA-256 of every evidence file of the one attestation file (default lock file:
// beside it). A missing evidence file stops it (each one a detail of the error).
Result<LockOutcome> lock(const Loaded& l, const EvidenceOptions& ev, const std::string& out);

struct VerifyLine {
  std::string key;
  std::string state;  // empty: matches; else missing | unreadable | not locked | changed
  std::string control;
  std::string file;
  int line = 0;
  std::string detail;  // why an unreadable file could not be read
};

struct VerifyOutcome {
  std::vector<VerifyLine> lines;  // each evidence file once
  std::size_t ok = 0, bad = 0;
};

// Checks the evidence files against the lock file.
Result<VerifyOutcome> verify(const Loaded& l, const EvidenceOptions& ev,
                             const std::string& lock_file);

struct RoadmapOutcome {
  Run run;
  assess::Roadmap roadmap;
};

// What is left for the target tier: `l` is loaded with the target profile (service × --to),
// `from` is the current tier.
Result<RoadmapOutcome> roadmap(Loaded l, const std::string& from, const RunOptions& opts);

}  // namespace csap::app
