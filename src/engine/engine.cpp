#include "engine/engine.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>
#include <unordered_map>

namespace csap::engine {

std::string_view status_name(Status s) {
  switch (s) {
    case Status::kPass:
      return "pass";
    case Status::kFail:
      return "fail";
    case Status::kUnknown:
      return "unknown";
    case Status::kError:
      return "error";
  }
  return "error";
}

namespace {

using TypeRules = std::unordered_map<std::string_view, const std::vector<std::uint32_t>*>;

void eval_range(const rules::RuleSet& rs, const TypeRules& by_type, const rules::Context& ctx,
                std::size_t begin, std::size_t end, std::vector<Finding>& out,
                std::atomic<std::size_t>& done) {
  const Deployment& d = ctx.deployment();
  for (std::size_t i = begin; i < end; ++i) {
    const Resource& r = d.resources[i];
    // A data source is read, not deployed: it stays in the deployment for relations and values,
    // but rules judge managed resources only.
    static const std::vector<std::uint32_t> kNone;
    for (std::uint32_t ri : r.mode == "data" ? kNone : *by_type.at(r.type)) {
      Finding f;
      f.rule = ri;
      f.resource = static_cast<std::uint32_t>(i);
      try {
        auto ev = rules::evaluate(rs.rules[ri], ctx, static_cast<std::uint32_t>(i));
        if (!ev.result) continue;
        switch (*ev.result) {
          case rules::Tri::kTrue:
            f.status = Status::kPass;
            break;
          case rules::Tri::kFalse:
            f.status = Status::kFail;
            break;
          case rules::Tri::kUnknown:
            f.status = Status::kUnknown;
            break;
        }
        if (f.status != Status::kPass) f.why = std::move(ev.why);
      } catch (const std::exception& e) {
        f.status = Status::kError;
        f.error = e.what();
      }
      out.push_back(std::move(f));
    }
    if ((i & 1023) == 0)
      done.fetch_add(std::min<std::size_t>(1024, end - i), std::memory_order_relaxed);
  }
}

}  // namespace

std::vector<Finding> run(const rules::RuleSet& rs, const Deployment& d, const Options& opts) {
  rules::Context ctx(d);
  const std::size_t n = d.resources.size();
  // The rules of every resource type present, looked up once here so that the workers share a
  // read-only table.
  TypeRules by_type;
  for (const auto& r : d.resources)
    if (r.mode != "data" && !by_type.count(r.type)) by_type.emplace(r.type, &rs.for_type(r.type));
  unsigned jobs = opts.jobs ? opts.jobs : std::max(1u, std::thread::hardware_concurrency());
  if (n < 2048) jobs = 1;
  // Small chunks, handed out dynamically, keep the cores busy when costs are uneven.
  const std::size_t chunk = std::max<std::size_t>(256, n / (jobs * 16) + 1);
  const std::size_t nchunks = (n + chunk - 1) / chunk;
  std::vector<std::vector<Finding>> parts(nchunks);
  std::atomic<std::size_t> next{0}, done{0};
  auto worker = [&] {
    for (;;) {
      std::size_t c = next.fetch_add(1);
      if (c >= nchunks) return;
      eval_range(rs, by_type, ctx, c * chunk, std::min(n, (c + 1) * chunk), parts[c], done);
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(worker);
  if (opts.progress && jobs > 1) {
    // The calling thread reports progress while the others work, then joins in.
    std::thread reporter([&] {
      while (next.load() < nchunks) {
        opts.progress(std::min(done.load(), n), n);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
    worker();
    reporter.join();
  } else {
    worker();
  }
  for (auto& t : threads) t.join();
  if (opts.progress) opts.progress(n, n);
  std::size_t total = 0;
  for (const auto& p : parts) total += p.size();
  std::vector<Finding> out;
  out.reserve(total);
  for (auto& p : parts)
    for (auto& f : p) out.push_back(std::move(f));
  return out;
}

}  // namespace csap::engine
