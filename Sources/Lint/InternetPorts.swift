import NetworkModel

extension LintOptions {
    /// `80,443,8000-8080` (`vpckit lint --internet-ports`) → port ranges; nil when malformed (an empty item, a
    /// bound that is not a port, a range whose start is above its end). Spaces around the numbers are allowed.
    public static func parsePorts(_ text: String) -> [PortRange]? {
        var ranges: [PortRange] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count) else { return nil }
            let values = bounds.compactMap { UInt16(trimmingSpaces($0)) }
            guard values.count == bounds.count, values[0] <= values[values.count - 1] else { return nil }
            ranges.append(PortRange(values[0], values[values.count - 1]))
        }
        return ranges.isEmpty ? nil : ranges
    }

    static func trimmingSpaces(_ text: Substring) -> Substring {
        var s = text
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
