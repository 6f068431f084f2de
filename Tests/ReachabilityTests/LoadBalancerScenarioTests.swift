import IPAddressing
import NetworkModel
import Testing
@testable import Reachability

/// Load balancers as hops (issue 23, Docs/SEMANTICS.md "Load balancers"): one scenario per rule, each with its
/// AWS reason.
@Suite struct LoadBalancerScenarioTests {
    /// An internet-facing ALB in public subnets in front of two instances, an internal NLB (instance and IP
    /// targets), a classic load balancer; `{{…}}` slots vary one thing per scenario.
    static func topology(albSG: String = "ingress tcp 443 from 0.0.0.0/0", appSG: String = "ingress tcp 8080 from sg alb",
                         sshSG: String = "ingress tcp 22 from 10.0.0.0/16", web2: String = "healthy", crossZone: String = "off",
                         nacl: String = "", preserve: String = "", extra: String = "") -> String {
        """
        region us-east-1
        vpc web {
          cidr 10.0.0.0/16
          internet-gateway igw
          subnet public-a 10.0.0.0/24 az us-east-1a
          subnet public-b 10.0.1.0/24 az us-east-1b
          subnet app-a 10.0.10.0/24 az us-east-1a
          subnet app-b 10.0.11.0/24 az us-east-1b
          route-table public {
            associate public-a public-b
            route 0.0.0.0/0 -> igw
          }
          security-group alb {
            \(albSG)
          }
          security-group app {
            \(appSG)
            \(sshSG)
          }
          security-group client {
            egress all to 10.0.0.0/16
          }
          \(nacl)
          instance web-1 in app-a ip 10.0.10.10 sg app
          instance web-2 in app-b ip 10.0.11.10 sg app
          instance cl-a in app-a ip 10.0.10.50 sg client
          instance cl-b in app-b ip 10.0.11.50 sg client
          target-group web-tg instance http 8080
          target web-tg web-1 healthy
          target web-tg web-2 \(web2)
          target-group ssh-tg instance tcp 22 \(preserve)
          target ssh-tg web-1
          target ssh-tg web-2 \(web2)
          target-group ip-tg ip tcp 22
          target ip-tg 10.0.11.10
          load-balancer web-alb application internet-facing subnets public-a public-b sg alb ip 10.0.0.50 10.0.1.50 public-ip 54.0.0.1 54.0.0.2
          listener web-alb https 443 -> web-tg
          load-balancer ssh-nlb network internal subnets app-a app-b ip 10.0.10.100 10.0.11.100 cross-zone \(crossZone)
          listener ssh-nlb tcp 22 -> ssh-tg
          listener ssh-nlb tcp 2222 -> ip-tg
          \(extra)
        }
        """
    }

    @Test func internetReachesTheTargetsThroughTheALB() throws {
        let c = compile(Self.topology())
        let v = c.query("internet", "web-alb", "tcp/443")
        expectReachable(v)
        let lb = try #require(v.loadBalancer)
        #expect(lb.loadBalancer.name == "web-alb" && lb.listener == "https 443")
        #expect(lb.targets.map(\.target) == ["web-1", "web-2"] && lb.targets.allSatisfy { $0.state == .reachable && $0.getsTraffic })
        // The target sees the node's private address, on the target port.
        #expect(lb.targets.allSatisfy { $0.sourceAddress == .v4(IPv4Address(10, 0, 0, 50)) && $0.port == 8080 })
        // The path: to the node, the listener, the new connection, the target; the reply back through the node.
        #expect(v.forwardPath.contains { if case .acceptedByListener = $0.action { true } else { false } })
        #expect(v.forwardPath.last?.component.name == "web-1" && v.forwardPath.last?.header.destinationPorts == PortSet(port: 8080))
        #expect(v.returnPath.contains { if case .relayedByLoadBalancer = $0.action { true } else { false } })
        #expect(v.returnPath.last?.header.destination == .v4(IPv4Address(203, 0, 113, 7)))
        // The node's public address names it too.
        expectReachable(c.query("internet", "54.0.0.2", "tcp/443"))
    }

