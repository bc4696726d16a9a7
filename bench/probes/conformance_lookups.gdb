# One-off probe behind BENCHMARKS.md's start-up note (eighteenth session): every protocol conformance lookup
# a command makes, as the type and the protocol the Swift runtime is asked about. The runtime's function
# returns a pair through a hidden first argument, so the type is in rsi and the protocol in rdx; each is
# printed as the symbol it points into (a generic type's metadata, made at run time, names no symbol: its
# nominal type descriptor, 8 bytes in, is printed too). Not run by bench/run.
#
#   objcopy --strip-debug .build/release/conlab /tmp/conlab-nd
#   gdb -q -batch -x bench/probes/conformance_lookups.gdb /tmp/conlab-nd 2>&1 | grep -c '^=== '
#   gdb -q -batch -x bench/probes/conformance_lookups.gdb /tmp/conlab-nd 2>&1 | grep -A3 '^=== ' | swift demangle
set pagination off
set confirm off
break _ZL52swift_conformsToProtocolMaybeInstantiateSuperclassesPKN5swift14TargetMetadataINS_9InProcessEEEPKNS_24TargetProtocolDescriptorIS1_EEb
commands
silent
printf "=== "
info symbol $rdx
info symbol $rsi
info symbol *(long*)($rsi+8)
continue
end
run --version
quit
