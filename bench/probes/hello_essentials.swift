// One-off probe behind BENCHMARKS' fixed-memory notes (issue 20 point 5): the Swift hello with what conlab's
// own code takes from Foundation, FoundationEssentials' JSONEncoder and Date, and not Foundation itself (its
// internationalisation, ICU), which Yams' `String(format:)`, `NSRegularExpression` and `DateFormatter` pull
// in; set beside bench/peers/hello.swift and hello_foundation.swift, it bounds what dropping Yams' Swift
// module would save. Not run by bench/run.
//
//   swiftc -O -static-stdlib -Xclang-linker -no-pie -o /tmp/hello_essentials bench/probes/hello_essentials.swift
//   /usr/bin/time -f '%M KiB' /tmp/hello_essentials
import FoundationEssentials

struct Version: Codable {
    var major: Int
    var name: String
}

let encoded = try JSONEncoder().encode(Version(major: 0, name: "conlab"))
print(String(decoding: encoded, as: UTF8.self), Date().timeIntervalSince1970 > 0)
