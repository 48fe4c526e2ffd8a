package io.execguard.sidecar.audit.rule;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Names of audit message types for {@code -F msgtype=} (exclude and user rules), as auditctl prints them: the kernel's
 * types from uapi {@code linux/audit.h} and the common user-space ones from libaudit (1100-1113). Others print as
 * numbers.
 */
final class MessageTypes {
    private static final Map<Integer, String> NAMES = new HashMap<>();
    private static final Map<String, Integer> NUMBERS = new HashMap<>();

    static {
        String table = "1100 USER_AUTH 1101 USER_ACCT 1102 USER_MGMT 1103 CRED_ACQ 1104 CRED_DISP 1105 USER_START "
                + "1106 USER_END 1108 USER_CHAUTHTOK 1109 USER_ERR 1110 CRED_REFR 1111 USR_AUDIT 1112 USER_LOGIN "
                + "1113 USER_LOGOUT "
                + "1107 USER_AVC 1124 USER_TTY 1200 DAEMON_START 1201 DAEMON_END 1202 DAEMON_ABORT 1203 "
                + "DAEMON_CONFIG 1300 SYSCALL 1302 PATH 1303 IPC 1304 SOCKETCALL 1305 CONFIG_CHANGE 1306 SOCKADDR "
                + "1307 CWD 1309 EXECVE 1311 IPC_SET_PERM 1312 MQ_OPEN 1313 MQ_SENDRECV 1314 MQ_NOTIFY 1315 "
                + "MQ_GETSETATTR 1316 KERNEL_OTHER 1317 FD_PAIR 1318 OBJ_PID 1319 TTY 1320 EOE 1321 BPRM_FCAPS "
                + "1322 CAPSET 1323 MMAP 1324 NETFILTER_PKT 1325 NETFILTER_CFG 1326 SECCOMP 1327 PROCTITLE 1328 "
                + "FEATURE_CHANGE 1329 REPLACE 1330 KERN_MODULE 1331 FANOTIFY 1332 TIME_INJOFFSET 1333 "
                + "TIME_ADJNTPVAL 1334 BPF 1335 EVENT_LISTENER 1336 URINGOP 1337 OPENAT2 1338 DM_CTRL 1339 "
                + "DM_EVENT 1400 AVC 1401 SELINUX_ERR 1402 AVC_PATH 1403 MAC_POLICY_LOAD 1404 MAC_STATUS 1405 "
                + "MAC_CONFIG_CHANGE 1406 MAC_UNLBL_ALLOW 1407 MAC_CIPSOV4_ADD 1408 MAC_CIPSOV4_DEL 1409 "
                + "MAC_MAP_ADD 1410 MAC_MAP_DEL 1411 MAC_IPSEC_ADDSA 1412 MAC_IPSEC_DELSA 1413 MAC_IPSEC_ADDSPD "
                + "1414 MAC_IPSEC_DELSPD 1415 MAC_IPSEC_EVENT 1416 MAC_UNLBL_STCADD 1417 MAC_UNLBL_STCDEL 1418 "
                + "MAC_CALIPSO_ADD 1419 MAC_CALIPSO_DEL 1700 ANOM_PROMISCUOUS 1701 ANOM_ABEND 1702 ANOM_LINK 1703 "
                + "ANOM_CREAT 1800 INTEGRITY_DATA 1801 INTEGRITY_METADATA 1802 INTEGRITY_STATUS 1803 "
                + "INTEGRITY_HASH 1804 INTEGRITY_PCR 1805 INTEGRITY_RULE 1806 INTEGRITY_EVM_XATTR 1807 "
                + "INTEGRITY_POLICY_RULE 2000 KERNEL ";
        String[] parts = table.trim().split(" ");
        for (int i = 0; i + 1 < parts.length; i += 2) {
            int number = Integer.parseInt(parts[i]);
            NAMES.putIfAbsent(number, parts[i + 1]);
            NUMBERS.putIfAbsent(parts[i + 1], number);
        }
    }

    private MessageTypes() {
    }

    static Optional<String> name(int type) {
        return Optional.ofNullable(NAMES.get(type));
    }

    static Optional<Integer> number(String name) {
        return Optional.ofNullable(NUMBERS.get(name));
    }
}
