package io.execguard.sidecar.watch;

/** Which failures watch reports: every failure on the node (needs hostPID), or only this pod's. */
public enum Scope {
    NODE, POD
}
