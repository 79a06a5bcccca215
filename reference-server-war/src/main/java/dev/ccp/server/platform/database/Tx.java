package dev.ccp.server.platform.database;

import dev.ccp.server.platform.http.ProblemException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs work in one database transaction and commits before returning, so a boundary answers only
 * after what it reports is durable. Any exception rolls the work back; outcomes that must be kept
 * even though the caller is refused (a revoked token family, a counted failed guess) are therefore
 * returned as values, not thrown.
 *
 * <p>Work that lost a race with a concurrent transaction (a duplicate first insert, a serialization
 * failure, a deadlock) is run again from the start, and then sees what the winner committed: two
 * first sign-ins of one person both end signed in, two adds of one member end in one member and a
 * clear "already a member". The work must therefore touch nothing but the database it is given.
 */
public final class Tx {

    /** Runs of one piece of work before a conflict is reported to the caller. */
    static final int ATTEMPTS = 4;

    private final EntityManagerFactory emf;
    private final ReadCache.Generation generation;

    public Tx(Database database) {
        this.emf = database.entityManagerFactory();
        this.generation = database.generation();
    }

    public <T> T call(Function<EntityManager, T> work) {
        for (int attempt = 1;; attempt++) {
            try {
                return once(work);
            } catch (RuntimeException e) {
                if (Database.trouble(e) != Database.Trouble.CONFLICT) {
                    throw e;
                }
                if (attempt == ATTEMPTS) {
                    throw ProblemException.conflict("concurrent-change", "Changed at the same time",
                            "another request changed the same data at the same moment; send this request again");
                }
            }
        }
    }

    public void run(Consumer<EntityManager> work) {
        call(em -> {
            work.accept(em);
            return null;
        });
    }

    private <T> T once(Function<EntityManager, T> work) {
        EntityManager em = emf.createEntityManager();
        EntityTransaction tx = em.getTransaction();
        ReadCache.begun();
        try {
            tx.begin();
            T result = work.apply(em);
            tx.commit();
            return result;
        } catch (RuntimeException e) {
            if (tx.isActive()) {
                try {
                    tx.rollback();
                } catch (RuntimeException rollback) {
                    // The connection is gone with the database; the first failure says why.
                    e.addSuppressed(rollback);
                }
            }
            throw e;
        } finally {
            em.close();
            // After the commit: a read kept before it is not used from here on (ReadCache).
            ReadCache.ended(generation);
        }
    }
}
