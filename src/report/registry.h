// The report registry: one table of {name, extension, writer} that drives `--format`, the default
// output names and `report::write`. Every writer has the same signature and writes into a Sink,
// which gives stream writers an ostream and file writers (a library that writes a file by name) a
// path; both land atomically at the target. Adding a format: its own files, one line in the table
// (registry.cpp) and its section in docs/reports.md.
#pragma once
#include <functional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>

#include "assess/assess.h"
#include "core/error.h"
#include "report/report.h"

namespace csap::report {

// Where a report goes: a file (replaced atomically, nothing lost when writing fails) or standard
// output ("-" or empty).
class Sink {
 public:
  explicit Sink(std::string target) : target_(std::move(target)) {}
  const std::string& target() const { return target_; }

  // For writers that produce a stream of bytes.
  [[nodiscard]] Result<void> stream(const std::function<void(std::ostream&)>& write) const;
  // For writers that need a file name: `write` receives a fresh path to create and returns an
  // error message ("" on success). For standard output the file is built in a private temporary
  // file and copied out.
  [[nodiscard]] Result<void> file(
      const std::function<std::string(const std::string&)>& write) const;

 private:
  std::string target_;
};

// Every format's writer.
using Writer = Result<void> (*)(const Sink& sink, const assess::Assessment& a,
                                const ReportInfo& info);

struct Format {
  std::string_view name;       // --format value
  std::string_view extension;  // default output name: csapcheck-report.<extension>
  Writer write;
};

// Every format, in the order `--help` lists them.
std::span<const Format> registry();
// The format called `name`, or nullptr.
const Format* find_format(std::string_view name);

// Adapts a stream writer to the Writer signature.
template <void (*F)(std::ostream&, const assess::Assessment&, const ReportInfo&)>
Result<void> stream_writer(const Sink& sink, const assess::Assessment& a, const ReportInfo& info) {
  return sink.stream([&](std::ostream& os) { F(os, a, info); });
}

}  // namespace csap::report
