package io.orchestry.provisioner.persistence;

import io.micronaut.json.tree.JsonNode;
import io.orchestry.provisioner.domain.AppState;
import io.orchestry.provisioner.domain.AppStatus;
import io.orchestry.provisioner.domain.Condition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.orchestry.provisioner.persistence.SpecDocuments.str;

/** {@link AppStatus} as the JSON document of {@code app.status}. */
final class StatusDocuments {
    private StatusDocuments() {
    }

    static JsonNode write(AppStatus s) {
        Map<String, JsonNode> o = new LinkedHashMap<>();
        o.put("observedGeneration", JsonNode.createNumberNode(s.observedGeneration()));
        o.put("state", str(s.state().name()));
        o.put("desiredReplicas", JsonNode.createNumberNode(s.desiredReplicas()));
        o.put("readyReplicas", JsonNode.createNumberNode(s.readyReplicas()));
        o.put("availableReplicas", JsonNode.createNumberNode(s.availableReplicas()));
        o.put("updatedReplicas", JsonNode.createNumberNode(s.updatedReplicas()));
        o.put("currentRevision", JsonNode.createNumberNode(s.currentRevision()));
        List<JsonNode> conditions = new ArrayList<>();
        for (Condition c : s.conditions()) {
            Map<String, JsonNode> co = new LinkedHashMap<>();
            co.put("type", str(c.type().name()));
            co.put("status", str(c.status().name()));
            co.put("reason", str(c.reason()));
            co.put("message", str(c.message()));
            co.put("lastTransitionTime", str(c.lastTransitionTime() == null ? "" : c.lastTransitionTime().toString()));
            co.put("observedGeneration", JsonNode.createNumberNode(c.observedGeneration()));
            conditions.add(JsonNode.createObjectNode(co));
        }
        o.put("conditions", JsonNode.createArrayNode(conditions));
        return JsonNode.createObjectNode(o);
    }

    static AppStatus read(JsonNode o) {
        List<Condition> conditions = new ArrayList<>();
        for (JsonNode c : o.get("conditions").values()) {
            String at = c.get("lastTransitionTime").getStringValue();
            conditions.add(new Condition(Condition.ConditionType.valueOf(c.get("type").getStringValue()),
                    Condition.ConditionStatus.valueOf(c.get("status").getStringValue()), c.get("reason").getStringValue(),
                    c.get("message").getStringValue(), at.isEmpty() ? null : Instant.parse(at),
                    c.get("observedGeneration").getLongValue()));
        }
        return new AppStatus(o.get("observedGeneration").getLongValue(), AppState.valueOf(o.get("state").getStringValue()),
                o.get("desiredReplicas").getIntValue(), o.get("readyReplicas").getIntValue(),
                o.get("availableReplicas").getIntValue(), o.get("updatedReplicas").getIntValue(),
                o.get("currentRevision").getLongValue(), conditions);
    }
}
