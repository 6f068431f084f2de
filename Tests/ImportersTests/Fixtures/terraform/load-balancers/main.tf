# Load balancers (issue 23): an internet-facing ALB in two public subnets (its SG admits 443 and 8443 from
# anywhere) in front of two app instances (count = 2; their SG admits the ALB's SG on 8080), a listener rule
# to a second group, a third instance whose SG does not admit the ALB (listener 8443), an internal NLB with
# fixed node addresses in front of an IP target, and a classic ELB in front of app[0] (in the plan only). The
# HTTPS listeners use an ACM certificate requested from moto (moto checks that it exists). Endpoints point at a moto
# server on 127.0.0.1 (see make_lb_fixtures.sh); nothing here talks to AWS.
variable "moto_endpoint" {
  type    = string
  default = "http://127.0.0.1:5058"
}

# The AWS provider 5.100 crashes reading back a classic ELB from moto 5.2 (nil pointer in
# resourceLoadBalancerRead): the generator plans with it and applies without it.
variable "classic" {
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
    ec2   = var.moto_endpoint
    elb   = var.moto_endpoint
    elbv2 = var.moto_endpoint
    acm   = var.moto_endpoint
    sts   = var.moto_endpoint
    iam   = var.moto_endpoint
  }
}

resource "aws_vpc" "web" {
  cidr_block = "10.0.0.0/16"
  tags       = { Name = "web" }
}

resource "aws_subnet" "public" {
  count             = 2
  vpc_id            = aws_vpc.web.id
  cidr_block        = "10.0.${count.index}.0/24"
  availability_zone = ["us-east-1a", "us-east-1b"][count.index]
  tags              = { Name = "public-${count.index}" }
}

resource "aws_subnet" "app" {
  count             = 2
  vpc_id            = aws_vpc.web.id
  cidr_block        = "10.0.${count.index + 10}.0/24"
  availability_zone = ["us-east-1a", "us-east-1b"][count.index]
  tags              = { Name = "app-${count.index}" }
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.web.id
  tags   = { Name = "web-igw" }
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.web.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
  tags = { Name = "public-rt" }
}

resource "aws_route_table_association" "public" {
  count          = 2
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

# --- security groups ---------------------------------------------------------------------------------------
resource "aws_security_group" "alb" {
  name   = "alb"
  vpc_id = aws_vpc.web.id
  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    protocol    = "tcp"
    from_port   = 8443
    to_port     = 8443
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    protocol    = "tcp"
    from_port   = 80
    to_port     = 80
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["10.0.0.0/16"]
  }
  tags = { Name = "alb" }
}

resource "aws_security_group" "classic" {
  name   = "classic-elb"
  vpc_id = aws_vpc.web.id
  ingress {
    protocol    = "tcp"
    from_port   = 80
    to_port     = 80
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["10.0.0.0/16"]
  }
  tags = { Name = "classic-elb" }
}

resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = aws_vpc.web.id
  tags   = { Name = "app" }
}

resource "aws_vpc_security_group_ingress_rule" "app_from_alb" {
  security_group_id            = aws_security_group.app.id
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.alb.id
}

resource "aws_vpc_security_group_ingress_rule" "app_from_classic" {
  security_group_id            = aws_security_group.app.id
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.classic.id
}

# The batch instance's group admits the office only, not the ALB.
resource "aws_security_group" "batch" {
  name   = "batch"
  vpc_id = aws_vpc.web.id
  ingress {
    protocol    = "tcp"
    from_port   = 9000
    to_port     = 9000
    cidr_blocks = ["10.99.0.0/16"]
  }
  tags = { Name = "batch" }
}

# The cache admits the app subnets on 6379 (the NLB's IP target without client-IP preservation: the source is
# the NLB node, which sits in the app subnets).
resource "aws_security_group" "cache" {
  name   = "cache"
  vpc_id = aws_vpc.web.id
  ingress {
    protocol    = "tcp"
    from_port   = 6379
    to_port     = 6379
    cidr_blocks = ["10.0.10.0/23"]
  }
  tags = { Name = "cache" }
}

# --- instances ---------------------------------------------------------------------------------------------
resource "aws_instance" "app" {
  count                  = 2
  ami                    = "ami-12c6146b"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.app[count.index].id
  private_ip             = "10.0.${count.index + 10}.10"
  vpc_security_group_ids = [aws_security_group.app.id]
  tags                   = { Name = "web-${count.index}" }
}

