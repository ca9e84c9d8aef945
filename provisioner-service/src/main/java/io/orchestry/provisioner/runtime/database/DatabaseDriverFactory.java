package io.orchestry.provisioner.runtime.database;

import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.runtime.NodeTarget;

/** Makes the database driver for a node of one kind; one bean per kind, chosen by the node's driver kind. */
public interface DatabaseDriverFactory {
    DriverKind kind();

    /** Opens a driver for the node; does not contact it yet. */
    DatabaseDriver open(NodeTarget node);
}
