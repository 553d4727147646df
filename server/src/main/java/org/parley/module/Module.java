package org.parley.module;

/**
 * A feature of the server: usually one XEP in its own {@code feature.<name>} package. It
 * registers its handlers, hooks and features on the {@link ModuleContext} while the server
 * starts, and keeps no global state.
 */
public interface Module {

    /** A short name for logs and configuration, e.g. "roster". */
    String name();

    /** Registers handlers, hooks and features; called once, before the listeners open. */
    void start(ModuleContext context);

    /** Releases what {@link #start} acquired; called once at shutdown. */
    default void stop() {
    }
}
