# Default VPCs adopted by Terraform (issue 18, AWS-BEHAVIOUR.md §10). Endpoints point at a moto server on
# 127.0.0.1 (see make_default_vpc_fixture.sh); nothing here talks to AWS.
#
# us-east-1: the default VPC and two of its default subnets adopted, nothing else: the plan knows none of their
#            blocks, and the internet gateway, the main table's 0.0.0.0/0 route and the default group and NACL are
#            not in the configuration (AWS's defaults, assumed by the import and said in its report).
# us-west-2: the default VPC with its default route table, security group and network ACL adopted: Terraform
#            replaces their rules by the configured ones (no route to the internet gateway, SSH only, one NACL
#            rule each way), so nothing of those is assumed.
variable "moto_endpoint" {
  type    = string
  default = "http://127.0.0.1:5058"
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true
  skip_region_validation      = true
  endpoints {
    ec2 = var.moto_endpoint
    sts = var.moto_endpoint
    iam = var.moto_endpoint
  }
}

provider "aws" {
  alias                       = "west"
  region                      = "us-west-2"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true
  skip_region_validation      = true
  endpoints {
    ec2 = var.moto_endpoint
    sts = var.moto_endpoint
    iam = var.moto_endpoint
  }
}

# --- us-east-1: adopted as AWS made it ------------------------------------------------------------------
resource "aws_default_vpc" "legacy" {
  tags = { Name = "legacy" }
}

resource "aws_default_subnet" "a" {
  availability_zone = "us-east-1a"
  tags              = { Name = "legacy-a" }
}

resource "aws_default_subnet" "c" {
  availability_zone = "us-east-1c"
  tags              = { Name = "legacy-c" }
}

resource "aws_instance" "web" {
  ami           = "ami-12c6146b"
  instance_type = "t3.micro"
  subnet_id     = aws_default_subnet.a.id
  private_ip    = "172.31.0.10"
  tags          = { Name = "web-1" }
}

# --- us-west-2: adopted and locked down -----------------------------------------------------------------
resource "aws_default_vpc" "west" {
  provider = aws.west
  tags     = { Name = "west" }
}

resource "aws_default_route_table" "west" {
  provider               = aws.west
  default_route_table_id = aws_default_vpc.west.default_route_table_id
  route                  = []
  tags                   = { Name = "west-main" }
}

resource "aws_default_security_group" "west" {
  provider = aws.west
  vpc_id   = aws_default_vpc.west.id
  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["10.0.0.0/8"]
  }
  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_default_network_acl" "west" {
  provider               = aws.west
  default_network_acl_id = aws_default_vpc.west.default_network_acl_id
  tags                   = { Name = "west-acl" }
  ingress {
    protocol   = "tcp"
    rule_no    = 100
    action     = "allow"
    cidr_block = "10.0.0.0/8"
    from_port  = 22
    to_port    = 22
  }
  egress {
    protocol   = "-1"
    rule_no    = 100
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
}
