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
#include "evidence/evidence.h"
#include "model/deployment.h"
#include "rules/ruleset.h"

namespace csap::assess {

enum class Verdict : std::uint8_t { kPass, kFail, kUnknown, kManual, kWaived, kNotApplicable };
inline constexpr std::size_t kVerdicts = 6;
std::string_view verdict_name(Verdict v);  // pass, fail, unknown, manual, waived, not-applicable
Text verdict_text(Verdict v);              // 적합 / pass ...

struct Counts {
  std::array<std::size_t, kVerdicts> by_verdict{};
  std::size_t total() const;
  std::size_t operator[](Verdict v) const { return by_verdict[static_cast<std::size_t>(v)]; }
  void add(Verdict v) { ++by_verdict[static_cast<std::size_t>(v)]; }
  // pass / (total − not-applicable); 0 when nothing is in scope.
  double readiness() const;
};

// Attestations, evidence files and waivers are read and checked by src/evidence (evidence.h).
using evidence::Attestation;
using evidence::EvidenceFile;
using evidence::Waiver;

// What people contribute to an assessment: attestations, waivers (from files and resource tags)
// and the date that decides expiry ("" = today on the local clock).
struct Evidence {
  std::vector<Attestation> attestations;
  std::vector<Waiver> waivers;
  std::string today;
};

struct ControlResult {
  const catalog::Control* control = nullptr;
  Verdict verdict = Verdict::kManual;
  std::vector<std::string> rules;               // mapped rule ids (those present in the rule set)
  std::vector<std::size_t> findings;            // indices into Assessment::findings: this control's
  std::array<std::size_t, 4> finding_counts{};  // by engine::Status
  std::vector<std::string> evidence;            // what auditors expect from people
  bool automated = false;                       // at least one mapped rule
  bool needs_attestation = false;               // no rule, or evidence expected
  bool conditional = false;
  Text reason;                   // why the verdict, in both languages
  int attestation = -1;          // index into Assessment::attestations, or -1
  std::vector<int> waived;       // parallel to `findings`: the waiver (index into
                                 // Assessment::waivers) that accepted a failing finding, or -1
  std::size_t waived_count = 0;  // failing findings accepted by a waiver
};

struct AreaResult {
  const catalog::Control* area = nullptr;
  Counts counts;     // over the area's assessed controls
  Counts automated;  // over those with rules
  Counts attested;   // over those that need an attestation (no rule, or evidence expected)
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
  Counts automated;  // controls with at least one rule
  Counts attested;   // controls that need an attestation
  std::array<std::size_t, 4> finding_counts{};
  std::vector<std::string> notes;  // e.g. mapping entries for controls outside this catalog
  std::vector<Attestation> attestations;
  std::vector<Waiver> waivers;
  std::vector<int> finding_waiver;  // per finding: index into waivers when a rule waiver accepted
                                    // it (control waivers are per control: ControlResult::waived)
  std::string today;                // YYYY-MM-DD the assessment was made (expiry checks)
};

// Assessed controls are the baseline's leaves plus any control the mapping names directly.
Assessment assess(const catalog::Catalog& cat, const catalog::Profile& profile,
                  const std::vector<catalog::Mapping>& mappings, const rules::RuleSet& rules,
                  const Deployment& d, std::vector<engine::Finding> findings);
// The same with attestations and waivers (DESIGN.md §3):
//   fail     a mapped finding fails and no valid waiver accepts it, or the attestation says the
//            control is not met (status partial or planned; in date or not);
//   unknown  else, a finding is unknown (or an error);
//   not-applicable  else, a valid attestation says not-applicable (with its reason), or the mapping
//            is conditional and no resource of a mapped type exists;
//   manual   else, the control needs an attestation (no rule, evidence expected, or no resource to
//            check) and has no valid one: missing, expired, evidence file missing or changed;
//   waived   else, a waiver accepted at least one failing finding;
//   pass     otherwise.
Assessment assess(const catalog::Catalog& cat, const catalog::Profile& profile,
                  const std::vector<catalog::Mapping>& mappings, const rules::RuleSet& rules,
                  const Deployment& d, std::vector<engine::Finding> findings, Evidence evidence);

// Severity threshold for exit code 1: true when a failing finding of a rule at or above `min`
// belongs to a failing control (or, with no mapping, any failing finding).
bool fails_at(const Assessment& a, rules::Severity min);

}  // namespace csap::assess
