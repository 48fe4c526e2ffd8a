package io.execguard.core.context;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OrchestratorTest {
    @Test
    void readsTheDownwardApiVariablesExecguardNamesFirst() {
        Orchestrator o = Orchestrator.fromEnvironment(Map.of(
                "EXECGUARD_POD_NAMESPACE", "payments", "POD_NAMESPACE", "other",
                "EXECGUARD_POD_NAME", "api-7d9f8b6c4-x2x9z", "POD_UID", "0c4f8e8a-7b5d-4f61-9a0e-2d4c6b8a1e3f"))
                .orElseThrow();
        assertEquals(Optional.of("payments"), o.namespace());
        assertEquals(Optional.of("api-7d9f8b6c4-x2x9z"), o.podName());
        assertEquals(Optional.of("0c4f8e8a-7b5d-4f61-9a0e-2d4c6b8a1e3f"), o.podUid());
    }

    @Test
    void fallsBackToTheCommonNames() {
        Orchestrator o = Orchestrator.fromEnvironment(Map.of("POD_NAMESPACE", "ns", "POD_NAME", "p")).orElseThrow();
        assertEquals(Optional.of("ns"), o.namespace());
        assertEquals(Optional.of("p"), o.podName());
        assertEquals(Optional.empty(), o.podUid());
    }

    @Test
    void nothingSetOrBlankMeansNoOrchestratorAndHostnameIsNotGuessed() {
        assertEquals(Optional.empty(), Orchestrator.fromEnvironment(Map.of()));
        assertEquals(Optional.empty(), Orchestrator.fromEnvironment(Map.of("POD_NAME", " ", "HOSTNAME", "web-1",
                "KUBERNETES_SERVICE_HOST", "10.0.0.1")));
    }

    @Test
    void theCgroupPodUidFillsOnlyAMissingUid() {
        Orchestrator withUid = new Orchestrator("ns", "p", "a");
        assertEquals(withUid, withUid.withPodUid("b"));
        assertEquals(Optional.of("b"), new Orchestrator("ns", "p", null).withPodUid("b").podUid());
    }
}
