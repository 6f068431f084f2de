/// The `prod`/`shared` network of the language contract (Docs/LANGUAGE-CONTRACT.md) (without its asserts), the base of Docs/AWS-BEHAVIOUR.md §13's scenarios,
/// plus `svc-1` in `shared` (443 from 10.0.0.0/16). `{{…}}` markers are replaced per scenario.
enum Fixture {
    static let prod = """
    region us-east-1
    account 111122223333
    prefix-list corp { 10.200.0.0/16 192.168.0.0/20 }
    vpc prod {
      cidr 10.0.0.0/16
      cidr 10.5.0.0/16
      ipv6 2600:1f18:1234:5600::/56
      internet-gateway igw
      egress-only-gateway eigw
      subnet public-a 10.0.0.0/24  az us-east-1a map-public-ip
      subnet app-a    10.0.10.0/24 az us-east-1a ipv6 2600:1f18:1234:5610::/64
      subnet db-a     10.0.20.0/24 az us-east-1a
      {{NAT}}
      route-table public {
        associate public-a
        route 0.0.0.0/0 -> igw
        {{PUBLIC_ROUTES}}
      }
      route-table private main {
        associate app-a db-a
        route 0.0.0.0/0    -> nat-a
        {{PRIVATE_ROUTES}}
        route pl:corp      -> core
        route 10.9.0.0/16  blackhole
      }
      security-group web {
        ingress tcp 443       from 0.0.0.0/0
        ingress tcp 22        from pl:corp
        ingress icmp          from 10.0.0.0/8
        ingress all           from sg web
      }
      security-group app {
        ingress tcp 8080-8090 from sg web
      }
      security-group db {
        ingress tcp 5432 from sg app
        egress  tcp 443  to 0.0.0.0/0
      }
      network-acl db-nacl {
        associate db-a
        {{DB_NACL}}
        inbound  100 allow tcp 5432       from 10.0.10.0/24
        inbound  110 allow tcp 1024-65535 from 0.0.0.0/0
        inbound  200 deny  all            from 0.0.0.0/0
        outbound 100 allow tcp 1024-65535 to   10.0.10.0/24
        outbound 110 allow tcp 443        to   0.0.0.0/0
      }
      {{PROD_EXTRA}}
      instance web-1 in public-a ip 10.0.0.10 public-ip 54.1.2.3 sg web
      instance web-3 in public-a ip 10.0.0.12 sg web
      instance app-1 in app-a    ip 10.0.10.10 sg app
      instance db-1  in db-a     ip 10.0.20.5 sg db
      instance app-6 in app-a    ip 10.0.10.11 ipv6 2600:1f18:1234:5610::11 sg app
      instance fw-1 {
        interface eth0 in public-a ip 10.0.0.20 sg web source-dest-check off
        interface eth1 in app-a    ip 10.0.10.20 ipv6 2600:1f18:1234:5610::20 sg web
      }
    }
    vpc shared {
      cidr 10.1.0.0/16
      subnet svc-a 10.1.0.0/24 az us-east-1a
      security-group svc { ingress tcp 443 from 10.0.0.0/16 }
      {{SHARED_EXTRA}}
      instance svc-1 in svc-a ip 10.1.0.10 sg svc
    }
    peering prod-shared prod <-> shared
    {{EXTRA}}
    {{TGW}}
    """

    static let core = """
    transit-gateway core {
      attachment prod-att   vpc prod   subnets app-a
      attachment shared-att vpc shared subnets svc-a
      route-table spokes {
        associate prod-att
        propagate shared-att
        route 10.99.0.0/16 blackhole
        route 0.0.0.0/0 -> shared-att
      }
    }
    """

    static let defaults: [String: String] = [
        "NAT": "nat-gateway nat-a in public-a eip 54.10.0.1",
        "PUBLIC_ROUTES": "",
        "PRIVATE_ROUTES": "route 10.1.0.0/16  -> prod-shared\n    route 10.2.0.0/16  -> core",
        "DB_NACL": "",
        "PROD_EXTRA": "",
        "SHARED_EXTRA": "",
        "EXTRA": "",
        "TGW": core,
    ]

    /// The base network with some markers replaced.
    static func prod(_ overrides: [String: String] = [:]) -> String {
        var text = prod
        for (key, value) in defaults.merging(overrides, uniquingKeysWith: { _, new in new }) {
            text = text.replacing("{{\(key)}}", with: value)
        }
        return text
    }
}
