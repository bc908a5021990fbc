// csapcheck: where a cloud deployment stands against CSAP (클라우드 보안인증제), before the
// auditor. Builds the parser from the command table, runs the command given and prints its error.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <new>
#include <system_error>
#include <utility>
#include <vector>

#include "cli/command.h"
#include "core/error.h"
#include "csap_version.h"

using namespace csap;

namespace {

const std::vector<cli::Group>& groups() {
  static const std::vector<cli::Group> g = {
      {"config", "The project config (.csapcheck.yaml)"},
      {"evidence", "Evidence files: lock their hashes, verify them"},
      {"catalog", "Catalogs: list, show, gap, import, validate"},
      {"rules", "Rules: list, show, new, test, validate, coverage, docs"},
  };
  return g;
}

std::vector<cli::Command> command_table() {
  std::vector<cli::Command> all;
  for (auto* area : {&cli::scan_commands, &cli::history_commands, &cli::sign_commands,
                     &cli::catalog_commands, &cli::rules_commands})
    for (auto& c : (*area)()) all.push_back(std::move(c));
  return all;
}

// The one place errors are printed: "csapcheck: file:line:col: message", the problems that led to
// it first. Returns the process exit code.
int print_error(const Error& e) {
  for (const auto& d : e.details) fmt::print(stderr, "csapcheck: {}\n", d.str());
  fmt::print(stderr, "csapcheck: {}\n", e.str());
  return exit_code(e);
}

// Whatever was written to standard output must have arrived (a full disk, a closed pipe).
Result<void> flush_stdout() {
  std::cout.flush();
  bool ok = static_cast<bool>(std::cout);
  errno = 0;
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) ok = false;
  int err = errno;
  if (ok) return {};
  return fail(err ? fmt::format("cannot write to standard output: {}", std::strerror(err))
                  : std::string("cannot write to standard output (device full or closed)"));
}

Result<int> run(int argc, char** argv) {
  CLI::App app{
      "csapcheck: where a cloud deployment stands against CSAP (클라우드 보안인증제), before the "
      "auditor"};
  app.set_version_flag("--version", std::string("csapcheck ") + CSAPCHECK_VERSION);
  app.require_subcommand(1);
  app.fallthrough();

  auto table = command_table();
  std::map<std::string, CLI::App*> group_apps;
  std::vector<std::pair<CLI::App*, const cli::Command*>> parsers;
  for (const auto& c : table) {
    CLI::App* parent = &app;
    if (c.path.size() == 2) {
      auto& g = group_apps[c.path.front()];
      if (!g) {
        std::string help;
        for (const auto& x : groups())
          if (x.name == c.path.front()) help = x.help;
        g = app.add_subcommand(c.path.front(), help);
        g->require_subcommand(1);
      }
      parent = g;
    }
    CLI::App* sub = parent->add_subcommand(c.path.back(), c.help);
    c.options(*sub);
    parsers.emplace_back(sub, &c);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version print and succeed; everything else is a usage error.
    if (e.get_exit_code() == 0) return app.exit(e);
    return fail(fmt::format("{} (see --help)", e.what()), {}, Exit::kUsage);
  }
  for (const auto& [sub, c] : parsers)
    if (sub->parsed()) return c->run();
  return fail("choose a command (see --help)", {}, Exit::kUsage);
}

}  // namespace

int main(int argc, char** argv) {
  Result<int> r = fail("no command run", {}, Exit::kInternal);
  try {
    r = run(argc, argv);
  } catch (const std::bad_alloc&) {
    r = fail("out of memory");
  } catch (const std::system_error& e) {
    // fmt::print throws when standard output cannot be written: that is reported below.
    if (!std::ferror(stdout))
      r = fail(fmt::format("internal error: {}", e.what()), {}, Exit::kInternal);
    else
      r = 0;
  } catch (const std::exception& e) {
    r = fail(fmt::format("internal error: {}", e.what()), {}, Exit::kInternal);
  }
  auto out = flush_stdout();
  if (!r) return print_error(r.error());
  if (!out) return print_error(out.error());
  return *r;
}
