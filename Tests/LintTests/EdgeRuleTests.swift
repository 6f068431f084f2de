import Lint
import NetworkModel
import Reporting
import Testing

/// The rules for the network's edges (AWS-BEHAVIOUR.md §10). Snippets are parsed, not validated: they use
/// the edge statements of Docs/DSL.md "Edges", and each rule must hold on imported topologies as well.
@Suite struct EdgeRuleTests {
    /// A VPC whose private subnets reach the internet through a NAT gateway, with S3's prefix list declared.
    static func natVPC(endpoint: String = "", privateTable: String = "") -> String {
        """
        prefix-list s3 id pl-63a5400a { 52.216.0.0/15 3.5.0.0/19 }

        vpc prod {
          cidr 10.0.0.0/16
          internet-gateway igw
          subnet public-a 10.0.0.0/24 az us-east-1a
          subnet app-a 10.0.10.0/24 az us-east-1a
          subnet app-b 10.0.11.0/24 az us-east-1b
          nat-gateway nat-a in public-a eip 54.10.0.1
          route-table public {
            associate public-a
            route 0.0.0.0/0 -> igw
          }
          route-table private main {
            associate app-a app-b
            route 0.0.0.0/0 -> nat-a\(privateTable)
          }
        \(endpoint)}
        """
    }

    // MARK: s3-dynamodb-through-nat

    /// §10: without a gateway endpoint, traffic to the service's CIDRs follows `0.0.0.0/0 -> nat` and pays NAT
    /// data processing; the public table's IGW route is free and is not this rule's concern.
    @Test func s3ThroughNATWithoutEndpointFires() {
        let findings = expectRule("s3-dynamodb-through-nat", Self.natVPC(privateTable: "   #! s3-dynamodb-through-nat"),
                                  )
        #expect(findings.first?.message.contains("pl:s3") == true)
        #expect(findings.first?.hint?.contains("endpoint prod-s3 gateway s3 route-tables private") == true)
    }

    /// The fix-it's endpoint name is free across the topology (here a VPN connection holds `prod-s3`).
    @Test func fixItEndpointNameAvoidsTakenNames() {
        let text = Self.natVPC(privateTable: "   #! s3-dynamodb-through-nat") + """

            customer-gateway office ip 198.51.100.10 asn 65000
            vpn-connection prod-s3 tgw core customer-gateway office bgp
            transit-gateway core {
              attachment vpn-att vpn prod-s3
            }
            """
        let findings = expectRule("s3-dynamodb-through-nat", text)
        #expect(findings.first?.hint?.contains("'endpoint prod-s3-2 gateway s3 route-tables private'") == true)
    }

    /// A more specific CIDR route for the service's CIDRs (to a TGW here) wins over `0/0 -> nat`: quiet.
    @Test func serviceCIDRsRoutedElsewhereStayQuiet() {
        expectRule("s3-dynamodb-through-nat", Self.natVPC(privateTable: "\n    route 52.216.0.0/15 -> igw\n    route 3.5.0.0/19 -> igw"),
                   )
    }

    /// No prefix list for the service is declared: nothing says which CIDRs are S3's, so nothing fires.
    @Test func noServicePrefixListStaysQuiet() {
        let text = Self.natVPC().replacing("prefix-list s3 id pl-63a5400a", with: "prefix-list corp")
        expectRule("s3-dynamodb-through-nat", text)
    }

    /// A DynamoDB list named by AWS's service name counts (`com.amazonaws.REGION.dynamodb`), a list another
    /// region's name does not.
    @Test func awsNamedListsCountInTheirRegion() {
        let text = """
            region us-east-1
            prefix-list com.amazonaws.us-east-1.dynamodb { 3.218.180.0/22 }
            prefix-list com.amazonaws.eu-west-1.s3 { 52.218.0.0/17 }
            vpc prod {
              cidr 10.0.0.0/16
              internet-gateway igw
              subnet public-a 10.0.0.0/24 az us-east-1a
              subnet app-a 10.0.10.0/24 az us-east-1a
              nat-gateway nat-a in public-a eip 54.10.0.1
              route-table public {
                associate public-a
                route 0.0.0.0/0 -> igw
              }
              route-table private main {
                associate app-a
                route 0.0.0.0/0 -> nat-a     #! s3-dynamodb-through-nat
              }
            }
            """
        let findings = expectRule("s3-dynamodb-through-nat", text)
        #expect(findings.count == 1 && findings[0].message.hasPrefix("DynamoDB traffic"))
        #expect(findings.first?.hint?.contains("prefix-list pl:com.amazonaws.us-east-1.dynamodb") == true)
    }

