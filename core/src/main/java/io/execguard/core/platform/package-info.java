/**
 * Platforms and the facts of the machine execguard runs on, all read from files, never from a spawned process: OCI
 * platforms and the ELF machines behind them, how each kernel reads ELF headers, 32-bit compat support, binfmt_misc
 * registrations, mount tables and the caller's credentials.
 */
package io.execguard.core.platform;
