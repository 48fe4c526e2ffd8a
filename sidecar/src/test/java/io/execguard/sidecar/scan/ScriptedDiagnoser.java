package io.execguard.sidecar.scan;

import io.execguard.core.diagnose.Cause;
import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.diagnose.DiagnosisRequest;
import io.execguard.core.diagnose.Evidence;
import io.execguard.core.platform.Platform;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A test double for the engine that answers with the cause scripted for a path (OK otherwise) and records every
 * request, so tests can check what scan asks the engine (which files, in which tree, for which platform) and
 * how it turns answers into findings. Tests of real diagnoses use the real engine (ScanAcceptanceTest).
 */
public final class ScriptedDiagnoser implements Scanner.Diagnoser {
    private final Map<String, Cause> causes = new HashMap<>();
    private final Map<String, Evidence> evidence = new HashMap<>();
    private final List<DiagnosisRequest> requests = Collections.synchronizedList(new ArrayList<>());

    public ScriptedDiagnoser answer(String path, Cause cause) {
        causes.put(path, cause);
        return this;
    }

    public ScriptedDiagnoser evidence(String path, Evidence e) {
        evidence.put(path, e);
        return this;
    }

    public List<DiagnosisRequest> requests() {
        return requests;
    }

    @Override
    public Diagnosis diagnose(DiagnosisRequest request) {
        requests.add(request);
        Platform p = request.platform().orElse(Platform.host());
        Evidence.Builder e = Evidence.builder().putAll(evidence.getOrDefault(request.path(), Evidence.empty()));
        // Like the engine: the file's own attributes as "file" evidence when the path resolves.
        request.tree().map(t -> t.lookup(request.path(), request.cwd())).flatMap(l -> l.attributes())
                .ifPresent(a -> e.put("file", Evidence.builder().put("type", "regular").put("mode", a.modeOctal())
                        .put("size", a.size()).build()));
        return Diagnosis.builder(request.path(), causes.getOrDefault(request.path(), Cause.OK), p)
                .resolvedPath(request.path().startsWith("/") ? request.path() : null)
                .evidence(e.build())
                .build();
    }
}
