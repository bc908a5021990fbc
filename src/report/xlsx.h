// The checklist as an Excel workbook (libxlsxwriter): 점검표 (one row per control under a header
// block with the catalog, profile, inputs and their sha256, tool version and date), 발견사항
// (findings), 예외·증적 (waivers and attestations) and 분야별 현황 (readiness per area). Internal
// to src/report.
#pragma once
#include <string>

#include "assess/assess.h"
#include "core/error.h"
#include "report/registry.h"
#include "report/report.h"

namespace csap::report {

// Writes the workbook to `path` (the file is created or replaced). Returns "" on success, else
// what went wrong.
std::string write_xlsx_file(const std::string& path, const assess::Assessment& a,
                            const ReportInfo& info);

// The registry's writer: the workbook into `sink` (a file, or standard output).
Result<void> write_xlsx(const Sink& sink, const assess::Assessment& a, const ReportInfo& info);

}  // namespace csap::report
