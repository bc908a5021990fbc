// Signed reports: Ed25519 keys (OpenSSL), a detached signature over the canonical form of a JSON
// report, and its verification. The canonical form is described in docs/signing.md.
#pragma once
#include <string>

#include "core/error.h"

namespace csap::app {

// The canonical form of a JSON text: parsed, then written with object members sorted by their
// names' UTF-8 bytes, no whitespace outside strings. Duplicate member names are an error.
Result<std::string> canonical_json(const std::string& text, const std::string& file);

struct KeyFiles {
  std::string private_key;  // PEM (PKCS#8), mode 0600
  std::string public_key;   // PEM (SubjectPublicKeyInfo): private_key + ".pub"
  std::string key_id;
};

// Makes an Ed25519 key pair. The private key file must not exist yet: it is created with mode
// 0600 and never printed.
Result<KeyFiles> keygen(const std::string& private_key_path);

// The key id: the first 16 hex digits of the SHA-256 of the raw 32-byte public key.
Result<std::string> key_id_of(const std::string& public_or_private_key_path);

// Signs the canonical form of the JSON report `report` with the private key; writes the detached
// signature to `report` + ".sig" (or `signature_path`). Returns the signature file's path.
Result<std::string> sign_report(const std::string& report, const std::string& private_key,
                                const std::string& signature_path = {});

struct Verification {
  bool valid = false;
  std::string key_id;
  std::string message;  // why not, when not valid
};

// Checks the report against its detached signature (default `report` + ".sig") and the public
// key. Unreadable files are errors; a signature that does not match is `valid == false`.
Result<Verification> verify_report(const std::string& report, const std::string& public_key,
                                   const std::string& signature_path = {});

}  // namespace csap::app
