// catalog list|show|gap|import|validate.
#include <fmt/format.h>

#include "catalog/catalog.h"
#include "catalog/gap.h"
#include "catalog/import.h"
#include "cli/command.h"
#include "core/files.h"
#include "core/text.h"

namespace csap::cli {
namespace {

Result<int> catalog_list() {
  for (const auto& name : catalog::bundled_names()) {
    auto c = catalog::load_bundled(name);
    if (!c) return forward(c);
    std::size_t leaves = 0;
    for (const auto& ctl : c->controls) leaves += c->is_leaf(ctl) ? 1 : 0;
    fmt::print("{:<8} {:<12} {:<10} {:>4} controls  {}\n", c->id, c->version, c->status,
               c->controls.size(), c->title.get(detect_lang("")));
  }
  return 0;
}

struct ShowOpts {
  CommonOpts common;
  std::string id;
};

Result<int> catalog_show(const ShowOpts& o) {
  Lang lang = detect_lang(o.common.lang);
  auto loaded = catalog::load_catalog(o.common.sources.catalog);
  if (!loaded) return forward(loaded);
  const catalog::Catalog& c = *loaded;
  if (o.id.empty()) {
    fmt::print("{} {} ({})\n{}\n", c.id, c.version, c.status, c.title.get(lang));
    if (!c.notice.empty()) fmt::print("\n{}\n", c.notice.get(lang));
    fmt::print("\n");
    for (const auto& ctl : c.controls)
      fmt::print("{}{:<10} {}\n", std::string(static_cast<std::size_t>(c.depth(ctl)) * 2, ' '),
                 ctl.id, ctl.title.get(lang));
    return 0;
  }
  const catalog::Control* ctl = c.find(o.id);
  if (!ctl) return fail(fmt::format("no control '{}' in catalog {}", o.id, c.id));
  fmt::print("{}  {}\n", ctl->id, ctl->title.get(lang));
  if (!ctl->parent.empty()) fmt::print("parent: {}\n", ctl->parent);
  if (!ctl->kind.empty()) fmt::print("kind: {}\n", ctl->kind);
  if (!ctl->statement.empty()) fmt::print("{}\n", ctl->statement.get(lang));
  if (!ctl->basis.empty()) fmt::print("basis: {}\n", ctl->basis);
  if (!ctl->note.empty()) fmt::print("note: {}\n", ctl->note.get(lang));
  if (const auto* ap = c.effective_applies(*ctl)) {
    for (const auto& [svc, tiers] : *ap) {
      std::string t;
      for (const auto& x : tiers) t += (t.empty() ? "" : ", ") + x;
      fmt::print("applies: {}: {}\n", svc, t);
    }
  }
  return 0;
}

void print_control_line(const catalog::Catalog& c, const catalog::Control& ctl, Lang lang) {
  const catalog::Control* area = c.area_of(ctl.id);
  fmt::print("  {:<14} {}{}\n", ctl.id, ctl.title.get(lang),
             area && area != &ctl ? fmt::format("  [{} {}]", area->id, area->title.get(lang))
                                  : std::string());
}

struct GapOpts {
  CommonOpts common;
  std::string from, to, service = "iaas", to_catalog;
};

Result<int> catalog_gap(const GapOpts& o) {
  Lang lang = detect_lang(o.common.lang);
  auto loaded = catalog::load_catalog(o.common.sources.catalog);
  if (!loaded) return forward(loaded);
  const catalog::Catalog& c = *loaded;
  if (o.to_catalog.empty()) {
    auto g = catalog::gap(c, o.service, o.from, o.to);
    if (!g) return forward(g);
    fmt::print("{} {} · {}: {} → {}\n", c.id, c.version, o.service, o.from, o.to);
    if (!c.notice.empty() && c.status == "structure") fmt::print("{}\n", c.notice.get(lang));
    fmt::print("\n{} ({}):\n", lang == Lang::kKo ? "추가되는 통제" : "controls added",
               g->added.size());
    for (const auto* ctl : g->added) print_control_line(c, *ctl, lang);
    if (!g->removed.empty()) {
      fmt::print("\n{} ({}):\n",
                 lang == Lang::kKo ? "제외되는 통제" : "controls no longer in scope",
                 g->removed.size());
      for (const auto* ctl : g->removed) print_control_line(c, *ctl, lang);
    }
    return 0;
  }
  auto target = catalog::load_catalog(o.to_catalog);
  if (!target) return forward(target);
  auto profile = c.resolve_profile(o.service, o.from);
  if (!profile) return forward(profile);
  auto g = catalog::cross_gap(c, *profile, *target, o.to);
  if (!g) return forward(g);
  fmt::print("{} {} ({}) → {} {}\n", g->from_catalog, g->from_profile, g->from_tier, g->to_catalog,
             g->to_tier);
  fmt::print("{}: {}{}\n", lang == Lang::kKo ? "대응 관계" : "correspondence", g->status,
             g->source.empty() ? "" : " (" + g->source + ")");
  if (!g->note.empty()) fmt::print("{}\n", g->note.get(lang));
  if (!target->notice.empty()) fmt::print("{}\n", target->notice.get(lang));
  fmt::print(
      "\n{} ({}; {} {}):\n",
      lang == Lang::kKo ? "대상 등급에서 요구되는 통제" : "controls required at the target grade",
      g->required.size(), g->required_leaves, lang == Lang::kKo ? "개 세부 통제" : "leaf controls");
  for (const auto* ctl : g->required)
    if (target->is_leaf(*ctl)) print_control_line(*target, *ctl, lang);
  return 0;
}

struct ImportOpts {
  std::string file, out, id = "csap", version, status = "official";
};

Result<int> catalog_import(const ImportOpts& o) {
  catalog::ImportOptions io;
  io.catalog_id = o.id;
  io.version = o.version;
  io.status = o.status;
  auto rep = catalog::import_table(o.file, io);
  for (const auto& w : rep.warnings) fmt::print(stderr, "csapcheck: warning: {}\n", w);
  if (!rep.ok()) return std::unexpected(rep.error());
  // What is written must load.
  if (auto c = catalog::load_catalog_text(rep.yaml, o.out); !c) return forward(c);
  auto w = write_file_atomically(o.out, [&](std::ostream& os) { os << rep.yaml; });
  if (!w) return forward(w);
  fmt::print(stderr, "csapcheck: wrote {} ({} controls)\n", o.out, rep.ids.size());
  return 0;
}

Result<int> catalog_validate(const std::string& file) {
  auto c = catalog::load_catalog(file);
  if (!c) return forward(c);
  fmt::print("{}: catalog {} {} ({}), {} controls, {} profiles: valid\n", file, c->id, c->version,
             c->status, c->controls.size(), c->profiles.size());
  return 0;
}

struct NoOpts {};

}  // namespace

std::vector<Command> catalog_commands() {
  std::vector<Command> out;
  out.push_back(command<NoOpts>(
      {"catalog", "list"}, "List the bundled catalogs", [](CLI::App&, NoOpts&) {},
      [](const NoOpts&) { return catalog_list(); }));
  out.push_back(command<ShowOpts>(
      {"catalog", "show"}, "Show a catalog, or one control",
      [](CLI::App& a, ShowOpts& o) {
        a.add_option("id", o.id, "Control id (all controls when omitted)");
        add_common(a, o.common, false);
      },
      catalog_show));
  out.push_back(command<GapOpts>(
      {"catalog", "gap"}, "What moving from one tier to another adds",
      [](CLI::App& a, GapOpts& o) {
        a.add_option("--from", o.from, "Current tier (high, moderate, low)")->required();
        a.add_option("--to", o.to, "Target tier (or an N²SF grade with --to-catalog n2sf)")
            ->required();
        a.add_option("--service", o.service, "Service type (default iaas)");
        a.add_option("--to-catalog", o.to_catalog,
                     "Target catalog for a cross-framework gap (n2sf)");
        add_common(a, o.common, false);
      },
      catalog_gap));
  out.push_back(command<ImportOpts>(
      {"catalog", "import"}, "Turn a CSV or XLSX copy of the official list into a catalog",
      [](CLI::App& a, ImportOpts& o) {
        a.add_option("file", o.file, "CSV (id,title_ko,title_en,kind,iaas,saas,daas) or .xlsx")
            ->required();
        a.add_option("-o,--output", o.out, "Catalog YAML to write")->required();
        a.add_option("--id", o.id,
                     "Catalog id (default csap, so that the bundled mapping applies)");
        a.add_option("--catalog-version", o.version,
                     "Version of the list, e.g. the date of the 고시");
        a.add_option("--status", o.status, "official (default) or custom");
      },
      catalog_import));
  out.push_back(command<std::string>(
      {"catalog", "validate"}, "Check a catalog file",
      [](CLI::App& a, std::string& file) { a.add_option("file", file)->required(); },
      catalog_validate));
  return out;
}

}  // namespace csap::cli
