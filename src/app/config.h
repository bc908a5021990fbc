// The project config: `.csapcheck.yaml` in the scanned directory or above it (or --config FILE).
// Every key is a default for the option of the same name; an option given on the command line
// wins. Paths in the config are relative to the config file.
#pragma once
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/error.h"

namespace csap::app {

inline constexpr const char* kConfigName = ".csapcheck.yaml";

// One setting and where it came from: "FILE:line:col", "command line" or "default".
struct Setting {
  std::vector<std::string> values;  // one for single-valued keys
  std::string origin;
};

struct ProjectConfig {
  std::string file;                         // the config file read; empty when there is none
  std::map<std::string, Setting> settings;  // by key, only the keys set

  const Setting* get(const std::string& key) const;
  // The single value of a key, or `fallback` when it is not set.
  std::string value(const std::string& key, const std::string& fallback = {}) const;
  // Sets a key from the command line (replacing the config's value); no-op for empty `values`.
  void override_with(const std::string& key, std::vector<std::string> values);
};

// The keys a config may hold, in the order `config show` prints them.
const std::vector<std::string>& config_keys();

// The nearest `.csapcheck.yaml` in `start` (a directory, or a file's directory) or above it.
std::optional<std::string> find_config(const std::string& start);

// Reads a config file. Unknown keys, wrong types and empty values are errors at file:line:col.
Result<ProjectConfig> load_config(const std::string& path);

// The config for a command: `explicit_file` when given (it must exist), else the one found from
// the first of `paths` (or the working directory); none found is an empty config.
Result<ProjectConfig> resolve_config(const std::string& explicit_file,
                                     const std::vector<std::string>& paths);

// The keys' defaults when neither the config nor the command line sets them.
const std::map<std::string, std::vector<std::string>>& config_defaults();

// `config show`: the config file read, then each key, its value and where it came from.
void write_config(std::ostream& os, const ProjectConfig& cfg);

}  // namespace csap::app
