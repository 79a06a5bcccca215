package dev.ccp.server.platform;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import java.util.function.Function;

/**
 * Runs work in one database transaction and commits before returning, so a boundary answers only
 * after what it reports is durable. Any exception rolls the work back; outcomes that must be kept
 * even though the caller is refused (a revoked token family, a counted failed guess) are therefore
 * returned as values, not thrown.
 */
public final class Tx {

    private final EntityManagerFactory emf;

    public Tx(EntityManagerFactory emf) {
        this.emf = emf;
    }

    public <T> T call(Function<EntityManager, T> work) {
        EntityManager em = emf.createEntityManager();
        EntityTransaction tx = em.getTransaction();
        try {
            tx.begin();
            T result = work.apply(em);
            tx.commit();
            return result;
        } catch (RuntimeException e) {
            if (tx.isActive()) {
                tx.rollback();
            }
            throw e;
        } finally {
            em.close();
        }
    }

    public void run(java.util.function.Consumer<EntityManager> work) {
        call(em -> {
            work.accept(em);
            return null;
        });
    }
}
