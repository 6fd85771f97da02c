import Dispatch

extension SubjectTokenizer {
    /// Tokenises a large batch on `threads` threads, each with its own copy of the key state
    /// (sharing one copy between threads limits scaling through reference-count contention).
    public func tokensInParallel(for identifiers: [SubjectIdentifier], threads: Int) -> [Token] {
        let threads = max(1, min(threads, identifiers.count / 1024 + 1))
        if threads == 1 { return tokens(for: identifiers) }
        let chunk = (identifiers.count + threads - 1) / threads
        return [Token](unsafeUninitializedCapacity: identifiers.count) { buffer, initialised in
            let base = UnsafeSendableBuffer(buffer)
            DispatchQueue.concurrentPerform(iterations: threads) { worker in
                let tokenizer = self  // a private copy per worker
                let start = worker * chunk
                let end = min(start + chunk, identifiers.count)
                guard start < end else { return }
                for index in start..<end {
                    (base.buffer.baseAddress! + index).initialize(to: tokenizer.token(for: identifiers[index]))
                }
            }
            initialised = identifiers.count
        }
    }
}

/// Lets disjoint slices of one output buffer be written from several threads.
struct UnsafeSendableBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
}
