// Reports: an Assessment rendered for people (the console, HTML, the CSV and XLSX checklists) and
// for programs (JSON, schema csapcheck/report/v1, specified in docs/report-json.md; SARIF, JUnit,
// OSCAL). The formats are listed in one table (report/registry.h). Every format carries the catalog
// version, the profile, the input hashes and the tool version, and none carries a sensitive value:
// values from resources reach a report only through the engine's redacted Explanation, and are
// passed through redact_text once more on the way out.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "assess/assess.h"
#include "core/error.h"
#include "core/text.h"

namespace csap::report {

// The JSON report's schema id; additive changes keep it, removals and renames bump it.
inline constexpr std::string_view kJsonSchemaId = "csapcheck/report/v1";

// What every format carries besides the assessment.
struct ReportInfo {
  std::string tool_name = "csapcheck";
  std::string tool_version;  // CSAPCHECK_VERSION from "csap_version.h"
  std::string generated_at;  // ISO 8601 UTC, e.g. 2026-03-02T09:15:00Z
  Lang lang = Lang::kEn;
  bool color = false;    // console only: ANSI colours
  bool verbose = false;  // console only: list passing, manual and not-applicable controls too
  std::vector<std::string> warnings;  // e.g. stale waivers, skipped files
};

// The formats `write` knows, in the order `--help` lists them.
const std::vector<std::string>& formats();
// File extension for a format's default output name (console → txt).
std::string extension(std::string_view format);
// Writes the report in `format` to `target` ("-" for standard output), atomically: nothing already
// at `target` is lost when writing fails. Errors (unknown format, unwritable file) have exit code 2
// or 3.
Result<void> write(std::string_view format, const std::string& target, const assess::Assessment& a,
                   const ReportInfo& info);

// True when output to `fd` should be coloured: a terminal, NO_COLOR unset or empty, TERM not
// "dumb", and no --no-color flag.
bool use_color(int fd, bool no_color_flag);

// The current time as ISO 8601 UTC with seconds ("2026-03-02T09:15:00Z").
std::string now_utc();

// Display width of UTF-8 text in terminal columns: East Asian wide and fullwidth characters
// (Hangul syllables and jamo, CJK, kana, fullwidth forms, wide emoji) take 2, combining marks and
// ANSI escape sequences 0, everything else 1. Invalid bytes count 1 each.
std::size_t display_width(std::string_view s);
// `s` padded with spaces on the right (left for pad_left) to `width` columns; unchanged if wider.
std::string pad_right(std::string_view s, std::size_t width);
std::string pad_left(std::string_view s, std::size_t width);
// `s` cut to at most `width` columns, ending in "…" when cut; never splits a character.
std::string truncate_width(std::string_view s, std::size_t width);
// 1234567 → "1 234 567" (space-grouped, as in the progress line).
std::string group_digits(std::size_t n);

// A one-line progress indicator for long scans: "\r스캔 중 42% (42 000/100 000 자원)". Writes only
// when enabled (stderr is a terminal and --quiet is not given), only after
// `delay` has passed since construction, and at most once per `interval`. finish() (and the
// destructor) clears the line if anything was written. update() may be called from any thread.
class Progress {
 public:
  struct Options {
    std::chrono::milliseconds delay{400};
    std::chrono::milliseconds interval{100};
  };
  // On stderr, and only when `enabled` (pass !quiet) and stderr is a terminal.
  Progress(bool enabled, Lang lang);
  // On `out`, whenever `enabled` (no terminal check; for tests and callers that decide themselves).
  Progress(bool enabled, Lang lang, std::FILE* out, Options opts);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // True when stderr is a terminal and --quiet was not given.
  static bool wanted(bool quiet);

  void update(std::size_t done, std::size_t total);
  void finish();
  // The line update() would print (without "\r"); exposed for tests.
  static std::string line(Lang lang, std::size_t done, std::size_t total);

 private:
  bool enabled_;
  Lang lang_;
  std::FILE* out_;
  Options opts_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_{};
  std::size_t shown_width_ = 0;  // columns of the line on screen, 0 when none
  std::mutex mu_;
};

}  // namespace csap::report