    /// With an endpoint in the VPC the other rule reports the table; this one stays quiet.
    @Test func endpointInTheVPCHandsOverToTheTableRule() {
        let text = Self.natVPC(endpoint: "  endpoint s3-gw gateway s3 route-tables public   #! gateway-endpoint-route-table-missing\n")
        expectRule("s3-dynamodb-through-nat", text)
        let findings = expectRule("gateway-endpoint-route-table-missing", text)
        #expect(findings.first?.message.contains("table 'private'") == true)
        #expect(findings.first?.hint == "add 'private' to the route tables of endpoint 's3-gw' ('route-tables public private')")
    }

    // MARK: gateway-endpoint-route-table-missing

    /// §10: only the chosen tables get the endpoint's route; a public table still sends S3 to the IGW.
    @Test func endpointMissingThePublicTableFires() {
        let text = Self.natVPC(endpoint: "  endpoint s3-gw gateway s3 route-tables private   #! gateway-endpoint-route-table-missing\n")
        let findings = expectRule("gateway-endpoint-route-table-missing", text)
        #expect(findings.first?.message.contains("internet gateway 'igw'") == true)
        #expect(findings.first?.message.contains("table 'public'") == true)
    }

    @Test func endpointInEveryTableStaysQuiet() {
        expectRule("gateway-endpoint-route-table-missing",
                   Self.natVPC(endpoint: "  endpoint s3-gw gateway s3 route-tables private public\n"))
        // An endpoint with no table at all lists none: every table with service traffic is missing.
        expectRule("gateway-endpoint-route-table-missing",
                   Self.natVPC(endpoint: "  endpoint s3-gw gateway s3 prefix-list pl:s3   #! gateway-endpoint-route-table-missing\n"),
                   )
    }

    // MARK: interface-endpoint-sg-closed

    static func interfaceVPC(_ group: String, extra: String = "") -> String {
        """
        vpc prod {
          cidr 10.0.0.0/16
          subnet app-a 10.0.10.0/24 az us-east-1a
          security-group app {
            ingress tcp 443 from 10.0.0.0/8
          }
          security-group endpoints {
        \(group)
          }
          instance app-1 in app-a ip 10.0.10.10 sg app
          endpoint ssm interface com.amazonaws.us-east-1.ssm subnets app-a sg endpoints\(extra)
        }
        """
    }

    /// §10: an interface endpoint's ENIs admit what their groups admit; a group open only to another network
    /// leaves the endpoint unusable from its own VPC.
    @Test func closedEndpointGroupFires() {
        let findings = expectRule("interface-endpoint-sg-closed",
                                  Self.interfaceVPC("    ingress tcp 443 from 192.168.0.0/16", extra: "   #! interface-endpoint-sg-closed"),
                                  )
        #expect(findings.first?.hint?.contains("ingress tcp 443 from 10.0.0.0/16") == true)
        expectRule("interface-endpoint-sg-closed",
                   Self.interfaceVPC("    egress none", extra: "   #! interface-endpoint-sg-closed"))
        // A reference to a group no instance holds admits nobody.
        expectRule("interface-endpoint-sg-closed",
                   Self.interfaceVPC("    ingress tcp 443 from sg endpoints", extra: "   #! interface-endpoint-sg-closed"))
    }

    @Test func endpointGroupOpenToTheVPCStaysQuiet() {
        expectRule("interface-endpoint-sg-closed", Self.interfaceVPC("    ingress tcp 443 from 10.0.0.0/16"))
        expectRule("interface-endpoint-sg-closed", Self.interfaceVPC("    ingress tcp 443 from 10.0.10.0/24"))
        expectRule("interface-endpoint-sg-closed", Self.interfaceVPC("    ingress tcp 443 from sg app"))
        // AWS's implied default group (all from its members) is not provably closed.
        let implied = Self.interfaceVPC("    ingress tcp 443 from 192.168.0.0/16")
            .replacing(" subnets app-a sg endpoints", with: " subnets app-a")
        expectRule("interface-endpoint-sg-closed", implied)
    }

