#include "app/evidence_ops.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/files.h"
#include "evidence/evidence.h"

namespace csap::app {
namespace fs = std::filesystem;

namespace {

Result<evidence::Loaded> read_attestations(const Loaded& l, const EvidenceOptions& ev,
                                           const char* what) {
  if (ev.attest.size() != 1)
    return fail(fmt::format("give exactly one --attest FILE to {}", what), {}, Exit::kUsage);
  return read_evidence_files(ev, l.cat, l.rules, false);
}

}  // namespace

Result<InitOutcome> init(Loaded loaded, const std::string& out) {
  auto r = run(std::move(loaded), RunOptions{});
  if (!r) return forward(r);
  const Loaded& l = *r->loaded;
  std::vector<evidence::SkeletonEntry> entries;
  for (const auto& cr : r->assessment.controls) {
    bool people = cr.control->kind == "procedural" || cr.control->kind == "physical";
    if (!cr.needs_attestation && !people) continue;
    entries.push_back({cr.control, cr.evidence});
  }
  InitOutcome o;
  o.target = out;
  std::error_code ec;
  if (out != "-" && fs::exists(out, ec)) {
    o.merged = true;
    auto text = read_text_file(out);  // checks size and encoding
    if (!text) return forward(text);
    {
      // Merged as it is, byte-order mark included: init keeps every byte.
      std::ifstream in(out, std::ios::binary);
      std::ostringstream raw;
      raw << in.rdbuf();
      text = raw.str();
    }
    auto merged = evidence::merge_skeleton(*text, out, l.cat, l.profile, entries);
    if (!merged) return forward(merged);
    o.added = merged->added;
    o.kept = merged->kept;
    if (merged->added.empty()) return o;
    auto w = write_file_atomically(out, [&](std::ostream& os) { os << merged->text; });
    if (!w) return forward(w);
    return o;
  }
  auto w = write_file_atomically(
      out, [&](std::ostream& os) { os << evidence::skeleton_text(l.cat, l.profile, entries); });
  if (!w) return forward(w);
  o.written = entries.size();
  return o;
}

Result<LockOutcome> lock(const Loaded& l, const EvidenceOptions& ev, const std::string& out) {
  auto loaded = read_attestations(l, ev, "lock");
  if (!loaded) return forward(loaded);
  LockOutcome o;
  std::vector<Error> problems;
  std::size_t missing = 0, unreadable = 0;
  std::vector<std::string> inputs{ev.attest.front()};
  for (const auto& a : loaded->attestations)
    for (const auto& f : a.evidence) {
      inputs.push_back(f.resolved);
      if (f.exists) {
        ++o.files;
      } else if (!f.unreadable.empty()) {
        ++unreadable;
        problems.push_back(Error{
            Exit::kBadInput, fmt::format("evidence file unreadable: {} ({})", f.path, f.unreadable),
            SourceLoc(a.file, a.line)});
      } else {
        ++missing;
        problems.push_back(
            Error{Exit::kBadInput, "evidence file missing: " + f.path, SourceLoc(a.file, a.line)});
      }
    }
  if (!problems.empty()) {
    Error e{Exit::kBadInput,
            fmt::format("{} evidence file(s) missing, {} unreadable; nothing was written", missing,
                        unreadable)};
    e.details = std::move(problems);
    return std::unexpected(std::move(e));
  }
  o.target = out.empty() ? evidence::lock_path_for(ev.attest.front()) : out;
  if (auto same = check_output_not_input(o.target, inputs); !same) return forward(same);
  auto w = write_file_atomically(o.target, [&](std::ostream& os) {
    os << evidence::lock_text(loaded->attestations, ev.attest.front());
  });
  if (!w) return forward(w);
  return o;
}

Result<VerifyOutcome> verify(const Loaded& l, const EvidenceOptions& ev,
                             const std::string& lock_file) {
  if (ev.attest.size() != 1)
    return fail("give exactly one --attest FILE to verify", {}, Exit::kUsage);
  std::string lp = lock_file.empty() ? evidence::lock_path_for(ev.attest.front()) : lock_file;
  if (!fs::exists(lp))
    return fail(fmt::format("no lock file; write one with `csapcheck evidence lock --attest {}`",
                            ev.attest.front()),
                {lp});
  auto lock = evidence::read_lock(lp);
  if (!lock) return forward(lock);
  auto loaded = read_attestations(l, ev, "verify");
  if (!loaded) return forward(loaded);
  std::map<std::string, std::string> locked;
  for (const auto& e : *lock) locked[e.key] = e.sha256;
  VerifyOutcome o;
  std::set<std::string> seen;
  for (const auto& a : loaded->attestations)
    for (const auto& f : a.evidence) {
      if (!seen.insert(f.key).second) continue;
      auto it = locked.find(f.key);
      VerifyLine line{f.key, {}, a.control, a.file, a.line, {}};
      if (!f.unreadable.empty()) {
        line.state = "unreadable";
        line.detail = f.unreadable;
      } else if (!f.exists)
        line.state = "missing";
      else if (it == locked.end())
        line.state = "not locked";
      else if (it->second != f.sha256)
        line.state = "changed";
      ++(line.state.empty() ? o.ok : o.bad);
      o.lines.push_back(std::move(line));
    }
  return o;
}

Result<RoadmapOutcome> roadmap(Loaded l, const std::string& from, const RunOptions& opts) {
  auto g = catalog::gap(l.cat, l.profile.service, from, l.profile.tier);
  if (!g) return forward(g);
  auto r = run(std::move(l), opts);
  if (!r) return forward(r);
  RoadmapOutcome o{std::move(*r), {}};
  o.roadmap = assess::roadmap(o.run.assessment, *g);
  return o;
}

}  // namespace csap::app
