// The JSON report for programs: schema csapcheck/report/v1 (kJsonSchemaId), specified in
// docs/report-json.md and docs/report.schema.json.
#pragma once
#include <ostream>

#include "assess/assess.h"
#include "report/report.h"

namespace csap::report {

// Pretty-printed with two-space indents and a final newline.
void write_json(std::ostream& os, const assess::Assessment& a, const ReportInfo& info);

}  // namespace csap::report
