/// The sample alliance the demo runs: three platforms, each publishing a few entries typed the way
/// people type them, and one member's accounts to screen (spelled differently from the entries).
enum DemoData {
    static let members = ["alpha-mall", "beta-rides", "gamma-pay"]

    static let header = "entry_id,list,category,severity,kind,identifier,listed_on,expires_on,role\n"

    static func entries(for member: String) -> String {
        switch member {
        case "alpha-mall":
            return header + """
                AM-001,black,brushing,2,phone,138 0013 8000,2026-01-05,2027-01-05,
                AM-001,black,brushing,2,resident-id,11010519491231002x,2026-01-05,2027-01-05,
                AM-002,black,counterfeiting,3,uscc,91350100M000100Y43,2026-02-01,,company
                AM-003,black,empty-parcel,2,uscc,91110000600037341L,2026-03-01,2028-03-01,logistics-company
                AM-004,watch,false-advertising,1,domain,HTTPS://Shop.Example.COM/path,2026-01-10,2026-04-10,website
                AM-005,black,fake-reviews,1,email, Reviews@Example.com ,2026-04-01,2027-04-01,

                """
        case "beta-rides":
            return header + """
                BR-100,black,subsidy-fraud,2,phone,+86 139-1234-5678,2026-02-15,2027-02-15,
                BR-101,black,malicious-registration,1,account,Taobao:bulk_seller_01,2026-03-20,2027-03-20,account-provider
                BR-102,red,trustworthy,1,uscc,91350100M000100Y43,2026-01-01,,
                BR-103,black,brushing,3,bank-card,6222 0202 0011 2233 446,2026-05-01,2027-05-01,funding-provider

                """
        default:
            return header + """
                GP-7,black,personal-data-leak,3,phone,0086 15800001111,2026-06-01,2027-06-01,
                GP-8,black,brushing,2,app,com.Example.FakeOrders,2026-06-15,2027-06-15,app
                GP-9,watch,breach-of-contract,1,resident-id,110105491231002,2026-07-01,2027-07-01,

                """
        }
    }

    /// gamma-pay's accounts, screened in the demo.
    static let accounts = """
        ref,kind,identifier
        acct-1001,phone,13800138000
        acct-1002,uscc,91350100m000100y43
        acct-1003,phone,１３９１２３４５６７８
        acct-1004,bank-card,6222020200112233446
        acct-1005,email,someone@example.org
        acct-1006,domain,shop.example.com
        acct-1007,phone,12345
        acct-1008,account,taobao:bulk_seller_01

        """
}
