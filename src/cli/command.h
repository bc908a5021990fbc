// The command table: every command and subcommand is declared once, with its name, help, options
// and handler. main() builds the CLI11 parser from the table, runs the one command given and
// prints its error, if any; handlers print their output and return the exit code or an error.
#pragma once
#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/pipeline.h"
#include "core/error.h"

namespace csap::cli {

struct Command {
  std::vector<std::string> path;  // {"scan"}, {"evidence", "lock"}: a group, then its subcommand
  std::string help;
  std::function<void(CLI::App&)> options;  // declares the options, bound to the command's state
  std::function<Result<int>()> run;        // after parsing: the exit code, or the error to print
};

// A command whose options fill an `Opts` that its handler then reads.
template <class Opts>
Command command(std::vector<std::string> path, std::string help,
                std::function<void(CLI::App&, Opts&)> options,
                std::function<Result<int>(const Opts&)> run) {
  auto state = std::make_shared<Opts>();
  return Command{std::move(path), std::move(help),
                 [state, options = std::move(options)](CLI::App& a) { options(a, *state); },
                 [state, run = std::move(run)]() { return run(*state); }};
}

// A group of subcommands ("evidence", "catalog", "rules"): its help line.
struct Group {
  std::string name;
  std::string help;
};

// Options most commands share.
struct CommonOpts {
  app::Sources sources;
  app::ProfileChoice profile;
  std::string lang;
};
void add_common(CLI::App& a, CommonOpts& o, bool with_profile);
void add_evidence(CLI::App& a, app::EvidenceOptions& ev, bool waivers);

// The commands of each area, in the order `--help` lists them.
std::vector<Command> scan_commands();     // scan, init, evidence lock|verify, roadmap
std::vector<Command> catalog_commands();  // catalog list|show|gap|import|validate
std::vector<Command> rules_commands();    // rules list|show|new|test|validate|coverage|docs
std::vector<Command> history_commands();  // history, diff
std::vector<Command> sign_commands();     // keygen, verify

}  // namespace csap::cli
