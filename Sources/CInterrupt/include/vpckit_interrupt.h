// The interrupt-cleanup table behind FileIO's atomic writers (Docs/SECURITY.md, "Interrupted work loses nothing").
//
// Every temporary file an output writer creates is recorded here while it exists. On SIGINT, SIGTERM or SIGHUP
// the handler (async-signal-safe: no allocation, no locks but the table's spin lock, only unlinkat, openat,
// close, sigaction, sigprocmask, nanosleep, raise and _exit) removes each recorded file and ends the process by
// the same signal, so the shell sees 130 or 143 as usual. Swift calls these in normal context only.
#ifndef VPCKIT_INTERRUPT_H
#define VPCKIT_INTERRUPT_H

#include <stddef.h>

/// Takes the table: blocks SIGINT, SIGTERM and SIGHUP in the calling thread (so the handler never runs on a
/// thread that holds the table) and spins until no other thread holds it. Installs the handlers on first use
/// (not for a signal that is ignored or already handled). Hold it for short work only: an open, renames.
void vpckit_interrupt_hold(void);
/// Gives the table back and unblocks the signals (a signal that came meanwhile is handled now).
void vpckit_interrupt_release(void);

/// A new batch number: the records of one write (one file, or the files of a set written together).
unsigned long vpckit_interrupt_new_batch(void);
/// Records a temporary file (call while holding the table, before creating the file): `folder` (components
/// separated by '/', may be empty) is opened from `directory` one component at a time without following
/// symbolic links, and `name` is removed there (`unlinkat`; `name` may be a path when `folder` is empty). The
/// strings are copied. Returns 0, or -1 when memory runs out (the file is then not recorded).
int vpckit_interrupt_record(unsigned long batch, int directory, const char *folder, const char *name);
/// Forgets the records of `batch` (holding the table), removing nothing: after a rename, or after the writer
/// removed its temporary files itself.
void vpckit_interrupt_forget(unsigned long batch);

/// How many files `batch` has recorded (holding the table).
size_t vpckit_interrupt_count(unsigned long batch);
/// What the handler does, for one batch and without ending the process (holding the table): removes the
/// batch's recorded files and forgets them; returns how many were removed. For tests.
size_t vpckit_interrupt_remove(unsigned long batch);
/// Whether the handler is installed for `signal` (0 or 1).
int vpckit_interrupt_installed(int signal);

#endif
