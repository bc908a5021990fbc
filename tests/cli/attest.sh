#!/bin/sh
# Attestations, evidence, waivers, init and roadmap from the command line (dates fixed with --today).
. "$(dirname "$0")/lib/common.sh" "$@"
PLAN="$SRC/examples/demo/plan.json"
cp -r "$SRC/examples/demo" "$TMP/demo"
rm -f "$TMP/demo/attest.lock.yaml"
D="$TMP/demo"
SCAN="$BIN scan $PLAN --profile iaas-moderate --no-color -q --lang en"

# ---- the worked example -----------------------------------------------------------------------------
expect_exit 1 "demo with attestations and waivers" -- $SCAN --attest "$D/attest.yaml" --waivers "$D/waivers.yaml" --today 2026-03-02
expect_out "WAIVED +NCP-SRV-PROTECT-001 +ncloud_server.batch" "the waiver is shown with the resource"
expect_out "approved by: CISO · expires 2027-02-28" "approver and expiry are shown"
expect_out "attested as not met \(partial\): 대응 절차 초안" "a partial attestation fails with its statement"
expect_out "8 +Physical security .*100%" "attested physical controls pass"
expect_out "Attested +[0-9]+%" "attested readiness in the summary"
expect_out "attestations 6 counted, 0 not · waivers 1 applied, 0 stale, 0 not applied" "evidence counts in the summary"
expect_no_out "ncloud_server.batch  \(examples" "the waived finding is not listed as failing"

expect_exit 1 "JSON report" -- $SCAN --attest "$D/attest.yaml" --waivers "$D/waivers.yaml" --today 2026-03-02 --format json -o "$TMP/r.json"
checks=$((checks + 1))
python3 - "$TMP/r.json" <<'PY' || failures=$((failures + 1))
import json, sys
r = json.load(open(sys.argv[1]))
assert r["today"] == "2026-03-02"
att = {a["control"]: a for a in r["attestations"]}
assert att["1.1"]["valid"] and len(att["1.1"]["evidence"][0]["sha256"]) == 64, att["1.1"]
ctl = {c["id"]: c for c in r["controls"]}
assert ctl["1.1"]["verdict"] == "pass" and ctl["1.1"]["attestation"] is not None
assert ctl["5.1"]["verdict"] == "fail"
assert ctl["13.3"]["verdict"] == "not-applicable", ctl["13.3"]
assert ctl["6.2"]["waived_findings"] == 1 and ctl["6.2"]["waivers"] == [0]
w = r["waivers"][0]
assert w["matched"] == 1 and w["valid"] and not w["stale"], w
waived = [f for f in r["findings"] if f["waiver"] is not None]
assert len(waived) == 1 and waived[0]["resource"] == "ncloud_server.batch"
assert r["summary"]["attested_controls"]["pass"] >= 4
PY

# ---- expiry -----------------------------------------------------------------------------------------
expect_exit 1 "a year later" -- $SCAN --attest "$D/attest.yaml" --waivers "$D/waivers.yaml" --today 2027-03-02 -v
expect_out "the attestation does not count: expired on 2027-03-01" "an expired attestation turns its control to manual"
expect_out "waiver NCP-SRV-PROTECT-001 on ncloud_server.batch \(.*waivers.yaml:4\) is not applied: expired on 2027-02-28" "an expired waiver is warned"
expect_no_out "WAIVED +NCP-SRV-PROTECT-001" "an expired waiver is not applied"
expect_exit 1 "shortly before expiry" -- $SCAN --attest "$D/attest.yaml" --waivers "$D/waivers.yaml" --today 2027-02-10
expect_out "waiver NCP-SRV-PROTECT-001 .* expires on 2027-02-28 \(in 18 days\)" "a waiver expiring soon is flagged"
expect_out "expire within 30 days" "the summary counts what expires soon"
expect_exit 2 "a bad --today" -- $SCAN --today 2027-02-30

# ---- lock and verify ----------------------------------------------------------------------------------
expect_exit 3 "verify without a lock" -- "$BIN" evidence verify --attest "$D/attest.yaml"
expect_exit 0 "lock" -- "$BIN" evidence lock --attest "$D/attest.yaml"
checks=$((checks + 1))
[ -f "$D/attest.lock.yaml" ] || { echo "FAIL: no attest.lock.yaml beside the attestation file"; failures=$((failures + 1)); }
expect_exit 0 "verify right after lock" -- "$BIN" evidence verify --attest "$D/attest.yaml"
expect_out "4 evidence file\(s\) match the lock, 0 do not" "every file matches"
echo "개정 v3.3 초안" >> "$D/evidence/security-policy-v3.2.md"
expect_exit 1 "verify after a change" -- "$BIN" evidence verify --attest "$D/attest.yaml"
expect_out "^changed +evidence/security-policy-v3.2.md +\(control 1.1" "the changed file is listed"
expect_exit 1 "scan after a change" -- $SCAN --attest "$D/attest.yaml" --today 2026-03-02 -v
expect_out "evidence file changed since it was locked: evidence/security-policy-v3.2.md" "a changed file turns the control to manual"
rm "$D/evidence/security-training-2026.md"
expect_exit 1 "verify after a removal" -- "$BIN" evidence verify --attest "$D/attest.yaml"
expect_out "^missing +evidence/security-training-2026.md" "the missing file is listed"
expect_exit 3 "lock refuses missing files" -- "$BIN" evidence lock --attest "$D/attest.yaml" -o "$TMP/other.lock.yaml"

