package io.execguard.sidecar.audit.parse;

import java.util.HashMap;
import java.util.Map;

/**
 * The audit record types execguard reads, by kernel number (include/uapi/linux/audit.h) and by the name auditd
 * writes into log files. Other types are kept by number and written as {@code UNKNOWN[n]} like auditd does.
 */
public final class RecordType {
    public static final int SYSCALL = 1300;
    public static final int PATH = 1302;
    public static final int CONFIG_CHANGE = 1305;
    public static final int SOCKADDR = 1306;
    public static final int CWD = 1307;
    public static final int EXECVE = 1309;
    public static final int EOE = 1320;
    public static final int PROCTITLE = 1327;

    private static final Map<String, Integer> BY_NAME = new HashMap<>();
    private static final Map<Integer, String> BY_NUMBER = new HashMap<>();

    static {
        add("SYSCALL", SYSCALL);
        add("PATH", PATH);
        add("CONFIG_CHANGE", CONFIG_CHANGE);
        add("SOCKADDR", SOCKADDR);
        add("CWD", CWD);
        add("EXECVE", EXECVE);
        add("EOE", EOE);
        add("PROCTITLE", PROCTITLE);
        add("IPC", 1303);
        add("SOCKETCALL", 1304);
        add("MMAP", 1323);
        add("NETFILTER_CFG", 1325);
        add("SECCOMP", 1326);
        add("FEATURE_CHANGE", 1328);
        add("REPLACE", 1329);
        add("KERN_MODULE", 1330);
        add("FANOTIFY", 1331);
        add("TIME_INJOFFSET", 1332);
        add("TIME_ADJNTPVAL", 1333);
        add("BPF", 1334);
        add("EVENT_LISTENER", 1335);
        add("URINGOP", 1336);
        add("OPENAT2", 1337);
        add("DM_CTRL", 1338);
        add("DM_EVENT", 1339);
        add("AVC", 1400);
        add("SELINUX_ERR", 1401);
        add("ANOM_ABEND", 1701);
        add("INTEGRITY_RULE", 1805);
        add("DAEMON_START", 1200);
        add("DAEMON_END", 1201);
        add("DAEMON_ABORT", 1202);
        add("DAEMON_CONFIG", 1203);
        add("DAEMON_ROTATE", 1205);
        add("USER", 1005);
        add("LOGIN", 1006);
        add("USER_AUTH", 1100);
        add("USER_ACCT", 1101);
        add("USER_START", 1105);
        add("USER_END", 1106);
        add("CRED_ACQ", 1103);
        add("CRED_DISP", 1104);
        add("USER_CMD", 1123);
        add("SERVICE_START", 1130);
        add("SERVICE_STOP", 1131);
        add("BPRM_FCAPS", 1321);
        add("CAPSET", 1322);
        add("KERNEL", 2000);
    }

    private RecordType() {
    }

    private static void add(String name, int number) {
        BY_NAME.put(name, number);
        BY_NUMBER.put(number, name);
    }

    /** The number for a log-file type name ({@code SYSCALL}, or auditd's {@code UNKNOWN[1234]}); -1 if unknown. */
    public static int byName(String name) {
        Integer n = BY_NAME.get(name);
        if (n != null) {
            return n;
        }
        if (name.startsWith("UNKNOWN[") && name.endsWith("]")) {
            try {
                return Integer.parseInt(name.substring(8, name.length() - 1));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    /** The name auditd writes for a type number. */
    public static String name(int type) {
        String n = BY_NUMBER.get(type);
        return n != null ? n : "UNKNOWN[" + type + "]";
    }
}
