// Terraform plan/state loading: the document's top level, the parts read through the DOM, and
// what plans and states share. Plans are read in terraform_plan.cpp, states in
// terraform_state.cpp, values and overlays in terraform_values.cpp.
#include <optional>

#include "core/files.h"
#include "ingest/terraform_loader.h"

namespace csap::ingest {
namespace fs = std::filesystem;

namespace detail {

std::uint64_t& key_steps() {
  thread_local std::uint64_t steps = 0;
  return steps;
}

// A resource read: kept unless it is only being destroyed or forgotten.
void Loader::finish(PendingResource& pr) {
  if (pr.skip) return;
  if (pr.r.mode.empty())
    pr.r.mode =
        pr.r.address.starts_with("data.") || pr.r.address.find(".data.") != std::string_view::npos
            ? "data"
            : "managed";
  if (!pr.r.values.is_object() && !pr.r.values.is_unknown())
    pr.r.values = Value::object(nullptr, 0);
  d_.resources.push_back(std::move(pr.r));
}

// ---- the document ----------------------------------------------------------------------------

// "0.1" to "1.x": digits, a dot, digits; 0.0 was never written by Terraform.
std::optional<std::string> bad_format_version(std::string_view fv) {
  auto digits = [](std::string_view s) {
    return !s.empty() && s.size() <= 9 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  const auto dot = fv.find('.');
  if (dot == std::string_view::npos || !digits(fv.substr(0, dot)) || !digits(fv.substr(dot + 1)))
    return fmt::format("format_version \"{}\" is not a version (MAJOR.MINOR)",
                       fv.substr(0, std::min<std::size_t>(fv.size(), 40)));
  const int major = std::stoi(std::string(fv.substr(0, dot)));
  const int minor = std::stoi(std::string(fv.substr(dot + 1)));
  if (major == 1 || (major == 0 && minor >= 1)) return std::nullopt;
  return fmt::format("format_version {} is not supported (0.1 to 1.x are)", fv);
}

Error Loader::located(const JsonFail& jf) const {
  SourceLoc where{name_};
  std::string msg = jf.message;
  if (jf.with_location && jf.at) {
    auto [l, c] = line_col(std::string_view(buf_, len_), static_cast<std::size_t>(jf.at - buf_));
    where.line = l;
    where.column = c;
    if (!jf.pointer.empty()) msg += fmt::format(" (at {})", jf.pointer);
  } else {
    where.pointer = jf.pointer.empty() ? "/" : jf.pointer;
  }
  return Error{Exit::kBadInput, msg, where};
}

Result<InputFile> Loader::run(InputKind kind) {
  input_ = static_cast<std::uint32_t>(d_.inputs.size());
  first_ = d_.resources.size();
  InputFile out;
  out.kind = kind == InputKind::kPlan ? "terraform-plan" : "terraform-state";
  if (jd_.iterate_error)
    return std::unexpected(
        detail::json_syntax_error(jd_.iterate_error, buf_, len_, name_, nullptr));
  doc_ = &jd_.doc;
  auto r = top_level(kind, out);
  doc_ = nullptr;
  jd_.parser = od::parser();  // its index is as large as the file: free it before the rest
  if (r) r = read_parts(kind);
  if (!r) {
    d_.resources.resize(first_);
    return std::unexpected(r.error());
  }
  return out;
}

// An object read later through the DOM: its raw text, its depth checked now.
std::string_view Loader::raw_object(od::value v) {
  od::object o = get_object(v, "object");
  std::string_view raw;
  if (auto e = o.raw_json().get(raw)) fail_code(e);
  if (long at = detail::too_deep_at(raw, opts_.max_depth); at >= 0)
    throw JsonFail{
        fmt::format("nested more than {} levels deep", opts_.max_depth), {}, raw.data() + at, true};
  return raw;
}

// planned_values (plans) or values (states shown as JSON): root_module is kept for the DOM.
void Loader::values_section(od::value v, bool plan) {
  for (auto fr : get_object(v, "values")) {
    od::field f;
    if (auto e = std::move(fr).get(f)) fail_code(e);
    std::string_view k = key_of(f);
    try {
      if (k == "root_module")
        (plan ? planned_root_ : values_root_) = raw_object(f.value());
      else
        check_depth(f.value());
    } catch (JsonFail& jf) {
      jf.pointer = "/" + detail::pointer_escape(k) + jf.pointer;
      throw;
    }
  }
}

void Loader::top_field(std::string_view k, od::value v, bool plan, TopSeen& seen, InputFile& out) {
  od::json_type t;
  if (auto e = v.type().get(t)) fail_code(e);
  if (k == "format_version") {
    seen.format = true;
    out.format_version = std::string(str(v, "a string"));
    if (t != od::json_type::string) fail_shape("a string", t);
  } else if (k == "terraform_version") {
    if (t == od::json_type::string) out.tool_version = std::string(str(v, "a string"));
  } else if (k == "version" && t == od::json_type::number) {
    if (v.get_int64().get(state_version_)) state_version_ = -2;
  } else if (plan && k == "resource_changes") {
    seen_rc_ = true;
    plan_resource_changes(v);
  } else if (!plan && k == "resources") {
    od::array a = get_array(v);
    if (state_version_ == 4)
      state_resources(a);
    else if (auto e = a.raw_json().get(resources_json_))  // read once "version" is known
      fail_code(e);
  } else if ((plan && k == "planned_values") || (!plan && k == "values")) {
    seen.values = true;
    values_section(v, plan);
  } else if (plan && k == "configuration") {
    config_json_ = raw_object(v);
  } else if (plan && k == "variables") {
    variables_json_ = raw_object(v);
  } else {
    check_depth(v);  // a part no rule reads (prior_state, output_changes, ...)
  }
}

Result<void> Loader::top_level(InputKind kind, InputFile& out) {
  const bool plan = kind == InputKind::kPlan;
  TopSeen seen;
  try {
    od::json_type top;
    if (auto e = doc_->type().get(top)) fail_code(e);
    if (top != od::json_type::object) fail_shape("an object", top);
    od::object root;
    if (auto e = doc_->get_object().get(root)) fail_code(e);
    for (auto fr : root) {
      od::field f;
      if (auto e = std::move(fr).get(f)) fail_code(e);
      std::string_view k = key_of(f);
      try {
        top_field(k, f.value(), plan, seen, out);
      } catch (JsonFail& jf) {
        jf.pointer = "/" + detail::pointer_escape(k) + jf.pointer;
        throw;
      }
    }
    // Anything after the top-level object is an error.
    const char* rest = nullptr;
    if (!doc_->current_location().get(rest) && rest) {
      const char* end = buf_ + len_;
      while (rest < end && (*rest == ' ' || *rest == '\n' || *rest == '\r' || *rest == '\t'))
        ++rest;
      if (rest < end)
        throw JsonFail{detail::json_error_text(simdjson::TRAILING_CONTENT), {}, rest, true};
    }
  } catch (JsonFail& jf) {
    if (jf.with_location) {
      if (auto ok = check_text(std::string_view(buf_, len_), name_); !ok)
        return std::unexpected(ok.error());
    }
    return std::unexpected(located(jf));
  }
  return check_version(plan, seen, out);
}

Result<void> Loader::check_version(bool plan, const TopSeen& seen, InputFile& out) {
  const bool seen_format = seen.format, seen_values = seen.values;
  auto format_error = [&](std::string message) {
    return std::unexpected(
        detail::shape_error(buf_, len_, name_, "/format_version", std::move(message)));
  };
  if (plan || seen_values) {
    if (seen_format) {
      if (auto why = bad_format_version(out.format_version))
        return format_error((plan ? "plan " : "state ") + *why);
    } else if (!plan) {
      return fail("a Terraform state shown as JSON has no format_version", {name_});
    }
    return {};
  }
  out.format_version = state_version_ >= 0 ? std::to_string(state_version_) : std::string();
  if (state_version_ == 4) return {};
  if (state_version_ == -1)
    return fail("read as a Terraform state, but it has neither `version` nor `values`", {name_});
  if (state_version_ >= 0 && state_version_ < 4)
    return fail(fmt::format("Terraform state version {} is not supported (it was written by "
                            "Terraform 0.11 or older); only version 4 is read: upgrade the state "
                            "with Terraform 0.12 or newer, or give `terraform show -json` output",
                            state_version_),
                {name_});
  return fail(fmt::format("Terraform state version {} is not supported; only version 4 is read",
                          state_version_ == -2 ? std::string("(not an integer)")
                                               : std::to_string(state_version_)),
              {name_});
}

Result<void> Loader::read_parts(InputKind kind) {
  const bool plan = kind == InputKind::kPlan;
  if (!plan && !resources_json_.empty()) {
    // "resources" came before "version": read it now.
    od::parser p2;
    od::document d2;
    const char* limit = buf_ + len_ + simdjson::SIMDJSON_PADDING;
    simdjson::padded_string_view v2(resources_json_.data(), resources_json_.size(),
                                    static_cast<std::size_t>(limit - resources_json_.data()));
    try {
      if (auto e = p2.iterate(v2).get(d2)) fail_code(e);
      doc_ = &d2;
      od::array a;
      if (auto e = d2.get_array().get(a)) fail_code(e);
      state_resources(a);
    } catch (JsonFail& jf) {
      jf.pointer = "/resources" + jf.pointer;
      doc_ = nullptr;
      return std::unexpected(located(jf));
    }
    doc_ = nullptr;
  }

  // ---- the parts read through the DOM (small) ----
  auto parse_part = [&](simdjson::dom::parser& p, std::string_view raw, const char* pointer,
                        simdjson::dom::element& out_el) -> Result<void> {
    // `raw` lies inside the padded buffer, so simdjson may read past its end without copying.
    if (auto e = p.parse(raw.data(), raw.size(), false).get(out_el)) {
      SourceLoc where{name_};
      auto [l, c] =
          line_col(std::string_view(buf_, len_), static_cast<std::size_t>(raw.data() - buf_));
      where.line = l;
      where.column = c;
      return std::unexpected(Error{
          Exit::kBadInput, fmt::format("{} (at {})", detail::json_error_text(e), pointer), where});
    }
    return {};
  };
  const std::string_view root =
      plan ? (seen_rc_ ? std::string_view() : planned_root_) : values_root_;
  if (!root.empty()) {
    simdjson::dom::parser pv;
    simdjson::dom::element el;
    const char* pointer = plan ? "/planned_values/root_module" : "/values/root_module";
    if (auto r = parse_part(pv, root, pointer, el); !r) return r;
    if (auto r = planned_module(el, pointer); !r) return r;
  }
  simdjson::dom::parser dom;
  simdjson::dom::parser dom_vars;
  detail::Configuration cfg;
  bool have_cfg = false;
  if (!config_json_.empty()) {
    simdjson::dom::element c, vars;
    if (auto r = parse_part(dom, config_json_, "/configuration", c); !r) return r;
    bool have_vars = false;
    if (!variables_json_.empty()) {
      if (auto r = parse_part(dom_vars, variables_json_, "/variables", vars); !r) return r;
      have_vars = true;
    }
    cfg.load(c, vars, have_vars);
    have_cfg = true;
  }
  const detail::ConfigKeys keys = detail::config_keys(d_, first_, have_cfg ? &cfg : nullptr);
  detail::resolve_locations(d_, first_, have_cfg ? &cfg : nullptr, keys, ProviderTable::builtin());
  if (have_cfg) detail::resolve_references(d_, first_, cfg, keys);
  detail::resolve_dependencies(d_, first_);
  return {};
}

Result<InputFile> load_terraform(const Source& src, Deployment& d, const LoadOptions& opts,
                                 InputKind kind) {
  JsonDoc own;
  JsonDoc* jd = src.json;
  if (!jd) {
    own.open(src.data, src.size, src.name);
    jd = &own;
  }
  Loader loader(d, *jd, opts);
  return loader.run(kind);
}

}  // namespace detail

std::string_view provider_short_name(std::string_view p) {
  if (p.empty()) return p;
  // State form: [module.x.]provider["registry.terraform.io/hashicorp/aws"][.alias]
  if (auto q = p.find("provider[\""); q != std::string_view::npos) {
    auto start = q + 10;
    auto end = p.find("\"]", start);
    if (end == std::string_view::npos) return {};
    p = p.substr(start, end - start);
  } else if (auto q2 = p.find("provider.");
             q2 != std::string_view::npos && (q2 == 0 || p[q2 - 1] == '.')) {
    // Legacy state form: provider.aws[.alias]
    p = p.substr(q2 + 9);
    auto dot = p.find('.');
    return dot == std::string_view::npos ? p : p.substr(0, dot);
  }
  auto slash = p.rfind('/');
  return slash == std::string_view::npos ? p : p.substr(slash + 1);
}

Result<void> load_terraform_file(const fs::path& path, Deployment& d, const LoadOptions& opts) {
  return load_input_file(path, d, opts);
}

Result<void> load_terraform_bytes(std::string_view bytes, const std::string& name, Deployment& d,
                                  const LoadOptions& opts) {
  return load_input_bytes(bytes, name, d, opts);
}

}  // namespace csap::ingest