import Lint
import Testing

@Suite struct AddressingRuleTests {
    @Test func mapPublicIPIsANoteAndWithoutIGWRouteAWarning() {
        let text = """
            vpc v {
              cidr 10.0.0.0/16
              internet-gateway igw
              subnet pub 10.0.0.0/24 map-public-ip      #! subnet-map-public-ip
              subnet lost 10.0.1.0/24 map-public-ip     #! subnet-map-public-ip #! subnet-public-ip-no-igw-route
              subnet priv 10.0.2.0/24
              route-table public {
                associate pub
                route 0.0.0.0/0 -> igw
              }
            }
            vpc w {
              cidr 10.1.0.0/16
              subnet nogw 10.1.0.0/24 map-public-ip     #! subnet-map-public-ip #! subnet-public-ip-no-igw-route
            }
            """
        expectRule("subnet-map-public-ip", text)
        let f = expectRule("subnet-public-ip-no-igw-route", text)
        #expect(f.contains { $0.message.contains("has no internet gateway") })
    }

    @Test func subnetsWithoutMapPublicIPAreClean() {
        let text = """
            vpc v {
              cidr 10.0.0.0/16
              subnet priv 10.0.2.0/24
            }
            """
        expectRule("subnet-map-public-ip", text)
        expectRule("subnet-public-ip-no-igw-route", text)
    }

    /// A /28 (11 usable addresses) holding a NAT gateway, a TGW attachment interface and `instances` instances.
    static func smallSubnet(instances: Int, marked: Bool) -> String {
        let lines = (0..<instances).map { "  instance i\($0) in tiny ip 10.0.0.\(4 + $0)" }.joined(separator: "\n")
        return """
            vpc v {
              cidr 10.0.0.0/16
              subnet tiny 10.0.0.0/28 az us-east-1a\(marked ? "    #! subnet-no-free-addresses" : "")
              nat-gateway n in tiny private ip 10.0.0.14
              security-group default { egress none }
            \(lines)
            }
            transit-gateway t {
              attachment x vpc v subnets tiny
              route-table r { associate x }
            }
            """
    }

    @Test func fullSubnetFiresAndOneFreeAddressDoesNot() {
        // 11 usable: NAT gateway + attachment ENI + 9 instances = 11.
        let f = expectRule("subnet-no-free-addresses", Self.smallSubnet(instances: 9, marked: true))
        #expect(f.first?.message.contains("11 usable addresses and 11 in use") == true)
        expectRule("subnet-no-free-addresses", Self.smallSubnet(instances: 8, marked: false))
    }

    @Test func dockerBridgeOverlapFires() {
        expectRule("cidr-docker-range", """
            vpc docker {                        #! cidr-docker-range
              cidr 172.17.0.0/16
            }
            vpc wide {                          #! cidr-docker-range
              cidr 172.17.128.0/17
            }
            vpc fine {
              cidr 172.18.0.0/16
            }
            """)
    }

    static func connected(_ join: String, cidrB: String) -> String {
        """
        vpc a {
          cidr 10.0.0.0/16
          subnet sa 10.0.0.0/24 az us-east-1a
        }
        vpc b {
          cidr \(cidrB)
          subnet sb \(cidrB.replacing("/16", with: "/24")) az us-east-1a
        }
        vpc c {
          cidr 10.0.0.0/16
          subnet sc 10.0.1.0/24 az us-east-1a
        }
        \(join)
        """
    }

    @Test func overlappingBlocksOfPeeredOrTGWConnectedVPCsFire() {
        // AWS refuses such a peering (the validator too); imported topologies may still hold one.
        expectRule("vpc-cidr-overlap-connected", Self.connected("peering ac a <-> c    #! vpc-cidr-overlap-connected", cidrB: "10.1.0.0/16"),
                   validate: false)
        expectRule("vpc-cidr-overlap-connected", Self.connected("""
            transit-gateway t {
              attachment xa vpc a subnets sa
              attachment xb vpc b subnets sb
              attachment xc vpc c subnets sc       #! vpc-cidr-overlap-connected
              route-table r { associate xa xb xc }
            }
            """, cidrB: "10.1.0.0/16"))
    }

    @Test func overlappingButUnconnectedOrDisjointConnectedVPCsAreClean() {
        expectRule("vpc-cidr-overlap-connected", Self.connected("peering ab a <-> b", cidrB: "10.1.0.0/16"))
        expectRule("vpc-cidr-overlap-connected", Self.connected("""
            transit-gateway t {
              attachment xa vpc a subnets sa
              attachment xb vpc b subnets sb
              route-table r { associate xa xb }
            }
            """, cidrB: "10.1.0.0/16"))
    }
}