    /// The endpoint's group is held by its ENIs: `sg-unused` does not fire on it.
    @Test func endpointGroupIsNotUnused() {
        expectRule("sg-unused", Self.interfaceVPC("    ingress tcp 443 from 10.0.0.0/16"))
    }

    // MARK: vpn-tunnel-down, vpn-single-tunnel

    static func vpn(_ tunnels: String) -> String {
        """
        vpc prod {
          cidr 10.0.0.0/16
          vpn-gateway vgw1
          subnet app-a 10.0.10.0/24 az us-east-1a
          route-table private main {
            propagate vgw1
          }
        }
        customer-gateway office ip 198.51.100.10 asn 65000
        vpn-connection office-vpn vgw vgw1 customer-gateway office static 192.168.0.0/16\(tunnels)
        """
    }

    /// §10: two tunnels; one down leaves no redundancy, both down drop the traffic (BAD_STATE_VPN).
    @Test func tunnelDownFires() {
        let one = expectRule("vpn-tunnel-down", Self.vpn(" tunnels up down   #! vpn-tunnel-down"))
        #expect(one.first?.message.contains("tunnel 2 of 2 is down") == true)
        let both = expectRule("vpn-tunnel-down", Self.vpn(" tunnels down down   #! vpn-tunnel-down"))
        #expect(both.first?.message.contains("BAD_STATE_VPN") == true)
    }

    @Test func tunnelsUpOrUnknownStayQuiet() {
        expectRule("vpn-tunnel-down", Self.vpn(" tunnels up up"))
        expectRule("vpn-tunnel-down", Self.vpn(""))        // no telemetry = up
        expectRule("vpn-single-tunnel", Self.vpn(" tunnels up up"))
        expectRule("vpn-single-tunnel", Self.vpn(""))
    }

    @Test func singleTunnelFires() {
        expectRule("vpn-single-tunnel", Self.vpn(" tunnels up   #! vpn-single-tunnel"))
        expectRule("vpn-tunnel-down", Self.vpn(" tunnels up"))
    }

    // MARK: vgw-unused

    /// §10: a VGW carries only what tables route to it (static or propagated).
    @Test func unusedVGWFires() {
        let text = """
            vpc prod {
              cidr 10.0.0.0/16
              vpn-gateway vgw1              #! vgw-unused
              subnet app-a 10.0.10.0/24 az us-east-1a
              route-table private main {
                associate app-a
              }
            }
            """
        let findings = expectRule("vgw-unused", text)
        #expect(findings.first?.hint == "add 'propagate vgw1' to route table 'private' (or route the on-premises prefixes to 'vgw1' in the tables that need them)")
    }

    @Test func routedOrPropagatedVGWStaysQuiet() {
        expectRule("vgw-unused", Self.vpn(""))
        let routed = Self.vpn("").replacing("propagate vgw1", with: "route 192.168.0.0/16 -> vgw1")
        expectRule("vgw-unused", routed)
        // The static route to the VGW is a known target (no route-target-missing).
        expectRule("route-target-missing", routed)
    }

    // MARK: dx-no-vpn-backup

    static func directConnect(vpn: String) -> String {
        """
        vpc prod {
          cidr 10.0.0.0/16
          vpn-gateway vgw1
          subnet app-a 10.0.10.0/24 az us-east-1a
          route-table private main {
            propagate vgw1
          }
        }
        transit-gateway core {
          attachment prod-att vpc prod subnets app-a
          attachment dx-att dx-gateway dxg-core\(vpn.contains("core-vpn") ? "\n  attachment vpn-att vpn core-vpn" : "")
          route-table t {
            associate prod-att dx-att
            propagate prod-att dx-att
          }
        }
        customer-gateway office ip 198.51.100.10 asn 65000
        \(vpn)
        dx-gateway dxg-core {
          associate core allowed 10.0.0.0/8
        }
        dx-vif dc-a private vgw vgw1
        dx-vif dc-t transit dx-gateway dxg-core
        """
    }

