// The assessor: catalog baseline × mapping × findings (× evidence) → control and area verdicts,
// and readiness (DESIGN.md §3).
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/mapping.h"
#include "engine/engine.h"
#include "model/deployment.h"
#include "rules/ruleset.h"

namespace csap::assess {

enum class Verdict : std::uint8_t { kPass, kFail, kUnknown, kManual, kWaived, kNotApplicable };
inline constexpr std::size_t kVerdicts = 6;
std::string_view verdict_name(Verdict v);  // pass, fail, unknown, manual, waived, not-applicable
Text verdict_text(Verdict v);               // 적합 / pass ...

struct Counts {
  std::array<std::size_t, kVerdicts> by_verdict{};
  std::size_t total() const;
  std::size_t operator[](Verdict v) const { return by_verdict[static_cast<std::size_t>(v)]; }
  void add(Verdict v) { ++by_verdict[static_cast<std::size_t>(v)]; }
  // pass / (total − not-applicable); 0 when nothing is in scope.
  double readiness() const;
};

// A file given as evidence for an attestation (DESIGN.md §4), resolved under the evidence root.
struct EvidenceFile {
  std::string path;          // as written in the attestation file
  std::string resolved;      // absolute path under the evidence root (empty when refused)
  std::string sha256;        // of the file as it is now (empty when missing)
  std::string locked_sha256; // recorded by `csapcheck evidence lock` (empty when none)
  bool exists = false;
  bool changed = false;      // differs from the locked hash
};

// A person's statement that a control is met (or not applicable), with evidence.
struct Attestation {
  std::string control;
  std::string status;        // implemented | partial | planned | not-applicable
  std::string statement;
  std::string reason;        // required for not-applicable
  std::vector<EvidenceFile> evidence;
  std::string owner;
  std::string reviewed;      // YYYY-MM-DD
  std::string expires;       // YYYY-MM-DD
  std::string file;
  int line = 0;
  bool valid = false;        // counts for its control: in date, every evidence file present and unchanged
  Text problem;              // why it does not count (expired, missing file, hash changed, ...)
  bool expiring_soon = false;  // expires within 30 days
};

// An accepted failure: rule (or control) + resource pattern + reason + approver + expiry.
struct Waiver {
  std::string rule;          // rule id, or empty when `control` is given
  std::string control;       // control id, or empty
  std::string resource;      // address pattern with '*' wildcards
  std::string reason;
  std::string approved_by;
  std::string expires;       // YYYY-MM-DD
  std::string source;        // "file:line", or "tag on ADDRESS" for csapcheck:waive tags
  bool valid = false;        // well-formed and not expired
  bool expiring_soon = false;
  Text problem;              // why it is not applied
  std::size_t matched = 0;   // failing findings it turned into waived (0 = stale)
};

struct ControlResult {
  const catalog::Control* control = nullptr;
  Verdict verdict = Verdict::kManual;
  std::vector<std::string> rules;          // mapped rule ids (those present in the rule set)
  std::vector<std::size_t> findings;       // indices into Assessment::findings: this control's
  std::array<std::size_t, 4> finding_counts{};  // by engine::Status
  std::vector<std::string> evidence;       // what auditors expect from people
  bool automated = false;                  // at least one mapped rule
  bool needs_attestation = false;          // no rule, or evidence expected
  bool conditional = false;
  Text reason;                             // why the verdict, in both languages
  int attestation = -1;                    // index into Assessment::attestations, or -1
};

struct AreaResult {
  const catalog::Control* area = nullptr;
  Counts counts;         // over the area's assessed controls
  Counts automated;      // over those with rules
  Verdict verdict = Verdict::kPass;  // worst of its controls
};

struct Assessment {
  const catalog::Catalog* catalog = nullptr;
  catalog::Profile profile;
  const rules::RuleSet* rules = nullptr;
  const Deployment* deployment = nullptr;
  std::vector<engine::Finding> findings;
  std::vector<ControlResult> controls;  // assessed controls, catalog order
  std::vector<AreaResult> areas;        // catalog order
  Counts summary;
  Counts automated;                     // controls with at least one rule
  std::array<std::size_t, 4> finding_counts{};
  std::vector<std::string> notes;       // e.g. mapping entries for controls outside this catalog
  std::vector<Attestation> attestations;
  std::vector<Waiver> waivers;
  std::vector<int> finding_waiver;      // per finding: index into waivers when waived, else -1
  std::string today;                    // YYYY-MM-DD the assessment was made (expiry checks)
};

// Assessed controls are the baseline's leaves plus any control the mapping names directly.
Assessment assess(const catalog::Catalog& cat, const catalog::Profile& profile,
                  const std::vector<catalog::Mapping>& mappings, const rules::RuleSet& rules,
                  const Deployment& d, std::vector<engine::Finding> findings);

// Severity threshold for exit code 1: true when a failing finding of a rule at or above `min`
// belongs to a failing control (or, with no mapping, any failing finding).
bool fails_at(const Assessment& a, rules::Severity min);

}  // namespace csap::assess
