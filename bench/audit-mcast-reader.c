/* Baseline for bench/audit-reader-latency.sh: the smallest possible audit multicast reader in C. Receives the same
 * records as execguard's Java reader, in the same run, and prints the same latency figures (kernel timestamp -> EOE
 * received) for the events whose PATH record names FIXTURE. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_OURS 4096

static int cmp(const void *a, const void *b) {
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

static double pct(long *v, long n, int p) {
    long i = (long)((p / 100.0) * n + 0.999999) - 1;
    return v[i < 0 ? 0 : (i >= n ? n - 1 : i)] / 1000.0;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: audit-mcast-reader FIXTURE COUNT\n");
        return 2;
    }
    long count = atol(argv[2]);
    char needle[4200];
    snprintf(needle, sizeof needle, "name=\"%s\"", argv[1]);
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
    int size = 8 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
    struct timeval tv = {3, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_nl addr = {.nl_family = AF_NETLINK, .nl_groups = 1};
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        perror("audit multicast");
        return 1;
    }
    printf("ready\n");
    fflush(stdout);
    static char buf[1 << 16];
    static char ours[MAX_OURS][40];
    long *lat = calloc(count, sizeof(long));
    long n = 0, next = 0, overflows = 0;
    while (n < count) {
        ssize_t len = recv(fd, buf, sizeof buf - 1, 0);
        if (len < 0) {
            if (errno == ENOBUFS) { overflows++; continue; }
            break;
        }
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        struct nlmsghdr *h = (struct nlmsghdr *)buf;
        buf[len] = 0;
        char *text = (char *)NLMSG_DATA(h);
        char *close = strchr(text, ')');
        if (strncmp(text, "audit(", 6) != 0 || !close) continue;
        char id[40];
        snprintf(id, sizeof id, "%.*s", (int)(close - text - 6), text + 6);
        if (h->nlmsg_type == AUDIT_PATH && strstr(text, needle)) {
            snprintf(ours[next++ % MAX_OURS], 40, "%s", id);
        } else if (h->nlmsg_type == AUDIT_EOE) {
            for (int i = 0; i < MAX_OURS; i++) {
                if (strcmp(ours[i], id) == 0) {
                    ours[i][0] = 0;
                    long sec = atol(id), ms = atol(strchr(id, '.') + 1);
                    lat[n++] = (now.tv_sec - sec) * 1000000L + now.tv_nsec / 1000 - ms * 1000;
                    break;
                }
            }
        }
    }
    qsort(lat, n, sizeof(long), cmp);
    printf("baseline C reader: %ld of %ld events, overflows %ld; p50 %.1f  p90 %.1f  p99 %.1f  max %.1f ms\n", n,
           count, overflows, pct(lat, n, 50), pct(lat, n, 90), pct(lat, n, 99), n ? lat[n - 1] / 1000.0 : 0.0);
    return 0;
}