    /// §10: Direct Connect with no VPN on the same gateway has nothing to fail over to.
    @Test func directConnectWithoutVPNFires() {
        let text = Self.directConnect(vpn: "").replacing("private vgw vgw1", with: "private vgw vgw1   #! dx-no-vpn-backup")
            .replacing("transit dx-gateway dxg-core", with: "transit dx-gateway dxg-core   #! dx-no-vpn-backup")
        let findings = expectRule("dx-no-vpn-backup", text)
        #expect(findings.map { $0.message.contains("through Direct Connect gateway 'dxg-core'") } == [false, true])
        // A VPN on the VGW backs up the private VIF only.
        let vgwOnly = Self.directConnect(vpn: "vpn-connection office-vpn vgw vgw1 customer-gateway office bgp")
            .replacing("transit dx-gateway dxg-core", with: "transit dx-gateway dxg-core   #! dx-no-vpn-backup")
        expectRule("dx-no-vpn-backup", vgwOnly)
    }

    @Test func directConnectWithVPNBackupStaysQuiet() {
        expectRule("dx-no-vpn-backup", Self.directConnect(vpn: """
            vpn-connection office-vpn vgw vgw1 customer-gateway office bgp
            vpn-connection core-vpn tgw core customer-gateway office bgp
            """))
    }

    // MARK: tgw-peering-no-return-route

    static func peered(back: String) -> String {
        """
        region us-east-1
        vpc east {
          cidr 10.0.0.0/16
          subnet e-a 10.0.1.0/24 az us-east-1a
          route-table e main { route 10.50.0.0/16 -> core }
        }
        region us-west-2
        vpc west {
          cidr 10.50.0.0/16
          subnet w-a 10.50.1.0/24 az us-west-2a
          route-table w main { route 10.0.0.0/16 -> core-west }
        }
        region us-east-1
        transit-gateway core {
          attachment east-att vpc east subnets e-a
          attachment to-west peering core-west
          route-table spokes {
            associate east-att
            propagate east-att
            route 10.50.0.0/16 -> to-west
          }
          route-table from-west {
            associate to-west
            route 10.0.0.0/16 -> east-att
          }
        }
        region us-west-2
        transit-gateway core-west {
          attachment west-att vpc west subnets w-a
          attachment to-east peering core
          route-table main {
            associate west-att to-east
            propagate west-att\(back)
          }
        }
        """
    }

    /// §10: peering carries static routes only, on both sides; the far side must route the near VPCs back.
    @Test func peeringRouteOnOneSideFires() {
        let text = Self.peered(back: "").replacing("route 10.50.0.0/16 -> to-west",
                                                              with: "route 10.50.0.0/16 -> to-west   #! tgw-peering-no-return-route")
        let findings = expectRule("tgw-peering-no-return-route", text)
        #expect(findings.first?.message.contains("has no route for 10.0.0.0/16") == true)
        #expect(findings.first?.hint == "add 'route 10.0.0.0/16 -> to-east' to table 'main' of 'core-west' (peering carries static routes only)")
    }

    @Test func peeringRoutesOnBothSidesStayQuiet() {
        expectRule("tgw-peering-no-return-route", Self.peered(back: "\n    route 10.0.0.0/16 -> to-east"))
        // A return route that is there but blackholes is reported too (without an edit).
        let blackhole = Self.peered(back: "\n    route 10.0.0.0/16 blackhole")
            .replacing("route 10.50.0.0/16 -> to-west", with: "route 10.50.0.0/16 -> to-west   #! tgw-peering-no-return-route")
        let findings = expectRule("tgw-peering-no-return-route", blackhole)
        #expect(findings.first?.message.contains("blackholes 10.0.0.0/16") == true)
    }

    // MARK: onprem-prefix-overlaps-vpc

    @Test func onPremisesOverlapFires() {
        let text = """
            vpc prod {
              cidr 10.0.0.0/16
              vpn-gateway vgw1
              subnet app-a 10.0.10.0/24 az us-east-1a
              route-table private main {
                propagate vgw1
              }
            }
            customer-gateway office ip 198.51.100.10 asn 65000
            vpn-connection office-vpn vgw vgw1 customer-gateway office static 10.0.128.0/20 192.168.0.0/16   #! onprem-prefix-overlaps-vpc
            onprem datacentre {                                    #! onprem-prefix-overlaps-vpc
              prefix 10.10.0.0/16 10.0.0.0/8
              via office-vpn
            }
            onprem office-lan 192.168.0.0/16 via office-vpn
            """
        let findings = expectRule("onprem-prefix-overlaps-vpc", text)
        #expect(findings.contains { $0.message.contains("announces 10.0.0.0/8, which overlaps 10.0.0.0/16 (VPC 'prod')") })
        #expect(findings.contains { $0.message.contains("static route 10.0.128.0/20") })
    }

