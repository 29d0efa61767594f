// The core clock while busy, for the FMA-peak line of benchmarks/run.sh: a chain of dependent
// integer adds retires one add per cycle on every x86-64 core, so adds / seconds is the clock
// (turbo included, which the nominal "cpu MHz" of a virtual machine does not show).
#include <stdio.h>
#include <time.h>

int main(void) {
    double best = 0;
    for (int round = 0; round < 5; round++) {
        long n = 200000000, x = 0;
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        __asm__ volatile("1:\n\t"
                         "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
                         "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
                         "dec %1\n\tjnz 1b"
                         : "+r"(x), "+r"(n));
        clock_gettime(CLOCK_MONOTONIC, &b);
        double secs = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) * 1e-9;
        double ghz = 8.0 * 200000000 / secs / 1e9;
        if (ghz > best) best = ghz;
    }
    printf("%.2f\n", best);
    return 0;
}
