#include "catalog/gap.h"

#include <fmt/format.h>

#include <unordered_set>

namespace csap::catalog {

Result<Gap> gap(const Catalog& cat, std::string_view service, std::string_view from_tier,
                std::string_view to_tier) {
  // Validates all three names with the catalog's own messages.
  if (auto p = cat.resolve_profile(service, from_tier); !p) return std::unexpected(p.error());
  if (auto p = cat.resolve_profile(service, to_tier); !p) return std::unexpected(p.error());
  Gap g{cat.id, std::string(service), std::string(from_tier), std::string(to_tier), {}, {}};
  auto from = cat.baseline(service, from_tier);
  auto to = cat.baseline(service, to_tier);
  std::unordered_set<const Control*> in_from(from.begin(), from.end());
  std::unordered_set<const Control*> in_to(to.begin(), to.end());
  for (const Control* c : to)
    if (!in_from.contains(c)) g.added.push_back(c);
  for (const Control* c : from)
    if (!in_to.contains(c)) g.removed.push_back(c);
  return g;
}

Result<CrossGap> cross_gap(const Catalog& from, const Profile& from_profile, const Catalog& to,
                           std::string_view to_tier) {
  CrossGap g;
  g.from_catalog = from.id;
  g.from_profile = from_profile.id;
  g.from_tier = from_profile.tier;
  g.to_catalog = to.id;
  const Correspondence* corr = nullptr;
  for (const auto& c : to.correspondence)
    if (c.from_catalog == from.id && c.from_tier == from_profile.tier &&
        (to_tier.empty() || c.to_tier == to_tier)) {
      corr = &c;
      break;
    }
  if (!to_tier.empty()) {
    if (!to.find_tier(to_tier))
      return fail(fmt::format("catalog '{}' has no tier '{}'", to.id, to_tier), {}, Exit::kUsage);
    g.to_tier = std::string(to_tier);
    g.status = corr ? corr->status : "chosen";
  } else {
    if (!corr)
      return fail(fmt::format("catalog '{}' states no correspondence for {} tier '{}'; name the "
                              "target tier",
                              to.id, from.id, from_profile.tier),
                  {}, Exit::kUsage);
    g.to_tier = corr->to_tier;
    g.status = corr->status;
  }
  if (corr) {
    g.fit = corr->fit;
    g.source = corr->source;
    g.note = corr->note;
  }
  if (to.find_service(from_profile.service))
    g.to_service = from_profile.service;
  else if (to.service_types.size() == 1)
    g.to_service = to.service_types.front().id;
  else
    return fail(fmt::format("catalog '{}' has no service type '{}' and several others; cannot "
                            "choose one",
                            to.id, from_profile.service),
                {}, Exit::kUsage);
  g.required = to.baseline(g.to_service, g.to_tier);
  for (const Control* c : g.required)
    if (to.is_leaf(*c)) ++g.required_leaves;
  return g;
}

}  // namespace csap::catalog
