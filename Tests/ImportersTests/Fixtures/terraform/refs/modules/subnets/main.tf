# Grandchild module (module.hub.module.subnets): one subnet per key of `subnets` (for_each).
variable "vpc_id" { type = string }
variable "subnets" {
  type = map(object({ cidr = string, az = string }))
}

resource "aws_subnet" "this" {
  for_each          = var.subnets
  vpc_id            = var.vpc_id
  cidr_block        = each.value.cidr
  availability_zone = each.value.az
  tags              = { Name = "hub-${each.key}" }
}

output "ids" {
  value = { for k, s in aws_subnet.this : k => s.id }
}
