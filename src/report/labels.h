// The report's words, in Korean and English, in one table. Strings with {} are fmt formats.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "assess/assess.h"
#include "core/text.h"
#include "engine/engine.h"
#include "rules/rule.h"

namespace csap::report {

enum class L {
  kReportTitle,  // header line after the tool name
  kCatalog,
  kProfile,
  kInputs,
  kResources,
  kGenerated,
  kNoInputs,
  kNotice,
  kStructureNotice,  // when a structural catalog has no notice of its own
  kAreas,
  kNoControls,
  kReason,
  kAttribute,
  kExpected,
  kActual,
  kRemediation,
  kAndMore,         // "… and {} more"
  kResourcesCount,  // "{} resources"
  kResourceOne,     // "1 resource"
  kSeeAbove,        // "details under {}"
  kManualHint,      // "{} controls need an attestation with evidence"
  kManualHintOne,   // "1 control needs an attestation with evidence"
  kManualHintCmd,   // "{}" = how to write a template
  kEvidence,
  kKnownAfterApply,
  kError,
  kSummary,
  kControls,
  kInScope,  // "{} in scope"
  kReadiness,
  kReadinessDetail,  // "pass {} of {} applicable"
  kAutomated,
  kAutomatedDetail,  // "pass {} of {} automated controls"
  kFindings,
  kTopFailing,
  kWarnings,
  kNotes,
  kOtherArea,
  kFormat,
  kTerraform,
  kMessageFail,     // "{title}: {attribute} — expected {expected}, actual {actual}"
  kMessageUnknown,  // "{title}: {attribute} — known after apply (expected {expected})"
  kMessageError,    // "{title}: error: {error}"
  kControlsShort,   // "controls"
  kMoreInputs,
  kAttestation,  // summary row: controls that need people's evidence       // "… and {} more
                 // inputs"
  kReferences,   // SARIF, JUnit, OSCAL: rule references
  kApprovedBy,   // a waiver's approver
  kExpires,      // a waiver's or attestation's expiry
  kWaiver,
  kOwner,              // an attestation's owner
  kReviewed,           // an attestation's review date
  kAssessmentResults,  // OSCAL document title
  kFailingResources,
  kAttested,        // summary row: readiness over the controls that need an attestation
  kAttestedDetail,  // "pass {0} of {1} controls that need an attestation"
  kEvidenceRow,     // summary row: attestations and waivers in force
  kEvidenceCounts,  // "attestations {0} counted, {1} not · waivers {2} applied, {3} stale, {4} not
                    // applied"
  kExpiringSoon,    // "{} expire within 30 days (see the warnings)"
  kAttestedBy,      // "attested" (under a control)
  kCount,
};

// The label in `lang`.
std::string_view tr(L label, Lang lang);
const Text& text(L label);

// Short verdict word for columns (FAIL / 부적합); verdict_text() in assess.h has the long form.
std::string_view verdict_short(assess::Verdict v, Lang lang);
// Finding status word (fail / 부적합 ...).
std::string_view status_word(engine::Status s, Lang lang);
// "1 resource" / "13 resources" (자원 13건).
std::string resources_count(std::size_t n, Lang lang);
// A catalog status (structure, official, extraction, custom) for people.
std::string_view catalog_status_word(std::string_view status, Lang lang);
// Severity word (CRITICAL / 긴급 ...).
std::string_view severity_word(rules::Severity s, Lang lang);

}  // namespace csap::report
