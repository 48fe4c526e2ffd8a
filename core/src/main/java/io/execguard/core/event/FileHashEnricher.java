package io.execguard.core.event;

import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.FileTree;
import io.execguard.core.fs.FileType;
import io.execguard.core.fs.OpenedFile;
import io.execguard.core.hash.FileHasher;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Adds {@code file.hash.sha256} to an event whose target was stat'ed but not hashed. Meant to run on the event
 * pipeline's writer thread ({@link io.execguard.core.event.pipeline.EventPipeline.Builder#enricher}), so hashing a
 * large file never delays the thread that attempted the exec. The hash is only added when the file opened now is
 * the same file (device and inode) the event describes; otherwise the event goes out without it.
 */
public final class FileHashEnricher implements UnaryOperator<ExecEvent> {
    private final FileTree tree;
    private final FileHasher hasher;

    public FileHashEnricher(FileTree tree, FileHasher hasher) {
        this.tree = Objects.requireNonNull(tree, "tree");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
    }

    @Override
    public ExecEvent apply(ExecEvent event) {
        Optional<FileInfo> file = event.file();
        if (file.isEmpty() || file.get().sha256().isPresent() || file.get().attributes().isEmpty()
                || file.get().attributes().get().type() != FileType.REGULAR) {
            return event;
        }
        FileAttributes seen = file.get().attributes().get();
        try (OpenedFile opened = tree.open(file.get().path(), "/")) {
            FileAttributes now = opened.attributes();
            if (now.device() != seen.device() || now.inode() != seen.inode()) {
                return event;
            }
            Optional<String> hash = hasher.sha256(opened);
            return hash.isPresent() ? event.toBuilder().file(file.get().withSha256(hash.get())).build() : event;
        } catch (IOException | RuntimeException e) {
            return event;
        }
    }
}
