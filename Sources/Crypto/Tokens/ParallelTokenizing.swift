extension SubjectTokenizer {
    /// Tokenises a large batch on `threads` threads, each with its own copy of the key state
    /// (sharing one copy between threads limits scaling through reference-count contention).
    public func tokensInParallel(for identifiers: [SubjectIdentifier], threads: Int) -> [Token] {
        ParallelChunks.map(count: identifiers.count, threads: threads, minimumChunk: 1024) { range in
            let tokenizer = self  // a private copy per worker
            return tokenizer.tokens(for: identifiers[range])
        }
    }
}
