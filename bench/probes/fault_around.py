#!/usr/bin/env python3
"""One-off probe behind BENCHMARKS' fixed-memory notes (issue 20 point 5): does `madvise(MADV_RANDOM)` on a
program's own code stop the kernel mapping 64 KiB around each page it touches? Not run by bench/run.

    bench/probes/fault_around.py [ROUNDS]      default: 3

It writes a C program with 2,000 page-aligned functions (an 8 MiB text), builds it `-no-pie` into the current
directory, drops it from the page cache (as written it sits there in large folios, which the kernel maps whole),
and runs it in turn without and with `madvise(MADV_RANDOM)` on its text.
Each run calls every 64th function (32 pages 256 KiB apart) and prints its `RssFile`: with fault-around each
touched page brings its 64 KiB window, 2 MiB in all, beside the C library's pages.
"""
import mmap
import os
import subprocess
import sys

FUNCTIONS = 2000


def source():
    lines = ["#include <stdio.h>", "#include <stdlib.h>", "#include <string.h>", "#include <sys/mman.h>"]
    lines += [f"__attribute__((noinline, aligned(4096))) int f{i}(int x) {{ return x * {i + 3} + {i}; }}"
              for i in range(FUNCTIONS)]
    lines.append("typedef int (*function)(int);")
    lines.append("function table[] = {" + ", ".join(f"f{i}" for i in range(FUNCTIONS)) + "};")
    lines.append(r'''extern char __executable_start, etext;
int main(int argc, char **argv) {
    if (argc > 1) {
        char *start = (char *)((unsigned long)&__executable_start & ~4095UL);
        if (madvise(start, (size_t)(&etext - start), atoi(argv[1]))) perror("madvise");
    }
    int sum = 0;
    for (int i = 0; i < 2000; i += 64) sum += table[i](i);
    FILE *status = fopen("/proc/self/status", "r");
    char line[256];
    while (fgets(line, sizeof line, status)) if (!strncmp(line, "RssFile:", 8)) fputs(line, stdout);
    return sum == 7;
}''')
    return "\n".join(lines) + "\n"


def main(arguments):
    rounds = int(arguments[0]) if arguments else 3
    program = os.path.abspath("fault-around-probe")
    subprocess.run(["cc", "-O1", "-no-pie", "-x", "c", "-o", program, "-"], input=source(), text=True, check=True)
    # Out of the page cache, so that it is read back as an executable is: the linker's writes left it in large
    # folios, which the kernel maps whole (9 MiB resident whatever the advice).
    descriptor = os.open(program, os.O_RDONLY)
    os.fsync(descriptor)
    os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
    os.close(descriptor)
    try:
        for _ in range(rounds):
            for advice, name in ((None, "default"), (str(mmap.MADV_RANDOM), "MADV_RANDOM")):
                command = [program] + ([advice] if advice else [])
                output = subprocess.run(command, capture_output=True, text=True).stdout.split()
                print(f"{name:12} RssFile {output[1]} kB")
    finally:
        os.remove(program)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
