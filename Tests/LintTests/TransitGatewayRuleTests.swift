import Lint
import Testing

@Suite struct TransitGatewayRuleTests {
    static let spokes = """
        vpc prod {
          cidr 10.0.0.0/16
          subnet app-a 10.0.10.0/24 az us-east-1a
          route-table r main { route 10.1.0.0/16 -> core }
        }
        vpc shared {
          cidr 10.1.0.0/16
          subnet svc-a 10.1.0.0/24 az us-east-1a
          route-table s main { route 10.0.0.0/16 -> core }
        }
        vpc extra {
          cidr 10.2.0.0/16
          subnet e-a 10.2.0.0/24 az us-east-1a
        }
        """

    /// Docs/AWS-BEHAVIOUR.md §13 scenario 7.
    @Test func attachmentWithoutAssociationFires() {
        expectRule("tgw-attachment-no-association", Self.spokes + """

            transit-gateway core {
              attachment a vpc prod subnets app-a
              attachment b vpc shared subnets svc-a             #! tgw-attachment-no-association
              route-table t { associate a propagate a b }
            }
            """)
        expectRule("tgw-attachment-no-association", Self.spokes + """

            transit-gateway core {
              attachment a vpc prod subnets app-a
              attachment b vpc shared subnets svc-a
              route-table t { associate a b propagate a b }
            }
            """)
    }

    @Test func tableWithRoutesButNoAssociationFires() {
        let text = Self.spokes + """

            transit-gateway core {
              attachment a vpc prod subnets app-a
              attachment b vpc shared subnets svc-a
              route-table used { associate a b propagate a b }
              route-table orphan {                               #! tgw-route-table-not-associated
                propagate a b
              }
              route-table orphan-static {                        #! tgw-route-table-not-associated
                route 10.9.0.0/16 -> a
              }
              route-table empty {
              }
            }
            """
        expectRule("tgw-route-table-not-associated", text)
    }

    @Test func oneWayTGWPathsFireAtTheReturnTable() {
        let text = Self.spokes + """

            transit-gateway core {
              attachment a vpc prod subnets app-a
              attachment b vpc shared subnets svc-a
              attachment c vpc extra subnets e-a
              route-table ta { associate a propagate b }
              route-table tb {                                   #! tgw-asymmetric-path
                associate b
                route 10.0.0.0/16 -> c
              }
              route-table tc { associate c }
            }
            """
        let f = expectRule("tgw-asymmetric-path", text)
        #expect(f.first?.message.contains("sends it to 'c'") == true)
    }

    @Test func symmetricTGWPathsAreClean() {
        expectRule("tgw-asymmetric-path", Self.spokes + """

            transit-gateway core {
              attachment a vpc prod subnets app-a
              attachment b vpc shared subnets svc-a
              attachment c vpc extra subnets e-a
              route-table ta { associate a propagate b c }
              route-table tb { associate b propagate a }
              route-table tc { associate c propagate a }
            }
            """)
    }

    /// Docs/AWS-BEHAVIOUR.md §13 scenario 9: an inspection VPC with firewalls in two AZs.
    static func inspection(appliance: Bool) -> String {
        """
        vpc spoke {
          cidr 10.0.0.0/16
          subnet app-a 10.0.10.0/24 az us-east-1a
          route-table r main { route 0.0.0.0/0 -> core }
        }
        vpc inspect {
          cidr 10.100.0.0/16
          subnet tgw-a 10.100.0.0/28 az us-east-1a
          subnet tgw-b 10.100.0.16/28 az us-east-1b
          subnet fw-a 10.100.1.0/24 az us-east-1a
          subnet fw-b 10.100.2.0/24 az us-east-1b
          security-group fw { ingress all from 10.0.0.0/8 }
          instance fw-1 in fw-a ip 10.100.1.10 sg fw source-dest-check off
          instance fw-2 in fw-b ip 10.100.2.10 sg fw source-dest-check off
          route-table to-fw-a { associate tgw-a  route 0.0.0.0/0 -> fw-1 }
          route-table to-fw-b { associate tgw-b  route 0.0.0.0/0 -> fw-2 }
          route-table back main { route 10.0.0.0/8 -> core }
        }
        transit-gateway core {
          attachment s vpc spoke subnets app-a
          attachment i vpc inspect subnets tgw-a tgw-b\(appliance ? " appliance-mode" : "                    #! tgw-appliance-mode-off")
          route-table spokes { associate s  route 0.0.0.0/0 -> i }
          route-table firewall { associate i  propagate s }
        }
        """
    }

    @Test func multiAZApplianceAttachmentWithoutApplianceModeFires() {
        expectRule("tgw-appliance-mode-off", Self.inspection(appliance: false))
        expectRule("tgw-appliance-mode-off", Self.inspection(appliance: true))
        // The inspection pattern is symmetric: spoke → i → spoke, so no one-way path.
        expectRule("tgw-asymmetric-path", Self.inspection(appliance: true))
    }
}
