package org.parley.module;

import org.parley.store.sql.Database;

/**
 * A feature of the server: usually one XEP in its own {@code feature.<name>} package. It
 * registers its handlers, hooks and features on the {@link ModuleContext} while the server
 * starts, and keeps no global state.
 */
public interface Module {

    /** A short name for logs and configuration, e.g. "roster". */
    String name();

    /**
     * Opens what the module keeps in the database: brings its schema up to date
     * ({@link Database#migrate}), builds its store on {@code database}, and registers what must go
     * when an account is removed ({@link Database#onAccountRemoved}). Called once, before
     * {@link #start}, and also by the command-line account tools, which start no module, so that
     * removing an account removes its data in every feature's store.
     */
    default void openStorage(Database database) {
    }

    /** Registers handlers, hooks and features; called once, before the listeners open. */
    void start(ModuleContext context);

    /** Releases what {@link #start} acquired; called once at shutdown. */
    default void stop() {
    }
}
