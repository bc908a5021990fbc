// The HTML report: one self-contained page (inline CSS and SVG, no external requests; the optional
// script only adds a search box) with the header, readiness per area as a chart, the control table
// with filters, each failure with its resources and remediation, attestations and waivers with
// their expiry, and a print stylesheet. Internal to src/report.
#pragma once
#include <ostream>
#include <string>
#include <string_view>

#include "assess/assess.h"
#include "report/report.h"

namespace csap::report {

void write_html(std::ostream& os, const assess::Assessment& a, const ReportInfo& info);

// Text escaped for HTML element content and attribute values (& < > " ').
std::string html_escape(std::string_view s);

}  // namespace csap::report
