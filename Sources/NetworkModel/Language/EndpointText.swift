import IPAddressing

/// Why an endpoint's text (an assertion's or a query's source or destination) does not parse.
public struct EndpointSyntaxError: Error, Hashable, Sendable {
    /// The message, quoting the text (`invalid address in 'office-vpn:192.168.1.x': …`).
    public var message: String
    public var hint: String?
    /// For a bare address that does not parse: the address error (its offset points into the text).
    public var addressError: IPParseError?
    /// True when the text looked like a bare IP address.
    public var isPlainAddress: Bool = false
}

extension Endpoint {
    /// Parses an endpoint as written in an assertion or given to `vpckit reach`: `internet`,
    /// `internet:ADDRESS`, `internet:CIDR`, an IP address, `onprem:NAME`, `onprem:NAME:ADDRESS`,
    /// `EDGE:ADDRESS` (an address on premises over the edge named or with AWS id EDGE), else a name
    /// (`.named`: an instance, `instance.interface`, a subnet, a VPC endpoint's name, id or service, an edge's
    /// name or AWS id). What a name denotes is the resolver's question, not this function's.
    public init(parsing text: some StringProtocol) throws(EndpointSyntaxError) {
        let word = String(text)
        if word == "internet" { self = .internet(nil); return }
        if word.hasPrefix("internet:") {
            let rest = word.dropFirst(9)
            if rest.contains("/") {
                do { self = .internetBlock(try IPPrefix(parsing: rest)); return } catch let e {
                    throw EndpointSyntaxError(message: "invalid block in '\(word)': \(e.message)")
                }
            }
            do { self = .internet(try IPAddress(parsing: rest)); return } catch let e {
                throw EndpointSyntaxError(message: "invalid address in '\(word)': \(e.message)")
            }
        }
        if word.hasPrefix("onprem:") {
            let rest = word.dropFirst(7)
            let name: Substring
            var address: IPAddress? = nil
            if let colon = rest.firstIndex(of: ":") {
                name = rest[..<colon]
                let written = rest[rest.index(after: colon)...]
                do { address = try IPAddress(parsing: written) } catch let e {
                    throw EndpointSyntaxError(message: "invalid address in '\(word)': \(e.message)",
                                              hint: "write 'onprem:NAME' or 'onprem:NAME:ADDRESS'")
                }
            } else { name = rest }
            guard Endpoint.isName(name) else {
                throw EndpointSyntaxError(message: "invalid on-premises network name in '\(word)'",
                                          hint: "write 'onprem:NAME' or 'onprem:NAME:ADDRESS' with a declared 'onprem NAME'")
            }
            self = .onPremises(String(name), address)
            return
        }
        let addressLike = Endpoint.looksLikeAddress(word)
        var addressError: IPParseError? = nil
        if addressLike {
            do { self = .address(try IPAddress(parsing: Substring(word))); return } catch let e { addressError = e }
        }
        if let colon = word.firstIndex(of: ":"), Endpoint.isName(word[..<colon]) {
            let edge = word[..<colon]
            do {
                self = .overEdge(String(edge), try IPAddress(parsing: word[word.index(after: colon)...]))
                return
            } catch let e {
                if !addressLike {
                    throw EndpointSyntaxError(message: "invalid address in '\(word)': \(e.message)",
                                              hint: "write 'EDGE:ADDRESS' (an address on premises over a VPN connection, VIF, VGW or Direct Connect gateway)")
                }
            }
        }
        if let addressError {
            throw EndpointSyntaxError(message: "invalid address '\(word)': \(addressError.message)", addressError: addressError,
                                      isPlainAddress: true)
        }
        self = .named(word)
    }

    /// Letters, digits, '-', '_', '.', starting with a letter or digit (the language's names and AWS ids).
    static func isName(_ s: Substring) -> Bool {
        guard let first = s.utf8.first else { return false }
        let alnum: (UInt8) -> Bool = { b in (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A) }
        guard alnum(first) else { return false }
        return s.utf8.allSatisfy { alnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }

    /// Only digits and dots (IPv4) or hex digits, dots and colons with at least one colon (IPv6).
    static func looksLikeAddress(_ word: String) -> Bool {
        var colon = false
        var dots = 0
        var onlyDigitsDots = true
        for b in word.utf8 {
            if b == UInt8(ascii: ":") { colon = true; onlyDigitsDots = false; continue }
            if b == UInt8(ascii: ".") { dots += 1; continue }
            if b >= 0x30 && b <= 0x39 { continue }
            onlyDigitsDots = false
            let l = b | 0x20
            if !(l >= 0x61 && l <= 0x66) { return false }
        }
        return colon || (onlyDigitsDots && dots == 3)
    }
}
