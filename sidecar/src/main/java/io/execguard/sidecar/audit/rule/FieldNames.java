package io.execguard.sidecar.audit.rule;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** auditctl's names of rule fields ({@code libaudit} fieldtab) and which of them carry strings. */
final class FieldNames {
    private static final Map<Integer, String> NAMES = new HashMap<>();
    private static final Map<String, Integer> NUMBERS = new HashMap<>();
    private static final Set<Integer> STRING_FIELDS = Set.of(13, 14, 15, 16, 17, 19, 20, 21, 22, 23, 105, 107, 112,
            210);

    static {
        String[] table = {"0", "pid", "1", "uid", "2", "euid", "3", "suid", "4", "fsuid", "5", "gid", "6", "egid",
            "7", "sgid", "8", "fsgid", "9", "auid", "10", "pers", "11", "arch", "12", "msgtype", "13", "subj_user",
            "14", "subj_role", "15", "subj_type", "16", "subj_sen", "17", "subj_clr", "18", "ppid", "19", "obj_user",
            "20", "obj_role", "21", "obj_type", "22", "obj_lev_low", "23", "obj_lev_high", "24", "loginuid_set",
            "25", "sessionid", "26", "fstype", "100", "devmajor", "101", "devminor", "102", "inode", "103", "exit",
            "104", "success", "105", "path", "106", "perm", "107", "dir", "108", "filetype", "109", "obj_uid",
            "110", "obj_gid", "111", "field_compare", "112", "exe", "113", "saddr_fam", "200", "a0", "201", "a1",
            "202", "a2", "203", "a3", "210", "key"};
        for (int i = 0; i < table.length; i += 2) {
            NAMES.put(Integer.parseInt(table[i]), table[i + 1]);
            NUMBERS.put(table[i + 1], Integer.parseInt(table[i]));
        }
        NUMBERS.put("loginuid", 9);
        NUMBERS.put("watch", 105);
    }

    private FieldNames() {
    }

    static Optional<String> name(int field) {
        return Optional.ofNullable(NAMES.get(field));
    }

    static Optional<Integer> number(String name) {
        return Optional.ofNullable(NUMBERS.get(name));
    }

    static boolean isString(int field) {
        return STRING_FIELDS.contains(field);
    }
}
