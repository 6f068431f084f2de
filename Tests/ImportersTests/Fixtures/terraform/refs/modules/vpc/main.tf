# Child module (module.hub): a VPC with an internet gateway, its subnets in a nested module.
variable "name" { type = string }
variable "cidr" { type = string }
variable "subnets" {
  type = map(object({ cidr = string, az = string }))
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
  tags       = { Name = var.name }
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
  tags   = { Name = "${var.name}-igw" }
}

module "subnets" {
  source  = "../subnets"
  vpc_id  = aws_vpc.this.id
  subnets = var.subnets
}

output "vpc_id" { value = aws_vpc.this.id }
output "igw_id" { value = aws_internet_gateway.this.id }
output "subnet_ids" { value = module.subnets.ids }
