// Resources written by hand in YAML (rule test cases and the conformance file), in the format
// /work/shared/conformance/rule-semantics.yaml describes: type, name, address, values, region,
// zone, site, module, provider, unknown: [paths], sensitive: [paths], refs: {attr: [addresses]}.
#pragma once
#include <string>

#include "core/error.h"
#include "core/yaml.h"
#include "model/deployment.h"

namespace csap::rules {

// Adds the resources of `list` (a YAML list, or a single mapping) to `d`, resolves their refs and
// reindexes the deployment.
Result<void> add_test_resources(const yaml::Node& list, Deployment& d, const std::string& file);

// Sets the value at `path` (e.g. "disks[1].encrypted") inside `root`, creating objects as needed.
Result<void> set_at_path(Value& root, std::string_view path, Value v, Arena& arena);

}  // namespace csap::rules
