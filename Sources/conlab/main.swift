import ConlabCommandLine
import ConlabStrategies
// A release build links Foundation statically (Package.swift); a module that imports Foundation under
// `-static-stdlib` is what names Foundation's own static libraries (CoreFoundation, ICU) to the linker, and
// this file is the only one compiled with that flag, so it imports Foundation for the link.
import Foundation

// The strategies this conlab runs: the built-in ones. Another package builds its own conlab the same way,
// with its strategies added to the list.
await Conlab.main(strategies: BuiltInStrategies.all)
