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
