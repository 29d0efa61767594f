// A persistent team of worker threads for the stage-by-stage split of a forward pass.
// DispatchQueue.concurrentPerform wakes a sleeping thread for every stage: ~50 µs a hand-off on
// the 2-core KVM guest, a quarter of a DiT-S/8 forward at 77 stages. Here the workers spin for a
// short while after each job (a hand-off then costs about a microsecond) and only then sleep on a
// condition variable, so an idle team takes no CPU. One caller at a time: a second caller (another
// thread, or a part that splits again) is told to use its own fallback.
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>

#include "ckernels.h"

#define TEAM_MAX 64
#define SPIN_NANOS 200000L   // a worker spins this long after a job before it sleeps

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    atomic_uint generation;   // bumped once per job; the job's fields below are set before it
    atomic_int remaining;     // worker parts of the current job not yet finished
    atomic_int sleepers;      // workers waiting on `wake`
    atomic_int busy;          // a caller holds the team
    _Atomic(dit_team_fn) fn;
    _Atomic(void *) ctx;
    atomic_int parts;
    int workers;              // threads started (part i ≥ 1 runs on worker i - 1)
} team = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER };

static pthread_once_t team_once = PTHREAD_ONCE_INIT;
static int team_wanted = 0;

static long now_nanos(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static inline void relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/// Waits until the generation differs from `seen`: spinning first, then asleep.
static unsigned await_job(unsigned seen) {
    long start = now_nanos();
    for (int spins = 0;; spins++) {
        unsigned g = atomic_load(&team.generation);
        if (g != seen) return g;
        relax();
        if ((spins & 255) == 255 && now_nanos() - start > SPIN_NANOS) break;
    }
    pthread_mutex_lock(&team.lock);
    atomic_fetch_add(&team.sleepers, 1);
    unsigned g;
    while ((g = atomic_load(&team.generation)) == seen) pthread_cond_wait(&team.wake, &team.lock);
    atomic_fetch_sub(&team.sleepers, 1);
    pthread_mutex_unlock(&team.lock);
    return g;
}

static void *worker(void *arg) {
    int part = (int)(long)arg;
    unsigned seen = 0;   // started before the first job's bump: a job posted before it runs is not missed
    for (;;) {
        unsigned g = await_job(seen);
        // The fields belong to generation g only while it is still current: a worker with no part
        // in job g may read them after the caller has moved on, so it checks the generation again.
        int parts = atomic_load_explicit(&team.parts, memory_order_relaxed);
        dit_team_fn fn = atomic_load_explicit(&team.fn, memory_order_relaxed);
        void *ctx = atomic_load_explicit(&team.ctx, memory_order_relaxed);
        if (atomic_load(&team.generation) != g) { seen = g; continue; }
        seen = g;
        if (part < parts) {
            fn(ctx, part);
            atomic_fetch_sub_explicit(&team.remaining, 1, memory_order_release);
        }
    }
    return NULL;
}

static void start_workers(void) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    for (int i = 1; i < team_wanted && i < TEAM_MAX; i++) {
        pthread_t t;
        if (pthread_create(&t, &attr, worker, (void *)(long)i) != 0) break;
        team.workers++;
    }
    pthread_attr_destroy(&attr);
}

int dit_team_run(int parts, int cores, dit_team_fn fn, void *ctx) {
    if (parts <= 1) { if (parts == 1) fn(ctx, 0); return 1; }
    int expected = 0;
    if (!atomic_compare_exchange_strong(&team.busy, &expected, 1)) return 0;
    if (team_wanted == 0) team_wanted = cores;
    pthread_once(&team_once, start_workers);
    if (parts > team.workers + 1) { atomic_store(&team.busy, 0); return 0; }
    atomic_store_explicit(&team.fn, fn, memory_order_relaxed);
    atomic_store_explicit(&team.ctx, ctx, memory_order_relaxed);
    atomic_store_explicit(&team.parts, parts, memory_order_relaxed);
    atomic_store(&team.remaining, parts - 1);
    atomic_fetch_add(&team.generation, 1);          // seq_cst: ordered before the sleepers check
    if (atomic_load(&team.sleepers) > 0) {
        pthread_mutex_lock(&team.lock);
        pthread_cond_broadcast(&team.wake);
        pthread_mutex_unlock(&team.lock);
    }
    fn(ctx, 0);
    for (int spins = 0; atomic_load_explicit(&team.remaining, memory_order_acquire) > 0; spins++) {
        relax();
        if ((spins & 1023) == 1023) sched_yield();   // a worker descheduled on a busy machine
    }
    atomic_store(&team.busy, 0);
    return 1;
}
