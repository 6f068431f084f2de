// The interrupt-cleanup table and its signal handler (vpckit_interrupt.h). C, not Swift, so that the handler is
// plainly async-signal-safe: no runtime calls, no allocation, no metadata look-ups.
#define _GNU_SOURCE
#include "vpckit_interrupt.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct record {
    unsigned long batch;
    int directory;
    char *folder;
    char *name;
};

// Changed only by a thread that holds the table (with the signals blocked in it); read by the handler after it
// took the table, so the handler never sees a half-made change.
static struct record *records;
static size_t record_count;
static size_t record_capacity;

static atomic_int table_lock;            // 0 free, 1 held
static atomic_ulong next_batch = 1;
static atomic_int install_state;         // 0 not yet, 1 installing or done
static atomic_int installed_signals;     // bit per signal number

static const int handled_signals[] = { SIGINT, SIGTERM, SIGHUP };
enum { handled_signal_count = sizeof handled_signals / sizeof handled_signals[0] };

static void handled_set(sigset_t *set) {
    sigemptyset(set);
    for (int i = 0; i < handled_signal_count; i++) sigaddset(set, handled_signals[i]);
}

static void pause_briefly(void) {
    struct timespec t = { 0, 1000000 };  // 1 ms
    nanosleep(&t, NULL);
}

// Removes `r`'s file: its folder opened one component at a time without following links, then unlinkat.
static int remove_record(const struct record *r) {
    int directory = r->directory;
    const char *p = r->folder;
    char component[256];
    int ok = 1;
    while (ok && p && *p) {
        size_t n = 0;
        while (p[n] && p[n] != '/') n++;
        if (n == 0) { p++; continue; }
        if (n >= sizeof component) { ok = 0; break; }
        memcpy(component, p, n);
        component[n] = 0;
        int next = openat(directory, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (directory != r->directory) close(directory);
        if (next < 0) { ok = 0; directory = r->directory; break; }
        directory = next;
        p += n;
    }
    int removed = ok && unlinkat(directory, r->name, 0) == 0;
    if (directory != r->directory) close(directory);
    return removed;
}

static void on_signal(int signal_number) {
    // Take the table (every holder has these signals blocked, so it is another thread, busy with an open or a
    // few renames): wait for it, but not forever.
    for (int tries = 0; tries < 2000; tries++) {
        int expected = 0;
        if (atomic_compare_exchange_strong(&table_lock, &expected, 1)) break;
        pause_briefly();
    }
    // Never released: no writer gets the table again, so nothing new is created before the process ends.
    for (size_t i = 0; i < record_count; i++) remove_record(&records[i]);
    struct sigaction default_action;
    memset(&default_action, 0, sizeof default_action);
    default_action.sa_handler = SIG_DFL;
    sigemptyset(&default_action.sa_mask);
    sigaction(signal_number, &default_action, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signal_number);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    raise(signal_number);
    _exit(128 + signal_number);
}

static void install(void) {
    int expected = 0;
    if (!atomic_compare_exchange_strong(&install_state, &expected, 1)) return;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    handled_set(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int i = 0; i < handled_signal_count; i++) {
        struct sigaction old;
        if (sigaction(handled_signals[i], NULL, &old) != 0) continue;
        // An ignored signal stays ignored (nohup, a background job); someone else's handler stays theirs.
        if ((old.sa_flags & SA_SIGINFO) || old.sa_handler != SIG_DFL) continue;
        if (sigaction(handled_signals[i], &action, NULL) == 0) atomic_fetch_or(&installed_signals, 1 << handled_signals[i]);
    }
}

// The signal mask of the thread that holds the table, from before it took it.
static sigset_t held_previous_mask;

void vpckit_interrupt_hold(void) {
    install();
    sigset_t set, previous;
    handled_set(&set);
    pthread_sigmask(SIG_BLOCK, &set, &previous);
    for (;;) {
        int expected = 0;
        if (atomic_compare_exchange_weak(&table_lock, &expected, 1)) break;
        sched_yield();
    }
    held_previous_mask = previous;
}

void vpckit_interrupt_release(void) {
    sigset_t previous = held_previous_mask;
    atomic_store(&table_lock, 0);
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
}

unsigned long vpckit_interrupt_new_batch(void) { return atomic_fetch_add(&next_batch, 1); }

int vpckit_interrupt_record(unsigned long batch, int directory, const char *folder, const char *name) {
    if (record_count == record_capacity) {
        size_t capacity = record_capacity ? record_capacity * 2 : 16;
        struct record *grown = realloc(records, capacity * sizeof *grown);
        if (!grown) return -1;
        records = grown;
        record_capacity = capacity;
    }
    char *folder_copy = strdup(folder ? folder : "");
    char *name_copy = strdup(name);
    if (!folder_copy || !name_copy) { free(folder_copy); free(name_copy); return -1; }
    records[record_count++] = (struct record){ batch, directory, folder_copy, name_copy };
    return 0;
}

void vpckit_interrupt_forget(unsigned long batch) {
    size_t kept = 0;
    for (size_t i = 0; i < record_count; i++) {
        if (records[i].batch == batch) {
            free(records[i].folder);
            free(records[i].name);
        } else {
            records[kept++] = records[i];
        }
    }
    record_count = kept;
}

size_t vpckit_interrupt_count(unsigned long batch) {
    size_t n = 0;
    for (size_t i = 0; i < record_count; i++) n += records[i].batch == batch;
    return n;
}

size_t vpckit_interrupt_remove(unsigned long batch) {
    size_t removed = 0;
    for (size_t i = 0; i < record_count; i++) {
        if (records[i].batch == batch) removed += (size_t)remove_record(&records[i]);
    }
    vpckit_interrupt_forget(batch);
    return removed;
}

int vpckit_interrupt_installed(int signal_number) {
    return (atomic_load(&installed_signals) >> signal_number) & 1;
}
