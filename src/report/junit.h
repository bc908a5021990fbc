// JUnit XML (Ant / JUnitReport schema, as GitLab and Jenkins read it; docs/reports.md): one
// <testsuite> per area, one <testcase> per assessed control. fail → <failure> with the failing
// resources; manual, unknown and not-applicable → <skipped> with the reason; pass and waived pass,
// waivers and attestations noted in the suite's <system-out>.
#pragma once
#include <ostream>

#include "assess/assess.h"
#include "report/report.h"

namespace csap::report {

void write_junit(std::ostream& os, const assess::Assessment& a, const ReportInfo& info);

}  // namespace csap::report
