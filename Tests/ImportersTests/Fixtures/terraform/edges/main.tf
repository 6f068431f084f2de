# The network's edges (issue 18): a default VPC, a VPC with a virtual private gateway and a static VPN to the
# office, gateway (S3) and interface (SSM) endpoints, a gateway route table on the internet gateway, a transit
# gateway with a BGP VPN attachment and a peering with a second transit gateway, and a Direct Connect gateway
# associated with the VGW. Endpoints point at a moto server on 127.0.0.1 (see make_edges_fixtures.sh); nothing
# here talks to AWS. A TGW route table `onprem` takes the VPN attachment by `transit_gateway_attachment_id`.
#
# moto 5.2 has no EnableVgwRoutePropagation, CreateVpnConnectionRoute or Direct Connect gateways: the resources
# that need them are created only when var.full is true, which the generator sets for the plan (a plan calls no
# API for them) and not for the apply.
variable "moto_endpoint" {
  type    = string
  default = "http://127.0.0.1:5057"
}

variable "full" {
  type    = bool
  default = true
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
    ec2           = var.moto_endpoint
    sts           = var.moto_endpoint
    iam           = var.moto_endpoint
    directconnect = var.moto_endpoint
  }
}

# --- the region's default VPC (AWS's shape: 172.31.0.0/16) -------------------------------------------------
resource "aws_default_vpc" "legacy" {
  tags = { Name = "legacy" }
}

# --- prod: VGW, VPN to the office, endpoints ----------------------------------------------------------------
resource "aws_vpc" "prod" {
  cidr_block = "10.0.0.0/16"
  tags       = { Name = "prod" }
}

resource "aws_subnet" "app_a" {
  vpc_id            = aws_vpc.prod.id
  cidr_block        = "10.0.10.0/24"
  availability_zone = "us-east-1a"
  tags              = { Name = "app-a" }
}

resource "aws_subnet" "app_b" {
  vpc_id            = aws_vpc.prod.id
  cidr_block        = "10.0.11.0/24"
  availability_zone = "us-east-1b"
  tags              = { Name = "app-b" }
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.prod.id
  tags   = { Name = "prod-igw" }
}

resource "aws_vpn_gateway" "vgw" {
  amazon_side_asn = 64512
  tags            = { Name = "vgw1" }
}

resource "aws_vpn_gateway_attachment" "vgw" {
  vpc_id         = aws_vpc.prod.id
  vpn_gateway_id = aws_vpn_gateway.vgw.id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.prod.id
  route {
    cidr_block     = "192.168.0.0/16"
    gateway_id     = aws_vpn_gateway.vgw.id
  }
  tags = { Name = "private" }
}

resource "aws_route_table_association" "app_a" {
  subnet_id      = aws_subnet.app_a.id
  route_table_id = aws_route_table.private.id
}

resource "aws_route_table_association" "app_b" {
  subnet_id      = aws_subnet.app_b.id
  route_table_id = aws_route_table.private.id
}

resource "aws_vpn_gateway_route_propagation" "private" {
  count          = var.full ? 1 : 0
  vpn_gateway_id = aws_vpn_gateway.vgw.id
  route_table_id = aws_route_table.private.id
}

# A second table that propagates the VGW inline, and routes to it with vpn_gateway_id... (aws_route).
resource "aws_route_table" "spare" {
  vpc_id           = aws_vpc.prod.id
  propagating_vgws = var.full ? [aws_vpn_gateway.vgw.id] : []
  tags             = { Name = "spare" }
}

resource "aws_route" "spare_office" {
  route_table_id         = aws_route_table.spare.id
  destination_cidr_block = "10.20.0.0/16"
  gateway_id             = aws_vpn_gateway.vgw.id
}

# The gateway route table: traffic entering through the internet gateway.
resource "aws_route_table" "ingress" {
  vpc_id = aws_vpc.prod.id
  tags   = { Name = "ingress" }
}

resource "aws_route_table_association" "ingress" {
  gateway_id     = aws_internet_gateway.igw.id
  route_table_id = aws_route_table.ingress.id
}

resource "aws_customer_gateway" "office" {
  bgp_asn    = 65000
  ip_address = "198.51.100.10"
  type       = "ipsec.1"
  tags       = { Name = "office" }
}

