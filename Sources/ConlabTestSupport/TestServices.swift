public import ConlabCore
public import ConlabIO
public import ConlabToolkit

/// The timers and reactors of the test process: one set for every test that runs units outside a
/// ``ScenarioRunner``-made run, as conlab makes one per invocation. Tests of the services themselves
/// make their own.
public enum TestServices {
    /// The set; made on first use.
    public static let shared: StandardServices = {
        // A test process out of descriptors before its first test cannot test anything.
        guard let services = try? StandardServices() else { preconditionFailure("no descriptors for the services") }
        return services
    }()

    /// The set's ``StandardServices/waits``, as a strategy receives them.
    public static var waits: WaitServices { shared.waits }

    /// The set's task timers.
    public static var timers: TaskTimers { shared.timers }
}
