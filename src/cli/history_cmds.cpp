// history and diff: runs recorded with scan --store, and what changed between two of them.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "app/config.h"
#include "app/history.h"
#include "cli/command.h"
#include "store/store.h"

namespace csap::cli {
namespace {

struct StoreOpts {
  std::string config;
  std::string store;
  std::string system;
  std::string format = "text";
};

void store_options(CLI::App& a, StoreOpts& o) {
  a.add_option("--store", o.store,
               "History store (default: the config's store, else .csapcheck/history.db beside "
               "the config)");
  a.add_option("--system", o.system, "Only the runs of this system (default: the config's)");
  a.add_option("--config", o.config,
               "Project config (default: .csapcheck.yaml here or in a directory above)");
  a.add_option("--format", o.format, "text or json")->check(CLI::IsMember({"text", "json"}));
}

// The store and the system from the options, then the config.
Result<std::pair<std::string, std::string>> store_and_system(const StoreOpts& o) {
  auto cfg = app::resolve_config(o.config, {});
  if (!cfg) return forward(cfg);
  std::string db = !o.store.empty() ? o.store : cfg->value("store", app::default_store(*cfg));
  std::string system = !o.system.empty() ? o.system : cfg->value("system");
  return std::pair{db, system};
}

Result<int> history(const StoreOpts& o) {
  auto where = store_and_system(o);
  if (!where) return forward(where);
  auto runs = store::list_runs(where->first, where->second);
  if (!runs) return forward(runs);
  if (o.format == "json") {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& r : *runs)
      arr.push_back({{"id", r.id},
                     {"system", r.system},
                     {"started_at", r.started_at},
                     {"catalog", r.catalog},
                     {"profile", r.profile},
                     {"readiness", r.readiness},
                     {"failures", r.failures},
                     {"controls_failing", r.controls_failing}});
    std::cout << arr.dump(2) << '\n';
    return 0;
  }
  if (runs->empty()) {
    fmt::print("no runs recorded{}\n",
               where->second.empty() ? "" : " for system '" + where->second + "'");
    return 0;
  }
  fmt::print("{:>5}  {:<20}  {:<16}  {:<8}  {:<16}  {:>9}  {:>8}  {:>8}\n", "run", "started (UTC)",
             "system", "catalog", "profile", "readiness", "failures", "controls");
  for (const auto& r : *runs)
    fmt::print("{:>5}  {:<20}  {:<16}  {:<8}  {:<16}  {:>8.1f}%  {:>8}  {:>8}\n", r.id,
               r.started_at, r.system, r.catalog, r.profile, r.readiness * 100, r.failures,
               r.controls_failing);
  return 0;
}

struct DiffOpts {
  StoreOpts where;
  std::string a, b;
};

Result<int> diff(const DiffOpts& o) {
  auto where = store_and_system(o.where);
  if (!where) return forward(where);
  auto a = app::resolve_run(o.a, where->first, where->second);
  if (!a) return forward(a);
  auto b = app::resolve_run(o.b, where->first, where->second);
  if (!b) return forward(b);
  auto d = app::diff(*a, *b);
  if (o.where.format == "json")
    app::write_diff_json(std::cout, d, *a, *b);
  else
    app::write_diff_text(std::cout, d, *a, *b);
  return 0;
}

}  // namespace

std::vector<Command> history_commands() {
  std::vector<Command> out;
  out.push_back(command<StoreOpts>({"history"}, "List the runs recorded with scan --store",
                                   store_options, history));
  out.push_back(command<DiffOpts>(
      {"diff"},
      "New, fixed and unchanged failures and changed control verdicts between two runs (run "
      "ids, latest, previous, or JSON reports)",
      [](CLI::App& a, DiffOpts& o) {
        a.add_option("A", o.a, "The earlier run: an id, latest, previous or a JSON report")
            ->required();
        a.add_option("B", o.b, "The later run")->required();
        store_options(a, o.where);
      },
      diff));
  return out;
}

}  // namespace csap::cli
