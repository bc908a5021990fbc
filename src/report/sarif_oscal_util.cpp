#include "report/sarif_oscal_util.h"

#include <openssl/evp.h>

#include <array>
#include <filesystem>
#include <system_error>

#include "report/common.h"
#include "report/report.h"

namespace csap::report {
namespace fs = std::filesystem;

std::string uri_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (keep) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

std::string artifact_uri(std::string_view path) {
  fs::path p{std::string(path)};
  if (p.is_relative()) return uri_encode(p.lexically_normal().generic_string());
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  if (!ec) {
    fs::path rel = p.lexically_normal().lexically_relative(cwd);
    if (!rel.empty() && *rel.begin() != "..") return uri_encode(rel.generic_string());
  }
  return "file://" + uri_encode(p.lexically_normal().generic_string());
}

namespace {

std::array<unsigned char, 16> parse_uuid(std::string_view s) {
  std::array<unsigned char, 16> out{};
  std::size_t n = 0;
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  int hi = -1;
  for (char c : s) {
    int v = hex(c);
    if (v < 0) continue;
    if (hi < 0) {
      hi = v;
    } else if (n < out.size()) {
      out[n++] = static_cast<unsigned char>(hi << 4 | v);
      hi = -1;
    }
  }
  return out;
}

}  // namespace

std::string uuid_v5(std::string_view ns, std::string_view name) {
  auto nsb = parse_uuid(ns);
  std::string data(reinterpret_cast<const char*>(nsb.data()), nsb.size());
  data.append(name);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha1(), nullptr);
  md[6] = static_cast<unsigned char>((md[6] & 0x0f) | 0x50);
  md[8] = static_cast<unsigned char>((md[8] & 0x3f) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xf];
  }
  return out;
}

namespace {

const assess::Waiver* waiver_at(const assess::Assessment& a, int w) {
  if (w < 0 || static_cast<std::size_t>(w) >= a.waivers.size()) return nullptr;
  return &a.waivers[static_cast<std::size_t>(w)];
}

// ControlResult::waived (waivers on controls) when the assessor has it.
template <class CR>
int control_waiver(const CR& cr, std::size_t k) {
  if constexpr (requires { cr.waived; }) {
    if (k < cr.waived.size()) return cr.waived[k];
  }
  return -1;
}

}  // namespace

const assess::Waiver* waiver_in_control(const assess::Assessment& a,
                                        const assess::ControlResult& cr, std::size_t k) {
  if (k >= cr.findings.size()) return nullptr;
  std::size_t fi = cr.findings[k];
  if (a.findings[fi].status != engine::Status::kFail) return nullptr;
  if (const assess::Waiver* w = waiver_at(a, control_waiver(cr, k))) return w;
  return fi < a.finding_waiver.size() ? waiver_at(a, a.finding_waiver[fi]) : nullptr;
}

std::vector<const assess::Waiver*> finding_waivers(const assess::Assessment& a) {
  std::vector<const assess::Waiver*> out(a.findings.size(), nullptr);
  std::vector<char> unwaived(a.findings.size(), 0);
  for (std::size_t fi = 0; fi < a.findings.size() && fi < a.finding_waiver.size(); ++fi)
    if (a.findings[fi].status == engine::Status::kFail)
      out[fi] = waiver_at(a, a.finding_waiver[fi]);
  for (const auto& cr : a.controls)
    for (std::size_t k = 0; k < cr.findings.size(); ++k) {
      std::size_t fi = cr.findings[k];
      if (a.findings[fi].status != engine::Status::kFail) continue;
      if (fi < a.finding_waiver.size() && a.finding_waiver[fi] >= 0) continue;
      const assess::Waiver* w = waiver_at(a, control_waiver(cr, k));
      if (!w)
        unwaived[fi] = 1;
      else if (!out[fi])
        out[fi] = w;
    }
  for (std::size_t fi = 0; fi < out.size(); ++fi)
    if (unwaived[fi]) out[fi] = nullptr;
  return out;
}

std::string timestamp(std::string_view generated_at) {
  return generated_at.empty() ? now_utc() : std::string(generated_at);
}

namespace {
constexpr std::string_view kMark =
    "\x01"
    "csapcheck-stream-5e2b:";
constexpr std::string_view kDumpedMark = "\"\\u0001csapcheck-stream-5e2b:";
constexpr std::string_view kDumpedEnd = "\\u0001\"";

}  // namespace

ojson placeholder(std::string_view name) {
  return std::string(kMark) + std::string(name) + "\x01";
}

void write_streamed(std::ostream& os, const ojson& doc,
                    const std::vector<std::pair<std::string, Generator>>& generators) {
  std::string text = doc.dump(2, ' ', false, ojson::error_handler_t::replace);
  std::size_t pos = 0;
  while (true) {
    std::size_t at = text.find(kDumpedMark, pos);
    if (at == std::string::npos) break;
    std::size_t name_start = at + kDumpedMark.size();
    std::size_t end = text.find(kDumpedEnd, name_start);
    if (end == std::string::npos) break;
    std::string name = text.substr(name_start, end - name_start);
    std::size_t line_start = text.rfind('\n', at);
    line_start = line_start == std::string::npos ? 0 : line_start + 1;
    std::size_t indent = 0;
    while (line_start + indent < at && text[line_start + indent] == ' ') ++indent;
    os.write(text.data() + pos, static_cast<std::streamsize>(at - pos));
    os << '[';
    bool first = true;
    std::string pad(indent + 2, ' ');
    for (const auto& [n, gen] : generators)
      if (n == name)
        gen([&](const ojson& item) {
          os << (first ? "\n" : ",\n") << pad
             << indent_following_lines(item.dump(2, ' ', false, ojson::error_handler_t::replace),
                                       indent + 2);
          first = false;
        });
    if (!first) os << '\n' << std::string(indent, ' ');
    os << ']';
    pos = end + kDumpedEnd.size();
  }
  os.write(text.data() + pos, static_cast<std::streamsize>(text.size() - pos));
  os << '\n';
}

}  // namespace csap::report
