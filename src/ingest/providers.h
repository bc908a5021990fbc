// Per-provider location facts (data/providers.yaml): which attributes hold a resource's region and
// zone, which types are global, and the provider's defaults.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/error.h"

namespace re2 {
class RE2;
}

namespace csap::ingest {

struct ProviderLocation {
  std::vector<std::string> region_attributes;
  std::vector<std::string> zone_attributes;
  std::shared_ptr<re2::RE2> zone_to_region;  // first capture group is the region
  bool arn_region = false;
  bool lower_nospace = false;  // normalize "Korea Central" -> koreacentral
  std::string config_region;   // provider configuration argument names
  std::string config_zone;
  std::string config_site;
  std::optional<std::string> default_region;  // absent: unknown
  std::optional<std::string> default_site;
  std::vector<std::string> global_types;  // globs; "!glob" excludes
};

class ProviderTable {
 public:
  // The table compiled into the binary (parsed once, on first use).
  static const ProviderTable& builtin();
  static Result<ProviderTable> parse(std::string_view yaml_text, const std::string& file);

  // nullptr for providers not listed.
  const ProviderLocation* find(std::string_view provider) const;
  // Providers whose resources have no location at all (random, null, tls, ...).
  bool no_location(std::string_view provider) const;
  // True when `type` matches the provider's global types.
  bool is_global(const ProviderLocation& p, std::string_view type) const;
  // Region derived from a zone string, or empty.
  std::string region_of_zone(const ProviderLocation& p, std::string_view zone) const;
  std::string normalize_region(const ProviderLocation& p, std::string_view region) const;

 private:
  std::unordered_map<std::string, ProviderLocation> providers_;
  std::unordered_set<std::string> no_location_;
};

// Glob match with '*' only.
bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace csap::ingest
