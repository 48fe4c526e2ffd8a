/**
 * Reading files the way the kernel's binary handlers do, within a fixed byte budget: ELF headers, program headers and
 * ARM build attributes ({@link io.execguard.core.inspect.ElfHeader}, {@link io.execguard.core.inspect.ElfDescription}),
 * {@code #!} lines ({@link io.execguard.core.inspect.ShebangLine}) and the magic numbers of everything else
 * ({@link io.execguard.core.inspect.FileSignature}). Pure parsing: what the kernel then does is the engine's business.
 */
package io.execguard.core.inspect;
