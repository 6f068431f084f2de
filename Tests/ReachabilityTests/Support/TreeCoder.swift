// A minimal in-memory Encoder/Decoder (no Foundation) for Codable round-trip tests: values become a `Tree`
// and are read back from it. Numbers are kept as Int64 (the trace has only integers), keys in order.

enum Tree: Equatable {
    case null, bool(Bool), int(Int64), string(String), array([Tree]), object([(String, Tree)])
    static func == (a: Tree, b: Tree) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.int(let x), .int(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }
    subscript(key: String) -> Tree? {
        guard case .object(let fields) = self else { return nil }
        return fields.first { $0.0 == key }?.1
    }
}

/// Where an encoder writes: a node that nested containers fill in later.
final class TreeSlot {
    var value: Tree = .null
    var children: [(String, TreeSlot)] = []
    var items: [TreeSlot] = []
    enum Kind { case value, object, array }
    var kind = Kind.value
    var tree: Tree {
        switch kind {
        case .value: value
        case .object: .object(children.map { ($0.0, $0.1.tree) })
        case .array: .array(items.map(\.tree))
        }
    }
}

struct TreeEncoder: Encoder {
    let slot: TreeSlot
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    static func encode(_ v: some Encodable) throws -> Tree {
        let slot = TreeSlot()
        try v.encode(to: TreeEncoder(slot: slot))
        return slot.tree
    }
    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        slot.kind = .object
        return KeyedEncodingContainer(Keyed<Key>(slot: slot, codingPath: codingPath))
    }
    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        slot.kind = .array
        return Unkeyed(slot: slot, codingPath: codingPath)
    }
    func singleValueContainer() -> any SingleValueEncodingContainer { Single(slot: slot, codingPath: codingPath) }

    static func primitive(_ v: Any) -> Tree? {
        switch v {
        case let b as Bool: .bool(b)
        case let s as String: .string(s)
        case let i as Int: .int(Int64(i))
        case let i as Int8: .int(Int64(i))
        case let i as Int16: .int(Int64(i))
        case let i as Int32: .int(Int64(i))
        case let i as Int64: .int(i)
        case let i as UInt: .int(Int64(i))
        case let i as UInt8: .int(Int64(i))
        case let i as UInt16: .int(Int64(i))
        case let i as UInt32: .int(Int64(i))
        default: nil
        }
    }
    static func put(_ v: some Encodable, into slot: TreeSlot, path: [any CodingKey]) throws {
        if let p = primitive(v) { slot.value = p; return }
        try v.encode(to: TreeEncoder(slot: slot, codingPath: path))
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let slot: TreeSlot
        var codingPath: [any CodingKey]
        func child(_ key: Key) -> TreeSlot {
            let s = TreeSlot()
            slot.children.append((key.stringValue, s))
            return s
        }
        mutating func encodeNil(forKey key: Key) throws { _ = child(key) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try TreeEncoder.put(value, into: child(key), path: codingPath + [key]) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let s = child(key)
            s.kind = .object
            return KeyedEncodingContainer(Keyed<NestedKey>(slot: s, codingPath: codingPath + [key]))
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let s = child(key)
            s.kind = .array
            return Unkeyed(slot: s, codingPath: codingPath + [key])
        }
        mutating func superEncoder() -> any Encoder { TreeEncoder(slot: child(Key(stringValue: "super")!), codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { TreeEncoder(slot: child(key), codingPath: codingPath) }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let slot: TreeSlot
        var codingPath: [any CodingKey]
        var count: Int { slot.items.count }
        func next() -> TreeSlot {
            let s = TreeSlot()
            slot.items.append(s)
            return s
        }
        mutating func encodeNil() throws { _ = next() }
        mutating func encode<T: Encodable>(_ value: T) throws { try TreeEncoder.put(value, into: next(), path: codingPath) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let s = next()
            s.kind = .object
            return KeyedEncodingContainer(Keyed<NestedKey>(slot: s, codingPath: codingPath))
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let s = next()
            s.kind = .array
            return Unkeyed(slot: s, codingPath: codingPath)
        }
        mutating func superEncoder() -> any Encoder { TreeEncoder(slot: next(), codingPath: codingPath) }
    }

    struct Single: SingleValueEncodingContainer {
        let slot: TreeSlot
        var codingPath: [any CodingKey]
        mutating func encodeNil() throws { slot.value = .null }
        mutating func encode<T: Encodable>(_ value: T) throws { try TreeEncoder.put(value, into: slot, path: codingPath) }
    }
}

struct TreeDecoder: Decoder {
    let tree: Tree
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    static func decode<T: Decodable>(_ type: T.Type, from tree: Tree) throws -> T { try get(type, tree, []) }

    static func mismatch(_ path: [any CodingKey], _ what: String) -> DecodingError {
        .typeMismatch(Any.self, .init(codingPath: path, debugDescription: what))
    }
    static func get<T: Decodable>(_ type: T.Type, _ tree: Tree, _ path: [any CodingKey]) throws -> T {
        func int() throws -> Int64 {
            guard case .int(let i) = tree else { throw mismatch(path, "want a number") }
            return i
        }
        switch type {
        case is Bool.Type:
            guard case .bool(let b) = tree else { throw mismatch(path, "want a bool") }
            return b as! T
        case is String.Type:
            guard case .string(let s) = tree else { throw mismatch(path, "want a string") }
            return s as! T
        case is Int.Type: return Int(try int()) as! T
        case is Int32.Type: return Int32(try int()) as! T
        case is Int64.Type: return try int() as! T
        case is UInt8.Type: return UInt8(try int()) as! T
        case is UInt16.Type: return UInt16(try int()) as! T
        case is UInt32.Type: return UInt32(try int()) as! T
        default: return try T(from: TreeDecoder(tree: tree, codingPath: path))
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let fields) = tree else { throw TreeDecoder.mismatch(codingPath, "want an object") }
        return KeyedDecodingContainer(Keyed<Key>(fields: fields, codingPath: codingPath))
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = tree else { throw TreeDecoder.mismatch(codingPath, "want an array") }
        return Unkeyed(items: items, codingPath: codingPath)
    }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(tree: tree, codingPath: codingPath) }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let fields: [(String, Tree)]
        var codingPath: [any CodingKey]
        var allKeys: [Key] { fields.compactMap { Key(stringValue: $0.0) } }
        func contains(_ key: Key) -> Bool { fields.contains { $0.0 == key.stringValue } }
        func value(_ key: Key) throws -> Tree {
            guard let v = fields.first(where: { $0.0 == key.stringValue })?.1 else {
                throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
            }
            return v
        }
        func decodeNil(forKey key: Key) throws -> Bool { try value(key) == .null }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try TreeDecoder.get(type, value(key), codingPath + [key]) }
        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            try TreeDecoder(tree: value(key), codingPath: codingPath + [key]).container(keyedBy: type)
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try TreeDecoder(tree: value(key), codingPath: codingPath + [key]).unkeyedContainer()
        }
        func superDecoder() throws -> any Decoder { TreeDecoder(tree: .object(fields), codingPath: codingPath) }
        func superDecoder(forKey key: Key) throws -> any Decoder { TreeDecoder(tree: try value(key), codingPath: codingPath + [key]) }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let items: [Tree]
        var codingPath: [any CodingKey]
        var currentIndex = 0
        var count: Int? { items.count }
        var isAtEnd: Bool { currentIndex >= items.count }
        mutating func next() throws -> Tree {
            guard !isAtEnd else { throw TreeDecoder.mismatch(codingPath, "array too short") }
            defer { currentIndex += 1 }
            return items[currentIndex]
        }
        mutating func decodeNil() throws -> Bool {
            if !isAtEnd, items[currentIndex] == .null { currentIndex += 1; return true }
            return false
        }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try TreeDecoder.get(type, next(), codingPath) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            try TreeDecoder(tree: next(), codingPath: codingPath).container(keyedBy: type)
        }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            try TreeDecoder(tree: next(), codingPath: codingPath).unkeyedContainer()
        }
        mutating func superDecoder() throws -> any Decoder { TreeDecoder(tree: try next(), codingPath: codingPath) }
    }

    struct Single: SingleValueDecodingContainer {
        let tree: Tree
        var codingPath: [any CodingKey]
        func decodeNil() -> Bool { tree == .null }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try TreeDecoder.get(type, tree, codingPath) }
    }
}
