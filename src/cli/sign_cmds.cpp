// keygen and verify: Ed25519 keys for signed reports, and the check of a signed JSON report.
#include <fmt/format.h>

#include "app/signing.h"
#include "cli/command.h"

namespace csap::cli {
namespace {

struct KeygenOpts {
  std::string out;
};

Result<int> keygen(const KeygenOpts& o) {
  auto k = app::keygen(o.out);
  if (!k) return forward(k);
  fmt::print(stderr,
             "csapcheck: wrote the private key {} (mode 0600; keep it secret) and the "
             "public key {}; key id {}\n",
             k->private_key, k->public_key, k->key_id);
  return 0;
}

struct VerifyOpts {
  std::string report;
  std::string key;
  std::string signature;
};

Result<int> verify(const VerifyOpts& o) {
  auto v = app::verify_report(o.report, o.key, o.signature);
  if (!v) return forward(v);
  if (!v->valid) {
    fmt::print(stderr, "csapcheck: {}: NOT VERIFIED: {}\n", o.report, v->message);
    return static_cast<int>(Exit::kFindings);
  }
  fmt::print("{}: verified, signed with key {}\n", o.report, v->key_id);
  return 0;
}

}  // namespace

std::vector<Command> sign_commands() {
  std::vector<Command> out;
  out.push_back(command<KeygenOpts>(
      {"keygen"}, "Make an Ed25519 key pair for signing reports (KEY, and KEY.pub)",
      [](CLI::App& a, KeygenOpts& o) {
        a.add_option("-o,--output", o.out, "The private key file to create (mode 0600)")
            ->required();
      },
      keygen));
  out.push_back(command<VerifyOpts>(
      {"verify"}, "Check a signed JSON report against its signature (exit 1 when changed)",
      [](CLI::App& a, VerifyOpts& o) {
        a.add_option("report", o.report, "The JSON report")->required();
        a.add_option("--key", o.key, "The public key (KEY.pub from keygen)")->required();
        a.add_option("--signature", o.signature, "The signature file (default: REPORT.sig)");
      },
      verify));
  return out;
}

}  // namespace csap::cli
