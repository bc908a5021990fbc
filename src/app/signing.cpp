#include "app/signing.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "core/files.h"

namespace csap::app {
namespace fs = std::filesystem;

namespace {

constexpr const char* kCanonical = "csapcheck-json-canonical/v1";

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Bio = std::unique_ptr<BIO, BioFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

std::string bio_string(BIO* b) {
  char* data = nullptr;
  long n = BIO_get_mem_data(b, &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

std::string base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<std::string> unbase64(const std::string& text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  std::string out(text.size() / 4 * 3 + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  std::size_t pad = text.ends_with("==") ? 2 : text.ends_with("=") ? 1 : 0;
  out.resize(static_cast<std::size_t>(n) - pad);
  return out;
}

// Reads a PEM key (private or public). A private key never appears in a message.
Result<Pkey> read_key(const std::string& path, bool want_private) {
  auto text = read_text_file(path, 64 * 1024);
  if (!text) return forward(text);
  Bio b(BIO_new_mem_buf(text->data(), static_cast<int>(text->size())));
  if (!b) return fail("out of memory", {path});
  EVP_PKEY* k = want_private ? PEM_read_bio_PrivateKey(b.get(), nullptr, nullptr, nullptr)
                             : PEM_read_bio_PUBKEY(b.get(), nullptr, nullptr, nullptr);
  if (!k && !want_private) {
    // A private key file gives its public key too.
    Bio again(BIO_new_mem_buf(text->data(), static_cast<int>(text->size())));
    if (again) k = PEM_read_bio_PrivateKey(again.get(), nullptr, nullptr, nullptr);
  }
  if (!k)
    return fail(want_private ? "not a PEM private key (make one with csapcheck keygen)"
                             : "not a PEM public key (csapcheck keygen writes KEY.pub)",
                {path});
  Pkey key(k);
  if (EVP_PKEY_id(k) != EVP_PKEY_ED25519) return fail("not an Ed25519 key", {path});
  return key;
}

Result<std::string> key_id(EVP_PKEY* k) {
  unsigned char raw[32];
  std::size_t n = sizeof raw;
  if (EVP_PKEY_get_raw_public_key(k, raw, &n) != 1 || n != sizeof raw)
    return fail("cannot read the public key", {}, Exit::kInternal);
  return sha256_hex(std::string_view(reinterpret_cast<const char*>(raw), n)).substr(0, 16);
}

// Counts the member names the parser saw, to compare with those kept (duplicates collapse).
std::size_t members(const nlohmann::json& j) {
  std::size_t n = 0;
  if (j.is_object())
    for (const auto& [k, v] : j.items()) n += 1 + members(v);
  else if (j.is_array())
    for (const auto& v : j) n += members(v);
  return n;
}

}  // namespace

Result<std::string> canonical_json(const std::string& text, const std::string& file) {
  std::size_t keys = 0;
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text, [&](int, nlohmann::json::parse_event_t e, nlohmann::json&) {
      if (e == nlohmann::json::parse_event_t::key) ++keys;
      return true;
    });
  } catch (const nlohmann::json::parse_error& e) {
    auto [line, col] = line_col(text, e.byte ? e.byte - 1 : 0);
    return fail("not JSON: it does not parse", {file, line, col});
  }
  if (members(j) != keys)
    return fail("a JSON object names a member twice: such a report cannot be signed or verified",
                {file});
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
}

Result<KeyFiles> keygen(const std::string& private_key_path) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
  EVP_PKEY* raw = nullptr;
  bool ok = ctx && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_keygen(ctx, &raw) == 1;
  EVP_PKEY_CTX_free(ctx);
  if (!ok) return fail("cannot make an Ed25519 key", {}, Exit::kInternal);
  Pkey key(raw);
  Bio priv(BIO_new(BIO_s_mem())), pub(BIO_new(BIO_s_mem()));
  if (!priv || !pub ||
      PEM_write_bio_PrivateKey(priv.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
      PEM_write_bio_PUBKEY(pub.get(), key.get()) != 1)
    return fail("cannot write the key", {}, Exit::kInternal);
  KeyFiles out;
  out.private_key = private_key_path;
  out.public_key = private_key_path + ".pub";
  auto id = key_id(key.get());
  if (!id) return forward(id);
  out.key_id = *id;

  // The private key: created here, never replacing a file, readable by its owner only.
  int fd =
      ::open(private_key_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    int err = errno;
    if (err == EEXIST)
      return fail("the key file exists already; remove it or choose another name",
                  {private_key_path}, Exit::kUsage);
    return fail(fmt::format("cannot create the key file: {}", std::strerror(err)),
                {private_key_path});
  }
  std::string pem = bio_string(priv.get());
  bool written = ::fchmod(fd, 0600) == 0;
  for (std::size_t off = 0; written && off < pem.size();) {
    ssize_t n = ::write(fd, pem.data() + off, pem.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      written = false;
    else
      off += static_cast<std::size_t>(n);
  }
  written = ::fsync(fd) == 0 && written;
  written = ::close(fd) == 0 && written;
  OPENSSL_cleanse(pem.data(), pem.size());
  if (!written) {
    int err = errno;
    ::unlink(private_key_path.c_str());
    return fail(fmt::format("cannot write the key file: {}", std::strerror(err)),
                {private_key_path});
  }
  std::string pub_pem = bio_string(pub.get());
  if (auto w = write_file_atomically(out.public_key, [&](std::ostream& os) { os << pub_pem; }); !w)
    return forward(w);
  return out;
}

Result<std::string> key_id_of(const std::string& path) {
  auto k = read_key(path, false);
  if (!k) return forward(k);
  return key_id(k->get());
}

Result<std::string> sign_report(const std::string& report, const std::string& private_key,
                                const std::string& signature_path) {
  auto key = read_key(private_key, true);
  if (!key) return forward(key);
  auto text = read_text_file(report, kMaxInputBytes);
  if (!text) return forward(text);
  auto canon = canonical_json(*text, report);
  if (!canon) return forward(canon);
  MdCtx md(EVP_MD_CTX_new());
  std::string sig(64, '\0');
  std::size_t n = sig.size();
  if (!md || EVP_DigestSignInit(md.get(), nullptr, nullptr, nullptr, key->get()) != 1 ||
      EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(sig.data()), &n,
                     reinterpret_cast<const unsigned char*>(canon->data()), canon->size()) != 1)
    return fail("cannot sign the report", {report}, Exit::kInternal);
  sig.resize(n);
  auto id = key_id(key->get());
  if (!id) return forward(id);
  nlohmann::json j = {{"algorithm", "ed25519"},
                      {"canonical", kCanonical},
                      {"key_id", *id},
                      {"report_sha256", sha256_hex(*canon)},
                      {"signature", base64(sig)}};
  std::string target = signature_path.empty() ? report + ".sig" : signature_path;
  if (auto w = write_file_atomically(target, [&](std::ostream& os) { os << j.dump(2) << '\n'; });
      !w)
    return forward(w);
  return target;
}

Result<Verification> verify_report(const std::string& report, const std::string& public_key,
                                   const std::string& signature_path) {
  auto key = read_key(public_key, false);
  if (!key) return forward(key);
  std::string sig_file = signature_path.empty() ? report + ".sig" : signature_path;
  auto sig_text = read_text_file(sig_file, 64 * 1024);
  if (!sig_text) return forward(sig_text);
  nlohmann::json sj;
  try {
    sj = nlohmann::json::parse(*sig_text);
  } catch (const nlohmann::json::parse_error&) {
    return fail("not a csapcheck signature file", {sig_file});
  }
  auto field = [&](const char* k) {
    auto it = sj.is_object() ? sj.find(k) : sj.end();
    return it != sj.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (field("algorithm") != "ed25519" || field("canonical") != kCanonical)
    return fail(fmt::format("not a csapcheck signature file (algorithm ed25519, canonical form {})",
                            kCanonical),
                {sig_file});
  auto sig = unbase64(field("signature"));
  if (!sig || sig->size() != 64)
    return fail("the signature is not valid base64 of 64 bytes", {sig_file});
  Verification v;
  auto id = key_id(key->get());
  if (!id) return forward(id);
  v.key_id = *id;
  if (field("key_id") != *id) {
    v.message = fmt::format("signed with key {}, not with this key ({})", field("key_id"), *id);
    return v;
  }
  auto text = read_text_file(report, kMaxInputBytes);
  if (!text) return forward(text);
  auto canon = canonical_json(*text, report);
  if (!canon) {
    v.message = canon.error().str();
    return v;
  }
  MdCtx md(EVP_MD_CTX_new());
  if (!md || EVP_DigestVerifyInit(md.get(), nullptr, nullptr, nullptr, key->get()) != 1)
    return fail("cannot verify", {report}, Exit::kInternal);
  int ok =
      EVP_DigestVerify(md.get(), reinterpret_cast<const unsigned char*>(sig->data()), sig->size(),
                       reinterpret_cast<const unsigned char*>(canon->data()), canon->size());
  v.valid = ok == 1;
  if (!v.valid)
    v.message = "the report was changed after it was signed (the signature does not match)";
  return v;
}

}  // namespace csap::app
