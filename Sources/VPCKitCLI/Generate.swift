import ArgumentParser
import Generators
import NetworkModel

/// Generates large synthetic topologies (benchmarks and scale tests).
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a large synthetic topology (for benchmarks).",
        discussion: """
            The result is valid (it passes 'vpckit check'): disjoint VPC blocks in 10.0.0.0/8, public and private \
            subnets per AZ, a NAT gateway per AZ, NACLs, security groups, instances, peerings between neighbours \
            and a transit gateway hub attaching every VPC. The same seed and sizes give the same file. \
            'vpckit generate --benchmark' is the 2,000-VPC, 100,000-instance topology (about 14 MB). '--edges' adds \
            the network's edges: an s3 prefix list and a gateway endpoint in every VPC, a VPN and a Direct Connect \
            gateway (transit VIF) on the hub, on-premises networks announced over them.
            """)

    @Option(parsing: .unconditional, help: "Random seed.") var seed: UInt64 = 1
    @Option(parsing: .unconditional, help: "Number of VPCs (at most 4096).") var vpcs: Int = 10
    @Option(name: .customLong("subnets-per-vpc"), parsing: .unconditional, help: "Subnets per VPC.") var subnetsPerVPC: Int = 6
    @Option(parsing: .unconditional, help: "Instances in total.") var instances: Int = 100
    @Option(name: .customLong("security-groups"), parsing: .unconditional, help: "Security groups in total.") var securityGroups: Int = 30
    @Option(parsing: .unconditional, help: "Peerings between neighbouring VPCs (default: a quarter of the VPCs).") var peerings: Int?
    @Option(parsing: .unconditional, help: "Availability zones per VPC (1-3).") var zones: Int = 2
    @Flag(name: .customLong("no-transit-gateway"), help: "Leave out the transit gateway hub.") var noTransitGateway = false
    @Flag(help: "The benchmark topology: 2,000 VPCs, 40,000 subnets, 100,000 instances, 10,000 security groups.")
    var benchmark = false
    @Flag(help: "Add the network's edges: gateway endpoints, a VPN and Direct Connect on the hub, on-premises networks.")
    var edges = false
    @Option(name: .shortAndLong, help: "Write to this file (whole or not at all) instead of stdout.") var output: String?

    func validate() throws {
        // The generator would clamp out-of-range sizes silently; say so instead (exit 2).
        func check(_ value: Int, _ range: ClosedRange<Int>, _ option: String) throws {
            guard range.contains(value) else {
                throw ValidationError("\(option) must be \(range.lowerBound)…\(range.upperBound), got \(value)")
            }
        }
        try check(vpcs, 1...4096, "--vpcs")
        try check(zones, 1...3, "--zones")
        try check(subnetsPerVPC, 1...4096, "--subnets-per-vpc")
        try check(instances, 0...10_000_000, "--instances")
        try check(securityGroups, 0...1_000_000, "--security-groups")
        if let peerings { try check(peerings, 0...max(0, vpcs - 1), "--peerings") }
    }

    func run() throws {
        var generator = benchmark ? TopologyGenerator.benchmark
            : TopologyGenerator(seed: seed, vpcs: vpcs, subnetsPerVPC: subnetsPerVPC, instances: instances,
                                securityGroups: securityGroups, peerings: peerings, transitGateway: !noTransitGateway,
                                zones: zones)
        generator.edges = edges
        let text = TopologyPrinter.format(generator.generate())
        if let output {
            try writeOutputFile(output, text)
        } else {
            Terminal.write(text)
        }
    }
}
