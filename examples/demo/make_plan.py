#!/usr/bin/env python3
"""Writes plan.json: the `terraform show -json` form of a plan of main.tf (format 1.2).

Kept beside the example so that the plan and the configuration stay in step; run it after
changing main.tf. The values are what Terraform 1.6 with the ncloud 3.x and aws 5.x providers
reports for this configuration (ids and computed values unknown until apply)."""
import json
import os

NCP = "registry.terraform.io/navercloudplatform/ncloud"
AWS = "registry.terraform.io/hashicorp/aws"

resources = []   # (address, module, type, name, provider, after, unknown, sensitive, config_key, exprs)


def add(type_, name, provider, after, unknown=(), sensitive=(), module="", key=None, exprs=None):
    address = f"{module + '.' if module else ''}{type_}.{name}"
    resources.append(dict(address=address, module=module, type=type_, name=name, provider=provider,
                          after=after, unknown=list(unknown), sensitive=list(sensitive),
                          key=key, exprs=exprs or {}))


def ref(*targets):
    return {"references": list(targets)}


def const(v):
    return {"constant_value": v}


add("ncloud_vpc", "main", NCP, {"name": "vpc-minwon", "ipv4_cidr_block": "10.10.0.0/16"},
    unknown=["id", "vpc_no", "default_network_acl_no", "default_access_control_group_no"], key="ncloud",
    exprs={"name": const("vpc-minwon"), "ipv4_cidr_block": const("10.10.0.0/16")})
add("ncloud_subnet", "private", NCP,
    {"subnet": "10.10.1.0/24", "zone": "KR-1", "subnet_type": "PRIVATE", "name": "sbn-minwon-private", "usage_type": "GEN"},
    unknown=["id", "subnet_no", "vpc_no", "network_acl_no"], key="ncloud",
    exprs={"vpc_no": ref("ncloud_vpc.main.id", "ncloud_vpc.main"),
           "network_acl_no": ref("ncloud_vpc.main.default_network_acl_no", "ncloud_vpc.main"),
           "zone": const("KR-1"), "subnet": const("10.10.1.0/24")})
add("ncloud_access_control_group", "web", NCP, {"name": "acg-minwon-web", "description": None},
    unknown=["id", "access_control_group_no", "vpc_no", "is_default"], key="ncloud",
    exprs={"vpc_no": ref("ncloud_vpc.main.id", "ncloud_vpc.main")})
add("ncloud_access_control_group_rule", "web", NCP,
    {"inbound": [
        {"protocol": "TCP", "ip_block": "0.0.0.0/0", "source_access_control_group_no": "", "port_range": "443",
         "description": "HTTPS from citizens"},
        {"protocol": "TCP", "ip_block": "0.0.0.0/0", "source_access_control_group_no": "", "port_range": "22",
         "description": "temporary SSH for the vendor"}],
     "outbound": []},
    unknown=["id", "access_control_group_no"], key="ncloud",
    exprs={"access_control_group_no": ref("ncloud_access_control_group.web.id", "ncloud_access_control_group.web")})
add("ncloud_login_key", "ops", NCP, {"key_name": "minwon-ops"}, unknown=["id", "fingerprint", "private_key"],
    sensitive=["private_key"], key="ncloud")
server_common = {"server_image_product_code": "SW.VSVR.OS.LNX64.ROCKY.0810.B050", "login_key_name": "minwon-ops",
                 "fee_system_type_code": "MTRAT", "is_protect_server_termination": False, "init_script_no": None}
add("ncloud_server", "web", NCP,
    dict(server_common, name="svr-minwon-web", is_encrypted_base_block_storage_volume=True),
    unknown=["id", "instance_no", "subnet_no", "zone", "vpc_no", "private_ip", "public_ip", "server_product_code",
             "network_interface", "base_block_storage_size", "cpu_count", "memory_size"], key="ncloud",
    exprs={"subnet_no": ref("ncloud_subnet.private.id", "ncloud_subnet.private"),
           "login_key_name": ref("ncloud_login_key.ops.key_name", "ncloud_login_key.ops")})
add("ncloud_server", "batch", NCP,
    dict(server_common, name="svr-minwon-batch", is_encrypted_base_block_storage_volume=False),
    unknown=["id", "instance_no", "subnet_no", "zone", "vpc_no", "private_ip", "public_ip", "server_product_code",
             "network_interface", "base_block_storage_size", "cpu_count", "memory_size"], key="ncloud",
    exprs={"subnet_no": ref("ncloud_subnet.private.id", "ncloud_subnet.private"),
           "login_key_name": ref("ncloud_login_key.ops.key_name", "ncloud_login_key.ops")})
add("ncloud_postgresql", "main", NCP,
    {"service_name": "minwon-db", "server_name_prefix": "minwon", "user_name": "minwon",
     "user_password": "Minwon!2026-db-Secret", "client_cidr": "10.10.1.0/24", "database_name": "minwon",
     "is_ha": True, "is_backup": True, "backup_file_retention_period": 7},
    unknown=["id", "vpc_no", "subnet_no", "engine_version_code", "port", "postgresql_server_list"],
    sensitive=["user_password"], key="ncloud",
    exprs={"vpc_no": ref("ncloud_vpc.main.id", "ncloud_vpc.main"),
           "subnet_no": ref("ncloud_subnet.private.id", "ncloud_subnet.private"),
           "user_password": ref("var.db_password")})
add("aws_s3_bucket", "this", AWS, {"bucket": "minwon-logs", "force_destroy": False, "tags": None},
    unknown=["id", "arn", "bucket_domain_name", "region", "acl", "server_side_encryption_configuration",
             "versioning", "tags_all"], module="module.storage", key="aws",
    exprs={"bucket": ref("var.name")})
