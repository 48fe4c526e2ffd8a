package io.execguard.sidecar.audit.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Audit events recorded on a Linux 6.18 VM (the same records {@code bench/sidecar/gen-audit-log.py} replays):
 * failed execs of several causes, a PATH search, an unrelated syscall with a socket address, and a user-space
 * message that has no EOE. Property tests stamp them with generated serials and mutate them.
 */
public final class RecordedAuditEvents {
    /** One record of a template: its type name and its field text. */
    public static final class Template {
        public final String type;
        public final String fields;

        Template(String type, String fields) {
            this.type = type;
            this.fields = fields;
        }
    }

    private static final String DASH = "arch=c000003e syscall=59 success=no exit=%s a0=55a26ef4c998 a1=55a26ef4c9c0"
            + " a2=55a296bedad8 a3=8 items=%s ppid=4242 pid=4243 auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0"
            + " egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm=\"sh\" exe=\"/usr/bin/dash\" key=\"execguard\"";
    private static final String DASH_TITLE = "proctitle=7368002D63002E2F6E6F73686562616E673B202E2F63726C662E73683B20"
            + "2E2F6E6F657865636269742E73683B2074727565";
    private static final String CAPS = " cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0";

    /** Every recorded event, EOE included where the kernel sends one. */
    public static final List<List<Template>> EVENTS = List.of(
            List.of(t("SYSCALL", String.format(DASH, "-8", "1")), t("CWD", "cwd=\"/tmp/wcap\""),
                    t("PATH", "item=0 name=\"./noshebang\" inode=2146668 dev=fe:00 mode=0100755 ouid=0 ogid=0"
                            + " rdev=00:00 nametype=NORMAL" + CAPS),
                    t("PROCTITLE", DASH_TITLE), t("EOE", "")),
            List.of(t("SYSCALL", String.format(DASH, "-2", "2")), t("CWD", "cwd=\"/tmp/wcap\""),
                    t("PATH", "item=0 name=\"./crlf.sh\" inode=2146669 dev=fe:00 mode=0100755 ouid=0 ogid=0"
                            + " rdev=00:00 nametype=NORMAL" + CAPS),
                    t("PATH", "item=1 name=2F62696E2F73680D nametype=UNKNOWN" + CAPS),
                    t("PROCTITLE", DASH_TITLE), t("EOE", "")),
            List.of(t("SYSCALL", "arch=c000003e syscall=59 success=no exit=-8 a0=563e6f0f9f30 a1=563e6f12d8e0"
                            + " a2=563e6f115ba0 a3=2a01f2ee166059dd items=1 ppid=900 pid=901 auid=1000 uid=1000"
                            + " gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 sgid=1000 fsgid=1000 tty=pts0 ses=3"
                            + " comm=\"bash\" exe=\"/usr/bin/bash\" key=\"execguard\""),
                    t("CWD", "cwd=2F746D702F776361702F6469722077697468207370616365"),
                    t("PATH", "item=0 name=2E2F6261642070726F67 inode=2146672 dev=fe:00 mode=0100755 ouid=0"
                            + " ogid=0 rdev=00:00 nametype=NORMAL" + CAPS),
                    t("PROCTITLE", "proctitle=62617368002F6465762F66642F33"), t("EOE", "")),
            List.of(t("SYSCALL", String.format(DASH, "-13", "1")), t("CWD", "cwd=\"/tmp/wcap\""),
                    t("PATH", "item=0 name=\"./noexecbit.sh\" inode=2146670 dev=fe:00 mode=0100644 ouid=0 ogid=0"
                            + " rdev=00:00 nametype=NORMAL" + CAPS),
                    t("PROCTITLE", DASH_TITLE), t("EOE", "")),
            List.of(t("SYSCALL", "arch=c000003e syscall=49 success=yes exit=0 a0=3 a1=7fff58e6ec60 a2=c a3=10"
                            + " items=0 ppid=77 pid=78 auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0"
                            + " fsgid=0 tty=(none) ses=4294967295 comm=\"python3\""
                            + " exe=\"/root/.pyenv/versions/3.11.7/bin/python3.11\" key=(null)"),
                    t("SOCKADDR", "saddr=100057000000000001000000"),
                    t("PROCTITLE", "proctitle=2F7573722F62696E2F656E760062617368"), t("EOE", "")),
            List.of(t("USER_CMD", "pid=3027 uid=0 auid=1000 ses=3 msg='cwd=\"/root\" cmd=6C73202D6C"
                    + " terminal=pts/0 res=success'")));

    private RecordedAuditEvents() {
    }

    private static Template t(String type, String fields) {
        return new Template(type, fields);
    }

    /** The log lines of recorded event {@code index} stamped with {@code audit(SECONDS.MILLIS:serial)}. */
    public static List<String> logLines(int index, long serial) {
        List<String> lines = new ArrayList<>();
        long millis = 1795718255000L + serial;
        String stamp = String.format("audit(%d.%03d:%d)", millis / 1000, millis % 1000, serial);
        for (Template t : EVENTS.get(index)) {
            lines.add("type=" + t.type + " msg=" + stamp + ": " + t.fields);
        }
        return lines;
    }

    /** Every recorded record as a log line, for mutation. */
    public static List<String> allLogLines() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < EVENTS.size(); i++) {
            lines.addAll(logLines(i, 1000 + i));
        }
        return lines;
    }
}
