// Evidence on the command line: loading --attest/--waivers for a scan, `csapcheck init`,
// `csapcheck evidence lock|verify` and `csapcheck roadmap`. Catalog, profile, mappings and rules
// are loaded by main.cpp and passed in.
#pragma once
#include <string>
#include <vector>

#include "assess/assess.h"
#include "catalog/catalog.h"
#include "catalog/mapping.h"
#include "core/error.h"
#include "core/text.h"
#include "model/deployment.h"
#include "rules/ruleset.h"

namespace csap::cli {

struct EvidenceArgs {
  std::vector<std::string> attest;   // --attest FILE (repeatable)
  std::vector<std::string> waivers;  // --waivers FILE (repeatable)
  std::string evidence_root;  // --evidence-root DIR (default: each attestation file's directory)
  std::string today;          // --today YYYY-MM-DD (default: the local clock)
};

struct LoadedEvidence {
  assess::Evidence evidence;
  std::vector<std::string> notes;
};

// Reads every attestation and waiver file. Every problem is printed on stderr as
// "csapcheck: file:line:col: message"; the result is then one error (exit code 3) counting them.
// A bad --today is a usage error (exit code 2).
Result<LoadedEvidence> load_evidence(const EvidenceArgs& args, const catalog::Catalog& cat,
                                     const rules::RuleSet& rules);
// Adds the waivers written as resource tags (csapcheck:waive ...).
void add_tag_waivers(LoadedEvidence& ev, const Deployment& d, const rules::RuleSet& rules);

// `csapcheck init`: writes (or completes) an attestation skeleton. Returns the exit code.
int cmd_init(const catalog::Catalog& cat, const catalog::Profile& profile,
             const std::vector<catalog::Mapping>& mappings, const rules::RuleSet& rules,
             const std::string& out);

// `csapcheck evidence lock`: writes the evidence hashes (default: beside the attestation file).
int cmd_evidence_lock(const catalog::Catalog& cat, const rules::RuleSet& rules,
                      const EvidenceArgs& args, const std::string& out);
// `csapcheck evidence verify`: 0 when every evidence file matches its lock, 1 when one changed, is
// missing or is not locked (each listed).
int cmd_evidence_verify(const catalog::Catalog& cat, const rules::RuleSet& rules,
                        const EvidenceArgs& args, const std::string& lock_file);

struct RoadmapArgs {
  std::string from;
  std::vector<std::string> paths;  // plans or states (optional)
  std::string format = "text";     // text | json
  unsigned jobs = 0;
  Lang lang = Lang::kEn;
};
// `csapcheck roadmap`: `profile` is the target (service × --to tier).
int cmd_roadmap(const catalog::Catalog& cat, const catalog::Profile& profile,
                const std::vector<catalog::Mapping>& mappings, const rules::RuleSet& rules,
                const EvidenceArgs& ev_args, const RoadmapArgs& args);

}  // namespace csap::cli
