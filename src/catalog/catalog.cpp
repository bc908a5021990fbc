// The catalog's indexes and scope queries: parents, children, areas, applies and baselines.
#include "catalog/catalog.h"

#include <fmt/format.h>

#include <algorithm>
#include <mutex>

#include "catalog/reader.h"
#include "core/workcount.h"

namespace csap::catalog {
namespace {

constexpr std::size_t npos = static_cast<std::size_t>(-1);

using detail::ids_of;
using detail::join;

}  // namespace

// ---- Catalog ----------------------------------------------------------------------------------

struct Catalog::ScopeCache {
  std::mutex mu;
  std::map<std::pair<std::string, std::string>, std::vector<char>> by_profile;
};

void Catalog::reindex() {
  const std::size_t n = controls.size();
  index_.clear();
  index_.reserve(n);
  children_.assign(n, {});
  roots_.clear();
  for (std::size_t i = 0; i < n; ++i) index_.emplace(controls[i].id, i);
  std::vector<std::size_t> parent(n, npos);
  for (std::size_t i = 0; i < n; ++i) {
    work::step();
    auto it = controls[i].parent.empty() ? index_.end() : index_.find(controls[i].parent);
    if (it == index_.end()) {
      roots_.push_back(i);
    } else {
      children_[it->second].push_back(i);
      parent[i] = it->second;
    }
  }
  // Breadth first from the roots: every parent is placed before its children.
  order_.clear();
  order_.reserve(n);
  area_.assign(n, npos);
  depth_.assign(n, 0);
  applies_from_.assign(n, npos);
  std::vector<char> placed(n, 0);
  for (std::size_t r : roots_) {
    order_.push_back(r);
    placed[r] = 1;
  }
  for (std::size_t k = 0; k < order_.size(); ++k) {
    work::step();
    std::size_t i = order_[k];
    std::size_t p = parent[i];
    bool root = p == npos;
    area_[i] = root ? i : area_[p];
    depth_[i] = root ? 0 : depth_[p] + 1;
    applies_from_[i] = controls[i].applies ? i : (root ? npos : applies_from_[p]);
    for (std::size_t c : children_[i]) {
      order_.push_back(c);
      placed[c] = 1;
    }
  }
  // Controls on or under a parent cycle (only when `controls` was built by hand: loaders reject
  // cycles) are their own area, at depth 0.
  cycle_ = npos;
  for (std::size_t i = 0; i < n; ++i) {
    if (placed[i]) continue;
    if (cycle_ == npos) cycle_ = i;
    order_.push_back(i);
    area_[i] = i;
    applies_from_[i] = controls[i].applies ? i : npos;
  }
  scope_cache_ = std::make_shared<ScopeCache>();
}

const Control* Catalog::parent_cycle() const {
  return cycle_ < controls.size() ? &controls[cycle_] : nullptr;
}

const Control* Catalog::find(std::string_view id) const {
  work::step();
  auto it = index_.find(std::string(id));
  return it == index_.end() ? nullptr : &controls[it->second];
}

std::size_t Catalog::index_of(std::string_view id) const {
  auto it = index_.find(std::string(id));
  return it == index_.end() ? npos : it->second;
}

const Tier* Catalog::find_tier(std::string_view id) const {
  for (const auto& t : tiers)
    if (t.id == id) return &t;
  return nullptr;
}

const ServiceType* Catalog::find_service(std::string_view id) const {
  for (const auto& s : service_types)
    if (s.id == id) return &s;
  return nullptr;
}

const Profile* Catalog::find_profile(std::string_view id) const {
  for (const auto& p : profiles)
    if (p.id == id) return &p;
  return nullptr;
}

std::size_t Catalog::tier_rank(std::string_view tier) const {
  for (std::size_t i = 0; i < tiers.size(); ++i)
    if (tiers[i].id == tier) return i;
  return npos;
}

const Control* Catalog::parent_of(const Control& c) const {
  return c.parent.empty() ? nullptr : find(c.parent);
}

const Control* Catalog::area_of(std::string_view id) const {
  std::size_t i = index_of(id);
  if (i == npos || i >= area_.size()) return nullptr;
  return &controls[area_[i]];
}

std::vector<const Control*> Catalog::children(std::string_view id) const {
  std::vector<const Control*> out;
  std::size_t i = index_of(id);
  if (i == npos || i >= children_.size()) return out;
  for (std::size_t k : children_[i]) out.push_back(&controls[k]);
  return out;
}

std::vector<const Control*> Catalog::roots() const {
  std::vector<const Control*> out;
  for (std::size_t k : roots_) out.push_back(&controls[k]);
  return out;
}

int Catalog::depth(const Control& c) const {
  std::size_t i = index_of(c.id);
  return i == npos || i >= depth_.size() ? 0 : depth_[i];
}

bool Catalog::is_leaf(const Control& c) const {
  std::size_t i = index_of(c.id);
  return i == npos || i >= children_.size() || children_[i].empty();
}

const Applies* Catalog::effective_applies(const Control& c) const {
  if (c.applies) return &*c.applies;
  std::size_t i = index_of(c.id);
  if (i == npos || i >= applies_from_.size() || applies_from_[i] == npos) return nullptr;
  return &*controls[applies_from_[i]].applies;
}

const std::vector<char>& Catalog::scope(std::string_view service, std::string_view tier) const {
  std::lock_guard lock(scope_cache_->mu);
  auto [it, fresh] =
      scope_cache_->by_profile.try_emplace({std::string(service), std::string(tier)});
  std::vector<char>& in = it->second;
  if (!fresh) return in;
  // Children before parents: a control is in scope when its applies says so, or (stating
  // nothing anywhere) when it is a leaf, or when any child is.
  in.assign(controls.size(), 0);
  for (std::size_t k = order_.size(); k-- > 0;) {
    work::step();
    std::size_t i = order_[k];
    bool here = false;
    if (std::size_t from = applies_from_[i]; from != npos) {
      const Applies& a = *controls[from].applies;
      auto s = a.find(it->first.first);
      here = s != a.end() && s->second.contains(it->first.second);
    } else {
      here = children_[i].empty();
    }
    if (!here)
      for (std::size_t c : children_[i])
        if (in[c]) {
          here = true;
          break;
        }
    in[i] = here ? 1 : 0;
  }
  return in;
}

bool Catalog::in_scope(const Control& c, std::string_view service, std::string_view tier) const {
  if (!find_service(service) || !find_tier(tier)) return false;
  std::size_t i = index_of(c.id);
  if (i == npos || !scope_cache_ || order_.size() != controls.size()) return false;
  return scope(service, tier)[i] != 0;
}

std::vector<const Control*> Catalog::baseline(std::string_view service,
                                              std::string_view tier) const {
  std::vector<const Control*> out;
  if (!find_service(service) || !find_tier(tier) || !scope_cache_ ||
      order_.size() != controls.size())
    return out;
  const std::vector<char>& in = scope(service, tier);
  for (std::size_t i = 0; i < controls.size(); ++i)
    if (in[i]) out.push_back(&controls[i]);
  return out;
}

std::vector<const Control*> Catalog::baseline(const Profile& p) const {
  return baseline(p.service, p.tier);
}

Result<Profile> Catalog::resolve_profile(std::string_view service, std::string_view tier) const {
  if (!find_service(service))
    return fail(fmt::format("catalog '{}' has no service type '{}' (known: {})", id, service,
                            join(ids_of(service_types))),
                {}, Exit::kUsage);
  if (!find_tier(tier))
    return fail(
        fmt::format("catalog '{}' has no tier '{}' (known: {})", id, tier, join(ids_of(tiers))), {},
        Exit::kUsage);
  for (const auto& p : profiles)
    if (p.service == service && p.tier == tier) return p;
  return Profile{fmt::format("{}-{}", service, tier), std::string(service), std::string(tier)};
}

Result<Profile> Catalog::resolve_profile(std::string_view name) const {
  if (const Profile* p = find_profile(name)) return *p;
  // "<service>-<tier>" even when not listed; service ids may themselves contain '-'.
  for (const auto& s : service_types) {
    if (name.size() > s.id.size() + 1 && name.starts_with(s.id) && name[s.id.size()] == '-') {
      std::string_view tier = name.substr(s.id.size() + 1);
      if (find_tier(tier)) return resolve_profile(s.id, tier);
    }
  }
  return fail(fmt::format("catalog '{}' has no profile '{}' (profiles: {})", id, name,
                          join(ids_of(profiles))),
              {}, Exit::kUsage);
}

bool natural_less(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    bool da = std::isdigit(static_cast<unsigned char>(a[i])) != 0;
    bool db = std::isdigit(static_cast<unsigned char>(b[j])) != 0;
    if (da && db) {
      std::size_t i2 = i, j2 = j;
      while (i2 < a.size() && std::isdigit(static_cast<unsigned char>(a[i2]))) ++i2;
      while (j2 < b.size() && std::isdigit(static_cast<unsigned char>(b[j2]))) ++j2;
      std::string_view na = a.substr(i, i2 - i), nb = b.substr(j, j2 - j);
      while (na.size() > 1 && na[0] == '0') na.remove_prefix(1);
      while (nb.size() > 1 && nb[0] == '0') nb.remove_prefix(1);
      if (na.size() != nb.size()) return na.size() < nb.size();
      if (na != nb) return na < nb;
      i = i2;
      j = j2;
    } else {
      if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

}  // namespace csap::catalog
