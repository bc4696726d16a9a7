// The Swift hello with the whole of Foundation linked in (its internationalisation and ICU's code and data), as
// conlab links it because Yams' resolver and representer use `NSRegularExpression` and `DateFormatter`: what
// Foundation alone adds to starting a program. Built as bench/peers/hello.swift is, by bench/run.
import Foundation

// `String(format:)` is Foundation's, not FoundationEssentials': it is what makes the linker take Foundation.
print(String(format: "%d.%d.%d", 0, 1, 0))