    @Test func noListenerOnThePortIsBlockedAtTheLoadBalancer() {
        let c = compile(Self.topology(albSG: "ingress tcp 80 from 0.0.0.0/0\n    ingress tcp 443 from 0.0.0.0/0"))
        let v = c.query("internet", "web-alb", "tcp/80")
        expectBlocked(v, .elbv2ListenerPortRestriction, .forward, at: "web-alb")
        #expect(v.loadBalancer?.listener == nil)
        // UDP to a TCP listener's port: no listener either.
        expectBlocked(compile(Self.topology()).query("cl-a", "ssh-nlb", "udp/22"), .elbv2ListenerPortRestriction, .forward, at: "ssh-nlb")
    }

    @Test func theLoadBalancersGroupsDecideFirst() {
        let v = compile(Self.topology(albSG: "ingress tcp 443 from 10.0.0.0/8")).query("internet", "web-alb", "tcp/443")
        expectBlocked(v, .eniSGRulesMismatch, .forward, at: "alb")
    }

    @Test func targetGroupsMustAdmitTheLoadBalancer() throws {
        // The app group admits only 10.9.0.0/16: the ALB's node addresses are not in it.
        let v = compile(Self.topology(appSG: "ingress tcp 8080 from 10.9.0.0/16")).query("internet", "web-alb", "tcp/443")
        expectBlocked(v, .eniSGRulesMismatch, .forward, at: "app")
        let lb = try #require(v.loadBalancer)
        #expect(lb.targets.allSatisfy { $0.state == .unreachable && $0.explanation?.code == .eniSGRulesMismatch })
    }

    @Test func oneFailingTargetMakesTheConnectionUnreliable() throws {
        // web-2's subnet NACL denies the ALB: a connection may land on web-2, so the answer is not reachable.
        let nacl = """
        network-acl app-b-nacl {
            associate app-b
            inbound 100 deny tcp 8080 from 10.0.0.0/16
            inbound 200 allow all from 0.0.0.0/0
            outbound 100 allow all to 0.0.0.0/0
          }
        """
        let v = compile(Self.topology(nacl: nacl)).query("internet", "web-alb", "tcp/443")
        expectBlocked(v, .subnetACLRestriction, .forward, at: "app-b-nacl")
        let lb = try #require(v.loadBalancer)
        #expect(lb.targets.map(\.state) == [.reachable, .unreachable])
    }

    @Test func unhealthyTargetsGetNoTraffic() throws {
        let nacl = """
        network-acl app-b-nacl {
            associate app-b
            inbound 100 deny tcp 8080 from 10.0.0.0/16
            inbound 200 allow all from 0.0.0.0/0
            outbound 100 allow all to 0.0.0.0/0
          }
        """
        let v = compile(Self.topology(web2: "unhealthy", nacl: nacl)).query("internet", "web-alb", "tcp/443")
        expectReachable(v)
        let lb = try #require(v.loadBalancer)
        #expect(lb.targets.map(\.getsTraffic) == [true, false] && lb.targets[1].state == nil)
    }

    @Test func nlbInstanceTargetsSeeTheClientAddress() throws {
        let c = compile(Self.topology())
        let v = c.query("cl-a", "ssh-nlb", "tcp/22")
        expectReachable(v)
        let lb = try #require(v.loadBalancer)
        // Cross-zone off: the node in cl-a's zone (us-east-1a) sends only to web-1.
        #expect(lb.node == "ssh-nlb@app-a" && lb.zone == "us-east-1a")
        #expect(lb.targets.map(\.getsTraffic) == [true, false])
        #expect(lb.targets[0].sourceAddress == .v4(IPv4Address(10, 0, 10, 50)))
        #expect(v.forwardPath.last?.header.source == .v4(IPv4Address(10, 0, 10, 50)))
    }

