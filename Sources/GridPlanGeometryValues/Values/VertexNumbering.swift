/// Dense numbers for distinct keys (exact equality), in the order they first come: the vertices
/// of line work (``VertexNumbering``), segments or pairs of atoms (``KeyNumbering``).
///
/// An open-addressing table with a multiplicative hash of the keys' bits (a standard
/// Dictionary hashes each key with SipHash, which was most of the time of tracing the faces of
/// an arrangement of ~100,000 segments). The hash is seeded per process, as Swift's own is, so
/// that crafted coordinates cannot make every key collide; the numbers do not depend on it.
public struct Numbering<Key: NumberingKey> {
    /// Key number + 1 in each slot (0: empty); the table is at most half full.
    @usableFromInline var slots: [Int32]
    @usableFromInline var mask: Int
    @usableFromInline var stored: [Key] = []

    /// The keys, by number.
    public var keys: [Key] { stored }
    public var count: Int { stored.count }

    /// Room for about `expected` keys before the table grows.
    public init(expected: Int = 8) {
        var capacity = 16
        while capacity < 2 * expected { capacity <<= 1 }
        slots = [Int32](repeating: 0, count: capacity)
        mask = capacity - 1
        stored.reserveCapacity(expected)
    }

    /// The number of `key` (a new one when it had none), and whether it is new.
    @inlinable public mutating func number(_ key: Key) -> (number: Int, inserted: Bool) {
        var i = Self.slot(key.numberingHash)
        while slots[i & mask] != 0 {
            let v = Int(slots[i & mask]) - 1
            if stored[v] == key { return (v, false) }
            i += 1
        }
        let v = stored.count
        precondition(v < Int(Int32.max) - 1, "Numbering: too many keys")
        stored.append(key)
        slots[i & mask] = Int32(v + 1)
        if 2 * stored.count > slots.count { grow() }
        return (v, true)
    }

    /// The number of `key`, nil when it has none.
    @inlinable public func find(_ key: Key) -> Int? {
        var i = Self.slot(key.numberingHash)
        while slots[i & mask] != 0 {
            let v = Int(slots[i & mask]) - 1
            if stored[v] == key { return v }
            i += 1
        }
        return nil
    }

    @usableFromInline mutating func grow() {
        slots = [Int32](repeating: 0, count: 2 * slots.count)
        mask = slots.count - 1
        for (v, key) in stored.enumerated() {
            var i = Self.slot(key.numberingHash)
            while slots[i & mask] != 0 { i += 1 }
            slots[i & mask] = Int32(v + 1)
        }
    }

    /// The first slot to probe for a key's bits: seeded, then mixed by multiplication (the
    /// finaliser of MurmurHash3's 64-bit variant).
    @inlinable static func slot(_ bits: UInt64) -> Int {
        var h = bits ^ NumberingSeed.value
        h ^= h >> 33
        h &*= 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h &*= 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return Int(truncatingIfNeeded: h & 0x7fff_ffff_ffff_ffff)
    }
}

/// A key of a ``Numbering``: equal keys must give equal bits.
public protocol NumberingKey: Equatable {
    var numberingHash: UInt64 { get }
}

extension Position: NumberingKey {
    /// −0 and +0 give the same bits (adding zero turns one into the other).
    @inlinable public var numberingHash: UInt64 {
        let x = (self.x + 0).bitPattern, y = (self.y + 0).bitPattern
        return x &* 0x9e37_79b9_7f4a_7c15 ^ (y << 32 | y >> 32)
    }
}

extension UInt64: NumberingKey {
    @inlinable public var numberingHash: UInt64 { self }
}

@usableFromInline enum NumberingSeed {
    @usableFromInline static let value = UInt64.random(in: 0...UInt64.max)
}

/// The distinct positions of line work, numbered: the vertices of a graph over its segments.
public typealias VertexNumbering = Numbering<Position>
/// Pairs (and other 64-bit keys), numbered.
public typealias KeyNumbering = Numbering<UInt64>

extension Numbering where Key == UInt64 {
    /// The key of an unordered pair of numbers below 2³².
    public static func pair(_ a: Int, _ b: Int) -> UInt64 { UInt64(min(a, b)) << 32 | UInt64(max(a, b)) }
}
