import Foundation

/// Where a new home (a node's or the coordinator's) copies its files from: the folder `certs issue` wrote
/// for the member (`DIR/members/ID`), given as that folder or as the CA folder, and the folders around it
/// (the CA folder, the coordinator's configured CA folder) for the files every member shares.
package struct IssuedMemberFolder: Sendable {
    /// `DIR/members/ID`: `cert.pem`, `key.pem`, `ca.pem`.
    package let memberFolder: URL
    private let searched: [URL]

    /// - Parameters:
    ///   - folder: the member folder or the CA folder (then `members/<member>` inside it is the member's).
    ///   - caDirectory: a CA folder to look in first for shared files (token key, revocation list, CA certificate).
    package init(_ folder: URL, member: String, caDirectory: URL? = nil) {
        let given = FileManager.default.fileExists(atPath: folder.appendingPathComponent("cert.pem").path)
        memberFolder = given ? folder : folder.appendingPathComponent("members/\(member)")
        searched = (caDirectory.map { [$0] } ?? [])
            + [memberFolder, folder, memberFolder.deletingLastPathComponent().deletingLastPathComponent()]
    }

    /// The first file called `name` in the member folder (`memberOnly`) or in any of the folders searched;
    /// nil when there is none.
    package func file(_ name: String, memberOnly: Bool = false) -> URL? {
        (memberOnly ? [memberFolder] : searched)
            .map { $0.appendingPathComponent(name) }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// Where `name` was expected (for the error when it is missing).
    package func expected(_ name: String) -> String { memberFolder.appendingPathComponent(name).path }
}
