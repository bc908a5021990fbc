// Control catalogs (CSAP, ISMS-P, N²SF or the user's own): hierarchical controls, the service
// types and tiers they apply to, and the profiles that select them (DESIGN.md §3, §4).
#pragma once
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "core/text.h"

namespace csap::catalog {

// A tier (high / moderate / low; N²SF C / S / O; ...). Listed from the most demanding down.
struct Tier {
  std::string id;
  Text title;  // ko/en, e.g. 상 / high
  Text note;
};

struct ServiceType {
  std::string id;  // iaas, saas, daas, all, ...
  Text title;
  Text note;
};

// A named (service type, tier) selection, e.g. saas-moderate.
struct Profile {
  std::string id;
  std::string service;
  std::string tier;
};

// service type -> tiers at which a control applies.
using Applies = std::map<std::string, std::set<std::string>>;

struct Control {
  std::string id;      // "10", "10.3", "R11", "N2SF-LP-4(1)"
  std::string parent;  // empty for a top-level area
  Text title;
  std::string kind;  // technical | procedural | physical, or empty
  // Where the control applies. nullopt = not stated: inherited from the parent; a control with no
  // stated applies anywhere up its chain applies everywhere when it is a leaf, and where any of its
  // children applies otherwise.
  std::optional<Applies> applies;
  std::string basis;  // label and sources, e.g. "confirmed [S6, S7]"
  Text statement;
  Text note;
  int line = 0;  // where it is defined in its source file (0 when not from a file)
};

// A reported correspondence between a tier of another catalog and a tier of this one
// (e.g. CSAP high -> N²SF C). Never official unless `status` says so.
struct Correspondence {
  std::string from_catalog;
  std::string from_tier;
  std::string to_tier;
  std::string status;  // reported | official | ...
  std::string fit;     // good | partial | ... (free text, may be empty)
  std::string source;
  Text note;
};

struct Reference {
  std::string id;  // S1, S22, ...
  std::string text;
};

class Catalog {
 public:
  std::string id;
  std::string version;
  std::string status;  // structure | official | extraction | custom
  Text title;
  Text notice;
  std::vector<Tier> tiers;
  std::vector<ServiceType> service_types;
  std::vector<Profile> profiles;
  std::vector<Control> controls;  // document order
  std::vector<Correspondence> correspondence;
  std::vector<Reference> references;
  std::string source;  // the file it came from, or "bundled:<name>"

  // Rebuilds the indexes (ids, children, areas, depths, applies, scope); call after changing
  // `controls` (ids, parents or applies) directly. Loaders call it.
  void reindex();

  const Control* find(std::string_view id) const;
  const Tier* find_tier(std::string_view id) const;
  const ServiceType* find_service(std::string_view id) const;
  const Profile* find_profile(std::string_view id) const;
  // Position of a control in catalog order; npos when unknown.
  std::size_t index_of(std::string_view id) const;

  // The top-level ancestor (area) of a control; the control itself when it has no parent.
  const Control* area_of(std::string_view id) const;
  const Control* parent_of(const Control& c) const;
  std::vector<const Control*> children(std::string_view id) const;  // catalog order
  std::vector<const Control*> roots() const;                        // top-level areas
  int depth(const Control& c) const;                                // 0 for an area
  bool is_leaf(const Control& c) const;
  // The applies that holds for `c`: its own, else the nearest ancestor's; nullopt when none.
  const Applies* effective_applies(const Control& c) const;

  // Whether `c` is in scope for (service, tier). An area is in scope when any descendant is.
  bool in_scope(const Control& c, std::string_view service, std::string_view tier) const;
  // The controls in scope for a profile, in catalog order (areas and sub-areas included).
  std::vector<const Control*> baseline(const Profile& p) const;
  std::vector<const Control*> baseline(std::string_view service, std::string_view tier) const;

  // A profile by name ("saas-moderate"), or by service and tier ("saas", "moderate"). A
  // (service, tier) pair that is valid but has no named profile gives an unnamed profile.
  Result<Profile> resolve_profile(std::string_view name) const;
  Result<Profile> resolve_profile(std::string_view service, std::string_view tier) const;

  // Tier position (0 = most demanding); npos when unknown.
  std::size_t tier_rank(std::string_view tier) const;

  // The first control (catalog order) on or under a parent cycle; nullptr when the parents form
  // a forest. Loaders reject catalogs that have one.
  const Control* parent_cycle() const;

 private:
  // Indexes built by reindex() in time linear in the number of controls; every query above is
  // then constant time per answer (chains of 100 000 parents included).
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<std::vector<std::size_t>> children_;
  std::vector<std::size_t> roots_;
  std::vector<std::size_t> order_;         // parents before their children; cycles last
  std::vector<std::size_t> area_;          // the top-level ancestor of each control
  std::vector<int> depth_;                 // 0 for an area
  std::vector<std::size_t> applies_from_;  // whose applies holds for each control; npos: none
  std::size_t cycle_ = static_cast<std::size_t>(-1);  // first control not under a root
  struct ScopeCache;                                  // baselines already computed, by profile
  std::shared_ptr<ScopeCache> scope_cache_;

  // In-scope flags of every control for (service, tier), computed once and kept.
  const std::vector<char>& scope(std::string_view service, std::string_view tier) const;
};

// Natural order of dotted ids: "1.2" < "1.10" < "2"; non-numeric parts compare as text.
bool natural_less(std::string_view a, std::string_view b);

// Kinds a control may have.
inline constexpr std::string_view kKinds[] = {"technical", "procedural", "physical"};
// Statuses a catalog may have.
inline constexpr std::string_view kStatuses[] = {"structure", "official", "extraction", "custom"};

// Parses a catalog in the YAML format of DESIGN.md §4 (or the same structure in JSON), or an OSCAL
// catalog JSON document. Errors point at file:line:col (exit code 3).
Result<Catalog> load_catalog_text(std::string_view text, const std::string& file);

// An OSCAL 1.x catalog (groups and controls with ids and titles), optionally narrowed by an OSCAL
// profile (imports with include-all / include-controls with-ids / exclude-controls). The result has
// one service type "all" and one tier: "selected" when a profile is given, else "all".
Result<Catalog> load_oscal_text(std::string_view catalog_json, const std::string& file,
                                std::string_view profile_json = {},
                                const std::string& profile_file = {});

// Bundled catalogs compiled into the binary (data/catalogs/*.yaml): names without ".yaml".
std::vector<std::string> bundled_names();
Result<Catalog> load_bundled(std::string_view name);

// A path when the file exists or the name ends in .yaml/.yml/.json; else a bundled name.
Result<Catalog> load_catalog(const std::string& name_or_path);

}  // namespace csap::catalog
