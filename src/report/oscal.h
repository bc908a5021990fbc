// OSCAL 1.1.3 assessment-results JSON (docs/reports.md): one result with the reviewed controls,
// observations (TEST for rule findings, EXAMINE for attestations), one finding per assessed
// control, risks for failing rules (open) and waived failures (deviation-approved). UUIDs are
// name-based (version 5), so the same assessment at the same time gives the same document.
#pragma once
#include <ostream>
#include <string>
#include <string_view>

#include "assess/assess.h"
#include "report/report.h"

namespace csap::report {

void write_oscal(std::ostream& os, const assess::Assessment& a, const ReportInfo& info);

// A control id as an OSCAL token (a letter or '_' first, then letters, digits, '.', '-', '_'): kept
// when it already is one; else "(" becomes ".", ")" is dropped, other characters become "_", and
// ids that do not start with a letter get "<catalog>-" in front ("1.1" → "csap-1.1").
std::string oscal_control_id(std::string_view catalog, std::string_view id);

}  // namespace csap::report
