import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts a child with `posix_spawn` and reaps it on a thread of its own.
///
/// Not Foundation's `Process`: on Linux (Swift 6.3.1) `Process.run()` reads a whole 256-byte `d_name`
/// of each `/proc/self/fd` entry and now and then runs off the end of glibc's buffer, crashing the test
/// process (swift-corelibs-foundation PR #5472). The child gets stdin from /dev/null, stdout and stderr
/// into files, `directory` as its working directory, default signal dispositions, an empty signal mask
/// and no descriptor of ours beyond the three.
enum Spawn {
    /// How a child ended: its exit status, or the signal that ended it.
    struct Termination: Sendable {
        let status: Int32
        let bySignal: Bool
    }

    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc's `posix_spawn_file_actions_addchdir_np` and `…_addclosefrom_np` (2.29 and 2.34; not exported
    /// to Swift without `_GNU_SOURCE`).
    private static let extensions: (chdir: AddChdir, closefrom: AddClosefrom)? = {
        let handle = dlopen(nil, RTLD_NOW)
        guard let chdir = dlsym(handle, "posix_spawn_file_actions_addchdir_np"),
              let closefrom = dlsym(handle, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return (unsafeBitCast(chdir, to: AddChdir.self), unsafeBitCast(closefrom, to: AddClosefrom.self))
    }()

    /// Starts the child; `onExit` is called once, from the reaping thread, when it has ended.
    static func start(_ executable: String, _ arguments: [String], directory: String, stdout: String, stderr: String,
                      environment: [String: String], onExit: @escaping @Sendable (Termination) -> Void) throws -> pid_t {
        guard let extensions else { throw HarnessError("this C library has no posix_spawn_file_actions_addchdir_np/addclosefrom_np") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard extensions.chdir(&actions, directory) == 0, extensions.closefrom(&actions, 3) == 0 else {
            throw HarnessError("posix_spawn file actions refused")
        }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw HarnessError("posix_spawn \(executable): \(String(cString: strerror(result)))") }
        let child = pid
        let thread = Thread {
            var status: Int32 = 0
            while waitpid(child, &status, 0) == -1 && errno == EINTR {}
            let signal = status & 0x7f
            onExit(signal == 0 ? Termination(status: (status >> 8) & 0xff, bySignal: false) : Termination(status: signal, bySignal: true))
        }
        thread.start()
        return pid
    }
}
