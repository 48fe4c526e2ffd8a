#!/usr/bin/env python3
"""Writes an auditd-format log of N records built from records recorded on a Linux 6.18 VM (see
docs/performance.md, section Sidecar): failed execs of several causes, a shell's PATH search (ENOENT of missing
files), unrelated syscall events and user-space messages, with increasing serials and time stamps.

usage: gen-audit-log.py RECORDS OUT [exec-heavy|node]

exec-heavy: every other event is a failed exec that gets written (the worst case for audit read).
node:       a busier node's mix - about 1 in 20 events is a failed exec to explain, 1 in 5 a PATH search
            (ENOENT of a missing file), the rest other syscalls and user-space messages.
"""
import sys

# One template per event: (record type, fields). {p} = pid, {pp} = ppid.
EVENTS = [
    # dash running ./noshebang: ENOEXEC
    [("SYSCALL", 'arch=c000003e syscall=59 success=no exit=-8 a0=55a26ef4c998 a1=55a26ef4c9c0 a2=55a296bedad8 a3=8 items=1 ppid={pp} pid={p} auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm="sh" exe="/usr/bin/dash" key="execguard"'),
     ("CWD", 'cwd="/tmp/wcap"'),
     ("PATH", 'item=0 name="./noshebang" inode=2146668 dev=fe:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0'),
     ("PROCTITLE", 'proctitle=7368002D63002E2F6E6F73686562616E673B202E2F63726C662E73683B202E2F6E6F657865636269742E73683B2074727565'),
     ("EOE", '')],
    # PATH search of env: ENOENT, file missing (left out)
    [("SYSCALL", 'arch=c000003e syscall=59 success=no exit=-2 a0=7ffee00339c0 a1=7ffee0033d60 a2=7ffee0033d88 a3=7fa1c26b1e70 items=1 ppid={pp} pid={p} auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm="python3" exe="/usr/bin/env" key="execguard"'),
     ("CWD", 'cwd="/tmp/wcap"'),
     ("PATH", 'item=0 name="/usr/local/sbin/bash" nametype=UNKNOWN cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0'),
     ("PROCTITLE", 'proctitle=2F7573722F62696E2F656E760062617368002F726F6F742F2E7079656E762F7368696D732F707974686F6E33'),
     ("EOE", '')],
    # CRLF script: ENOENT of an existing file, interpreter /bin/sh\r
    [("SYSCALL", 'arch=c000003e syscall=59 success=no exit=-2 a0=55a26ef4c998 a1=55a26ef4c9c0 a2=55a296bedad8 a3=8 items=2 ppid={pp} pid={p} auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm="sh" exe="/usr/bin/dash" key="execguard"'),
     ("CWD", 'cwd="/tmp/wcap"'),
     ("PATH", 'item=0 name="./crlf.sh" inode=2146669 dev=fe:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0'),
     ("PATH", 'item=1 name=2F62696E2F73680D nametype=UNKNOWN cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0'),
     ("PROCTITLE", 'proctitle=7368002D63002E2F6E6F73686562616E673B202E2F63726C662E73683B202E2F6E6F657865636269742E73683B2074727565'),
     ("EOE", '')],
    # bash in a directory with spaces: ENOEXEC, hex-encoded cwd and name
    [("SYSCALL", 'arch=c000003e syscall=59 success=no exit=-8 a0=563e6f0f9f30 a1=563e6f12d8e0 a2=563e6f115ba0 a3=2a01f2ee166059dd items=1 ppid={pp} pid={p} auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 sgid=1000 fsgid=1000 tty=pts0 ses=3 comm="bash" exe="/usr/bin/bash" key="execguard"'),
     ("CWD", 'cwd=2F746D702F776361702F6469722077697468207370616365'),
     ("PATH", 'item=0 name=2E2F6261642070726F67 inode=2146672 dev=fe:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0'),
     ("PROCTITLE", 'proctitle=62617368002F6465762F66642F33'),
     ("EOE", '')],
    # dash: EACCES (no execute bit)
    [("SYSCALL", 'arch=c000003e syscall=59 success=no exit=-13 a0=55a26ef4c998 a1=55a26ef4c9c0 a2=55a296bedad8 a3=8 items=1 ppid={pp} pid={p} auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm="sh" exe="/usr/bin/dash" key="execguard"'),
     ("CWD", 'cwd="/tmp/wcap"'),
     ("PATH", 'item=0 name="./noexecbit.sh" inode=2146670 dev=fe:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0'),
     ("PROCTITLE", 'proctitle=7368002D63002E2F6E6F73686562616E673B202E2F63726C662E73683B202E2F6E6F657865636269742E73683B2074727565'),
     ("EOE", '')],
    # an unrelated successful syscall with a socket address
    [("SYSCALL", 'arch=c000003e syscall=49 success=yes exit=0 a0=3 a1=7fff58e6ec60 a2=c a3=10 items=0 ppid={pp} pid={p} auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm="python3" exe="/root/.pyenv/versions/3.11.7/bin/python3.11" key=(null)'),
     ("SOCKADDR", 'saddr=100057000000000001000000'),
     ("PROCTITLE", 'proctitle=2F7573722F62696E2F656E760062617368002F726F6F742F2E7079656E762F7368696D732F707974686F6E33006361702E70790036007265632E747874'),
     ("EOE", '')],
    # a user-space message (one record, no EOE)
    [("USER_CMD", "pid={p} uid=0 auid=1000 ses=3 msg='cwd=\"/root\" cmd=6C73202D6C terminal=pts/0 res=success'")],
]


# Indexes into EVENTS: 0-4 failed execs (1 is a PATH search), 5 unrelated syscall, 6 user-space message.
MIXES = {
    "exec-heavy": [0, 1, 2, 3, 4, 5, 6],
    "node": [5] * 10 + [6] * 5 + [1] * 4 + [0, 2, 3, 4][0:1],
}


def main():
    total = int(sys.argv[1])
    mix = MIXES[sys.argv[3] if len(sys.argv) > 3 else "exec-heavy"]
    serial, t, n, k = 1000, 1795718255000, 0, 0
    with open(sys.argv[2], "w") as out:
        while n < total:
            for i in mix:
                ev = EVENTS[i]
                if i == 0:
                    ev = EVENTS[k % 5 if k % 5 != 1 else 0]
                    k += 1
                stamp = "audit(%d.%03d:%d)" % (t // 1000, t % 1000, serial)
                pid = 10000 + serial % 50000
                for typ, fields in ev:
                    out.write("type=%s msg=%s: %s\n" % (typ, stamp, fields.format(p=pid, pp=pid - 1)))
                    n += 1
                serial += 1
                t += 1
                if n >= total:
                    break


if __name__ == "__main__":
    main()
