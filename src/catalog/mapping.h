// Mappings: catalog control id -> the rules that test it and the evidence it expects from people
// (DESIGN.md §4). Several mappings may target one catalog; merge_mappings() combines them.
#pragma once
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/catalog.h"
#include "core/error.h"
#include "core/yaml.h"

namespace csap::catalog {

struct ControlMapping {
  std::string control;
  std::vector<std::string> rules;
  std::vector<std::string> evidence;
  bool conditional = false;  // not-applicable when no resource of any mapped type exists
  // tier -> ("RULE.param", value) overrides, in document order.
  std::map<std::string, std::vector<std::pair<std::string, yaml::Node>>> params;
  int line = 0;  // of the control key
  int column = 0;
  std::string file;                           // the mapping file it came from
  std::vector<std::pair<int, int>> rule_pos;  // line, column of each entry of `rules`
  std::map<std::string, std::vector<std::pair<int, int>>> param_pos;  // of each params key
  std::map<std::string, std::pair<int, int>> tier_pos;                // of each params tier
};

struct Mapping {
  std::string id;
  std::string catalog;
  std::string file;
  std::vector<ControlMapping> controls;  // document order

  const ControlMapping* find(std::string_view control) const;
};

// Parses a mapping document. Errors point at file:line:col (exit code 3).
Result<Mapping> load_mapping_text(std::string_view text, const std::string& file);
Result<Mapping> load_mapping_file(const std::string& path);

// Every problem of a mapping against its catalog and the known rule ids: wrong catalog, unknown
// control, unknown rule (in `rules` or in a params key), unknown tier in params. In file order.
std::vector<Error> check_mapping(const Mapping& m, const Catalog& cat,
                                 const std::set<std::string>& rule_ids);
// The first of check_mapping's errors, e.g.
// "file:12:7: mapping names rule 'X' that does not exist".
Result<void> validate_mapping(const Mapping& m, const Catalog& cat,
                              const std::set<std::string>& rule_ids);

// Combines mappings of one catalog: rules and evidence are united (first occurrence kept), a
// control stays conditional only when every mapping that names it says so, and params of later
// mappings override earlier ones. Mappings of different catalogs are an error.
Result<Mapping> merge_mappings(const std::vector<Mapping>& mappings);

// The mappings bundled in the binary (data/mappings/*.yaml) that target `catalog` (all of them when
// `catalog` is empty), named "bundled:mappings/FILE" in messages.
Result<std::vector<Mapping>> bundled_mappings(std::string_view catalog);

}  // namespace csap::catalog
