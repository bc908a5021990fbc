# Example deployment scanned by `scripts/demo.sh`: a public-institution service on Naver Cloud's
# gov site, with object storage and a database on AWS. It has a few deliberate failures:
#   - SSH (22) open to the internet on a Naver Cloud ACG and on an AWS security group
#   - a batch server whose base block storage is not encrypted
#   - an AWS bucket in us-east-1 (data outside Korea) without encryption
#   - an unencrypted EBS volume
# plan.json beside this file is `terraform show -json` of a plan of this configuration.

terraform {
  required_providers {
    ncloud = { source = "NaverCloudPlatform/ncloud" }
    aws    = { source = "hashicorp/aws" }
  }
}

variable "region" { default = "ap-northeast-2" }
variable "db_password" {
  type      = string
  sensitive = true
}

provider "ncloud" {
  region      = "KR"
  site        = "gov"
  support_vpc = true
}

provider "aws" { region = var.region }

provider "aws" {
  alias  = "us"
  region = "us-east-1"
}

resource "ncloud_vpc" "main" {
  name            = "vpc-minwon"
  ipv4_cidr_block = "10.10.0.0/16"
}

resource "ncloud_subnet" "private" {
  vpc_no         = ncloud_vpc.main.id
  subnet         = "10.10.1.0/24"
  zone           = "KR-1"
  network_acl_no = ncloud_vpc.main.default_network_acl_no
  subnet_type    = "PRIVATE"
  name           = "sbn-minwon-private"
}

resource "ncloud_access_control_group" "web" {
  name   = "acg-minwon-web"
  vpc_no = ncloud_vpc.main.id
}

resource "ncloud_access_control_group_rule" "web" {
  access_control_group_no = ncloud_access_control_group.web.id
  inbound {
    protocol    = "TCP"
    ip_block    = "0.0.0.0/0"
    port_range  = "443"
    description = "HTTPS from citizens"
  }
  inbound {
    protocol    = "TCP"
    ip_block    = "0.0.0.0/0"
    port_range  = "22"
    description = "temporary SSH for the vendor"
  }
}

resource "ncloud_login_key" "ops" { key_name = "minwon-ops" }

resource "ncloud_server" "web" {
  subnet_no                              = ncloud_subnet.private.id
  name                                   = "svr-minwon-web"
  server_image_product_code              = "SW.VSVR.OS.LNX64.ROCKY.0810.B050"
  login_key_name                         = ncloud_login_key.ops.key_name
  is_encrypted_base_block_storage_volume = true
}

resource "ncloud_server" "batch" {
  subnet_no                 = ncloud_subnet.private.id
  name                      = "svr-minwon-batch"
  server_image_product_code = "SW.VSVR.OS.LNX64.ROCKY.0810.B050"
  login_key_name            = ncloud_login_key.ops.key_name
}

resource "ncloud_postgresql" "main" {
  vpc_no            = ncloud_vpc.main.id
  subnet_no         = ncloud_subnet.private.id
  service_name      = "minwon-db"
  server_name_prefix = "minwon"
  user_name         = "minwon"
  user_password     = var.db_password
  client_cidr       = "10.10.1.0/24"
  database_name     = "minwon"
}

module "storage" {
  source = "./modules/storage"
  name   = "minwon-logs"
}

resource "aws_s3_bucket" "export" {
  provider = aws.us
  bucket   = "minwon-export-us"
}

resource "aws_security_group" "admin" {
  name   = "admin"
  vpc_id = "vpc-0a1b2c3d4e5f60718"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}

resource "aws_ebs_volume" "data" {
  availability_zone = "ap-northeast-2a"
  size              = 100
  encrypted         = false
}

resource "aws_db_instance" "app" {
  identifier          = "minwon-app"
  engine              = "postgres"
  instance_class      = "db.t3.medium"
  allocated_storage   = 50
  username            = "minwon"
  password            = var.db_password
  storage_encrypted   = true
  publicly_accessible = false
  skip_final_snapshot = true
}
