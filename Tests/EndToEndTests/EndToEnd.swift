import Testing

/// Every end-to-end test, one at a time: each runs the real `conlab` binary, many of them for seconds on
/// both cores, and the ones that check timings (ratios to the ideal floor, agreement with /usr/bin/time)
/// must not share the machine with the others. Unit tests still run beside them.
@Suite("End to end", .serialized)
struct EndToEnd {}
