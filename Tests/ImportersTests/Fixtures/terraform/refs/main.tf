# References as real configurations write them: every id below is unknown in the first plan and known only
# through the `configuration` section. Two peered VPCs of one region (hub in module.hub, its subnets in the
# nested module.hub.module.subnets with for_each), count and for_each resources, Elastic IPs on instances and
# interfaces by reference, security-group rules naming groups across the peering, routes to targets created
# in the same apply, and data sources (moto's default VPC and its default group). Endpoints point at a moto
# server on 127.0.0.1 (see make_refs_fixtures.sh); nothing here talks to AWS.
variable "moto_endpoint" {
  type    = string
  default = "http://127.0.0.1:5055"
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

# --- data sources: outside this configuration --------------------------------------------------------------
data "aws_vpc" "default" {
  default = true
}

data "aws_security_group" "default" {
  vpc_id = data.aws_vpc.default.id
  name   = "default"
}

resource "aws_subnet" "legacy" {
  vpc_id            = data.aws_vpc.default.id
  cidr_block        = "172.31.200.0/24"
  availability_zone = "us-east-1a"
  tags              = { Name = "legacy" }
}

resource "aws_instance" "legacy" {
  ami                    = "ami-12c6146b"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.legacy.id
  private_ip             = "172.31.200.10"
  vpc_security_group_ids = [data.aws_security_group.default.id]
  tags                   = { Name = "legacy-1" }
}

# --- hub VPC (nested modules, for_each subnets) ------------------------------------------------------------
module "hub" {
  source = "./modules/vpc"
  name   = "hub"
  cidr   = "10.0.0.0/16"
  subnets = {
    public  = { cidr = "10.0.0.0/24", az = "us-east-1a" }
    private = { cidr = "10.0.1.0/24", az = "us-east-1a" }
  }
}

# --- spoke VPC (count subnets) -----------------------------------------------------------------------------
resource "aws_vpc" "spoke" {
  cidr_block = "10.1.0.0/16"
  tags       = { Name = "spoke" }
}

resource "aws_subnet" "spoke" {
  count             = 2
  vpc_id            = aws_vpc.spoke.id
  cidr_block        = cidrsubnet("10.1.0.0/16", 8, count.index)
  availability_zone = count.index == 0 ? "us-east-1a" : "us-east-1b"
  tags              = { Name = "spoke-${count.index}" }
}

resource "aws_vpc_peering_connection" "hub_spoke" {
  vpc_id      = module.hub.vpc_id
  peer_vpc_id = aws_vpc.spoke.id
  auto_accept = true
  tags        = { Name = "hub-spoke" }
}

resource "aws_ec2_transit_gateway" "tgw" {
  tags = { Name = "tgw" }
}

resource "aws_ec2_transit_gateway_vpc_attachment" "spoke" {
  transit_gateway_id = aws_ec2_transit_gateway.tgw.id
  vpc_id             = aws_vpc.spoke.id
  subnet_ids         = [aws_subnet.spoke[0].id]
  tags               = { Name = "tgw-spoke" }
}

# --- security groups: references across the peering ------------------------------------------------------
resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = module.hub.vpc_id
  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
  tags = { Name = "web" }
}

resource "aws_security_group" "bastion" {
  name   = "bastion"
  vpc_id = module.hub.vpc_id
  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
  tags = { Name = "bastion" }
}

resource "aws_security_group" "nat" {
  name   = "nat"
  vpc_id = module.hub.vpc_id
  ingress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["10.0.0.0/8"]
  }
  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
  tags = { Name = "nat" }
}

# In the spoke: admits the hub's groups (a peered VPC of the same region).
resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = aws_vpc.spoke.id
  # inline rule naming a peer VPC's group
  ingress {
    protocol        = "tcp"
    from_port       = 5432
    to_port         = 5432
    security_groups = [aws_security_group.web.id]
  }
  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
  tags = { Name = "app" }
}

resource "aws_security_group_rule" "app_from_web" {
  type                     = "ingress"
  security_group_id        = aws_security_group.app.id
  protocol                 = "tcp"
  from_port                = 8080
  to_port                  = 8080
  source_security_group_id = aws_security_group.web.id
}

resource "aws_vpc_security_group_ingress_rule" "app_from_bastion" {
  security_group_id            = aws_security_group.app.id
  ip_protocol                  = "tcp"
  from_port                    = 22
  to_port                      = 22
  referenced_security_group_id = aws_security_group.bastion.id
}

# --- instances: EIPs by reference, count ------------------------------------------------------------------
resource "aws_instance" "web" {
  ami                         = "ami-12c6146b"
  instance_type               = "t3.micro"
  subnet_id                   = module.hub.subnet_ids["public"]
  private_ip                  = "10.0.0.10"
  associate_public_ip_address = false
  vpc_security_group_ids      = [aws_security_group.web.id]
  tags                        = { Name = "web-1" }
}

resource "aws_eip" "web" {
  domain   = "vpc"
  instance = aws_instance.web.id
  tags     = { Name = "web-eip" }
}

resource "aws_network_interface" "bastion" {
  subnet_id       = module.hub.subnet_ids["public"]
  private_ips     = ["10.0.0.20"]
  security_groups = [aws_security_group.bastion.id]
  tags            = { Name = "bastion-eni" }
}

resource "aws_instance" "bastion" {
  ami           = "ami-12c6146b"
  instance_type = "t3.micro"
  network_interface {
    network_interface_id = aws_network_interface.bastion.id
    device_index         = 0
  }
  tags = { Name = "bastion-1" }
}

resource "aws_eip" "bastion" {
  domain            = "vpc"
  network_interface = aws_network_interface.bastion.id
  tags              = { Name = "bastion-eip" }
}

