import Foundation

/// One watcher of the run folder for every open event stream: it looks at the run's files four
/// times a second while anyone listens, and sends each stream the new state when they change,
/// and a keep-alive every 2.5 s (a closed connection is noticed at the second write after it
/// closed, which frees its place). A thousand streams cost one watcher, not a thousand pollers.
/// At most `capacity` streams are open at once.
final class EventHub: @unchecked Sendable {
    /// What a stream is sent: the state as JSON, or a keep-alive.
    enum Event: Sendable { case state(Data), keepAlive }

    let view: RunView
    let capacity: Int
    private let lock = NSLock()
    private var streams: [UUID: AsyncStream<Event>.Continuation] = [:]
    private var watching = false
    private var current: Data?

    init(view: RunView, capacity: Int) {
        self.view = view
        self.capacity = capacity
    }

    /// A new stream, which starts with the current state; nil when `capacity` are open.
    func subscribe() -> AsyncStream<Event>? {
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(4))
        let id = UUID()
        let (admitted, startWatcher): (Bool, Bool) = lock.withLock {
            guard streams.count < capacity else { return (false, false) }
            streams[id] = continuation
            if watching, let current { continuation.yield(.state(current)) }
            defer { watching = true }
            return (true, !watching)
        }
        guard admitted else { return nil }
        continuation.onTermination = { [weak self] _ in self?.remove(id) }
        if startWatcher { Task.detached { await self.watch() } }
        return stream
    }

    private func remove(_ id: UUID) { lock.withLock { _ = streams.removeValue(forKey: id) } }

    private func broadcast(_ event: Event) {
        lock.withLock { for c in streams.values { c.yield(event) } }
    }

    /// Runs while any stream is open; the next subscriber starts it again.
    private func watch() async {
        var last = "", quiet = 0
        while true {
            let stopped: Bool = lock.withLock {
                if streams.isEmpty { watching = false; current = nil }
                return streams.isEmpty
            }
            if stopped { return }
            let key = await view.onFiles { $0.fingerprint() }
            if key != last {
                last = key
                let state = await view.onFiles { $0.state() }
                lock.withLock { current = state }
                broadcast(.state(state))
                quiet = 0
            } else if quiet >= 10 {
                broadcast(.keepAlive)
                quiet = 0
            }
            try? await Task.sleep(nanoseconds: 250_000_000)
            quiet += 1
        }
    }
}
