#!/bin/sh
# No sensitive value in a report: a region, zone or ARN marked sensitive stays sensitive; tag
# waivers with sensitive tags show none of them; an object a rule selects shows no secret member.
. "$(dirname "$0")/lib/common.sh" "$@"
cat >"$TMP/plan.json" <<'EOF2'
{"format_version": "1.2", "terraform_version": "1.6.6",
 "resource_changes": [
  {"address": "aws_s3_bucket.a", "mode": "managed", "type": "aws_s3_bucket", "name": "a",
   "provider_name": "registry.terraform.io/hashicorp/aws",
   "change": {"actions": ["create"], "before": null,
     "after": {"bucket": "b", "region": "zz-hidden-1"},
     "after_unknown": {}, "after_sensitive": {"region": true}}},
  {"address": "aws_instance.b", "mode": "managed", "type": "aws_instance", "name": "b",
   "provider_name": "registry.terraform.io/hashicorp/aws",
   "change": {"actions": ["create"], "before": null,
     "after": {"instance_type": "t3.micro", "arn": "arn:aws:ec2:zz-hidden-2:123456789012:instance/i-1"},
     "after_unknown": {}, "after_sensitive": {"arn": true}}},
  {"address": "aws_ebs_volume.c", "mode": "managed", "type": "aws_ebs_volume", "name": "c",
   "provider_name": "registry.terraform.io/hashicorp/aws",
   "change": {"actions": ["create"], "before": null,
     "after": {"availability_zone": "zz-hidden-3a", "encrypted": true},
     "after_unknown": {}, "after_sensitive": {"availability_zone": true}}}
 ]}
EOF2
# provider "aws" { region = var.region } with `variable "region" { sensitive = true }`.
cat >"$TMP/provider.json" <<'EOF2'
{"format_version": "1.2", "terraform_version": "1.6.6",
 "variables": {"region": {"value": "zz-hidden-4"}},
 "resource_changes": [
  {"address": "aws_sqs_queue.q", "mode": "managed", "type": "aws_sqs_queue", "name": "q",
   "provider_name": "registry.terraform.io/hashicorp/aws",
   "change": {"actions": ["create"], "before": null, "after": {"name": "q"},
     "after_unknown": {}, "after_sensitive": {}}}],
 "configuration": {
   "provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws",
     "expressions": {"region": {"references": ["var.region"]}}}},
   "root_module": {
     "resources": [{"address": "aws_sqs_queue.q", "mode": "managed", "type": "aws_sqs_queue",
       "name": "q", "provider_config_key": "aws", "expressions": {"name": {"constant_value": "q"}}}],
     "variables": {"region": {"sensitive": true}}}}}
EOF2
expect_exit 1 "provider region from a sensitive variable" -- "$BIN" scan "$TMP/provider.json" --profile iaas-moderate -q --no-color -v --lang en
expect_out "RES-REGION-001" "the location rule reports the queue"
expect_no_out "zz-hidden" "the provider's sensitive region is not shown"
expect_exit 1 "the same as JSON" -- "$BIN" scan "$TMP/provider.json" --profile iaas-moderate -q --format json
expect_no_out "zz-hidden" "the JSON report does not show it either"

for fmt in console json sarif csv html; do
  expect_exit 1 "scan ($fmt)" -- "$BIN" scan "$TMP/plan.json" --profile iaas-moderate -q --no-color -v --lang en --format "$fmt" -o "$TMP/r.$fmt"
  checks=$((checks + 1))
  if grep -q "zz-hidden" "$TMP/r.$fmt"; then
    echo "FAIL: $fmt report shows a sensitive location:"; grep -o ".\{30\}zz-hidden.\{10\}" "$TMP/r.$fmt" | head -3
    failures=$((failures + 1))
  fi
done
expect_exit 1 "scan in Korean" -- "$BIN" scan "$TMP/plan.json" --profile iaas-moderate -q --no-color -v --lang ko
expect_no_out "zz-hidden" "the Korean console report shows no sensitive location"
expect_out "RES-REGION-001" "the location rule still reports the resources"
# ---- tag waivers whose tags are sensitive, and a selected object with secret members ----------------
cat >"$TMP/tags.json" <<'EOF2'
{"format_version": "1.2", "terraform_version": "1.6.6",
 "resource_changes": [
  {"address": "aws_ebs_volume.t", "mode": "managed", "type": "aws_ebs_volume", "name": "t",
   "provider_name": "registry.terraform.io/hashicorp/aws",
   "change": {"actions": ["create"], "before": null,
     "after": {"availability_zone": "ap-northeast-2a", "encrypted": false,
       "tags": {"csapcheck:waive": "AWS-EBS-ENC-001", "csapcheck:waive-reason": "zz-hidden-reason",
                "csapcheck:waive-approver": "zz-hidden-approver", "csapcheck:waive-expires": "zz-hidden-date"},
       "settings": {"name": "app", "db_password": "zz-hidden-pw", "inner": {"api_key": "zz-hidden-key"}}},
     "after_unknown": {},
     "after_sensitive": {"tags": {"csapcheck:waive-reason": true, "csapcheck:waive-approver": true,
                                  "csapcheck:waive-expires": true}}}}]}
EOF2
mkdir -p "$TMP/rules"
cat >"$TMP/rules/obj.yaml" <<'EOF2'
id: TEST-OBJ-001
title: {ko: 설정 시험, en: Settings test}
severity: high
resource: [aws_ebs_volume]
check: {path: settings, op: equals, value: x}
rationale: {ko: 시험, en: test}
remediation: {ko: 시험, en: test}
EOF2
for fmt in console json; do
  expect_exit 1 "tags and objects ($fmt)" -- "$BIN" scan "$TMP/tags.json" --rules "$TMP/rules" --profile iaas-moderate -q --no-color -v --lang en --format "$fmt" -o "$TMP/t.$fmt"
  checks=$((checks + 1))
  if grep -q "zz-hidden" "$TMP/t.$fmt"; then
    echo "FAIL: $fmt report shows a sensitive tag or a secret member:"; grep -o ".\{40\}zz-hidden.\{10\}" "$TMP/t.$fmt" | head -3
    failures=$((failures + 1))
  fi
  checks=$((checks + 1))
  grep -q "TEST-OBJ-001" "$TMP/t.$fmt" || { echo "FAIL: $fmt report lacks the object rule"; failures=$((failures + 1)); }
done
finish
