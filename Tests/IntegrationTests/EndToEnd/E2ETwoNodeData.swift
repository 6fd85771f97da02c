import AllianceTestSupport
import Foundation

/// The identifiers the two-node scenario feeds in, raw and canonical.
enum E2ETwoNodeData {
    static let alphaPhone = "13800138000"
    static let alphaPhoneCanonical = "+8613800138000"
    static let alphaPhoneMessy = "+86 138-0013-8000"
    static let alphaResidentID = "11010519491231002X"
    static let alphaEmail = "seller@fraud-demo.cn"
    static let betaPhone = "13900139000"
    static let betaPhoneCanonical = "+8613900139000"
    static let betaDomain = "brush-orders-demo.cn"
    static let betaBankCard = "6222020200112233446"

    static let alphaEntries = [
        E2EFixtures.entriesHeader,
        E2EFixtures.entryRow("A1", severity: 2, kind: "phone", identifier: alphaPhone),
        E2EFixtures.entryRow("A2", category: "counterfeiting", severity: 3, kind: "resident-id", identifier: alphaResidentID),
        E2EFixtures.entryRow("A3", list: "watch", category: "false-advertising", kind: "email", identifier: alphaEmail),
    ].joined(separator: "\n") + "\n"

    static let betaEntries = [
        E2EFixtures.entriesHeader,
        E2EFixtures.entryRow("B1", kind: "phone", identifier: betaPhone),
        E2EFixtures.entryRow("B2", severity: 2, kind: "domain", identifier: betaDomain),
        E2EFixtures.entryRow("B3", category: "counterfeiting", kind: "bank-card", identifier: betaBankCard),
    ].joined(separator: "\n") + "\n"

    /// acc-1 is alpha's A1 typed messily, acc-2 matches nothing, acc-3 is A2 with a lower-case x.
    static let betaAccounts = """
        ref,kind,identifier
        acc-1,phone,\(alphaPhoneMessy)
        acc-2,phone,13700000000
        acc-3,resident-id,\(alphaResidentID.lowercased())

        """

    /// Every raw and canonical spelling that must never leave a node's store in the clear.
    static let secrets = [
        alphaPhone, alphaPhoneCanonical, "8613800138000", "138-0013-8000", alphaResidentID,
        alphaResidentID.lowercased(), alphaEmail, betaPhone, betaPhoneCanonical, betaDomain, betaBankCard,
    ]

    /// The canonical forms (and the national phone numbers) whose unkeyed digests must not appear either.
    static let hashedForms = [
        alphaPhoneCanonical, alphaPhone, alphaResidentID, alphaEmail, betaPhoneCanonical, betaPhone,
        betaDomain, betaBankCard,
    ]
}
