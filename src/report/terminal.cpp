// Terminal concerns: whether to colour, the progress line, the report's timestamp.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <string>

#include "report/report.h"

namespace csap::report {

bool use_color(int fd, bool no_color_flag) {
  if (no_color_flag) return false;
  if (const char* nc = std::getenv("NO_COLOR"); nc && *nc) return false;
  if (const char* term = std::getenv("TERM"); term && std::string_view(term) == "dumb")
    return false;
  return ::isatty(fd) == 1;
}

std::string now_utc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Progress::Progress(bool enabled, Lang lang)
    : Progress(enabled && ::isatty(STDERR_FILENO) == 1, lang, stderr, Options{}) {}

Progress::Progress(bool enabled, Lang lang, std::FILE* out, Options opts)
    : enabled_(enabled && out != nullptr),
      lang_(lang),
      out_(out),
      opts_(opts),
      start_(std::chrono::steady_clock::now()) {}

Progress::~Progress() {
  finish();
}

bool Progress::wanted(bool quiet) {
  return !quiet && ::isatty(STDERR_FILENO) == 1;
}

std::string Progress::line(Lang lang, std::size_t done, std::size_t total) {
  std::size_t pct = total == 0 ? 100 : (done >= total ? 100 : done * 100 / total);
  if (lang == Lang::kKo)
    return fmt::format("스캔 중 {}% ({}/{} 자원)", pct, group_digits(done), group_digits(total));
  return fmt::format("Scanning {}% ({}/{} resources)", pct, group_digits(done),
                     group_digits(total));
}

void Progress::update(std::size_t done, std::size_t total) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  if (now - start_ < opts_.delay) return;
  if (shown_width_ > 0 && now - last_ < opts_.interval) return;
  last_ = now;
  std::string text = line(lang_, done, total);
  std::size_t w = display_width(text);
  // Overwrite a longer previous line completely.
  std::string pad = shown_width_ > w ? std::string(shown_width_ - w, ' ') : std::string();
  std::fprintf(out_, "\r%s%s", text.c_str(), pad.c_str());
  std::fflush(out_);
  shown_width_ = std::max(shown_width_, w);
}

void Progress::finish() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!enabled_ || shown_width_ == 0) return;
  std::fprintf(out_, "\r%s\r", std::string(shown_width_, ' ').c_str());
  std::fflush(out_);
  shown_width_ = 0;
}

}  // namespace csap::report
