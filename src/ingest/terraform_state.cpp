// Terraform states: raw state (version 4) resources and their instances.
#include "core/files.h"
#include "ingest/loaders.h"
#include "ingest/terraform_loader.h"

namespace csap::ingest::detail {

// ---- states ----------------------------------------------------------------------------------

void Loader::state_resources(od::array a) {
  std::size_t i = 0;
  for (auto er : a) {
    od::value ev;
    if (auto e = er.get(ev)) fail_code(e);
    try {
      state_resource(get_object(ev, "resource"));
    } catch (JsonFail& jf) {
      jf.pointer = "/" + std::to_string(i) + jf.pointer;
      throw;
    }
    ++i;
  }
}

std::string format_index_key(const Value& k) {
  if (k.kind() == Kind::kInt) return fmt::format("[{}]", k.as_int());
  if (k.is_number()) return fmt::format("[{}]", k.as_double());
  if (k.is_string()) {
    std::string out = "[\"";
    for (char c : k.str()) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    return out + "\"]";
  }
  return {};
}

StateInstance Loader::state_instance(od::value ev) {
  StateInstance in;
  in.at = location();
  od::object io = get_object(ev, "instance");
  for (auto ifr : io) {
    od::field inf;
    if (auto e = std::move(ifr).get(inf)) fail_code(e);
    std::string_view ik = key_of(inf);
    try {
      if (ik == "index_key")
        in.index_key = build(inf.value(), scratch_, 0);
      else if (ik == "attributes")
        in.values = build(inf.value(), A_, 0);
      else if (ik == "attributes_flat" && !in.values.is_object())
        in.values = build(inf.value(), A_, 0);
      else if (ik == "sensitive_attributes")
        in.sensitive = build(inf.value(), scratch_, 0);
      else if (ik == "deposed")
        in.deposed = true;
      else if (ik == "dependencies")
        for (auto der : get_array(inf.value())) {
          od::value dv;
          if (auto e = der.get(dv)) fail_code(e);
          std::string_view s = str(dv, "a string");
          if (!s.empty()) in.deps.push_back(s);
        }
      else
        check_depth(inf.value());
    } catch (JsonFail& jf) {
      jf.pointer = "/" + detail::pointer_escape(ik) + jf.pointer;
      throw;
    }
  }
  return in;
}

void Loader::add_state_instance(const StateBlock& b, StateInstance& in) {
  PendingResource pr;
  pr.r.input = input_;
  mark_position(pr.r, in.at);
  const bool data = b.mode == "data";
  std::string addr;
  if (!b.module.empty()) addr = std::string(b.module) + ".";
  if (data) addr += "data.";
  addr += std::string(b.type) + "." + std::string(b.name) + format_index_key(in.index_key);
  pr.r.address = A_.copy(addr);
  pr.r.module = b.module;
  pr.r.mode = data ? std::string_view("data") : std::string_view("managed");
  pr.r.type = b.type;
  pr.r.name = b.name;
  pr.r.provider = provider_short_name(b.provider);
  // provider["registry.terraform.io/hashicorp/aws"].alias → the quoted source
  if (auto q = b.provider.find("[\""); q != std::string_view::npos) {
    auto e = b.provider.find("\"]", q + 2);
    if (e != std::string_view::npos) pr.r.provider_source = b.provider.substr(q + 2, e - q - 2);
  }
  pr.r.values = in.values;
  StatePaths marker;
  for (const auto& path : in.sensitive.items()) marker.mark(pr.r.values, path);
  // Dependencies are configuration addresses: resolved to resources after loading.
  pr.r.refs.reserve(in.deps.size());
  for (auto dep : in.deps) pr.r.refs.push_back(Reference{dep, UINT32_MAX});
  finish(pr);
}

void Loader::state_resource(od::object o) {
  StateBlock b;
  std::vector<StateInstance> insts;
  reset_scratch();
  for (auto fr : o) {
    od::field f;
    if (auto e = std::move(fr).get(f)) fail_code(e);
    std::string_view k = key_of(f);
    try {
      if (k == "module")
        b.module = str(f.value(), "a string");
      else if (k == "mode")
        b.mode = str(f.value(), "a string");
      else if (k == "type")
        b.type = str(f.value(), "a string");
      else if (k == "name")
        b.name = str(f.value(), "a string");
      else if (k == "provider")
        b.provider = str(f.value(), "a string");
      else if (k == "instances") {
        std::size_t i = 0;
        for (auto er : get_array(f.value())) {
          od::value ev;
          if (auto e = er.get(ev)) fail_code(e);
          try {
            insts.push_back(state_instance(ev));
          } catch (JsonFail& jf) {
            jf.pointer = "/" + std::to_string(i) + jf.pointer;
            throw;
          }
          ++i;
        }
      } else {
        check_depth(f.value());
      }
    } catch (JsonFail& jf) {
      jf.pointer = "/" + detail::pointer_escape(k) + jf.pointer;
      throw;
    }
  }
  for (auto& in : insts)
    if (!in.deposed) add_state_instance(b, in);
}

bool state_by_content(const Sniff& s) {
  if (!s.json_object || plan_by_content(s)) return false;
  if (s.has("format_version") && s.has("values")) return true;  // `terraform show -json` of a state
  return s.version_is_number && (s.has("lineage") || s.has("serial") || s.has("resources") ||
                                 s.has("modules") || s.has("terraform_version"));
}

Result<InputFile> load_state(const Source& src, Deployment& d, const LoadOptions& opts) {
  return load_terraform(src, d, opts, InputKind::kState);
}

}  // namespace csap::ingest::detail