    @Test func disjointOnPremisesStaysQuiet() {
        expectRule("onprem-prefix-overlaps-vpc", Self.vpn(" tunnels up up") + "\nonprem office-lan 192.168.0.0/16 via office-vpn\n",
                   )
    }

    // MARK: other rules on edge topologies

    /// A gateway route table has no subnets by design: `route-table-unused` does not fire on it.
    @Test func gatewayRouteTableIsNotUnused() {
        let text = """
            vpc prod {
              cidr 10.0.0.0/16
              internet-gateway igw
              subnet web-a 10.0.20.0/24 az us-east-1a
              route-table ingress {
                edge-associate igw
              }
              route-table spare {                #! route-table-unused
              }
            }
            """
        expectRule("route-table-unused", text)
    }

    /// Every new rule is in the catalogue, with a SARIF descriptor like the others.
    @Test func edgeRulesAreCatalogued() {
        let ids = ["s3-dynamodb-through-nat", "gateway-endpoint-route-table-missing", "interface-endpoint-sg-closed",
                   "vpn-tunnel-down", "vpn-single-tunnel", "vgw-unused", "dx-no-vpn-backup", "tgw-peering-no-return-route",
                   "onprem-prefix-overlaps-vpc"]
        for id in ids {
            let rule = LintCatalogue.rule(id)
            #expect(rule?.descriptor.id == id)
            #expect(rule?.basis.contains("§10") == true)
        }
    }
}

/// Edge findings behave like the others: suppression comments on the top-level edge statements and inside VPC
/// blocks, and SARIF results citing the rule's descriptor.
@Suite struct EdgeRuleOutputTests {
    static let text = """
        vpc prod {
          cidr 10.0.0.0/16
          # vpckit:ignore vgw-unused attached for the migration in January
          vpn-gateway vgw1
          subnet app-a 10.0.10.0/24 az us-east-1a
        }
        customer-gateway office ip 198.51.100.10 asn 65000
        # vpckit:ignore vpn-tunnel-down tunnel 2 is being replaced
        vpn-connection office-vpn vgw vgw1 customer-gateway office static 192.168.0.0/16 tunnels up down
        vpn-connection spare-vpn vgw vgw1 customer-gateway office static 192.168.16.0/20 tunnels down down

        """

    @Test func suppressionCommentsSilenceEdgeFindings() {
        let source = SourceText(Self.text, file: "t.vpc")
        let (topology, diagnostics) = TopologyLoader.load(source)
        #expect(!diagnostics.contains { $0.severity == .error }, "\(diagnostics.map(\.rendered))")
        var findings = Linter.lint(topology, sources: [source])
        let warnings = Linter.applySuppressions(&findings, sources: [source])
        #expect(warnings.isEmpty)
        let state = findings.map { "\($0.ruleID)@\($0.line):\($0.suppression == nil ? "open" : "suppressed")" }.sorted()
        #expect(state == ["vgw-unused@4:suppressed", "vpn-tunnel-down@10:open", "vpn-tunnel-down@9:suppressed"])
    }

    @Test func sarifCitesTheEdgeRules() throws {
        let (topology, _) = TopologyLoader.load(SourceText(Self.text, file: "t.vpc"))
        let findings = Linter.lint(topology)
        let sarif = FindingRenderer.render(findings, format: .sarif, rules: LintCatalogue.all.map(\.descriptor))
        let index = try #require(LintCatalogue.all.firstIndex { $0.id == "vpn-tunnel-down" })
        #expect(sarif.contains("\"ruleId\": \"vpn-tunnel-down\",\n          \"ruleIndex\": \(index)"), "\(sarif)")
        #expect(sarif.contains("\"VpnTunnelDown\""))
        #expect(sarif.contains("TGW_BAD_STATE_VPN") == false && sarif.contains("BAD_STATE_VPN"))
    }
}
