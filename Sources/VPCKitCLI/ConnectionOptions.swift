import ArgumentParser
import NetworkModel
import Reachability
import Reporting

/// `--source-port`, `--client-ports` and `--one-way`: the client ports and direction of the connections asked about,
/// one group for every command that asks about connections (`reach`, `who-can-reach`, `reachable-from`, `matrix`,
/// `diff`), so that each spells, explains and checks them alike.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("source-port"), help: "One client source port (default: any of 1024-65535).")
    var sourcePort: UInt16?
    @Option(name: .customLong("client-ports"),
            help: "Client source ports: linux (32768-60999), windows (49152-65535) or LO-HI (default 1024-65535).")
    var clientPorts: String?
    @Flag(name: .customLong("one-way"), help: "The request direction only, as a traceroute sees it (no reply check).")
    var oneWay = false

    /// The client ports asked about: `--source-port`, `--client-ports` or 1024-65535. Both given, or a bad
    /// `--client-ports`, is a message and exit 2.
    func requestedPorts() throws -> PortSet {
        if let sourcePort {
            if clientPorts != nil {
                Terminal.writeError("error: --source-port and --client-ports exclude each other")
                throw ExitCode(2)
            }
            return PortSet(port: sourcePort)
        }
        guard let clientPorts else { return .ephemeral }
        guard let ports = ClientPorts(parsing: clientPorts) else {
            Terminal.writeError("error: bad --client-ports '\(Diagnostic.escaped(clientPorts))': expected linux (32768-60999), windows (49152-65535) or LO-HI with 0 <= LO <= HI <= 65535")
            throw ExitCode(2)
        }
        return PortSet(ports.range)
    }

    /// The traffic a question asks about: `text` (a command's TRAFFIC argument; nil: every protocol) with these
    /// options' client ports and direction; bad traffic or options are a message and exit 2.
    func questionTraffic(_ text: String?) throws -> QuestionTraffic {
        let requested = try requestedPorts()
        guard let text else { return QuestionTraffic(sourcePorts: requested, oneWay: oneWay) }
        guard var t = QuestionTraffic(parsing: text) else {
            Terminal.writeError("error: bad traffic '\(Diagnostic.escaped(text))': expected tcp, tcp/PORTS, udp/PORTS, icmp, icmp/TYPES, icmpv6, all or 'proto N'")
            throw ExitCode(2)
        }
        t.sourcePorts = requested
        t.oneWay = oneWay
        return t
    }
}