resource "aws_vpn_connection" "office" {
  vpn_gateway_id      = aws_vpn_gateway.vgw.id
  customer_gateway_id = aws_customer_gateway.office.id
  type                = "ipsec.1"
  static_routes_only  = true
  tags                = { Name = "office-vpn" }
}

resource "aws_vpn_connection_route" "office" {
  count                  = var.full ? 1 : 0
  destination_cidr_block = "192.168.0.0/16"
  vpn_connection_id      = aws_vpn_connection.office.id
}

data "aws_ec2_managed_prefix_list" "s3" {
  name = "com.amazonaws.us-east-1.s3"
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.prod.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  tags              = { Name = "s3-gw" }
}

resource "aws_vpc_endpoint_route_table_association" "s3_private" {
  vpc_endpoint_id = aws_vpc_endpoint.s3.id
  route_table_id  = aws_route_table.private.id
}

resource "aws_security_group" "endpoints" {
  name   = "endpoints"
  vpc_id = aws_vpc.prod.id
  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.0.0.0/16"]
  }
  tags = { Name = "endpoints" }
}

resource "aws_vpc_endpoint" "ssm" {
  vpc_id              = aws_vpc.prod.id
  service_name        = "com.amazonaws.us-east-1.ssm"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [aws_subnet.app_a.id]
  security_group_ids  = [aws_security_group.endpoints.id]
  private_dns_enabled = false
  tags                = { Name = "ssm" }
}

resource "aws_vpc_endpoint_subnet_association" "ssm_b" {
  vpc_endpoint_id = aws_vpc_endpoint.ssm.id
  subnet_id       = aws_subnet.app_b.id
}

# --- transit gateways: a BGP VPN attachment and a peering --------------------------------------------------
resource "aws_ec2_transit_gateway" "core" {
  amazon_side_asn = 64600
  tags            = { Name = "core" }
}

resource "aws_ec2_transit_gateway" "west" {
  amazon_side_asn = 64601
  tags            = { Name = "core-west" }
}

resource "aws_customer_gateway" "branch" {
  bgp_asn    = 65010
  ip_address = "203.0.113.20"
  type       = "ipsec.1"
  tags       = { Name = "branch" }
}

resource "aws_vpn_connection" "branch" {
  transit_gateway_id  = aws_ec2_transit_gateway.core.id
  customer_gateway_id = aws_customer_gateway.branch.id
  type                = "ipsec.1"
  tags                = { Name = "branch-vpn" }
}

resource "aws_ec2_transit_gateway_peering_attachment" "west" {
  transit_gateway_id      = aws_ec2_transit_gateway.core.id
  peer_transit_gateway_id = aws_ec2_transit_gateway.west.id
  peer_region             = "us-east-1"
  peer_account_id         = "123456789012"
  tags                    = { Name = "to-west" }
}

resource "aws_ec2_transit_gateway_peering_attachment_accepter" "west" {
  transit_gateway_attachment_id = aws_ec2_transit_gateway_peering_attachment.west.id
  tags                          = { Name = "from-core" }
}

resource "aws_ec2_transit_gateway_route" "to_west" {
  destination_cidr_block         = "10.50.0.0/16"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_peering_attachment.west.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway.core.association_default_route_table_id
}

# --- Direct Connect gateway associated with the VGW --------------------------------------------------------
resource "aws_dx_gateway" "dxg" {
  count           = var.full ? 1 : 0
  name            = "dxg"
  amazon_side_asn = "64513"
}

resource "aws_dx_gateway_association" "vgw" {
  count                 = var.full ? 1 : 0
  dx_gateway_id         = aws_dx_gateway.dxg[0].id
  associated_gateway_id = aws_vpn_gateway.vgw.id
  allowed_prefixes      = ["10.0.0.0/16"]
}

# --- a TGW route table for on-premises traffic: the VPN attachment propagates into it, and a static route -----
resource "aws_ec2_transit_gateway_route_table" "onprem" {
  transit_gateway_id = aws_ec2_transit_gateway.core.id
  tags               = { Name = "onprem" }
}

resource "aws_ec2_transit_gateway_route_table_propagation" "branch" {
  transit_gateway_attachment_id  = aws_vpn_connection.branch.transit_gateway_attachment_id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.onprem.id
}

resource "aws_ec2_transit_gateway_route" "branch" {
  destination_cidr_block         = "172.16.0.0/16"
  transit_gateway_attachment_id  = aws_vpn_connection.branch.transit_gateway_attachment_id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.onprem.id
}
