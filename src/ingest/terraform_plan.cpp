// Terraform plans: resource_changes (with the unknown and sensitive overlays), and
// planned_values when a plan has no resource_changes.
#include "core/files.h"
#include "ingest/loaders.h"
#include "ingest/terraform_loader.h"
#include "model/convert.h"

namespace csap::ingest::detail {

// ---- plans -----------------------------------------------------------------------------------

void Loader::plan_resource_changes(od::value v) {
  od::array a = get_array(v);
  std::size_t i = 0;
  for (auto er : a) {
    od::value ev;
    if (auto e = er.get(ev)) fail_code(e);
    try {
      plan_resource_change(get_object(ev, "resource change"));
    } catch (JsonFail& jf) {
      jf.pointer = "/" + std::to_string(i) + jf.pointer;
      throw;
    }
    ++i;
  }
}

void Loader::plan_resource_change(od::object o) {
  PendingResource pr;
  pr.r.input = input_;
  mark_position(pr.r, location());
  std::string_view provider_name;
  for (auto fr : o) {
    od::field f;
    if (auto e = std::move(fr).get(f)) fail_code(e);
    std::string_view k = key_of(f);
    try {
      if (k == "address")
        pr.r.address = str(f.value(), "a string");
      else if (k == "module_address")
        pr.r.module = str(f.value(), "a string");
      else if (k == "mode")
        pr.r.mode = str(f.value(), "a string");
      else if (k == "type")
        pr.r.type = str(f.value(), "a string");
      else if (k == "name")
        pr.r.name = str(f.value(), "a string");
      else if (k == "provider_name")
        provider_name = str(f.value(), "a string");
      else if (k == "deposed")
        pr.skip = true;  // a deposed object being destroyed
      else if (k == "change")
        plan_change(get_object(f.value(), "change"), pr);
    } catch (JsonFail& jf) {
      jf.pointer = "/" + detail::pointer_escape(k) + jf.pointer;
      throw;
    }
  }
  pr.r.provider_source = provider_name;
  pr.r.provider = provider_short_name(provider_name);
  finish(pr);
}

// True when the actions only destroy or forget the object (nothing of it is deployed after).
bool Loader::plan_actions(od::value v) {
  bool creates = false, removes = false;
  for (auto er : get_array(v)) {
    od::value ev;
    if (auto e = er.get(ev)) fail_code(e);
    std::string_view act = str(ev, "a string");
    if (act == "delete" || act == "forget")
      removes = true;
    else
      creates = true;  // create, update, no-op, read
  }
  return removes && !creates;
}

// Reads `after`: an object's top-level members go to top_ (returns true) and stay there until the
// overlays are known, so that keys after_unknown adds cost no second copy of the object.
bool Loader::plan_after(od::value v) {
  od::json_type t;
  if (auto e = v.type().get(t)) fail_code(e);
  if (t == od::json_type::null) return false;
  if (t != od::json_type::object) fail_shape("an object or null", t);
  top_.clear();
  od::object o;
  if (auto e = v.get_object().get(o)) fail_code(e);
  for (auto fr : o) {
    od::field f;
    if (auto e = std::move(fr).get(f)) fail_code(e);
    std::string_view k = key_of(f);
    try {
      top_.push_back(Member{k, build(f.value(), A_, 1)});
    } catch (JsonFail& jf) {
      jf.pointer = "/" + detail::pointer_escape(k) + jf.pointer;
      throw;
    }
  }
  return true;
}

// after_unknown, after_sensitive: an object of markers, or one boolean for the whole value.
Value Loader::plan_markers(od::value v) {
  od::json_type t;
  if (auto e = v.type().get(t)) fail_code(e);
  if (t != od::json_type::object && t != od::json_type::boolean && t != od::json_type::null)
    fail_shape("an object or a boolean", t);
  return build(v, scratch_, 0);
}

// The top-level members in top_ with the unknown markers laid over them.
Value Loader::merge_top(const Value& unknown) {
  if (unknown.is_bool() && unknown.as_bool()) return Value::unknown();
  std::vector<Member> extra;
  KeyFinder finder(std::span<Member>(top_.data(), top_.size()));
  for (const auto& m : unknown.members()) {
    if (Member* slot = finder.find(m.key))
      slot->value = overlay_unknown(slot->value, m.value, A_, buf_, len_);
    else if (any_true(m.value))
      extra.push_back(Member{own(m.key), from_unknown(m.value, A_, buf_, len_)});
  }
  top_.insert(top_.end(), extra.begin(), extra.end());
  Member* ms = top_.empty() ? nullptr : A_.members(top_.size());
  if (ms) std::memcpy(static_cast<void*>(ms), top_.data(), top_.size() * sizeof(Member));
  return Value::object(ms, top_.size());
}

void Loader::plan_change(od::object o, PendingResource& pr) {
  reset_scratch();
  Value unknown, sensitive;
  bool have_after = false, after_top = false;
  for (auto fr : o) {
    od::field f;
    if (auto e = std::move(fr).get(f)) fail_code(e);
    std::string_view k = key_of(f);
    try {
      if (k == "actions") {
        if (plan_actions(f.value())) pr.skip = true;
      } else if (k == "after") {
        after_top = plan_after(f.value());
        have_after = true;
      } else if (k == "after_unknown") {
        unknown = plan_markers(f.value());
      } else if (k == "after_sensitive") {
        sensitive = plan_markers(f.value());
      } else {
        check_depth(f.value());  // before, before_sensitive, replace_paths, importing, ...
      }
    } catch (JsonFail& jf) {
      jf.pointer = "/" + detail::pointer_escape(k) + jf.pointer;
      throw;
    }
  }
  if (!have_after || pr.skip) return;
  Value after =
      after_top ? merge_top(unknown) : overlay_unknown(Value::null(), unknown, A_, buf_, len_);
  overlay_sensitive(after, sensitive);
  pr.r.values = after;
}

// planned_values.root_module (when a plan has no resource_changes) and the `values.root_module` of
// a state shown as JSON. Small enough to go through the DOM; every shape is checked.
Result<void> Loader::planned_module(simdjson::dom::element m, const std::string& at) {
  using T = simdjson::dom::element_type;
  auto shape = [&](const std::string& pointer, const char* expected, simdjson::dom::element e) {
    const char* found = e.type() == T::ARRAY        ? "an array"
                        : e.type() == T::OBJECT     ? "an object"
                        : e.type() == T::STRING     ? "a string"
                        : e.type() == T::BOOL       ? "a boolean"
                        : e.type() == T::NULL_VALUE ? "null"
                                                    : "a number";
    return std::unexpected(detail::shape_error(
        buf_, len_, name_, pointer, fmt::format("expected {}, found {}", expected, found)));
  };
  if (!m.is_object()) return shape(at, "an object", m);
  simdjson::dom::element rs_el;
  if (!m["resources"].get(rs_el)) {
    if (!rs_el.is_array()) return shape(at + "/resources", "an array", rs_el);
    std::size_t i = 0;
    for (auto r : rs_el.get_array()) {
      const std::string here = fmt::format("{}/resources/{}", at, i++);
      if (!r.is_object()) return shape(here, "an object", r);
      PendingResource pr;
      pr.r.input = input_;
      for (const char* key : {"address", "mode", "type", "name", "provider_name"}) {
        simdjson::dom::element f;
        if (r[key].get(f) || f.is_null()) continue;
        if (!f.is_string()) return shape(here + "/" + key, "a string", f);
        std::string_view s = A_.copy(std::string_view(f));
        std::string_view k = key;
        if (k == "address") pr.r.address = s;
        if (k == "mode") pr.r.mode = s;
        if (k == "type") pr.r.type = s;
        if (k == "name") pr.r.name = s;
        if (k == "provider_name") {
          pr.r.provider_source = s;
          pr.r.provider = provider_short_name(s);
        }
      }
      if (pr.r.address.starts_with("module.")) {
        // module path = address minus the trailing "[data.]type.name[index]"
        std::string_view a = pr.r.address;
        std::string tail = (pr.r.mode == "data" ? "data." : "") + std::string(pr.r.type) + "." +
                           std::string(pr.r.name);
        auto pos = a.rfind("." + tail);
        if (pos != std::string_view::npos) pr.r.module = a.substr(0, pos);
      }
      simdjson::dom::element vals;
      if (!r["values"].get(vals) && !vals.is_null()) {
        if (!vals.is_object()) return shape(here + "/values", "an object", vals);
        pr.r.values = from_json_dom(vals, A_);
      }
      simdjson::dom::element sens;
      if (!r["sensitive_values"].get(sens) && !sens.is_null()) {
        if (!sens.is_object() && !sens.is_bool())
          return shape(here + "/sensitive_values", "an object", sens);
        reset_scratch();
        Value sv = from_json_dom(sens, scratch_);
        overlay_sensitive(pr.r.values, sv);
      }
      finish(pr);
    }
  }
  simdjson::dom::element kids;
  if (!m["child_modules"].get(kids)) {
    if (!kids.is_array()) return shape(at + "/child_modules", "an array", kids);
    std::size_t i = 0;
    for (auto k : kids.get_array())
      if (auto r = planned_module(k, fmt::format("{}/child_modules/{}", at, i++)); !r) return r;
  }
  return {};
}

bool plan_by_content(const Sniff& s) {
  if (!s.json_object) return false;
  const bool rc = s.has("resource_changes"), planned = s.has("planned_values");
  const bool planish = rc || planned || s.has("configuration") || s.has("prior_state") ||
                       s.has("resource_drift") || s.has("terraform_version");
  return (s.has("format_version") && planish && !s.has("values")) || rc || planned;
}

Result<InputFile> load_plan(const Source& src, Deployment& d, const LoadOptions& opts) {
  return load_terraform(src, d, opts, InputKind::kPlan);
}

}  // namespace csap::ingest::detail
