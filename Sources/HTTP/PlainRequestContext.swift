import Hummingbird

/// The request context of a listener without alliance TLS (the node's internal API): Hummingbird's basic
/// context, answering with ``JSONAnswerEncoder`` like the alliance listeners.
package struct PlainRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    package var responseEncoder: JSONAnswerEncoder { JSONAnswerEncoder() }
}
