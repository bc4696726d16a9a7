// One-off probe behind BENCHMARKS' fixed-memory notes (issue 20 point 5): the Swift hello with
// FoundationEssentials' JSONEncoder and Date and not Foundation itself (its internationalisation, ICU), which
// `String(format:)` pulls in (conlab's own calls and Yams', with its `NSRegularExpression` and
// `DateFormatter`); set beside bench/peers/hello.swift and hello_foundation.swift, it bounds what linking
// only the essentials would save. Not run by bench/run.
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