# ---- malformed files: every problem, file:line, exit 3, no report written --------------------------------
cat > "$TMP/bad.yaml" <<'EOF'
attestations:
  - control: "99.9"
    status: implemented
  - control: "1.1"
    status: finished
  - control: "1.2"
    status: not-applicable
  - control: "2.1"
    status: implemented
    reviewed: 2026-02-30
    ownr: me
EOF
cat > "$TMP/badw.yaml" <<'EOF'
waivers:
  - rule: NO-SUCH-RULE
    resource: "*"
    reason: x
    approved_by: y
    expires: 2027-01-01
  - rule: NCP-SRV-PROTECT-001
    resource: "*"
    reason: no approver, no expiry
EOF
echo "previous report" > "$TMP/keep.json"
expect_exit 3 "malformed attestations and waivers" -- $SCAN --attest "$TMP/bad.yaml" --waivers "$TMP/badw.yaml" --format json -o "$TMP/keep.json"
expect_out "bad.yaml:2:15: control '99.9' is not in catalog csap" "unknown control id"
expect_out "bad.yaml:5:13: unknown status 'finished'" "unknown status"
expect_out "bad.yaml:7:13: control 1.2 is attested not-applicable without a 'reason'" "not-applicable needs a reason"
expect_out "bad.yaml:10:15: 'reviewed' must be a date written YYYY-MM-DD that exists in the calendar" "bad date"
expect_out "bad.yaml:11:5: unknown key 'ownr'" "unknown key"
expect_out "badw.yaml:2:11: waiver names rule 'NO-SUCH-RULE' that does not exist" "unknown rule"
expect_out "badw.yaml:7:5: a waiver needs 'approved_by'" "missing approver"
expect_out "badw.yaml:7:5: a waiver needs 'expires'" "missing expiry"
expect_out "8 problem\(s\) in the attestation and waiver files" "the problems are counted"
checks=$((checks + 1))
[ "$(cat "$TMP/keep.json")" = "previous report" ] || { echo "FAIL: the existing report was touched"; failures=$((failures + 1)); }

# ---- escapes ----------------------------------------------------------------------------------------
mkdir -p "$TMP/esc/team/evidence"
echo secret > "$TMP/esc/secret.txt"
ln -s "$TMP/esc/secret.txt" "$TMP/esc/team/evidence/link.md"
printf 'attestations:\n  - {control: "1.1", status: implemented, evidence: [../secret.txt]}\n' > "$TMP/esc/team/a.yaml"
expect_exit 3 "a .. escape" -- $SCAN --attest "$TMP/esc/team/a.yaml"
expect_out "a.yaml:2:.*evidence path '../secret.txt' leads out of the evidence root" "'..' is refused"
printf 'attestations:\n  - {control: "1.1", status: implemented, evidence: [evidence/link.md]}\n' > "$TMP/esc/team/b.yaml"
expect_exit 3 "a symlink escape" -- $SCAN --attest "$TMP/esc/team/b.yaml"
expect_out "leads out of the evidence root .* through a symbolic link" "a symlink out of the root is refused"
printf 'attestations:\n  - {control: "1.1", status: implemented, evidence: [secret.txt]}\n' > "$TMP/esc/team/c.yaml"
expect_exit 1 "evidence under --evidence-root" -- $SCAN --attest "$TMP/esc/team/c.yaml" --evidence-root "$TMP/esc" --today 2026-03-02 -v
expect_out "attested: implemented" "the attestation is read with the root given"

# ---- stale and tag waivers --------------------------------------------------------------------------------
cat > "$TMP/stale.yaml" <<'EOF'
waivers:
  - rule: AWS-EBS-ENC-001
    resource: "aws_ebs_volume.archive*"
    reason: 아카이브 볼륨은 폐기 예정
    approved_by: CISO
    expires: 2027-01-31
