// The startup and fixed-memory cases' floor for any Swift program: print a version and end, linked as conlab's
// release build is (`swiftc -O -static-stdlib`: the Swift runtime inside the executable). Built and run by
// bench/run, never committed as a binary.
print("0.1.0")
