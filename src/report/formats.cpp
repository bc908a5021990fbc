// The format dispatch: one place that knows every report format.
#include <fmt/format.h>

#include "core/files.h"
#include "report/csv.h"
#include "report/html.h"
#include "report/junit.h"
#include "report/oscal.h"
#include "report/report.h"
#include "report/sarif.h"
#include "report/xlsx.h"

namespace csap::report {

const std::vector<std::string>& formats() {
  static const std::vector<std::string> kFormats = {
      "console", "json", "sarif", "junit", "oscal", "csv", "csv-findings", "xlsx", "html"};
  return kFormats;
}

std::string extension(std::string_view format) {
  if (format == "console") return "txt";
  if (format == "junit") return "junit.xml";
  if (format == "oscal") return "oscal.json";
  if (format == "csv-findings") return "findings.csv";
  return std::string(format);
}

Result<void> write(std::string_view format, const std::string& target, const assess::Assessment& a,
                   const ReportInfo& info) {
  if (format == "console")
    return write_file_atomically(target, [&](std::ostream& os) { write_console(os, a, info); });
  if (format == "json")
    return write_file_atomically(target, [&](std::ostream& os) { write_json(os, a, info); });
  if (format == "sarif")
    return write_file_atomically(target, [&](std::ostream& os) { write_sarif(os, a, info); });
  if (format == "junit")
    return write_file_atomically(target, [&](std::ostream& os) { write_junit(os, a, info); });
  if (format == "oscal")
    return write_file_atomically(target, [&](std::ostream& os) { write_oscal(os, a, info); });
  if (format == "csv")
    return write_file_atomically(target, [&](std::ostream& os) { write_csv(os, a, info); });
  if (format == "csv-findings")
    return write_file_atomically(target,
                                 [&](std::ostream& os) { write_csv_findings(os, a, info); });
  if (format == "xlsx") return write_xlsx(target, a, info);
  if (format == "html")
    return write_file_atomically(target, [&](std::ostream& os) { write_html(os, a, info); });
  std::string known;
  for (const auto& f : formats()) known += (known.empty() ? "" : ", ") + f;
  return fail(fmt::format("unknown report format '{}' (known: {})", format, known), {},
              Exit::kUsage);
}

}  // namespace csap::report
