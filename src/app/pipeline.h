// The application pipeline: load the catalog, mappings, rules, inputs and evidence; evaluate;
// assess. Every command that judges a deployment (scan, roadmap, init, evidence) goes through it;
// the command line only turns arguments into these options and prints what comes back.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "assess/assess.h"
#include "catalog/catalog.h"
#include "catalog/mapping.h"
#include "core/error.h"
#include "evidence/evidence.h"
#include "model/deployment.h"
#include "rules/ruleset.h"

namespace csap::app {

// Where the catalog, mappings and rules come from.
struct Sources {
  std::string catalog = "csap";        // a bundled name or a file
  std::vector<std::string> mappings;   // extra mapping files (the bundled ones always load)
  std::vector<std::string> rule_dirs;  // --rules DIR: these rules always run
  bool no_bundled_rules = false;
};

// The profile: by id, or by service type and tier.
struct ProfileChoice {
  std::string profile;
  std::string service;
  std::string tier;
};

struct Loaded {
  catalog::Catalog cat;
  catalog::Profile profile;  // empty when no profile was asked for
  std::vector<catalog::Mapping> mappings;
  rules::RuleSet rules;
};

// Loads the catalog, the bundled and extra mappings and the rules (with the profile tier's
// parameters). Every mapping must name only rules that exist; a bundled mapping may name controls
// a user's own catalog lacks (the assessment notes them). With a profile, bundled rules that no
// mapping attaches to a control in scope are left out; rules from `rule_dirs` always run.
// No profile given when one is needed is a usage error.
Result<Loaded> load(const Sources& src, const ProfileChoice* profile);

// The rules a mapping names must exist; everything else it says about the catalog must hold too,
// except that a bundled mapping may name controls (and tiers) that a user's catalog lacks.
Result<void> check_mappings(const Loaded& l);

// Attestation and waiver files.
struct EvidenceOptions {
  std::vector<std::string> attest;   // --attest FILE (repeatable)
  std::vector<std::string> waivers;  // --waivers FILE (repeatable)
  std::string evidence_root;  // --evidence-root DIR (default: each attestation file's directory)
  std::string today;          // --today YYYY-MM-DD (default: the local clock)
};

struct LoadedEvidence {
  assess::Evidence evidence;
  std::vector<std::string> notes;
};

// Reads every attestation and waiver file. Every problem is one of the error's details; the error
// counts them (exit code 3). A bad --today is a usage error (exit code 2).
Result<LoadedEvidence> load_evidence(const EvidenceOptions& opts, const catalog::Catalog& cat,
                                     const rules::RuleSet& rules);
// Reads the attestation and waiver files themselves (with or without their lock files); every
// problem is one of the error's details (exit code 3).
Result<evidence::Loaded> read_evidence_files(const EvidenceOptions& opts,
                                             const catalog::Catalog& cat,
                                             const rules::RuleSet& rules, bool read_locks);
// Adds the waivers written as resource tags (csapcheck:waive ...).
void add_tag_waivers(LoadedEvidence& ev, const Deployment& d, const rules::RuleSet& rules);

struct RunOptions {
  std::vector<std::string> paths;  // plans, states or directories; none: an empty deployment
  EvidenceOptions evidence;
  unsigned jobs = 0;  // 0: all cores
  // Called now and then from one thread with (resources done, total).
  std::function<void(std::size_t, std::size_t)> progress;
};

// One evaluated deployment. The assessment points into `loaded` and `deployment`, which stay put.
struct Run {
  std::unique_ptr<Loaded> loaded;
  std::unique_ptr<Deployment> deployment;
  assess::Assessment assessment;
  std::vector<std::string> input_notes;     // files skipped while reading the inputs
  std::vector<std::string> evidence_notes;  // from the attestation and waiver files
};

// Evidence (checked first: every problem listed), inputs, tag waivers, rules, assessment.
Result<Run> run(Loaded loaded, const RunOptions& opts);

// load() with a profile, then run().
Result<Run> scan(const Sources& src, const ProfileChoice& profile, const RunOptions& opts);

}  // namespace csap::app