    @Test func withPreservationTheTargetGroupMustAdmitTheClient() {
        // The app group admits SSH from the NLB nodes' addresses only: the preserved client address is refused.
        let v = compile(Self.topology(sshSG: "ingress tcp 22 from 10.0.10.100/32")).query("cl-a", "ssh-nlb", "tcp/22")
        expectBlocked(v, .eniSGRulesMismatch, .forward, at: "app")
        // Without preservation the node's address is the source, and the same group admits it.
        let off = compile(Self.topology(sshSG: "ingress tcp 22 from 10.0.10.100/32", preserve: "preserve-client-ip off"))
        expectReachable(off.query("cl-a", "ssh-nlb", "tcp/22"))
    }

    @Test func withPreservationTheTargetsNACLSeesTheClient() {
        // web-1's subnet is app-a, the client cl-b is in app-b and the node ssh-nlb@app-b… with cross-zone on the
        // app-b node also sends to web-1 in app-a: app-a's NACL must let the reply to the client's address out.
        let nacl = """
        network-acl app-a-nacl {
            associate app-a
            inbound 100 allow all from 0.0.0.0/0
            outbound 100 deny all to 10.0.11.50/32
            outbound 200 allow all to 0.0.0.0/0
          }
        """
        let v = compile(Self.topology(crossZone: "on", nacl: nacl)).query("cl-b", "ssh-nlb", "tcp/22")
        expectBlocked(v, .subnetACLRestriction, .return, at: "app-a-nacl")
    }

    @Test func crossZoneOffWithoutATargetInTheZoneIsBlocked() {
        // web-2 (us-east-1b) is unhealthy: the us-east-1b node has no target and cross-zone is off.
        let c = compile(Self.topology(web2: "unhealthy"))
        let v = c.query("cl-b", "ssh-nlb", "tcp/22")
        expectBlocked(v, .elbv2NoTargetsInAZ, .forward, at: "ssh-nlb")
        #expect(v.loadBalancer?.zone == "us-east-1b")
        // Cross-zone on: the us-east-1b node sends to web-1.
        let on = compile(Self.topology(web2: "unhealthy", crossZone: "on"))
        expectReachable(on.query("cl-b", "ssh-nlb", "tcp/22"))
    }

    @Test func nlbIPTargetsSeeTheNodeAddress() throws {
        let c = compile(Self.topology(crossZone: "on"))
        let v = c.query("cl-a", "ssh-nlb", "tcp/2222")
        expectReachable(v)
        #expect(v.loadBalancer?.targets.first?.sourceAddress == .v4(IPv4Address(10, 0, 10, 100)))
        #expect(v.forwardPath.last?.header.destinationPorts == PortSet(port: 22))
    }

    @Test func aLoadBalancerNeverInitiates() {
        let c = compile(Self.topology())
        guard case .success(let node) = c.resolve("web-alb"), case .success(let web1) = c.resolve("web-1") else {
            Issue.record("endpoints")
            return
        }
        let v = c.reach(from: node, to: web1, traffic: traffic("tcp/8080"))
        expectBlocked(v, .noPath, .forward, at: "web-alb")
        #expect(!c.isReachable(from: node, to: web1, ipProtocol: 6, port: 8080))
    }

    @Test func classicLoadBalancerForwardsToItsInstances() throws {
        let extra = """
        load-balancer old classic internal subnets app-a sg alb
          listener old tcp 443 -> port 22
          target old web-2
        """
        let c = compile(Self.topology(albSG: "ingress tcp 443-444 from 10.0.0.0/16", extra: extra))
        expectBlocked(c.query("cl-a", "old", "tcp/444"), .elbListenerPortRestriction, .forward, at: "old")
        // Cross-zone off (classic default): the app-a node has no instance in us-east-1a.
        expectBlocked(c.query("cl-a", "old", "tcp/443"), .elbNotCrossZone, .forward, at: "old")
        let on = compile(Self.topology(albSG: "ingress tcp 443 from 10.0.0.0/16", extra: extra.replacingFirst("sg alb", with: "sg alb cross-zone on")))
        let v = on.query("cl-a", "old", "tcp/443")
        expectReachable(v)
        #expect(v.loadBalancer?.targets.first?.port == 22)
    }

