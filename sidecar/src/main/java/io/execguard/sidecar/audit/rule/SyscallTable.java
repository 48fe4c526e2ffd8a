package io.execguard.sidecar.audit.rule;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Syscall names by number for one architecture, so rules print as {@code auditctl -l} prints them. Tables for x86_64
 * and i386 are complete (generated from the kernel's uapi {@code unistd_64.h} / {@code unistd_32.h}); for arm64 and
 * arm only the exec calls are known and other numbers print as numbers.
 */
final class SyscallTable {
    static final SyscallTable X86_64 = new SyscallTable(
            "read,write,open,close,stat,fstat,lstat,poll,lseek,mmap,mprotect,munmap,brk,rt_sigaction,rt_sigprocma"
            + "sk,rt_sigreturn,ioctl,pread64,pwrite64,readv,writev,access,pipe,select,sched_yield,mremap,msync,minc"
            + "ore,madvise,shmget,shmat,shmctl,dup,dup2,pause,nanosleep,getitimer,alarm,setitimer,getpid,sendfile,s"
            + "ocket,connect,accept,sendto,recvfrom,sendmsg,recvmsg,shutdown,bind,listen,getsockname,getpeername,so"
            + "cketpair,setsockopt,getsockopt,clone,fork,vfork,execve,exit,wait4,kill,uname,semget,semop,semctl,shm"
            + "dt,msgget,msgsnd,msgrcv,msgctl,fcntl,flock,fsync,fdatasync,truncate,ftruncate,getdents,getcwd,chdir,"
            + "fchdir,rename,mkdir,rmdir,creat,link,unlink,symlink,readlink,chmod,fchmod,chown,fchown,lchown,umask,"
            + "gettimeofday,getrlimit,getrusage,sysinfo,times,ptrace,getuid,syslog,getgid,setuid,setgid,geteuid,get"
            + "egid,setpgid,getppid,getpgrp,setsid,setreuid,setregid,getgroups,setgroups,setresuid,getresuid,setres"
            + "gid,getresgid,getpgid,setfsuid,setfsgid,getsid,capget,capset,rt_sigpending,rt_sigtimedwait,rt_sigque"
            + "ueinfo,rt_sigsuspend,sigaltstack,utime,mknod,uselib,personality,ustat,statfs,fstatfs,sysfs,getpriori"
            + "ty,setpriority,sched_setparam,sched_getparam,sched_setscheduler,sched_getscheduler,sched_get_priorit"
            + "y_max,sched_get_priority_min,sched_rr_get_interval,mlock,munlock,mlockall,munlockall,vhangup,modify_"
            + "ldt,pivot_root,_sysctl,prctl,arch_prctl,adjtimex,setrlimit,chroot,sync,acct,settimeofday,mount,umoun"
            + "t2,swapon,swapoff,reboot,sethostname,setdomainname,iopl,ioperm,create_module,init_module,delete_modu"
            + "le,get_kernel_syms,query_module,quotactl,nfsservctl,getpmsg,putpmsg,afs_syscall,tuxcall,security,get"
            + "tid,readahead,setxattr,lsetxattr,fsetxattr,getxattr,lgetxattr,fgetxattr,listxattr,llistxattr,flistxa"
            + "ttr,removexattr,lremovexattr,fremovexattr,tkill,time,futex,sched_setaffinity,sched_getaffinity,set_t"
            + "hread_area,io_setup,io_destroy,io_getevents,io_submit,io_cancel,get_thread_area,lookup_dcookie,epoll"
            + "_create,epoll_ctl_old,epoll_wait_old,remap_file_pages,getdents64,set_tid_address,restart_syscall,sem"
            + "timedop,fadvise64,timer_create,timer_settime,timer_gettime,timer_getoverrun,timer_delete,clock_setti"
            + "me,clock_gettime,clock_getres,clock_nanosleep,exit_group,epoll_wait,epoll_ctl,tgkill,utimes,vserver,"
            + "mbind,set_mempolicy,get_mempolicy,mq_open,mq_unlink,mq_timedsend,mq_timedreceive,mq_notify,mq_getset"
            + "attr,kexec_load,waitid,add_key,request_key,keyctl,ioprio_set,ioprio_get,inotify_init,inotify_add_wat"
            + "ch,inotify_rm_watch,migrate_pages,openat,mkdirat,mknodat,fchownat,futimesat,newfstatat,unlinkat,rena"
            + "meat,linkat,symlinkat,readlinkat,fchmodat,faccessat,pselect6,ppoll,unshare,set_robust_list,get_robus"
            + "t_list,splice,tee,sync_file_range,vmsplice,move_pages,utimensat,epoll_pwait,signalfd,timerfd_create,"
            + "eventfd,fallocate,timerfd_settime,timerfd_gettime,accept4,signalfd4,eventfd2,epoll_create1,dup3,pipe"
            + "2,inotify_init1,preadv,pwritev,rt_tgsigqueueinfo,perf_event_open,recvmmsg,fanotify_init,fanotify_mar"
            + "k,prlimit64,name_to_handle_at,open_by_handle_at,clock_adjtime,syncfs,sendmmsg,setns,getcpu,process_v"
            + "m_readv,process_vm_writev,kcmp,finit_module,sched_setattr,sched_getattr,renameat2,seccomp,getrandom,"
            + "memfd_create,kexec_file_load,bpf,execveat,userfaultfd,membarrier,mlock2,copy_file_range,preadv2,pwri"
            + "tev2,pkey_mprotect,pkey_alloc,pkey_free,statx,io_pgetevents,rseq,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,"
            + ",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,pidfd_send_signal,io_uring_setup,io_uring_ente"
            + "r,io_uring_register,open_tree,move_mount,fsopen,fsconfig,fsmount,fspick,pidfd_open,clone3,close_rang"
            + "e,openat2,pidfd_getfd,faccessat2,process_madvise,epoll_pwait2,mount_setattr,quotactl_fd,landlock_cre"
            + "ate_ruleset,landlock_add_rule,landlock_restrict_self,memfd_secret,process_mrelease,futex_waitv,set_m"
            + "empolicy_home_node");
    static final SyscallTable I386 = new SyscallTable(
            "restart_syscall,exit,fork,read,write,open,close,waitpid,creat,link,unlink,execve,chdir,time,mknod,ch"
            + "mod,lchown,break,oldstat,lseek,getpid,mount,umount,setuid,getuid,stime,ptrace,alarm,oldfstat,pause,u"
            + "time,stty,gtty,access,nice,ftime,sync,kill,rename,mkdir,rmdir,dup,pipe,times,prof,brk,setgid,getgid,"
            + "signal,geteuid,getegid,acct,umount2,lock,ioctl,fcntl,mpx,setpgid,ulimit,oldolduname,umask,chroot,ust"
            + "at,dup2,getppid,getpgrp,setsid,sigaction,sgetmask,ssetmask,setreuid,setregid,sigsuspend,sigpending,s"
            + "ethostname,setrlimit,getrlimit,getrusage,gettimeofday,settimeofday,getgroups,setgroups,select,symlin"
            + "k,oldlstat,readlink,uselib,swapon,reboot,readdir,mmap,munmap,truncate,ftruncate,fchmod,fchown,getpri"
            + "ority,setpriority,profil,statfs,fstatfs,ioperm,socketcall,syslog,setitimer,getitimer,stat,lstat,fsta"
            + "t,olduname,iopl,vhangup,idle,vm86old,wait4,swapoff,sysinfo,ipc,fsync,sigreturn,clone,setdomainname,u"
            + "name,modify_ldt,adjtimex,mprotect,sigprocmask,create_module,init_module,delete_module,get_kernel_sym"
            + "s,quotactl,getpgid,fchdir,bdflush,sysfs,personality,afs_syscall,setfsuid,setfsgid,_llseek,getdents,_"
            + "newselect,flock,msync,readv,writev,getsid,fdatasync,_sysctl,mlock,munlock,mlockall,munlockall,sched_"
            + "setparam,sched_getparam,sched_setscheduler,sched_getscheduler,sched_yield,sched_get_priority_max,sch"
            + "ed_get_priority_min,sched_rr_get_interval,nanosleep,mremap,setresuid,getresuid,vm86,query_module,pol"
            + "l,nfsservctl,setresgid,getresgid,prctl,rt_sigreturn,rt_sigaction,rt_sigprocmask,rt_sigpending,rt_sig"
            + "timedwait,rt_sigqueueinfo,rt_sigsuspend,pread64,pwrite64,chown,getcwd,capget,capset,sigaltstack,send"
            + "file,getpmsg,putpmsg,vfork,ugetrlimit,mmap2,truncate64,ftruncate64,stat64,lstat64,fstat64,lchown32,g"
            + "etuid32,getgid32,geteuid32,getegid32,setreuid32,setregid32,getgroups32,setgroups32,fchown32,setresui"
            + "d32,getresuid32,setresgid32,getresgid32,chown32,setuid32,setgid32,setfsuid32,setfsgid32,pivot_root,m"
            + "incore,madvise,getdents64,fcntl64,,,gettid,readahead,setxattr,lsetxattr,fsetxattr,getxattr,lgetxattr"
            + ",fgetxattr,listxattr,llistxattr,flistxattr,removexattr,lremovexattr,fremovexattr,tkill,sendfile64,fu"
            + "tex,sched_setaffinity,sched_getaffinity,set_thread_area,get_thread_area,io_setup,io_destroy,io_getev"
            + "ents,io_submit,io_cancel,fadvise64,,exit_group,lookup_dcookie,epoll_create,epoll_ctl,epoll_wait,rema"
            + "p_file_pages,set_tid_address,timer_create,timer_settime,timer_gettime,timer_getoverrun,timer_delete,"
            + "clock_settime,clock_gettime,clock_getres,clock_nanosleep,statfs64,fstatfs64,tgkill,utimes,fadvise64_"
            + "64,vserver,mbind,get_mempolicy,set_mempolicy,mq_open,mq_unlink,mq_timedsend,mq_timedreceive,mq_notif"
            + "y,mq_getsetattr,kexec_load,waitid,,add_key,request_key,keyctl,ioprio_set,ioprio_get,inotify_init,ino"
            + "tify_add_watch,inotify_rm_watch,migrate_pages,openat,mkdirat,mknodat,fchownat,futimesat,fstatat64,un"
            + "linkat,renameat,linkat,symlinkat,readlinkat,fchmodat,faccessat,pselect6,ppoll,unshare,set_robust_lis"
            + "t,get_robust_list,splice,sync_file_range,tee,vmsplice,move_pages,getcpu,epoll_pwait,utimensat,signal"
            + "fd,timerfd_create,eventfd,fallocate,timerfd_settime,timerfd_gettime,signalfd4,eventfd2,epoll_create1"
            + ",dup3,pipe2,inotify_init1,preadv,pwritev,rt_tgsigqueueinfo,perf_event_open,recvmmsg,fanotify_init,fa"
            + "notify_mark,prlimit64,name_to_handle_at,open_by_handle_at,clock_adjtime,syncfs,sendmmsg,setns,proces"
            + "s_vm_readv,process_vm_writev,kcmp,finit_module,sched_setattr,sched_getattr,renameat2,seccomp,getrand"
            + "om,memfd_create,bpf,execveat,socket,socketpair,bind,connect,listen,accept4,getsockopt,setsockopt,get"
            + "sockname,getpeername,sendto,sendmsg,recvfrom,recvmsg,shutdown,userfaultfd,membarrier,mlock2,copy_fil"
            + "e_range,preadv2,pwritev2,pkey_mprotect,pkey_alloc,pkey_free,statx,arch_prctl,io_pgetevents,rseq,,,,,"
            + ",,semget,semctl,shmget,shmctl,shmat,shmdt,msgget,msgsnd,msgrcv,msgctl,clock_gettime64,clock_settime6"
            + "4,clock_adjtime64,clock_getres_time64,clock_nanosleep_time64,timer_gettime64,timer_settime64,timerfd"
            + "_gettime64,timerfd_settime64,utimensat_time64,pselect6_time64,ppoll_time64,,io_pgetevents_time64,rec"
            + "vmmsg_time64,mq_timedsend_time64,mq_timedreceive_time64,semtimedop_time64,rt_sigtimedwait_time64,fut"
            + "ex_time64,sched_rr_get_interval_time64,pidfd_send_signal,io_uring_setup,io_uring_enter,io_uring_regi"
            + "ster,open_tree,move_mount,fsopen,fsconfig,fsmount,fspick,pidfd_open,clone3,close_range,openat2,pidfd"
            + "_getfd,faccessat2,process_madvise,epoll_pwait2,mount_setattr,quotactl_fd,landlock_create_ruleset,lan"
            + "dlock_add_rule,landlock_restrict_self,memfd_secret,process_mrelease,futex_waitv,set_mempolicy_home_n"
            + "ode");
    static final SyscallTable AARCH64 = sparse(221, "execve", 281, "execveat");
    static final SyscallTable ARM = sparse(11, "execve", 387, "execveat");

    private final String[] names;
    private final Map<String, Integer> numbers = new HashMap<>();

    private SyscallTable(String commaSeparated) {
        this(commaSeparated.split(",", -1));
    }

    private SyscallTable(String[] names) {
        this.names = names;
        for (int i = 0; i < names.length; i++) {
            if (!names[i].isEmpty()) {
                numbers.put(names[i], i);
            }
        }
    }

    private static SyscallTable sparse(int n1, String name1, int n2, String name2) {
        String[] names = new String[Math.max(n1, n2) + 1];
        java.util.Arrays.fill(names, "");
        names[n1] = name1;
        names[n2] = name2;
        return new SyscallTable(names);
    }

    Optional<String> name(int number) {
        return number >= 0 && number < names.length && !names[number].isEmpty() ? Optional.of(names[number])
                : Optional.empty();
    }

    Optional<Integer> number(String name) {
        return Optional.ofNullable(numbers.get(name));
    }
}
