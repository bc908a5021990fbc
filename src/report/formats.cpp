// The format dispatch: one place that knows every report format.
#include <fmt/format.h>

#include "core/files.h"
#include "report/report.h"

namespace csap::report {

const std::vector<std::string>& formats() {
  static const std::vector<std::string> kFormats = {"console", "json"};
  return kFormats;
}

std::string extension(std::string_view format) {
  if (format == "console") return "txt";
  return std::string(format);
}

Result<void> write(std::string_view format, const std::string& target, const assess::Assessment& a,
                   const ReportInfo& info) {
  if (format == "console") return write_file_atomically(target, [&](std::ostream& os) { write_console(os, a, info); });
  if (format == "json") return write_file_atomically(target, [&](std::ostream& os) { write_json(os, a, info); });
  std::string known;
  for (const auto& f : formats()) known += (known.empty() ? "" : ", ") + f;
  return fail(fmt::format("unknown report format '{}' (known: {})", format, known), {}, Exit::kUsage);
}

}  // namespace csap::report
