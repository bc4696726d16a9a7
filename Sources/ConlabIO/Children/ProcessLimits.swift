#if canImport(Glibc)
public import ConlabCore
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// How many processes this machine can start at once without trouble, and how many descriptors this
/// process may still open: the process cap every strategy is held to, derived from the system's limits so
/// that a plan with more children than the machine can have (4 jobs × 10,000 `sleep 1` under `async`, on a
/// machine with `kernel.pid_max` 32768) is refused before anything starts, as the thread cap refuses a
/// plan with too many threads.
///
/// Every process the kernel counts against these limits is a task (a thread counts too), so each limit is
/// halved, leaving the other half to the rest of the system, and less the tasks already running: of the
/// whole machine for `kernel.pid_max` and `kernel.threads-max`, and for `RLIMIT_NPROC` the same count, an
/// upper bound of this user's tasks (the kernel counts a user's tasks by real user id; as root it does not
/// enforce the limit at all, but a configured limit is still what the user asked for). Descriptors are
/// this process's own: `RLIMIT_NOFILE`, less those already open and a reserve for the run's own files.
public struct ProcessLimits: Sendable, CustomStringConvertible {
    /// The figures the limits are derived from.
    public struct Readings: Sendable, Hashable {
        /// `kernel.pid_max`, if it could be read.
        public var pidMax: Int?
        /// `kernel.threads-max`, if it could be read.
        public var threadsMax: Int?
        /// Tasks running on the machine (the total of `/proc/loadavg`'s fourth field).
        public var tasksRunning: Int
        /// The soft `RLIMIT_NPROC`; `nil` when unlimited.
        public var processLimit: Int?
        /// The soft `RLIMIT_NOFILE`; `nil` when unlimited.
        public var openFileLimit: Int?
        /// Descriptors this process has open.
        public var openDescriptors: Int

        /// Creates readings.
        public init(
            pidMax: Int?,
            threadsMax: Int?,
            tasksRunning: Int,
            processLimit: Int?,
            openFileLimit: Int?,
            openDescriptors: Int
        ) {
            self.pidMax = pidMax
            self.threadsMax = threadsMax
            self.tasksRunning = tasksRunning
            self.processLimit = processLimit
            self.openFileLimit = openFileLimit
            self.openDescriptors = openDescriptors
        }
    }

    /// Descriptors left to the run's own files — the log, the trace, timers, sockets — beyond those open
    /// when the limits are read.
    public static let reservedDescriptors = 64

    /// Each limit on processes at once, with its name and the processes it allows, smallest first.
    public let processLimits: [(name: String, processes: Int)]
    /// The limit on descriptors this process may hold at once, with its name; `nil` when unlimited.
    public let descriptorLimit: (name: String, descriptors: Int)?

    /// The limits from `readings`.
    public init(_ readings: Readings) {
        let running = readings.tasksRunning
        var limits: [(String, Int)] = []
        if let pidMax = readings.pidMax {
            limits.append(("half of kernel.pid_max \(pidMax), less \(running) tasks running", pidMax / 2 - running))
        }
        if let threadsMax = readings.threadsMax {
            limits.append(
                ("half of kernel.threads-max \(threadsMax), less \(running) tasks running", threadsMax / 2 - running)
            )
        }
        if let processLimit = readings.processLimit {
            limits.append(
                ("half of RLIMIT_NPROC \(processLimit), less \(running) tasks running", processLimit / 2 - running)
            )
        }
        // Stable: of two equal limits the one listed first (the system's) is named.
        processLimits = limits.map { ($0.0, max(0, $0.1)) }.enumerated()
            .sorted { ($0.element.1, $0.offset) < ($1.element.1, $1.offset) }.map(\.element)
        descriptorLimit = readings.openFileLimit.map { limit in
            (
                "RLIMIT_NOFILE \(limit), less \(readings.openDescriptors) open and \(Self.reservedDescriptors) "
                    + "kept for the run's own files",
                max(0, limit - readings.openDescriptors - Self.reservedDescriptors)
            )
        }
    }

    /// The most processes at once: the smallest limit.
    public var processCap: Int { processLimits.first?.processes ?? Int.max }

    /// The limits of this machine and process, now.
    public static func current() -> ProcessLimits {
        ProcessLimits(
            Readings(
                pidMax: readInteger("/proc/sys/kernel/pid_max"),
                threadsMax: readInteger("/proc/sys/kernel/threads-max"),
                tasksRunning: tasksRunning() ?? 0,
                processLimit: softLimit(__rlimit_resource_t(__RLIMIT_NPROC.rawValue)),
                openFileLimit: softLimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue)),
                openDescriptors: openDescriptors()
            )
        )
    }

    /// Why `estimate` of the strategy `label` is over these limits for `plan`, with the numbers, the limit
    /// that binds and the way out; `nil` when it is within them. `unitsRunHere`: the units run in this
    /// process (not in worker processes, which hold their own descriptors).
    public func refusal(
        of label: String,
        estimate: StrategyEstimate,
        plan: WorkPlan,
        unitsRunHere: Bool
    ) -> String? {
        var problems: [String] = []
        let processes = estimate.processesAtOnce(for: plan)
        if processes > processCap, let binding = processLimits.first {
            var parts: [String] = []
            if estimate.processes > 0 { parts.append("\(estimate.processes) worker processes") }
            if plan.children.startsProcesses {
                let units = estimate.unitsInFlight(of: plan)
                parts.append(
                    "\(plan.children.processes(units: units)) children of \(units) unit\(units == 1 ? "" : "s") in flight"
                )
            }
            problems.append(
                "run \(processes) processes at once (\(parts.joined(separator: " + "))), over the process cap of "
                    + "\(binding.processes) (\(binding.name))"
            )
        }
        let descriptors = estimate.descriptorsAtOnce(for: plan, unitsRunHere: unitsRunHere)
        if let limit = descriptorLimit, descriptors > limit.descriptors {
            problems.append(
                "hold \(descriptors) descriptors at once for their pipes, over the \(limit.descriptors) conlab may "
                    + "still open (\(limit.name))"
            )
        }
        guard !problems.isEmpty else { return nil }
        return "\(label) would " + problems.joined(separator: ", and ")
            + "; use fewer jobs, a strategy with fewer units in flight (serial, pool, queue or process), "
            + "or raise the limit"
    }

    /// `16122 processes (half of kernel.pid_max 32768, less 262 tasks running), ...; 19924 descriptors (...)`.
    public var description: String {
        var parts = processLimits.map { "\($0.processes) processes (\($0.name))" }
        if let limit = descriptorLimit { parts.append("\(limit.descriptors) descriptors (\(limit.name))") }
        return parts.joined(separator: ", ")
    }

    /// The soft limit of `resource`, or `nil` when it is unlimited or cannot be read.
    private static func softLimit(_ resource: __rlimit_resource_t) -> Int? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
        return Int(clamping: limit.rlim_cur)
    }

    /// The machine's tasks: `/proc/loadavg`'s fourth field is `running/total`.
    private static func tasksRunning() -> Int? {
        guard let text = readText("/proc/loadavg") else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count >= 4, let total = fields[3].split(separator: "/").last else { return nil }
        return Int(total)
    }

    /// Entries of `/proc/self/fd`, less the one the listing itself opens.
    private static func openDescriptors() -> Int {
        guard let directory = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in name.first == UInt8(ascii: ".") }
            if !isDot { count += 1 }
        }
        return max(0, count - 1)
    }

    private static func readInteger(_ path: String) -> Int? {
        readText(path).flatMap { Int($0.split(separator: "\n").first ?? "") }
    }

    private static func readText(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }
}
