// Which controls each rule serves, from the bundled mappings (and any given on the command line):
// the index behind `rules list --format json` and the rule pages.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "catalog/mapping.h"
#include "core/error.h"

namespace csap::catalog {

// rule id -> catalog id -> control ids (in the catalog's order where the catalog is bundled,
// natural order otherwise; duplicates removed). From every bundled mapping, plus `extra`.
using RuleControls = std::map<std::string, std::map<std::string, std::vector<std::string>>>;
Result<RuleControls> rule_controls(const std::vector<Mapping>& extra = {});

}  // namespace csap::catalog
