// What changes between two tiers of one catalog, and what a target framework asks for when a
// deployment moves from a CSAP profile to an N²SF grade (through the reported correspondence).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "core/error.h"
#include "core/text.h"

namespace csap::catalog {

struct Gap {
  std::string catalog;
  std::string service;
  std::string from_tier;
  std::string to_tier;
  std::vector<const Control*> added;    // in scope at `to`, not at `from` (catalog order)
  std::vector<const Control*> removed;  // in scope at `from`, not at `to` (a downgrade)
};

// Controls that enter and leave scope when `service` moves from one tier to another. The
// pointers refer into `cat`, which must outlive the result.
Result<Gap> gap(const Catalog& cat, std::string_view service, std::string_view from_tier,
                std::string_view to_tier);

struct CrossGap {
  std::string from_catalog;
  std::string from_profile;
  std::string from_tier;
  std::string to_catalog;
  std::string to_service;
  std::string to_tier;
  // "reported" (or whatever the target catalog's correspondence says); "chosen" when the target
  // tier was given by the user and no correspondence states it.
  std::string status;
  std::string fit;
  std::string source;
  Text note;
  std::vector<const Control*> required;  // target controls in scope at to_tier (catalog order)
  std::size_t required_leaves = 0;       // of which leaves (no children)
};

// From a profile of `from` (e.g. CSAP saas-moderate) to a tier of `to` (e.g. N²SF S): the target
// tier comes from `to`'s correspondence list unless `to_tier` is given. Fails when neither names
// one. The target service type is the profile's when `to` has it, else `to`'s only service type.
Result<CrossGap> cross_gap(const Catalog& from, const Profile& from_profile, const Catalog& to,
                           std::string_view to_tier = {});

}  // namespace csap::catalog