resource "aws_instance" "batch" {
  ami                    = "ami-12c6146b"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.app[0].id
  private_ip             = "10.0.10.20"
  vpc_security_group_ids = [aws_security_group.batch.id]
  tags                   = { Name = "batch-1" }
}

resource "aws_instance" "cache" {
  ami                    = "ami-12c6146b"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.app[1].id
  private_ip             = "10.0.11.30"
  vpc_security_group_ids = [aws_security_group.cache.id]
  tags                   = { Name = "cache-1" }
}

resource "aws_acm_certificate" "site" {
  domain_name       = "www.example.com"
  validation_method = "DNS"
}

# --- the ALB -----------------------------------------------------------------------------------------------
resource "aws_lb" "web" {
  name               = "web-alb"
  load_balancer_type = "application"
  internal           = false
  subnets            = aws_subnet.public[*].id
  security_groups    = [aws_security_group.alb.id]
  tags               = { Name = "web-alb" }
}

resource "aws_lb_target_group" "app" {
  name        = "app-tg"
  target_type = "instance"
  protocol    = "HTTP"
  port        = 8080
  vpc_id      = aws_vpc.web.id
}

resource "aws_lb_target_group" "api" {
  name        = "api-tg"
  target_type = "instance"
  protocol    = "HTTP"
  port        = 8080
  vpc_id      = aws_vpc.web.id
}

resource "aws_lb_target_group" "batch" {
  name        = "batch-tg"
  target_type = "instance"
  protocol    = "HTTP"
  port        = 9000
  vpc_id      = aws_vpc.web.id
}

resource "aws_lb_target_group_attachment" "app" {
  count            = 2
  target_group_arn = aws_lb_target_group.app.arn
  target_id        = aws_instance.app[count.index].id
}

resource "aws_lb_target_group_attachment" "api" {
  target_group_arn = aws_lb_target_group.api.arn
  target_id        = aws_instance.app[1].id
  port             = 8080
}

resource "aws_lb_target_group_attachment" "batch" {
  target_group_arn = aws_lb_target_group.batch.arn
  target_id        = aws_instance.batch.id
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = aws_acm_certificate.site.arn
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }
}

resource "aws_lb_listener_rule" "api" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 10
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
  condition {
    path_pattern {
      values = ["/api/*"]
    }
  }
  condition {
    host_header {
      values = ["www.example.com"]
    }
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_lb_listener" "batch" {
  load_balancer_arn = aws_lb.web.arn
  port              = 8443
  protocol          = "HTTPS"
  certificate_arn   = aws_acm_certificate.site.arn
  default_action {
    type = "forward"
    forward {
      target_group {
        arn    = aws_lb_target_group.batch.arn
        weight = 1
      }
    }
  }
}

# --- the NLB -----------------------------------------------------------------------------------------------
resource "aws_lb" "cache" {
  name                             = "cache-nlb"
  load_balancer_type               = "network"
  internal                         = true
  enable_cross_zone_load_balancing = true
  subnet_mapping {
    subnet_id            = aws_subnet.app[0].id
    private_ipv4_address = "10.0.10.100"
  }
  subnet_mapping {
    subnet_id            = aws_subnet.app[1].id
    private_ipv4_address = "10.0.11.100"
  }
}

resource "aws_lb_target_group" "cache" {
  name               = "cache-tg"
  target_type        = "ip"
  protocol           = "TCP"
  port               = 6379
  preserve_client_ip = "false"
  vpc_id             = aws_vpc.web.id
}

resource "aws_lb_target_group_attachment" "cache" {
  target_group_arn = aws_lb_target_group.cache.arn
  target_id        = aws_instance.cache.private_ip
}

resource "aws_lb_listener" "cache" {
  load_balancer_arn = aws_lb.cache.arn
  port              = 6379
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.cache.arn
  }
}

# --- a classic ELB -----------------------------------------------------------------------------------------
resource "aws_elb" "legacy" {
  count           = var.classic ? 1 : 0
  name            = "legacy-elb"
  subnets         = aws_subnet.public[*].id
  security_groups = [aws_security_group.classic.id]
  instances       = [aws_instance.app[0].id]
  listener {
    lb_port           = 80
    lb_protocol       = "tcp"
    instance_port     = 8080
    instance_protocol = "tcp"
  }
  cross_zone_load_balancing = false
  tags                      = { Name = "legacy-elb" }
}
