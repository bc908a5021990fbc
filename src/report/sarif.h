// SARIF 2.1.0 for code-scanning upload (docs/reports.md): one run, one rule per rule of the rule
// set, one result per failing, unknown or erroring finding; waived failures carry a suppression.
#pragma once
#include <ostream>
#include <string_view>

#include "assess/assess.h"
#include "report/report.h"
#include "rules/rule.h"

namespace csap::report {

void write_sarif(std::ostream& os, const assess::Assessment& a, const ReportInfo& info);

// error (critical, high), warning (medium), note (low, info).
std::string_view sarif_level(rules::Severity s);
// GitHub's security-severity score: 9.5, 8.0, 5.5, 3.0, 1.0 (as the string GitHub expects).
std::string_view security_severity(rules::Severity s);

}  // namespace csap::report
