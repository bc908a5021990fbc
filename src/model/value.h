// The compact value model every input format is loaded into: 16 bytes per value, stored in a
// per-deployment arena. A value Terraform knows only after apply is of kind kUnknown; values it
// marks sensitive carry the sensitive flag (and are redacted in every output).
#pragma once
#include <cstdint>
#include <cstring>
#include <memory_resource>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace csap {

class Value;
struct Member;

enum class Kind : std::uint8_t { kNull, kBool, kInt, kDouble, kString, kArray, kObject, kUnknown };

class Value {
 public:
  Value() : i_(0) {}
  static Value null() { return Value(); }
  static Value unknown() {
    Value v;
    v.kind_ = Kind::kUnknown;
    return v;
  }
  static Value boolean(bool b) {
    Value v;
    v.kind_ = Kind::kBool;
    v.b_ = b;
    return v;
  }
  static Value integer(std::int64_t i) {
    Value v;
    v.kind_ = Kind::kInt;
    v.i_ = i;
    return v;
  }
  static Value number(double d) {
    Value v;
    v.kind_ = Kind::kDouble;
    v.d_ = d;
    return v;
  }
  // The string's bytes must outlive the value (arena-owned or static).
  static Value string(std::string_view s) {
    Value v;
    v.kind_ = Kind::kString;
    v.s_ = s.data();
    v.size_ = static_cast<std::uint32_t>(s.size());
    return v;
  }
  static Value array(Value* items, std::size_t n) {
    Value v;
    v.kind_ = Kind::kArray;
    v.items_ = items;
    v.size_ = static_cast<std::uint32_t>(n);
    return v;
  }
  static Value object(Member* members, std::size_t n) {
    Value v;
    v.kind_ = Kind::kObject;
    v.members_ = members;
    v.size_ = static_cast<std::uint32_t>(n);
    return v;
  }

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_unknown() const { return kind_ == Kind::kUnknown; }
  bool is_bool() const { return kind_ == Kind::kBool; }
  bool is_number() const { return kind_ == Kind::kInt || kind_ == Kind::kDouble; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_array() const { return kind_ == Kind::kArray; }
  bool is_object() const { return kind_ == Kind::kObject; }

  bool sensitive() const { return (flags_ & kSensitive) != 0; }
  void set_sensitive(bool s) { flags_ = s ? (flags_ | kSensitive) : (flags_ & ~kSensitive); }

  bool as_bool() const { return b_; }
  std::int64_t as_int() const { return kind_ == Kind::kInt ? i_ : static_cast<std::int64_t>(d_); }
  double as_double() const { return kind_ == Kind::kInt ? static_cast<double>(i_) : d_; }
  std::string_view str() const {
    return kind_ == Kind::kString ? std::string_view(s_, size_) : std::string_view();
  }

  std::size_t size() const { return (kind_ == Kind::kArray || kind_ == Kind::kObject) ? size_ : 0; }
  std::span<const Value> items() const {
    return kind_ == Kind::kArray ? std::span<const Value>(items_, size_) : std::span<const Value>();
  }
  std::span<Value> mutable_items() {
    return kind_ == Kind::kArray ? std::span<Value>(items_, size_) : std::span<Value>();
  }
  std::span<const Member> members() const;
  std::span<Member> mutable_members();

  // Object member lookup; nullptr when absent or not an object.
  const Value* get(std::string_view key) const;
  Value* get_mutable(std::string_view key);

  // Typed equality as the rule language defines it: 22 and "22" differ; 1 and 1.0 are equal.
  bool equals(const Value& other) const;

  // Marks this value and everything under it sensitive.
  void mark_sensitive_deep();
  // True when this value or anything under it is sensitive.
  bool any_sensitive() const;

 private:
  static constexpr std::uint8_t kSensitive = 1;
  Kind kind_ = Kind::kNull;
  std::uint8_t flags_ = 0;
  std::uint32_t size_ = 0;
  union {
    bool b_;
    std::int64_t i_;
    double d_;
    const char* s_;
    Value* items_;
    Member* members_;
  };
};

struct Member {
  std::string_view key;
  Value value;
};

static_assert(sizeof(Value) == 16, "Value must stay compact");

inline std::span<const Member> Value::members() const {
  return kind_ == Kind::kObject ? std::span<const Member>(members_, size_)
                                : std::span<const Member>();
}
inline std::span<Member> Value::mutable_members() {
  return kind_ == Kind::kObject ? std::span<Member>(members_, size_) : std::span<Member>();
}

// A bump allocator owning the bytes of every value of a deployment.
class Arena {
 public:
  // The first block is small (rules and tests make many small arenas); later blocks grow
  // geometrically, so a large deployment takes few, large blocks.
  Arena() : res_(kFirstBlock, std::pmr::new_delete_resource()) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  void* allocate(std::size_t bytes, std::size_t align = alignof(std::max_align_t)) {
    return res_.allocate(bytes == 0 ? 1 : bytes, align);
  }
  std::string_view copy(std::string_view s) {
    if (s.empty()) return {};
    char* p = static_cast<char*>(allocate(s.size(), 1));
    std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
  }
  Value* values(std::size_t n) {
    return static_cast<Value*>(allocate(n * sizeof(Value), alignof(Value)));
  }
  Member* members(std::size_t n) {
    return static_cast<Member*>(allocate(n * sizeof(Member), alignof(Member)));
  }
  Value str(std::string_view s) { return Value::string(copy(s)); }
  // Deep-copies a value (from another arena) into this one.
  Value clone(const Value& v);
  void release() { res_.release(); }

 private:
  static constexpr std::size_t kFirstBlock = 4096;
  std::pmr::monotonic_buffer_resource res_;
};

// JSON text of a value (compact). Sensitive values print as "(sensitive)"; unknown as "(known after
// apply)".
std::string to_json(const Value& v, bool redact = true);
// Short human form for messages: strings unquoted, compound values as compact JSON, truncated.
std::string to_display(const Value& v, std::size_t max_len = 120);

}  // namespace csap