    @Test func theFastPathAgreesWithTheFullAnswer() {
        for t in [Self.topology(), Self.topology(web2: "unhealthy"), Self.topology(sshSG: "ingress tcp 22 from 10.0.10.100/32")] {
            let c = compile(t)
            for (s, d, port) in [("cl-a", "ssh-nlb", UInt16(22)), ("cl-b", "ssh-nlb", 22), ("cl-a", "ssh-nlb", 2222), ("internet", "web-alb", 443), ("cl-a", "ssh-nlb", 80)] {
                guard case .success(let a) = c.resolve(s), case .success(let b) = c.resolve(d) else { continue }
                let full = c.reach(from: a, to: b, traffic: TrafficSpec(ipProtocol: .tcp, port: port), sourcePort: 40000)
                #expect(c.isReachable(from: a, to: b, ipProtocol: 6, port: port) == full.isReachable, "\(s) -> \(d):\(port)")
            }
        }
    }

    /// Open-ports mode (no port) to a load balancer: the listener ports, each listener asked as `reach` asks it.
    @Test func openPortsToALoadBalancerAreItsListenerPorts() throws {
        let c = compile(Self.topology())
        guard case .success(let client) = c.resolve("cl-a"), case .success(let nlb) = c.resolve("ssh-nlb") else {
            Issue.record("endpoints do not resolve")
            return
        }
        let answers = c.openPorts(from: client, to: nlb)
        let tcp = try #require(answers.first { $0.traffic == "tcp" })
        // tcp 2222's IP target is in us-east-1b and cross-zone is off: cl-a's node (us-east-1a) sends it nowhere.
        #expect(tcp.ports == PortSet(port: 22))
        #expect(tcp.verdict.listenerAnswers.map { $0.listener } == ["tcp 22", "tcp 2222"])
        #expect(tcp.verdict.listenerAnswers.last?.targets.allSatisfy { !$0.getsTraffic } == true)
        let on = compile(Self.topology(crossZone: "on"))
        guard case .success(let onClient) = on.resolve("cl-a"), case .success(let onNLB) = on.resolve("ssh-nlb") else { return }
        #expect(on.openPorts(from: onClient, to: onNLB).first { $0.traffic == "tcp" }?.ports == PortSet(ranges: [PortRange(22), PortRange(2222)]))
        #expect(tcp.verdict.listenerAnswers.first?.targets.map(\.target) == ["web-1", "web-2"])
        // No UDP listener: the no-listener answer, no listener answers.
        let udp = try #require(answers.first { $0.traffic == "udp" })
        #expect(udp.ports.isEmpty && udp.verdict.explanation?.code == .elbv2ListenerPortRestriction && udp.verdict.listenerAnswers.isEmpty)
        // A listener whose targets do not answer is not an open port: the target group admits only the node in us-east-1b.
        let shut = compile(Self.topology(sshSG: "ingress tcp 22 from 10.0.11.100/32"))
        guard case .success(let a) = shut.resolve("cl-a"), case .success(let b) = shut.resolve("ssh-nlb") else { return }
        let ports = try #require(shut.openPorts(from: a, to: b).first { $0.traffic == "tcp" })
        #expect(!ports.ports.contains(22))
        // From the internet, over the whole address set: the ALB's one listener.
        let alb = try c.resolve("web-alb").get()
        let internet = try #require(try c.openPorts(from: .internet(c.internetAddresses), to: .endpoint(alb), protocols: ["tcp"]).get().first)
        #expect(internet.ports == PortSet(port: 443) && internet.verdict.listenerAnswers.count == 1)
    }
}
