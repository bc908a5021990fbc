// Evidence from people (DESIGN.md §4): attestations with their evidence files, waivers from files
// and from resource tags, the evidence lock file, and dates. The assessor (src/assess) turns them
// into verdicts; this module reads, checks and resolves them.
#pragma once
#include <chrono>
#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "core/error.h"
#include "core/text.h"
#include "model/deployment.h"

namespace csap::evidence {

// ---- the data model
// -------------------------------------------------------------------------------

// A file given as evidence for an attestation, resolved under the evidence root.
struct EvidenceFile {
  std::string path;           // as written in the attestation file
  std::string resolved;       // absolute path under the evidence root (empty when refused)
  std::string sha256;         // of the file as it is now (empty when missing)
  std::string locked_sha256;  // recorded by `csapcheck evidence lock` (empty when none)
  bool exists = false;        // there and read (hashed)
  std::string unreadable;     // why it is there but could not be read (empty when read or missing)
  bool changed = false;       // differs from the locked hash
  std::string key;  // path relative to the evidence root, '/'-separated: the lock file's key
};

// A person's statement that a control is met (or not applicable), with evidence.
struct Attestation {
  std::string control;
  std::string status;  // implemented | partial | planned | not-applicable
  std::string statement;
  std::string reason;  // required for not-applicable
  std::vector<EvidenceFile> evidence;
  std::string owner;
  std::string reviewed;  // YYYY-MM-DD
  std::string expires;   // YYYY-MM-DD (empty: does not expire)
  std::string file;
  int line = 0;
  bool valid = false;  // counts for its control: in date, every evidence file present and unchanged
  Text problem;        // why it does not count (expired, missing file, hash changed, ...)
  bool expiring_soon = false;  // expires within kSoonDays

  // implemented or not-applicable: the control is met, or does not apply.
  bool says_met() const { return status == "implemented"; }
  // partial or planned: the team states the control is not (yet) met.
  bool says_not_met() const { return status == "partial" || status == "planned"; }
  bool says_not_applicable() const { return status == "not-applicable"; }
};

// An accepted failure: rule (or control) + resource pattern + reason + approver + expiry.
struct Waiver {
  std::string rule;      // rule id, or empty when `control` is given
  std::string control;   // control id, or empty
  std::string resource;  // Terraform address pattern with '*' wildcards
  std::string reason;
  std::string approved_by;
  std::string expires;  // YYYY-MM-DD
  std::string source;   // "file:line", or "tag on ADDRESS" for csapcheck:waive tags
  bool from_tag = false;
  bool valid = false;  // well-formed and not expired
  bool expiring_soon = false;
  Text problem;             // why it is not applied
  std::size_t matched = 0;  // failing findings it turned into waived (0 = stale)
};

// Attestation statuses, in the order the documentation lists them.
inline constexpr std::string_view kStatuses[] = {"implemented", "partial", "planned",
                                                 "not-applicable"};

// ---- dates
// ------------------------------------------------------------------------------------------

// Items expiring within this many days are flagged in every report.
inline constexpr int kSoonDays = 30;

// A date written YYYY-MM-DD that exists in the calendar (2026-02-29 does not).
std::optional<std::chrono::sys_days> parse_date(std::string_view s);
std::string format_date(std::chrono::sys_days d);
// Today's date on this machine's local clock, YYYY-MM-DD.
std::string today_local();

// Sets `valid`, `problem` and `expiring_soon` of every attestation and waiver for `today`
// (YYYY-MM-DD): an attestation is valid when it is not expired and each evidence file exists and is
// unchanged since it was locked; a waiver when it is well-formed (tag waivers may not be) and not
// expired. An item expiring on `today` is still valid that day.
void evaluate(std::vector<Attestation>& attestations, std::vector<Waiver>& waivers,
              std::string_view today);

// ---- loading
// ----------------------------------------------------------------------------------------

struct LoadOptions {
  const catalog::Catalog* catalog = nullptr;        // control ids are checked against it when given
  const std::set<std::string>* rule_ids = nullptr;  // waiver rule ids are checked when given
  std::string evidence_root;                        // empty: the directory of each attestation file
  bool read_locks = true;  // read FILE.lock.yaml beside each attestation file when present
};

struct Loaded {
  std::vector<Attestation> attestations;
  std::vector<Waiver> waivers;
  std::vector<std::string> notes;  // e.g. entries of a skeleton not filled in yet
  std::vector<Error> errors;       // every problem, each with file:line:col (exit code 3)
};

// Reads attestation files (top-level keys `attestations` and optionally `waivers`) and waiver files
// (top-level key `waivers`). Problems are collected, not thrown: the caller reports them all.
Loaded load(const std::vector<std::string>& attest_files,
            const std::vector<std::string>& waiver_files, const LoadOptions& opts);

// Waivers written as resource tags (or labels): `csapcheck:waive` = RULE[,RULE...], with
// `csapcheck:waive-reason`, `csapcheck:waive-expires` (YYYY-MM-DD) and optionally
// `csapcheck:waive-approver`. GCP labels allow no ':' in keys: `csapcheck-waive`, ... are accepted
// too. A tag waiver without reason or expiry (or with a bad date or an unknown rule) is returned
// with `problem` set: reported, never applied.
std::vector<Waiver> tag_waivers(const Deployment& d,
                                const std::set<std::string>* rule_ids = nullptr);

// '*' matches any run of characters (dots and brackets included); everything else is literal.
bool glob_match(std::string_view pattern, std::string_view text);

// ---- the lock file
// ----------------------------------------------------------------------------------

inline constexpr std::string_view kLockSchema = "csapcheck/evidence-lock/v1";

// attest.yaml → attest.lock.yaml (beside it); other names get ".lock.yaml" appended.
std::string lock_path_for(const std::string& attest_file);

struct LockEntry {
  std::string key;  // path relative to the evidence root
  std::string sha256;
};

// Reads a lock file (YAML or JSON). Errors point at file:line:col.
Result<std::vector<LockEntry>> read_lock(const std::string& file);
// The lock file's text for the evidence files of `attestations` (each file once, sorted).
std::string lock_text(const std::vector<Attestation>& attestations, const std::string& attest_file);

// ---- the skeleton (`csapcheck init`)
// -----------------------------------------------------------------

struct SkeletonEntry {
  const catalog::Control* control = nullptr;
  std::vector<std::string> evidence;  // what auditors usually expect (from the mapping)
};

// The text of a new attestation file listing `entries`, with a header naming catalog and profile.
std::string skeleton_text(const catalog::Catalog& cat, const catalog::Profile& profile,
                          const std::vector<SkeletonEntry>& entries);

struct MergeResult {
  std::string text;                // the existing text, untouched, with the missing entries added
  std::vector<std::string> added;  // control ids added
  std::size_t kept = 0;            // entries already there
};
// Adds the entries whose control is not yet in `existing` (an attestation file's text), keeping
// every byte already written (comments, order, hand edits). Errors: unparseable YAML, or a top
// level that is not an attestation file.
Result<MergeResult> merge_skeleton(std::string_view existing, const std::string& file,
                                   const catalog::Catalog& cat, const catalog::Profile& profile,
                                   const std::vector<SkeletonEntry>& entries);

}  // namespace csap::evidence