EOF
expect_exit 1 "a stale waiver" -- $SCAN --waivers "$TMP/stale.yaml" --today 2026-03-02
expect_out "waiver AWS-EBS-ENC-001 on aws_ebs_volume.archive\* .* matches no failing finding \(stale\)" "stale waivers are reported"
cat > "$TMP/tags.json" <<'EOF'
{"format_version": "1.2", "terraform_version": "1.6.6",
 "planned_values": {"root_module": {"resources": [
  {"address": "aws_ebs_volume.scratch", "mode": "managed", "type": "aws_ebs_volume", "name": "scratch",
   "provider_name": "registry.terraform.io/hashicorp/aws",
   "values": {"availability_zone": "ap-northeast-2a", "encrypted": false,
     "tags": {"csapcheck:waive": "AWS-EBS-ENC-001", "csapcheck:waive-reason": "build cache only, rebuilt daily",
              "csapcheck:waive-expires": "2026-12-31", "csapcheck:waive-approver": "CISO"}}},
  {"address": "aws_ebs_volume.data", "mode": "managed", "type": "aws_ebs_volume", "name": "data",
   "provider_name": "registry.terraform.io/hashicorp/aws",
   "values": {"availability_zone": "ap-northeast-2a", "encrypted": false,
     "tags": {"csapcheck:waive": "AWS-EBS-ENC-001"}}}
 ]}}}
EOF
expect_exit 1 "tag waivers" -- "$BIN" scan "$TMP/tags.json" --profile iaas-moderate --no-color -q --lang en --today 2026-03-02
expect_out "WAIVED +AWS-EBS-ENC-001 +aws_ebs_volume.scratch" "a complete tag waiver is applied"
expect_out "tag on aws_ebs_volume.scratch" "its source is the tag"
expect_out "waiver AWS-EBS-ENC-001 on aws_ebs_volume.data \(tag on aws_ebs_volume.data\) is not applied: no csapcheck:waive-reason tag" "a tag waiver without reason is not applied"
expect_out "^ +aws_ebs_volume.data$" "its finding still fails"
expect_out "AWS-EBS-ENC-001 +EBS volumes are encrypted +1 resource " "a waived finding is not among the top failing rules"

# ---- init ---------------------------------------------------------------------------------------------
expect_exit 0 "init" -- "$BIN" init --profile iaas-moderate -o "$TMP/a.yaml"
expect_out "wrote .*a.yaml with [0-9]+ control" "init says what it wrote"
expect_exit 1 "an unfilled skeleton scans" -- $SCAN --attest "$TMP/a.yaml"
expect_out "attestation\(s\) have no status yet and are not counted" "unfilled entries are noted"
python3 - "$TMP/a.yaml" <<'PY'
import sys
p = sys.argv[1]
t = open(p, encoding="utf-8").read()
i = t.index('- control: "1.1"')
t = t[:i] + t[i:].replace("status:        #", "status: implemented   # 손으로 씀\n    #", 1)
# drop the entry of 2.3 entirely, keep a comment of our own
j = t.index('  # 2.3 ')
k = t.index('\n  # ', j + 5) + 1
t = "# 우리 팀 메모: 분기마다 검토\n" + t[:j] + t[k:]
open(p, "w", encoding="utf-8").write(t)
PY
cp "$TMP/a.yaml" "$TMP/a.before"
expect_exit 0 "init again" -- "$BIN" init --profile iaas-moderate -o "$TMP/a.yaml"
expect_out "added 1 control\(s\) to .*a.yaml \(2.3\)" "only the missing control is added"
checks=$((checks + 1))
grep -q "우리 팀 메모" "$TMP/a.yaml" && grep -q "status: implemented   # 손으로 씀" "$TMP/a.yaml" ||
  { echo "FAIL: hand edits were lost"; failures=$((failures + 1)); }
checks=$((checks + 1))
python3 - "$TMP/a.before" "$TMP/a.yaml" <<'PY' || { echo "FAIL: the old text is not kept intact"; failures=$((failures + 1)); }
import sys
a = open(sys.argv[1], encoding="utf-8").read()
b = open(sys.argv[2], encoding="utf-8").read()
# every line written before is still there, in the same order
it = iter(b.splitlines())
assert all(any(l == m for m in it) for l in a.splitlines())
assert b.count('control: "2.3"') == 1
PY
expect_exit 0 "init a third time" -- "$BIN" init --profile iaas-moderate -o "$TMP/a.yaml"
expect_out "nothing to add" "nothing added the third time"

# ---- roadmap -----------------------------------------------------------------------------------------
expect_exit 0 "roadmap" -- "$BIN" roadmap "$PLAN" --from low --to moderate --attest "$D/attest.yaml" --waivers "$D/waivers.yaml" --today 2026-03-02 --lang en
expect_out "Roadmap csap .* iaas: low → moderate" "roadmap header"
expect_out "^  FIX +11.1 " "failing automated controls are to fix"
expect_out "^  ATTEST +5.1 .*\(owner: security-team\)" "owners come from the attestations"
expect_out "^  ATTEST +1.2 " "unattested procedural controls are to attest"
expect_exit 0 "roadmap as JSON" -- "$BIN" roadmap --from low --to high --service saas --format json
checks=$((checks + 1))
python3 -c "import json,sys; r=json.load(open('$TMP/out')); assert r['schema']=='csapcheck/roadmap/v1' and r['summary']['in_scope']>0" ||
  { echo "FAIL: roadmap JSON"; failures=$((failures + 1)); }

finish
