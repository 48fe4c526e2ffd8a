package io.execguard.linux;

/** Run in a child JVM by {@link ReadOnlyFileSystemTest}: calls into libc through JNA and says where JNA came from. */
public final class UnameProbe {
    private UnameProbe() {
    }

    public static void main(String[] args) throws Exception {
        try {
            System.out.println("machine=" + Uname.current().machine());
            System.out.println("jnidispatch.path=" + System.getProperty("jnidispatch.path"));
        } catch (NativeUnavailableException e) {
            System.out.println("unavailable: " + e.getMessage());
            System.exit(4);
        }
    }
}
