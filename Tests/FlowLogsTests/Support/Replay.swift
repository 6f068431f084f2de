@testable import FlowLogs

/// Writes `packets` as a capture, replays it through `network` (a toy network or a compiled topology) and
/// renders the records in `format`.
func replayLines<Network: FlowNetwork>(_ network: Network, _ packets: [Timed], format: String? = nil, interval: Int64 = 600,
                                       name: String = #function) throws -> [String] {
    let path = CaptureWriter.write(CaptureWriter.pcap(packets), name: name.filter { $0.isLetter || $0.isNumber })
    var options = ReplayOptions()
    options.interval = interval
    var replay = FlowReplay(network: network, options: options)
    try replay.replayCapture(path: path)
    let f = try format.map { try FlowLogFormat(parsing: $0) } ?? .default
    let renderer = FlowLogRenderer(format: f, interfaces: network.interfaces)
    return replay.records().map(renderer.line)
}

/// TCP flag bytes.
let SYN: UInt8 = 0x02, ACK: UInt8 = 0x10, FIN: UInt8 = 0x01, RST: UInt8 = 0x04, PSH: UInt8 = 0x08

/// A network with web-1 (10.0.1.10, subnet a, SG: tcp 443 in) and app-1 (10.0.2.20, subnet b, SG: nothing in).
func webAndApp() -> ToyNetwork {
    ToyNetwork(hosts: [
        .init(name: "web", address: v4("10.0.1.10"), subnet: "a", sgIn: [(6, 443)]),
        .init(name: "app", address: v4("10.0.2.20"), subnet: "b"),
    ])
}