resource "aws_instance" "nat" {
  ami                         = "ami-12c6146b"
  instance_type               = "t3.micro"
  subnet_id                   = module.hub.subnet_ids["public"]
  private_ip                  = "10.0.0.30"
  associate_public_ip_address = false
  source_dest_check           = false
  vpc_security_group_ids      = [aws_security_group.nat.id]
  tags                        = { Name = "nat-1" }
}

resource "aws_eip" "nat_instance" {
  domain = "vpc"
  tags   = { Name = "nat-instance-eip" }
}

resource "aws_eip_association" "nat" {
  instance_id   = aws_instance.nat.id
  allocation_id = aws_eip.nat_instance.id
}

resource "aws_instance" "app" {
  count                  = 2
  ami                    = "ami-12c6146b"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.spoke[count.index].id
  private_ip             = cidrhost(aws_subnet.spoke[count.index].cidr_block, 10)
  vpc_security_group_ids = [aws_security_group.app.id]
  tags                   = { Name = "app-${count.index}" }
}

resource "aws_eip" "nat_gw" {
  domain = "vpc"
  tags   = { Name = "nat-gw-eip" }
}

resource "aws_nat_gateway" "hub" {
  subnet_id     = module.hub.subnet_ids["public"]
  allocation_id = aws_eip.nat_gw.id
  tags          = { Name = "hub-nat" }
}

# --- routes to targets created in the same apply -----------------------------------------------------------
resource "aws_route_table" "hub_public" {
  vpc_id = module.hub.vpc_id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = module.hub.igw_id
  }
  route {
    cidr_block                = "10.1.0.0/16"
    vpc_peering_connection_id = aws_vpc_peering_connection.hub_spoke.id
  }
  # A second peering in the same expression: the importer takes the one whose peer VPC holds the destination.
  route {
    cidr_block                = "10.2.0.0/16"
    vpc_peering_connection_id = aws_vpc_peering_connection.hub_edge.id
  }
  tags = { Name = "hub-public-rt" }
}

resource "aws_route_table_association" "hub_public" {
  subnet_id      = module.hub.subnet_ids["public"]
  route_table_id = aws_route_table.hub_public.id
}

resource "aws_route_table" "hub_private" {
  vpc_id = module.hub.vpc_id
  tags   = { Name = "hub-private-rt" }
}

resource "aws_route" "hub_private_default" {
  route_table_id         = aws_route_table.hub_private.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.hub.id
}

resource "aws_route" "hub_private_via_nat_instance" {
  route_table_id         = aws_route_table.hub_private.id
  destination_cidr_block = "192.168.0.0/16"
  network_interface_id   = aws_instance.nat.primary_network_interface_id
}

resource "aws_route_table_association" "hub_private" {
  subnet_id      = module.hub.subnet_ids["private"]
  route_table_id = aws_route_table.hub_private.id
}

resource "aws_route_table" "spoke" {
  vpc_id = aws_vpc.spoke.id
  tags   = { Name = "spoke-rt" }
}

resource "aws_route" "spoke_to_hub" {
  route_table_id            = aws_route_table.spoke.id
  destination_cidr_block    = "10.0.0.0/16"
  vpc_peering_connection_id = aws_vpc_peering_connection.hub_spoke.id
}

resource "aws_route" "spoke_to_tgw" {
  route_table_id         = aws_route_table.spoke.id
  destination_cidr_block = "172.16.0.0/12"
  transit_gateway_id     = aws_ec2_transit_gateway.tgw.id
  depends_on             = [aws_ec2_transit_gateway_vpc_attachment.spoke]
}

resource "aws_route_table_association" "spoke" {
  count          = 2
  subnet_id      = aws_subnet.spoke[count.index].id
  route_table_id = aws_route_table.spoke.id
}

# The `ACCOUNT/sg-…` form AWS takes for a group of a peered VPC (here the same account, as moto has one).
resource "aws_security_group_rule" "app_from_nat_by_account" {
  type                     = "ingress"
  security_group_id        = aws_security_group.app.id
  protocol                 = "tcp"
  from_port                = 9000
  to_port                  = 9000
  source_security_group_id = "123456789012/${aws_security_group.nat.id}"
}

# --- edge VPC: a second peering of the hub, routed by an inline route of the same table ---------------------
resource "aws_vpc" "edge" {
  cidr_block = "10.2.0.0/16"
  tags       = { Name = "edge" }
}

resource "aws_subnet" "edge" {
  vpc_id            = aws_vpc.edge.id
  cidr_block        = "10.2.0.0/24"
  availability_zone = "us-east-1a"
  tags              = { Name = "edge-a" }
}

resource "aws_vpc_peering_connection" "hub_edge" {
  vpc_id      = module.hub.vpc_id
  peer_vpc_id = aws_vpc.edge.id
  auto_accept = true
  tags        = { Name = "hub-edge" }
}

resource "aws_default_route_table" "edge" {
  default_route_table_id = aws_vpc.edge.default_route_table_id
  route {
    cidr_block                = "10.0.0.0/16"
    vpc_peering_connection_id = aws_vpc_peering_connection.hub_edge.id
  }
  tags = { Name = "edge-main" }
}

resource "aws_security_group" "edge" {
  name   = "edge"
  vpc_id = aws_vpc.edge.id
  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.0.0.0/16"]
  }
  tags = { Name = "edge-sg" }
}

resource "aws_instance" "edge" {
  ami                    = "ami-12c6146b"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.edge.id
  private_ip             = "10.2.0.10"
  vpc_security_group_ids = [aws_security_group.edge.id]
  tags                   = { Name = "edge-1" }
}
