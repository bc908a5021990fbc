#include "rules/rule.h"

#include <gtest/gtest.h>

#include "rules/ruleset.h"
#include "rules/testres.h"

namespace csap::rules {
namespace {

Rule compile(const std::string& yaml_text) {
  auto doc = yaml::parse_one(yaml_text, "rule.yaml");
  EXPECT_TRUE(doc) << (doc ? "" : doc.error().str());
  auto r = compile_rule(*doc, "rule.yaml");
  EXPECT_TRUE(r) << (r ? "" : r.error().str());
  return std::move(*r);
}

Error compile_error(const std::string& yaml_text) {
  auto doc = yaml::parse_one(yaml_text, "rule.yaml");
  EXPECT_TRUE(doc);
  auto r = compile_rule(*doc, "rule.yaml");
  EXPECT_FALSE(r);
  return r ? Error{} : r.error();
}

// Evaluates `check` (YAML flow text) on one resource given as YAML flow text.
std::string eval_on(const std::string& check, const std::string& resource,
                    Explanation* why = nullptr) {
  Rule r =
      compile("{id: T-1, title: {en: t}, severity: low, resource: ['*'], check: " + check + "}");
  Deployment d;
  auto node = yaml::parse_one(resource, "res.yaml");
  EXPECT_TRUE(node);
  auto ok = add_test_resources(*node, d, "res.yaml");
  EXPECT_TRUE(ok) << (ok ? "" : ok.error().str());
  Context ctx(d);
  auto ev = evaluate(r, ctx, 0);
  if (why) *why = ev.why;
  if (!ev.result) return "none";
  return *ev.result == Tri::kTrue ? "pass" : *ev.result == Tri::kFalse ? "fail" : "unknown";
}

TEST(RulesOperators, EqualsIsTyped) {
  EXPECT_EQ(eval_on("{path: p, op: equals, value: 22}", "{type: t, values: {p: 22}}"), "pass");
  EXPECT_EQ(eval_on("{path: p, op: equals, value: 22}", "{type: t, values: {p: '22'}}"), "fail");
  EXPECT_EQ(eval_on("{path: p, op: equals, value: 1}", "{type: t, values: {p: 1.0}}"), "pass");
  EXPECT_EQ(eval_on("{path: p, op: not_equals, value: a}", "{type: t, values: {p: b}}"), "pass");
}

TEST(RulesOperators, InNotIn) {
  EXPECT_EQ(eval_on("{path: p, op: in, value: [a, b]}", "{type: t, values: {p: b}}"), "pass");
  EXPECT_EQ(eval_on("{path: p, op: not_in, value: [a, b]}", "{type: t, values: {p: b}}"), "fail");
  EXPECT_EQ(eval_on("{path: p, op: not_in, value: [a, b]}", "{type: t, values: {p: c}}"), "pass");
}

TEST(RulesOperators, ExistsAbsentTruthyFalsy) {
  EXPECT_EQ(eval_on("{path: p, op: exists}", "{type: t, values: {p: x}}"), "pass");
  EXPECT_EQ(eval_on("{path: p, op: absent}", "{type: t, values: {p: null}}"), "pass");
  EXPECT_EQ(eval_on("{path: p, op: absent}", "{type: t, values: {}, unknown: [p]}"), "unknown");
  EXPECT_EQ(eval_on("{path: p, op: truthy}", "{type: t, values: {p: 'true'}}"), "pass");
  EXPECT_EQ(eval_on("{path: p, op: falsy}", "{type: t, values: {p: false}}"), "pass");
  EXPECT_EQ(eval_on("{path: p, op: falsy}", "{type: t, values: {}}"), "fail");
}

TEST(RulesOperators, MatchesUsesRe2Search) {
  EXPECT_EQ(eval_on("{path: p, op: matches, value: '^TLS-1-[23]'}",
                    "{type: t, values: {p: TLS-1-2-2021}}"),
            "pass");
  EXPECT_EQ(
      eval_on("{path: p, op: matches, value: '^TLS-1-[23]'}", "{type: t, values: {p: TLS-1-0}}"),
      "fail");
}

TEST(RulesOperators, NumericComparisons) {
  EXPECT_EQ(eval_on("{path: n, op: gt, value: 5}", "{type: t, values: {n: 6}}"), "pass");
  EXPECT_EQ(eval_on("{path: n, op: gt, value: 5}", "{type: t, values: {n: 5}}"), "fail");
  EXPECT_EQ(eval_on("{path: n, op: gte, value: 5}", "{type: t, values: {n: 5}}"), "pass");
  EXPECT_EQ(eval_on("{path: n, op: lt, value: 5}", "{type: t, values: {n: 4.5}}"), "pass");
  EXPECT_EQ(eval_on("{path: n, op: lte, value: 5}", "{type: t, values: {n: 6}}"), "fail");
  // Numeric strings (some providers store numbers as strings) compare as numbers.
  EXPECT_EQ(eval_on("{path: n, op: gte, value: 365}", "{type: t, values: {n: '400'}}"), "pass");
  EXPECT_EQ(eval_on("{path: n, op: gte, value: 365}", "{type: t, values: {n: abc}}"), "fail");
}

TEST(RulesOperators, ContainsAndLength) {
  EXPECT_EQ(eval_on("{path: l, op: contains, value: b}", "{type: t, values: {l: [a, b]}}"), "pass");
  EXPECT_EQ(eval_on("{path: l, op: contains, value: c}", "{type: t, values: {l: [a, b]}}"), "fail");
  EXPECT_EQ(eval_on("{path: l, op: contains, value: c}",
                    "{type: t, values: {l: [a]}, unknown: ['l[1]']}"),
            "unknown");
  EXPECT_EQ(eval_on("{path: s, op: length_gte, value: 3}", "{type: t, values: {s: 한국어}}"),
            "pass");
  EXPECT_EQ(eval_on("{path: s, op: length_gte, value: 4}", "{type: t, values: {s: 한국어}}"),
            "fail");
}

TEST(RulesOperators, CidrPublic) {
  EXPECT_EQ(eval_on("{path: 'c[*]', op: cidr_public, quantifier: any}",
                    "{type: t, values: {c: [10.0.0.0/8, 0.0.0.0/0]}}"),
            "pass");
  EXPECT_EQ(eval_on("{path: 'c[*]', op: cidr_public, quantifier: any}",
                    "{type: t, values: {c: ['::/0']}}"),
            "pass");
  EXPECT_EQ(eval_on("{path: 'c[*]', op: cidr_public, quantifier: any}",
                    "{type: t, values: {c: [10.0.0.0/8]}}"),
            "fail");
}

TEST(RulesOperators, PortInRangeReadsEveryShape) {
  const std::string chk = "{path: '.', op: port_in_range, value: [22]}";
  EXPECT_EQ(eval_on(chk, "{type: t, values: {from_port: 0, to_port: 0, protocol: '-1'}}"), "pass");
  EXPECT_EQ(eval_on(chk, "{type: t, values: {from_port: 8, to_port: 0, protocol: icmp}}"), "fail");
  EXPECT_EQ(eval_on(chk, "{type: t, values: {port_range_min: 20, port_range_max: 30}}"), "pass");
  EXPECT_EQ(eval_on(chk, "{type: t, values: {port_range: '1-65535'}}"), "pass");
  EXPECT_EQ(eval_on(chk, "{type: t, values: {port_range: '80,443'}}"), "fail");
  EXPECT_EQ(eval_on(chk, "{type: t, values: {from_port: 22}, unknown: [to_port]}"), "unknown");
  EXPECT_EQ(eval_on("{path: p, op: port_in_range, value: 22}", "{type: t, values: {p: '22'}}"),
            "pass");
}

TEST(RulesOperators, SpecialPaths) {
  EXPECT_EQ(eval_on("{path: $type, op: equals, value: ncloud_server}",
                    "{type: ncloud_server, values: {}}"),
            "pass");
  EXPECT_EQ(eval_on("{path: $zone, op: equals, value: KR-1}", "{type: t, zone: KR-1, values: {}}"),
            "pass");
  EXPECT_EQ(eval_on("{path: '$tags[\"Env\"]', op: equals, value: prod}",
                    "{type: t, values: {tags: {Env: prod}}}"),
            "pass");
  EXPECT_EQ(eval_on("{path: $region, op: exists}", "{type: t, region: (unknown), values: {}}"),
            "unknown");
}

TEST(RulesOperators, ImplicitListFlattening) {
  // Terraform nested blocks are lists: `versioning.enabled` reads every block.
  EXPECT_EQ(eval_on("{path: versioning.enabled, op: truthy}",
                    "{type: t, values: {versioning: [{enabled: true}]}}"),
            "pass");
  EXPECT_EQ(eval_on("{path: versioning.enabled, op: truthy}",
                    "{type: t, values: {versioning: [{enabled: false}]}}"),
            "fail");
}

TEST(RulesExplain, FailureNamesAttributeExpectedAndActual) {
  Explanation why;
  EXPECT_EQ(eval_on("{path: acl, op: in, value: [private]}",
                    "{type: t, values: {acl: public-read}}", &why),
            "fail");
  EXPECT_EQ(why.path, "acl");
  EXPECT_EQ(why.actual, "public-read");
  EXPECT_NE(why.expected.find("private"), std::string::npos);
}

TEST(RulesExplain, NeverShowsSensitiveOrSecretValues) {
  Explanation why;
  EXPECT_EQ(
      eval_on("{path: password, op: length_gte, value: 40}",
              "{type: t, values: {password: hunter2-very-secret}, sensitive: [password]}", &why),
      "fail");
  EXPECT_EQ(why.actual.find("hunter2"), std::string::npos);
  EXPECT_NE(why.actual.find("sensitive"), std::string::npos);
  // Not marked sensitive, but the attribute name says it is a secret.
  EXPECT_EQ(eval_on("{path: db_password, op: length_gte, value: 40}",
                    "{type: t, values: {db_password: hunter2-plain}}", &why),
            "fail");
  EXPECT_EQ(why.actual.find("hunter2"), std::string::npos);
  // A value that looks like an access key, under an innocent name.
  EXPECT_EQ(eval_on("{path: note, op: equals, value: x}",
                    "{type: t, values: {note: AKIAIOSFODNN7EXAMPLE}}", &why),
            "fail");
  EXPECT_EQ(why.actual.find("AKIAIOSFODNN7EXAMPLE"), std::string::npos);
}

TEST(RulesExplain, SelectedObjectShowsNoSecretMemberAtAnyDepth) {
  Explanation why;
  EXPECT_EQ(eval_on("{path: settings, op: equals, value: x}",
                    "{type: t, values: {settings: {name: app, db_password: hunter2-a, nested: "
                    "{api_key: hunter2-b, list: [{client_secret: hunter2-c, port: 5432}]}}}}",
                    &why),
            "fail");
  EXPECT_EQ(why.actual.find("hunter2"), std::string::npos) << why.actual;
  EXPECT_NE(why.actual.find("app"), std::string::npos) << why.actual;
  EXPECT_NE(why.actual.find("(redacted)"), std::string::npos) << why.actual;
  // A list of objects, too.
  EXPECT_EQ(eval_on("{path: users, op: length_gte, value: 9}",
                    "{type: t, values: {users: [{login: a, password: hunter2-d}]}}", &why),
            "fail");
  EXPECT_EQ(why.actual.find("hunter2"), std::string::npos) << why.actual;
}

TEST(RulesWhere, UnknownWhereGivesUnknownFindingFalseGivesNone) {
  Rule r = compile(
      "{id: W-1, title: t, severity: low, resource: [t], where: {path: engine, op: equals, value: "
      "mysql}, "
      "check: {path: enc, op: truthy}}");
  Deployment d;
  ASSERT_TRUE(add_test_resources(
      *yaml::parse_one("[{type: t, name: u, values: {enc: false}, unknown: [engine]},"
                       " {type: t, name: f, values: {engine: pg, enc: false}},"
                       " {type: t, name: m, values: {engine: mysql, enc: false}}]",
                       "r"),
      d, "r"));
  Context ctx(d);
  EXPECT_EQ(evaluate(r, ctx, 0).result, Tri::kUnknown);
  EXPECT_FALSE(evaluate(r, ctx, 1).result.has_value());
  EXPECT_EQ(evaluate(r, ctx, 2).result, Tri::kFalse);
}

TEST(RulesRelated, OutgoingFollowsThisResourcesReference) {
  Rule r = compile(
      "{id: T-2, title: {en: t}, severity: low, resource: [ncloud_server], check: {related: {type: "
      "ncloud_access_control_group, via: access_control_group_ids, direction: outgoing, check: "
      "{path: "
      "description, op: exists}}}}");
  Deployment d;
  auto node = yaml::parse_one(
      "[{type: ncloud_server, name: web, values: {}, refs: {access_control_group_ids: "
      "[ncloud_access_control_group.a]}},"
      " {type: ncloud_access_control_group, name: a, values: {description: web acg}},"
      " {type: ncloud_server, name: db, values: {access_control_group_ids: ['123']}},"
      " {type: ncloud_access_control_group, name: b, values: {id: '123'}}]",
      "res.yaml");
  ASSERT_TRUE(node);
  ASSERT_TRUE(add_test_resources(*node, d, "res.yaml"));
  Context ctx(d);
  EXPECT_EQ(evaluate(r, ctx, 0).result, Tri::kTrue);
  EXPECT_EQ(evaluate(r, ctx, 2).result, Tri::kFalse);  // matched by id; no description
}

TEST(RulesCompile, RejectsUnknownOperatorWithPosition) {
  Error e = compile_error(
      "id: X-1\ntitle: {en: t}\nseverity: low\nresource: [t]\ncheck: {path: a, op: equalz, value: "
      "1}\n");
  EXPECT_NE(e.message.find("unknown operator 'equalz'"), std::string::npos);
  EXPECT_EQ(e.where.line, 5);
  EXPECT_EQ(e.code, Exit::kBadInput);
}

TEST(RulesCompile, RejectsBadRelatedViaPath) {
  Error e = compile_error(
      "id: X-3\ntitle: {en: t}\nseverity: low\nresource: [t]\n"
      "check: {related: {type: u, via: 'bucket[', check: {path: a, op: exists}}}\n");
  EXPECT_NE(e.message.find("bad path"), std::string::npos) << e.message;
  EXPECT_EQ(e.where.line, 5);
}

TEST(RulesCompile, RejectsBadRegex) {
  Error e = compile_error(
      "id: X-2\ntitle: {en: t}\nseverity: low\nresource: [t]\ncheck: {path: a, op: matches, value: "
      "'(unclosed'}\n");
  EXPECT_NE(e.message.find("bad regular expression"), std::string::npos);
  EXPECT_EQ(e.where.line, 5);
}

TEST(RulesCompile, RejectsUnknownParamSeverityAndKeys) {
  EXPECT_NE(compile_error("{id: X, title: t, severity: low, resource: t, check: {path: a, op: in, "
                          "value: '${params.nope}'}}")
                .message.find("unknown parameter"),
            std::string::npos);
  EXPECT_NE(compile_error(
                "{id: X, title: t, severity: urgent, resource: t, check: {path: a, op: exists}}")
                .message.find("unknown severity"),
            std::string::npos);
  EXPECT_NE(
      compile_error("{id: X, title: t, severity: low, resource: t, chek: {path: a, op: exists}}")
          .message.find("unknown rule key"),
      std::string::npos);
  EXPECT_NE(
      compile_error(
          "{id: X, title: t, severity: low, resource: t, check: {path: a, op: exists, value: 1}}")
          .message.find("takes no value"),
      std::string::npos);
}

TEST(RulesCompile, ParamsAndOverrides) {
  auto doc = yaml::parse_one(
      "{id: P-1, title: t, severity: low, resource: [t], check: {path: $site, op: in, value: "
      "'${params.sites}'}, "
      "params: {sites: [gov]}}",
      "p.yaml");
  ASSERT_TRUE(doc);
  auto strict = compile_rule(*doc, "p.yaml");
  ParamOverrides ov;
  ov["P-1.sites"] = *yaml::parse_one("[gov, public]", "o.yaml");
  auto relaxed = compile_rule(*doc, "p.yaml", ov);
  ASSERT_TRUE(strict && relaxed);
  Deployment d;
  ASSERT_TRUE(
      add_test_resources(*yaml::parse_one("{type: t, site: public, values: {}}", "r"), d, "r"));
  Context ctx(d);
  EXPECT_EQ(evaluate(*strict, ctx, 0).result, Tri::kFalse);
  EXPECT_EQ(evaluate(*relaxed, ctx, 0).result, Tri::kTrue);
  ParamOverrides bad;
  bad["P-1.nope"] = *yaml::parse_one("1", "o.yaml");
  EXPECT_FALSE(compile_rule(*doc, "p.yaml", bad));
}

TEST(RulesPath, ParsesAndRejects) {
  auto p = parse_path("a.b[*].c[\"x.y\"][2]", {});
  ASSERT_TRUE(p);
  ASSERT_EQ(p->segs.size(), 6u);  // a, b, [*], c, ["x.y"], [2]
  EXPECT_EQ(p->segs[2].kind, PathSeg::Kind::kWildcard);
  EXPECT_EQ(p->segs[4].key, "x.y");
  EXPECT_EQ(p->segs[5].index, 2);
  EXPECT_FALSE(parse_path("a[", {}));
  EXPECT_FALSE(parse_path("a..b", {}));
  EXPECT_FALSE(parse_path("$nowhere", {}));
}

TEST(RulesPath, HugeIndexIsAnInputErrorNotACrash) {
  auto p = parse_path("a[99999999999999999999999]", {"r.yaml", 3, 5});
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, Exit::kBadInput);
  EXPECT_NE(p.error().message.find("index is too large"), std::string::npos);
  EXPECT_EQ(p.error().where.line, 3);
  Error e = compile_error(
      "{id: X-9, title: t, severity: low, resource: t, check: {path: 'a[99999999999999999999]', "
      "op: exists}}");
  EXPECT_EQ(e.code, Exit::kBadInput);
  EXPECT_NE(e.message.find("index is too large"), std::string::npos) << e.message;
  auto big = parse_path("a[9223372036854775807]", {});
  ASSERT_TRUE(big);
  EXPECT_EQ(big->segs[1].index, 9223372036854775807L);
}

TEST(RulesCompile, RuleIdsFollowAStrictPattern) {
  for (const char* id : {"A", "AWS-S3-ENC-001", "T-1", "0-X",
                         "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"
                         "ABCDEFGHIJKLMNOPQRSTUVWXYZ0"})  // 64 characters
    EXPECT_TRUE(valid_rule_id(id)) << id;
  for (const char* id :
       {"", "../../x", "a-1", "-X", "X/Y", "X.Y", "X 1", "X_1", "Ä",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZ01"})  // 65
    EXPECT_FALSE(valid_rule_id(id)) << id;
  Error e = compile_error(
      "{id: '../../x', title: t, severity: low, resource: t, check: {path: a, op: exists}}");
  EXPECT_EQ(e.code, Exit::kBadInput);
  EXPECT_EQ(e.where.file, "rule.yaml");
  EXPECT_EQ(e.where.line, 1);
  EXPECT_NE(e.message.find("rule id '../../x' is not valid"), std::string::npos) << e.message;
}

TEST(RulesSet, IndexesByTypeAndPattern) {
  auto rules = compile_rules_text(
      "{id: A, title: t, severity: low, resource: [aws_s3_bucket], check: {path: a, op: "
      "exists}}\n---\n"
      "{id: B, title: t, severity: low, resource: ['ncloud_*'], check: {path: a, op: "
      "exists}}\n---\n"
      "{id: C, title: t, severity: low, resource: ['*'], check: {path: a, op: exists}}\n",
      "set.yaml");
  ASSERT_TRUE(rules) << rules.error().str();
  RuleSet set;
  for (auto& r : *rules) set.add(std::move(r));
  set.index();
  EXPECT_EQ(set.for_type("aws_s3_bucket").size(), 2u);
  EXPECT_EQ(set.for_type("ncloud_server").size(), 2u);
  EXPECT_EQ(set.for_type("google_compute_disk").size(), 1u);
}

}  // namespace
}  // namespace csap::rules
