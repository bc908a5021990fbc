// The report registry and the sink every writer writes into.
#include "report/registry.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/files.h"
#include "report/console.h"
#include "report/csv.h"
#include "report/html.h"
#include "report/json.h"
#include "report/junit.h"
#include "report/oscal.h"
#include "report/sarif.h"
#include "report/xlsx.h"

namespace csap::report {

namespace fs = std::filesystem;

namespace {

constexpr Format kFormats[] = {
    {"console", "txt", stream_writer<write_console>},
    {"json", "json", stream_writer<write_json>},
    {"sarif", "sarif", stream_writer<write_sarif>},
    {"junit", "junit.xml", stream_writer<write_junit>},
    {"oscal", "oscal.json", stream_writer<write_oscal>},
    {"csv", "csv", stream_writer<write_csv>},
    {"csv-findings", "findings.csv", stream_writer<write_csv_findings>},
    {"xlsx", "xlsx", write_xlsx},
    {"html", "html", stream_writer<write_html>},
};

bool is_stdout(const std::string& target) {
  return target.empty() || target == "-";
}

}  // namespace

Result<void> Sink::stream(const std::function<void(std::ostream&)>& write) const {
  return write_file_atomically(target_, write);
}

Result<void> Sink::file(const std::function<std::string(const std::string&)>& write) const {
  if (!is_stdout(target_)) return write_path_atomically(target_, write);
  // Standard output: build the file in a directory only this process can enter, then copy it out.
  std::error_code ec;
  fs::path base = fs::temp_directory_path(ec);
  if (ec) base = "/tmp";
  std::string dir_template = (base / "csapcheck-XXXXXX").string();
  if (::mkdtemp(dir_template.data()) == nullptr)
    return fail(fmt::format("cannot create a temporary directory in {}: {}", base.string(),
                            std::strerror(errno)),
                {});
  const fs::path dir = dir_template;
  const fs::path tmp = dir / "report";
  std::string err = write(tmp.string());
  Result<void> copied;
  if (err.empty()) {
    std::ifstream in(tmp, std::ios::binary);
    if (!in) err = "cannot read the temporary file back";
    if (err.empty())
      copied = write_file_atomically("-", [&](std::ostream& os) { os << in.rdbuf(); });
  }
  fs::remove_all(dir, ec);
  if (!err.empty()) return fail(fmt::format("cannot write the report: {}", err), {});
  return copied;
}

std::span<const Format> registry() {
  return kFormats;
}

const Format* find_format(std::string_view name) {
  for (const auto& f : kFormats)
    if (f.name == name) return &f;
  return nullptr;
}

const std::vector<std::string>& formats() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> v;
    for (const auto& f : kFormats) v.emplace_back(f.name);
    return v;
  }();
  return kNames;
}

std::string extension(std::string_view format) {
  const Format* f = find_format(format);
  return f ? std::string(f->extension) : std::string(format);
}

Result<void> write(std::string_view format, const std::string& target, const assess::Assessment& a,
                   const ReportInfo& info) {
  const Format* f = find_format(format);
  if (!f) {
    std::string known;
    for (const auto& k : kFormats) known += fmt::format("{}{}", known.empty() ? "" : ", ", k.name);
    return fail(fmt::format("unknown report format '{}' (known: {})", format, known), {},
                Exit::kUsage);
  }
  return f->write(Sink(target), a, info);
}

}  // namespace csap::report
