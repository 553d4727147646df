package org.parley.module;

import java.util.List;
import org.parley.config.Option;
import org.parley.store.sql.Database;

/**
 * A feature of the server: usually one XEP in its own {@code feature.<name>} package. It
 * registers its handlers, hooks and features on the {@link ModuleContext} while the server
 * starts, and keeps no global state.
 *
 * <p>A module's settings are its own: it declares them in {@link #options()}, the operator writes
 * them in the module's {@link #section()} of the YAML file (or as {@code PARLEY_<SECTION>_<NAME>}),
 * and the module reads them with {@link ModuleContext#option}.
 */
public interface Module {

    /** A short name for logs, e.g. "roster". */
    String name();

    /**
     * The YAML block of this module's options: its {@link #name()} unless a better-known name
     * exists for operators (the archive of {@code mam} is configured under {@code archive}).
     */
    default String section() {
        return name();
    }

    /** The options this module reads; none by default. A module with none has no section. */
    default List<Option<?>> options() {
        return List.of();
    }

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
