# Root module: security groups, a NACL and instances on the child module's network. Provider endpoints point
# at a moto server on 127.0.0.1 (see make_fixtures.sh); nothing here talks to AWS.
variable "moto_endpoint" {
  type    = string
  default = "http://127.0.0.1:5055"
}

# The second plan flips this: web also admits tcp/80 and app-1 moves to 10.0.10.11.
variable "changed" {
  type    = bool
  default = false
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

module "net" {
  source = "./modules/network"
  name   = "prod"
  cidr   = "10.0.0.0/16"
}

resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = module.net.vpc_id
  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["10.0.0.0/8"]
  }
  dynamic "ingress" {
    for_each = var.changed ? [80] : []
    content {
      protocol    = "tcp"
      from_port   = ingress.value
      to_port     = ingress.value
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
  tags = { Name = "web" }
}

resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = module.net.vpc_id
  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
  tags = { Name = "app" }
}

resource "aws_vpc_security_group_ingress_rule" "app_from_web" {
  security_group_id            = aws_security_group.app.id
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.web.id
}

resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = module.net.vpc_id
  tags   = { Name = "db" }
}

resource "aws_security_group_rule" "db_from_app" {
  type                     = "ingress"
  security_group_id        = aws_security_group.db.id
  protocol                 = "tcp"
  from_port                = 5432
  to_port                  = 5432
  source_security_group_id = aws_security_group.app.id
}

resource "aws_vpc_security_group_egress_rule" "db_https" {
  security_group_id = aws_security_group.db.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_network_acl" "db" {
  vpc_id     = module.net.vpc_id
  subnet_ids = [module.net.db_subnet_id]
  tags       = { Name = "db-nacl" }
}

resource "aws_network_acl_rule" "db_in_5432" {
  network_acl_id = aws_network_acl.db.id
  rule_number    = 100
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "10.0.10.0/24"
  from_port      = 5432
  to_port        = 5432
}

resource "aws_network_acl_rule" "db_in_replies" {
  network_acl_id = aws_network_acl.db.id
  rule_number    = 110
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 1024
  to_port        = 65535
}

resource "aws_network_acl_rule" "db_out_replies" {
  network_acl_id = aws_network_acl.db.id
  rule_number    = 100
  egress         = true
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "10.0.10.0/24"
  from_port      = 1024
  to_port        = 65535
}

resource "aws_network_acl_rule" "db_out_https" {
  network_acl_id = aws_network_acl.db.id
  rule_number    = 110
  egress         = true
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 443
  to_port        = 443
}

resource "aws_instance" "web_1" {
  ami                    = "ami-12c6146b"
  instance_type          = "t3.micro"
  subnet_id              = module.net.public_subnet_id
  private_ip             = "10.0.0.10"
  vpc_security_group_ids = [aws_security_group.web.id]
  tags                   = { Name = "web-1" }
}

resource "aws_instance" "app_1" {
  ami                    = "ami-12c6146b"
  instance_type          = "t3.micro"
  subnet_id              = module.net.app_subnet_id
  private_ip             = var.changed ? "10.0.10.11" : "10.0.10.10"
  vpc_security_group_ids = [aws_security_group.app.id]
  tags                   = { Name = "app-1" }
}

resource "aws_instance" "db_1" {
  ami                    = "ami-12c6146b"
  instance_type          = "t3.micro"
  subnet_id              = module.net.db_subnet_id
  private_ip             = "10.0.20.5"
  vpc_security_group_ids = [aws_security_group.db.id]
  tags                   = { Name = "db-1" }
}
