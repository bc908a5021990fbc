// The console report for people at a terminal: header (tool, catalog, profile, inputs and their
// hashes), the catalog's notice, one block per area (catalog order) with its failing and unknown
// controls and their findings, the summary, attestations and waivers, warnings. Control characters
// from any input are shown escaped (docs/reports.md); only the report's own colours reach the
// terminal.
#pragma once
#include <ostream>
#include <string>
#include <string_view>

#include "assess/assess.h"
#include "report/report.h"

namespace csap::report {

void write_console(std::ostream& os, const assess::Assessment& a, const ReportInfo& info);

// Text made harmless for a terminal: C0 control characters other than the line feed, DEL, C1
// controls (U+0080–U+009F), the line and paragraph separators and the bidirectional overrides
// and isolates are written as \u followed by four hex digits ("\x1b" → "\u001b"); everything else
// is kept.
std::string terminal_escape(std::string_view s);

}  // namespace csap::report