add("aws_s3_bucket_server_side_encryption_configuration", "this", AWS,
    {"expected_bucket_owner": None,
     "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": None, "sse_algorithm": "aws:kms"}],
               "bucket_key_enabled": None}]},
    unknown=["id", "bucket"], module="module.storage", key="aws",
    exprs={"bucket": ref("aws_s3_bucket.this.id", "aws_s3_bucket.this")})
add("aws_s3_bucket_public_access_block", "this", AWS,
    {"block_public_acls": True, "block_public_policy": True, "ignore_public_acls": True,
     "restrict_public_buckets": True},
    unknown=["id", "bucket"], module="module.storage", key="aws",
    exprs={"bucket": ref("aws_s3_bucket.this.id", "aws_s3_bucket.this")})
add("aws_s3_bucket", "export", AWS, {"bucket": "minwon-export-us", "force_destroy": False, "tags": None},
    unknown=["id", "arn", "bucket_domain_name", "region", "acl", "server_side_encryption_configuration",
             "versioning", "tags_all"], key="aws.us", exprs={"bucket": const("minwon-export-us")})
add("aws_security_group", "admin", AWS,
    {"name": "admin", "vpc_id": "vpc-0a1b2c3d4e5f60718", "revoke_rules_on_delete": False, "timeouts": None,
     "ingress": [
         {"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"], "description": "",
          "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": False},
         {"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8"], "description": "",
          "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": False}]},
    unknown=["id", "arn", "owner_id", "egress", "tags_all"], key="aws")
add("aws_ebs_volume", "data", AWS,
    {"availability_zone": "ap-northeast-2a", "size": 100, "encrypted": False, "final_snapshot": False,
     "multi_attach_enabled": None, "tags": None},
    unknown=["id", "arn", "kms_key_id", "iops", "snapshot_id", "throughput", "type", "tags_all"], key="aws")
add("aws_db_instance", "app", AWS,
    {"identifier": "minwon-app", "engine": "postgres", "instance_class": "db.t3.medium", "allocated_storage": 50,
     "username": "minwon", "password": "Minwon!2026-db-Secret", "storage_encrypted": True,
     "publicly_accessible": False, "skip_final_snapshot": True, "backup_retention_period": 7,
     "deletion_protection": False},
    unknown=["id", "arn", "address", "endpoint", "kms_key_id", "engine_version", "port", "db_subnet_group_name",
             "vpc_security_group_ids", "tags_all"], sensitive=["password"], key="aws",
    exprs={"password": ref("var.db_password")})


def unknown_map(keys):
    return {k: True for k in keys}


def sensitive_map(keys):
    return {k: True for k in keys}


rc, planned, config_root, config_mod = [], [], [], []
for r in resources:
    after = dict(r["after"])
    for k in r["unknown"]:
        after.pop(k, None)
    rc.append({
        "address": r["address"], **({"module_address": r["module"]} if r["module"] else {}),
        "mode": "managed", "type": r["type"], "name": r["name"], "provider_name": r["provider"],
        "change": {"actions": ["create"], "before": None, "after": after,
                   "after_unknown": unknown_map(r["unknown"]), "before_sensitive": False,
                   "after_sensitive": sensitive_map(r["sensitive"])}})
    planned.append({"address": r["address"], "mode": "managed", "type": r["type"], "name": r["name"],
                    "provider_name": r["provider"], "schema_version": 0, "values": after,
                    "sensitive_values": sensitive_map(r["sensitive"])})
    conf = {"address": f"{r['type']}.{r['name']}", "mode": "managed", "type": r["type"], "name": r["name"],
            "provider_config_key": r["key"], "expressions": r["exprs"], "schema_version": 0}
    (config_mod if r["module"] else config_root).append(conf)

plan = {
    "format_version": "1.2",
    "terraform_version": "1.6.6",
    "variables": {"region": {"value": "ap-northeast-2"}, "db_password": {"value": "Minwon!2026-db-Secret"}},
    "planned_values": {"root_module": {
        "resources": [p for p, r in zip(planned, resources) if not r["module"]],
        "child_modules": [{"address": "module.storage",
                           "resources": [p for p, r in zip(planned, resources) if r["module"]]}]}},
    "resource_changes": rc,
    "configuration": {
        "provider_config": {
            "ncloud": {"name": "ncloud", "full_name": NCP,
                       "expressions": {"region": const("KR"), "site": const("gov"), "support_vpc": const(True)}},
            "aws": {"name": "aws", "full_name": AWS, "expressions": {"region": ref("var.region")}},
            "aws.us": {"name": "aws", "full_name": AWS, "alias": "us", "expressions": {"region": const("us-east-1")}},
        },
        "root_module": {
            "resources": config_root,
            "module_calls": {"storage": {"source": "./modules/storage",
                                         "expressions": {"name": const("minwon-logs")},
                                         "module": {"resources": config_mod,
                                                    "outputs": {"bucket_id": {"expression": ref("aws_s3_bucket.this.id", "aws_s3_bucket.this")}},
                                                    "variables": {"name": {}}}}},
            "variables": {"region": {"default": "ap-northeast-2"}, "db_password": {"sensitive": True}},
        },
    },
    "relevant_attributes": [],
    "timestamp": "2026-11-20T01:12:44Z",
    "applyable": True,
    "complete": True,
    "errored": False,
}
# A sensitive root variable is reported by `terraform show -json` with its value; csapcheck must
# never print it.
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "plan.json"), "w") as f:
    json.dump(plan, f, indent=2, ensure_ascii=False)
    f.write("\n")
