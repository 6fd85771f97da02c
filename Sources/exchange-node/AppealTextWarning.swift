import ArgumentParser
import ExchangeNode
import ExchangeProtocol
import ExchangeRuntime
import Foundation

/// The warning every command that sends free text prints.
enum AppealTextWarning {
    static let text = """
        note: this text travels to another member. It must not contain the subject's identifiers \
        (phone, resident ID, USCC, bank card, e-mail): the node refuses text that contains one.
        """
}
