import Crypto
import Foundation
import GridPlanModel

/// Tokens for `gridplan serve`: random, shown once, kept in the plan only as a SHA-256.
public enum AccessTokens {
    /// A new token ("gp_" and 43 URL-safe characters: 256 random bits) and its public id
    /// ("t" and 10 hex digits, for listings and revocation).
    public static func make() -> (token: String, tokenID: String) {
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let id = (0..<5).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        let text = Data(secret).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return ("gp_" + text, "t" + id)
    }

    /// The SHA-256 of `token`, lowercase hex: what the plan stores and looks tokens up by.
    public static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Tokens looked up in the plan in the last `seconds`, by digest (unknown ones too): the live
/// pages send several requests a second each, and every lookup would wait its turn on the plan's
/// queue behind the reports being committed. A token revoked or issued by `gridplan serve
/// tokens` in another process takes effect within `seconds`.
final class TokenCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (token: AccessToken?, at: Date)] = [:]
    private let seconds: TimeInterval
    private let capacity = 100_000

    init(seconds: TimeInterval) { self.seconds = seconds }

    /// The cached lookup (`.some(nil)`: known not to be in the plan), or nil when not fresh.
    func get(_ digest: String, now: Date) -> AccessToken?? {
        lock.withLock {
            guard let entry = entries[digest], now.timeIntervalSince(entry.at) < seconds else { return nil }
            return .some(entry.token)
        }
    }

    func set(_ digest: String, _ token: AccessToken?, now: Date) {
        lock.withLock {
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[digest] = (token, now)
        }
    }
}
