package io.orchestry.provisioner.grpc;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.FieldMask;
import io.orchestry.error.Violations;
import io.orchestry.provisioner.domain.AppSpec;
import io.orchestry.provisioner.v1.UpdateAppRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * UpdateApp's field mask: {@code labels}, {@code spec}, or one field of the spec ({@code spec.env},
 * {@code spec.health_check}; lowerCamelCase is accepted too; {@code spec.process}/{@code spec.container} switch the
 * runtime). A masked field takes the request's value, unset or empty included; the rest stays.
 */
final class SpecMask {
    final boolean labels;
    /** Null: the spec stays. */
    final UnaryOperator<AppSpec> specEdit;

    private SpecMask(boolean labels, UnaryOperator<AppSpec> specEdit) {
        this.labels = labels;
        this.specEdit = specEdit;
    }

    static SpecMask of(UpdateAppRequest request) {
        FieldMask mask = request.getUpdateMask();
        Violations v = new Violations();
        v.require(mask.getPathsCount() > 0, "updateMask", "required: labels, spec or spec.<field>");
        boolean labels = false;
        boolean wholeSpec = false;
        List<FieldDescriptor> fields = new ArrayList<>();
        for (String path : mask.getPathsList()) {
            if (path.equals("labels")) {
                labels = true;
            } else if (path.equals("spec")) {
                wholeSpec = true;
            } else if (path.startsWith("spec.")) {
                String name = path.substring(5);
                FieldDescriptor field = io.orchestry.provisioner.v1.AppSpec.getDescriptor().findFieldByName(name);
                if (field == null) {
                    field = io.orchestry.provisioner.v1.AppSpec.getDescriptor().getFields().stream()
                            .filter(f -> f.getJsonName().equals(name)).findFirst().orElse(null);
                }
                if (field == null) {
                    v.add("updateMask", "'" + path + "' is not a field of the app spec (one level: spec.<field>)");
                } else {
                    fields.add(field);
                }
            } else {
                v.add("updateMask", "'" + path + "' cannot be updated: use labels, spec or spec.<field>");
            }
        }
        v.throwIfAny();
        io.orchestry.provisioner.v1.AppSpec requested = request.getSpec();
        UnaryOperator<AppSpec> edit = null;
        if (wholeSpec) {
            edit = current -> AppProtoMapper.toDomain(requested);
        } else if (!fields.isEmpty()) {
            edit = current -> {
                var merged = AppProtoMapper.toProto(current).toBuilder();
                for (FieldDescriptor field : fields) {
                    if (field.isRepeated() || requested.hasField(field)) {
                        merged.setField(field, requested.getField(field));
                    } else {
                        merged.clearField(field);
                    }
                }
                return AppProtoMapper.toDomain(merged.build());
            };
        }
        return new SpecMask(labels, edit);
    }

}
