/// English and Chinese labels for lists, severities and revocation reasons.
enum VocabularyLabels {
    static func list(_ code: String) -> (english: String, chinese: String) {
        switch code {
        case "black": ("Blacklist", "黑名单")
        case "watch": ("Watch list", "重点关注名单")
        case "red": ("Red list", "红名单")
        default: (code, code)
        }
    }

    static func severity(_ level: Int) -> (english: String, chinese: String) {
        switch level {
        case 1: ("1 – general", "一般")
        case 2: ("2 – serious", "严重")
        case 3: ("3 – severe", "特别严重")
        default: (String(level), String(level))
        }
    }

    static func revocationReason(_ code: String) -> (english: String, chinese: String) {
        switch code {
        case "appeal-upheld": ("Appeal upheld", "申诉成立")
        case "rectified": ("Rectified", "整改到位")
        case "erroneous": ("Listed in error", "错误列入")
        case "expired": ("Expired", "到期移出")
        default: (code, code)
        }
    }

    static func revocationColour(_ code: String) -> String {
        switch code {
        case "appeal-upheld": "#4E79A7"
        case "rectified": "#59A14F"
        case "erroneous": "#E15759"
        case "expired": "#BAB0AC"
        default: "#79706E"
        }
    }
}
