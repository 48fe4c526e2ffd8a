/* Calls execv(PATH) COUNT times at RATE per second from one process; every call fails (the file has no #!), so each
 * produces one failed-execve audit event and the process goes on. Used by bench/audit-reader-latency.sh. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: failexec PATH COUNT RATE\n");
        return 2;
    }
    long count = atol(argv[2]), rate = atol(argv[3]);
    char *args[] = {argv[1], NULL};
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    long failed = 0;
    for (long i = 0; i < count; i++) {
        long due_ns = i * 1000000000L / rate;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long elapsed_ns = (now.tv_sec - start.tv_sec) * 1000000000L + (now.tv_nsec - start.tv_nsec);
        if (due_ns > elapsed_ns) {
            struct timespec pause = {(due_ns - elapsed_ns) / 1000000000L, (due_ns - elapsed_ns) % 1000000000L};
            nanosleep(&pause, NULL);
        }
        execv(argv[1], args);
        failed += errno == ENOEXEC;
    }
    printf("%ld\n", failed);
    return failed == count ? 0 : 1;
}
